package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
	"github.com/backupsdk/backupsdk/specs"
)

// startVBGC starts a fake whose spec violations fail the test, and a client
// trusting its certificate.
func startVBGC(t *testing.T, creds auth.Credential, opts ...vbgcfake.Option) (*vbgcfake.Server, *vbgc.Client) {
	t.Helper()
	srv, err := vbgcfake.Start(append([]vbgcfake.Option{vbgcfake.WithUser("admin", "gc-pass")}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("vbgc", srv)
	c, err := vbgc.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	return srv, c
}

var fastWait = &poll.Options{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond}

func TestVBGCMFALoginAndLogout(t *testing.T) {
	ctx := context.Background()
	codes := 0
	creds := vbgc.PasswordCredentials("admin", "gc-pass", auth.WithShortTermRefresh(),
		auth.WithMFA(func(context.Context) (string, error) { codes++; return "424242", nil }))
	srv, c := startVBGC(t, creds, vbgcfake.WithMFA("424242"))
	require.NoError(t, c.Login(ctx))
	assert.Equal(t, 1, codes)
	assert.Equal(t, map[string]int{"password": 1, "mfa": 1}, srv.Tokens.Requests())
	assert.Equal(t, vbgc.APIVersion, c.APIVersion())
	require.NoError(t, c.Logout(ctx))

	_, bad := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"), vbgcfake.WithMFA("424242"))
	assert.ErrorIs(t, bad.Login(ctx), apierr.ErrMFARequired)
}

func TestVBGCAuthorizationCodeAndTokenOperations(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	code, err := c.AuthorizationCode(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, code)

	// A second client logs in with the code alone.
	other, err := vbgc.NewClient(srv.URL(), auth.AuthorizationCode(code), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = other.Sessions.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Tokens.Requests()["authorization_code"])
	require.NoError(t, other.Logout(ctx))

	// The code is single-use.
	again, err := vbgc.NewClient(srv.URL(), auth.AuthorizationCode(code), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	assert.ErrorIs(t, again.Login(ctx), apierr.ErrInvalidCredentials)

	_, err = c.Sessions.Get(ctx, srv.StartSession(vbgcapi.ESessionTypeRescan, "rescan", nil))
	require.NoError(t, err)
	assertOperationsCalled(t, srv, "RequestToken", "Logout", "GetAuthorizationCode", "GetSession")
}

func TestVBGCSessionsPagingAndOrder(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	for i := range 23 {
		srv.StartSession(vbgcapi.ESessionTypePolicyBackup, fmt.Sprintf("job-%02d", i), nil)
	}
	srv.StartSession(vbgcapi.ESessionTypeRescan, "rescan", nil)

	var names []string
	for s, err := range c.Sessions.All(ctx, &vbgc.ListOptions{Limit: 5, OrderBy: orderBy(t, vbgc.Order{Property: "name", Descending: true}),
		Filter: filter(t, vbgc.Condition{Property: "sessionType", Operator: vbgc.OpEquals, Value: "PolicyBackup"})}) {
		require.NoError(t, err)
		names = append(names, *s.Name)
	}
	require.Len(t, names, 23)
	assert.Equal(t, "job-22", names[0])
	assert.Equal(t, "job-00", names[22])
	assert.Equal(t, 5, srv.Calls()["GetSessions"], "23 items in pages of 5")

	page, err := c.Sessions.List(ctx, &vbgc.ListOptions{Offset: 20, Limit: 10})
	require.NoError(t, err)
	assert.Len(t, page.Data, 4)
	assert.EqualValues(t, 24, page.Pagination.TotalCount)
	assert.EqualValues(t, 20, page.Pagination.Offset)

	_, err = vbgc.Filter(vbgc.Condition{Property: "name"})
	assert.Error(t, err, "a condition without an operator is refused before sending")
	_, err = c.Sessions.List(ctx, &vbgc.ListOptions{Offset: -1})
	assert.Error(t, err, "a negative offset is refused before sending")
	assert.Equal(t, 6, srv.Calls()["GetSessions"], "the refused list was not sent")
}

// filter and orderBy encode typed conditions and orders for ListOptions.
func filter(t *testing.T, conds ...vbgc.Condition) string {
	t.Helper()
	f, err := vbgc.Filter(conds...)
	require.NoError(t, err)
	return f
}

func orderBy(t *testing.T, orders ...vbgc.Order) string {
	t.Helper()
	o, err := vbgc.OrderBy(orders...)
	require.NoError(t, err)
	return o
}

func TestVBGCWaitForSession(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"), vbgcfake.WithSessionSteps(4))

	id := srv.StartSession(vbgcapi.ESessionTypePolicyBackup, "ok", nil)
	var seen []string
	s, err := c.Sessions.Wait(ctx, id, &poll.Options{Interval: time.Millisecond, OnPoll: func(state any) {
		m := state.(*vbgcapi.SessionInfoItemModel)
		seen = append(seen, string(m.Status)+"/"+string(m.Result))
	}})
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionResultSuccess, s.Result)
	assert.Equal(t, []string{"Running/None", "Running/None", "Running/None", "Stopped/Success"}, seen)

	srv.FailNextSession(vbgcapi.ESessionResultWarning)
	id = srv.StartSession(vbgcapi.ESessionTypePolicyBackup, "warn", nil)
	s, err = c.Sessions.Wait(ctx, id, fastWait)
	require.NoError(t, err, "a warning is not a failure")
	assert.Equal(t, vbgcapi.ESessionResultWarning, s.Result)

	srv.FailNextSession(vbgcapi.ESessionResultFailed)
	id = srv.StartSession(vbgcapi.ESessionTypePolicyBackup, "bad", nil)
	s, err = c.Sessions.Wait(ctx, id, fastWait)
	require.Error(t, err)
	assert.ErrorIs(t, err, vbgc.ErrSessionFailed)
	var se *vbgc.SessionError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, vbgcapi.ESessionResultFailed, se.Session.Result)
	assert.Equal(t, vbgcapi.ESessionResultFailed, s.Result)

	_, err = c.Sessions.Wait(ctx, uuid.New(), fastWait)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// A cancelled context ends the wait promptly, between polls.
	id = srv.StartSession(vbgcapi.ESessionTypePolicyBackup, "slow", nil)
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(30*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.Sessions.Wait(cctx, id, &poll.Options{Interval: time.Hour})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
}

// example decodes the example (or, failing that, a value synthesized from
// the schema) of a component schema of the VBGC spec into a T: a valid
// request body without spelling out every member in the test.
func example[T any](t *testing.T, schema string) T {
	t.Helper()
	doc, err := vbgcDoc()
	require.NoError(t, err)
	ref, ok := doc.Components.Schemas[schema]
	require.True(t, ok, "no schema %s", schema)
	b, err := json.Marshal(fake.Synthesize(ref))
	require.NoError(t, err)
	var v T
	require.NoError(t, json.Unmarshal(b, &v), "schema %s", schema)
	return v
}

// vbgcDoc loads the VBGC spec once for all tests.
var vbgcDoc = sync.OnceValues(func() (*openapi3.T, error) { return openapi3.NewLoader().LoadFromData(specs.VBGC) })

// assertOperationsCalled checks that every operation whose id starts
// with one of prefixes got a 2xx answer from a stateful handler of the fake
// (what the contract coverage gate counts), for a call of the SDK.
func assertOperationsCalled(t *testing.T, srv fakeServer, prefixes ...string) {
	t.Helper()
	n := 0
	for op, c := range srv.Coverage() {
		for _, p := range prefixes {
			if strings.HasPrefix(op, p) {
				n++
				assert.True(t, c.StatefulHandler, "operation %s has no stateful handler", op)
				assert.Positive(t, c.Stateful, "operation %s: no contract test gets a 2xx answer from it", op)
			}
		}
	}
	assert.Positive(t, n, "no operation matched %v", prefixes)
}
