package tests

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

// media are the two media types every VBEM contract test runs in.
var media = []struct {
	name string
	opts []option.Option
}{{"json", nil}, {"xml", []option.Option{vbem.WithXML()}}}

// startVBEM starts an Enterprise Manager fake whose spec violations fail the
// test, and a client for user admin trusting its certificate.
func startVBEM(t *testing.T, clientOpts []option.Option, opts ...vbemfake.Option) (*vbemfake.Server, *vbem.Client) {
	t.Helper()
	srv, err := vbemfake.Start(append([]vbemfake.Option{vbemfake.WithUser(`CORP\admin`, "em-pass")}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("vbem", srv)
	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\admin`, "em-pass"), append([]option.Option{option.WithCACert(srv.CACertPEM())}, clientOpts...)...)
	require.NoError(t, err)
	return srv, c
}

func TestVBEMSessionsAndDiscovery(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)

			versions, err := c.SupportedVersions(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{"v1_5", "v1_6", "v1_7"}, versions)
			assert.Zero(t, srv.Logons(), "discovery needs no logon")

			require.NoError(t, c.Login(ctx))
			s, err := c.Token(ctx)
			require.NoError(t, err)
			assert.NotEmpty(t, s.ID)
			assert.Equal(t, vbem.SessionHeader, s.TokenType)
			assert.Contains(t, s.String(), "access=[REDACTED]")
			assert.Equal(t, 1, srv.Logons(), "Login and Token share one logon")

			list, err := c.Sessions.List(ctx)
			require.NoError(t, err)
			require.Len(t, list.LogonSessions, 1)
			one, err := c.Sessions.Get(ctx, s.ID)
			require.NoError(t, err)
			assert.Equal(t, s.ID, *one.SessionID)
			assert.Equal(t, `CORP\admin`, *one.UserName)
			_, err = c.Sessions.Get(ctx, "00000000-0000-0000-0000-000000000000")
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			tasks, err := c.Tasks.List(ctx)
			require.NoError(t, err)
			assert.NotNil(t, tasks)
			_, err = c.Tasks.Get(ctx, "task-404")
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			require.NoError(t, c.Logout(ctx))
			assert.Zero(t, srv.SessionCount(), "logout deletes the session by its SessionId")
			assert.Zero(t, srv.CookiesSeen(), "the client keeps no cookies")
		})
	}
}

func TestVBEMSessionExpiryMidRun(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBEM(t, nil)
	_, err := c.Sessions.List(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, srv.Logons())
	srv.ExpireSessions()
	_, err = c.Sessions.List(ctx)
	require.NoError(t, err, "a 401 leads to one new logon and a successful retry")
	assert.Equal(t, 2, srv.Logons())
	assert.Equal(t, 2, srv.Calls()["CreateLogonSession"])
}

func TestVBEMWrongPassword(t *testing.T) {
	srv, _ := startVBEM(t, nil)
	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\admin`, "wrong-secret"), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = c.Sessions.List(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.NotContains(t, err.Error(), "wrong-secret")
	assert.Equal(t, 1, srv.Calls()["CreateLogonSession"], "no retry storm")
	assert.Zero(t, srv.Logons())

	_, err = vbem.NewClient(srv.URL(), vbem.BasicCredentials("", ""))
	assert.Error(t, err)
}

func TestVBEMOneLogonForManyGoroutines(t *testing.T) {
	srv, c := startVBEM(t, nil)
	done := make(chan error, 50)
	for range 50 {
		go func() {
			_, err := c.Sessions.List(context.Background())
			done <- err
		}()
	}
	for range 50 {
		require.NoError(t, <-done)
	}
	assert.Equal(t, 1, srv.Logons())
}

func TestVBEMIdleSessionIsRenewedAndSecretsStayOutOfLogs(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, c := startVBEM(t, []option.Option{option.WithCredentialCache(auth.CacheOptions{Now: clock}), option.WithLogger(logger)})
	ctx := context.Background()

	s, err := c.Token(ctx)
	require.NoError(t, err)
	_, err = c.Sessions.List(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, srv.Logons())
	tokens := srv.Tokens()
	require.Len(t, tokens, 1)
	_, getErr := c.Sessions.Get(ctx, "no-such-session")
	require.Error(t, getErr)

	// Fifteen idle minutes later the server has forgotten the session; the
	// client logs on again before using it rather than after a 401.
	mu.Lock()
	now = now.Add(vbem.IdleTimeout)
	mu.Unlock()
	_, err = c.Sessions.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Logons())

	tokens = append(tokens, srv.Tokens()...)
	require.GreaterOrEqual(t, len(tokens), 2)
	require.NoError(t, c.Logout(ctx))
	out := logs.String()
	assert.Contains(t, out, "/api/logonSessions", "requests are logged")
	assert.NotContains(t, out, "em-pass")
	for _, tok := range tokens {
		assert.NotContains(t, out, tok, "the session token is never logged")
		assert.NotContains(t, getErr.Error(), tok)
		assert.NotContains(t, s.String(), tok)
	}
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", vbem.BasicCredentials("u", "em-pass"), s, s), "em-pass")
}

// TestVBEMCoreMediaTypesDecodeAlike reads the same resources of one fake
// through a JSON client and an XML client and compares the Go values.
func TestVBEMCoreMediaTypesDecodeAlike(t *testing.T) {
	ctx := context.Background()
	srv, jsonClient := startVBEM(t, nil, vbemfake.WithTaskSteps(100))
	xmlClient, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\admin`, "em-pass"), option.WithCACert(srv.CACertPEM()), vbem.WithXML())
	require.NoError(t, err)

	j, err := jsonClient.Discover(ctx)
	require.NoError(t, err)
	x, err := xmlClient.Discover(ctx)
	require.NoError(t, err)
	assert.Equal(t, j, x)

	s, err := jsonClient.Token(ctx)
	require.NoError(t, err)
	js, err := jsonClient.Sessions.Get(ctx, s.ID)
	require.NoError(t, err)
	xs, err := xmlClient.Sessions.Get(ctx, s.ID)
	require.NoError(t, err)
	assert.Equal(t, js, xs)

	task := srv.StartTask(httptest.NewRequest("GET", srv.URL()+"/api/", nil), "StartJob", false, "/api/")
	jt, err := jsonClient.Tasks.Get(ctx, *task.TaskID)
	require.NoError(t, err)
	xt, err := xmlClient.Tasks.Get(ctx, *task.TaskID)
	require.NoError(t, err)
	assert.Equal(t, jt, xt)
	assert.Equal(t, vbemapi.TaskStateRunning, *jt.State)
}

// TestVBEMListIterators ranges over every list with its All iterator: the
// same items as the one answer of List, and an error yielded once.
func TestVBEMListIterators(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			servers, err := c.BackupServers.List(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, servers.Refs, vbemCollect(t, c.BackupServers.All(ctx, nil)))
			entities := vbemCollect(t, c.BackupServers.All(ctx, &vbem.ListBackupServersOptions{Format: vbemapi.GetBackupServersParamsFormatEntity}))
			require.Len(t, entities, 2)
			assert.Equal(t, "BackupServer", *entities[0].Type)

			passwords, err := c.Passwords.List(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Equal(t, passwords.PasswordKeyInfos, vbemCollect(t, c.Passwords.All(ctx, vbemfake.SeedBackupServer1ID)))

			accounts, err := c.Accounts.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, accounts.Refs, vbemCollect(t, c.Accounts.All(ctx)))
			scopes, err := c.Accounts.ListScopes(ctx, vbemfake.SeedAccountID)
			require.NoError(t, err)
			assert.Equal(t, scopes.EnterpriseAccountHierarchyScopes, vbemCollect(t, c.Accounts.AllScopes(ctx, vbemfake.SeedAccountID)))

			assert.Len(t, vbemCollect(t, c.Sessions.All(ctx)), 1)
			tasks, err := c.Tasks.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, tasks.Tasks, vbemCollect(t, c.Tasks.All(ctx)))

			var errs []error
			for _, err := range c.Passwords.All(ctx, "00000000-0000-0000-0000-000000000000") {
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], apierr.ErrNotFound)
			errs = nil
			for _, err := range c.Accounts.AllScopes(ctx, "") {
				errs = append(errs, err)
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], apierr.ErrMissingID)
		})
	}
}

// vbemCollect ranges over an iterator that must not fail.
func vbemCollect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}
