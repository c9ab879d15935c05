package tests

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

// vbemPwClient returns one more client of srv, in the media type of opts.
func vbemPwClient(t *testing.T, srv *vbemfake.Server, opts []option.Option) *vbem.Client {
	t.Helper()
	c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(`CORP\admin`, "em-pass"), append([]option.Option{option.WithCACert(srv.CACertPEM())}, opts...)...)
	require.NoError(t, err)
	return c
}

// vbemPwStartWrapped serves a fake behind mw; violations are left to the
// test to inspect.
func vbemPwStartWrapped(t *testing.T, clientOpts []option.Option, mw func(http.Handler) http.Handler) (*vbemfake.Fake, *vbem.Client) {
	t.Helper()
	f, err := vbemfake.New(vbemfake.WithUser(`CORP\admin`, "em-pass"))
	require.NoError(t, err)
	track("vbem", f)
	ts := fake.StartTLS(mw(f))
	t.Cleanup(ts.Close)
	c, err := vbem.NewClient(ts.URL(), vbem.BasicCredentials(`CORP\admin`, "em-pass"), append([]option.Option{option.WithCACert(ts.CACertPEM())}, clientOpts...)...)
	require.NoError(t, err)
	return f, c
}

func vbemPwByHint(t *testing.T, list *vbemapi.PasswordKeyInfoList, hint string) *vbemapi.PasswordKeyInfo {
	t.Helper()
	require.NotNil(t, list)
	for _, p := range list.PasswordKeyInfos {
		if p.Hint != nil && *p.Hint == hint {
			return &p
		}
	}
	return nil
}

func TestVBEMBackupServersAndPasswordReads(t *testing.T) {
	ctx := context.Background()
	srv, _ := startVBEM(t, nil)
	type reads struct {
		servers     *vbemapi.BackupServers
		entities    *vbemapi.BackupServers
		ref, entity *vbemapi.BackupServer
		passwords   *vbemapi.PasswordKeyInfoList
		password    *vbemapi.PasswordKeyInfo
		other       *vbemapi.PasswordKeyInfoList
	}
	got := map[string]reads{}
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			c := vbemPwClient(t, srv, m.opts)
			var r reads
			var err error
			r.servers, err = c.BackupServers.List(ctx, nil)
			require.NoError(t, err)
			require.Len(t, r.servers.Refs, 2)
			assert.Equal(t, vbemfake.SeedBackupServer1Name, *r.servers.Refs[0].Name)
			assert.Equal(t, "BackupServerReference", *r.servers.Refs[0].Type)
			assert.Equal(t, vbemfake.SeedBackupServer2ID, vbem.IDFromHref(*r.servers.Refs[1].Href))
			r.entities, err = c.BackupServers.List(ctx, &vbem.ListBackupServersOptions{Format: vbemapi.GetBackupServersParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "BackupServer", *r.entities.Refs[0].Type)

			r.ref, err = c.BackupServers.Get(ctx, vbemfake.SeedBackupServer2ID, nil)
			require.NoError(t, err)
			assert.Equal(t, "BackupServerReference", *r.ref.Type)
			assert.Nil(t, r.ref.Port, "the reference has no entity fields")
			r.entity, err = c.BackupServers.Get(ctx, vbemfake.SeedBackupServer2ID, &vbem.GetBackupServerOptions{Format: vbemapi.GetBackupServerParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "BackupServer", *r.entity.Type)
			assert.Equal(t, int32(9392), *r.entity.Port)
			assert.Equal(t, "13.0.1.1071", *r.entity.Version)
			assert.Equal(t, "urn:veeam:BackupServer:"+vbemfake.SeedBackupServer2ID, *r.entity.UID)

			r.passwords, err = c.Passwords.List(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			require.Len(t, r.passwords.PasswordKeyInfos, 1)
			r.password, err = c.Passwords.Get(ctx, vbemfake.SeedBackupServer2ID, vbemfake.SeedPassword2ID)
			require.NoError(t, err)
			assert.Equal(t, "My password", *r.password.Hint)
			assert.Equal(t, r.passwords.PasswordKeyInfos[0], *r.password)
			assert.True(t, r.password.LastModificationDate.Equal(time.Date(2014, 10, 11, 7, 6, 17, 0, time.UTC)))
			r.other, err = c.Passwords.List(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedPassword1ID, *r.other.PasswordKeyInfos[0].ID)

			_, err = c.BackupServers.Get(ctx, "00000000-0000-0000-0000-000000000000", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.Passwords.List(ctx, "00000000-0000-0000-0000-000000000000")
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.Passwords.Get(ctx, vbemfake.SeedBackupServer1ID, vbemfake.SeedPassword2ID)
			assert.ErrorIs(t, err, apierr.ErrNotFound, "a password of another server")
			_, err = c.BackupServers.Get(ctx, "", nil)
			assert.ErrorIs(t, err, apierr.ErrMissingID)
			_, err = c.Passwords.Get(ctx, vbemfake.SeedBackupServer1ID, "")
			assert.ErrorIs(t, err, apierr.ErrMissingID)
			got[m.name] = r
		})
	}
	require.Len(t, got, 2)
	assert.Equal(t, got["json"], got["xml"], "JSON and XML decode to the same values")
}

func TestVBEMPasswordsLifecycle(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			srv, c := startVBEM(t, append([]option.Option{option.WithLogger(logger)}, m.opts...))
			const server, secret = vbemfake.SeedBackupServer1ID, "Vault-S3cret!"

			task, err := c.Passwords.Create(ctx, server, "vault key", secret)
			require.NoError(t, err)
			assert.Nil(t, task, "201 carries no task")
			list, err := c.Passwords.List(ctx, server)
			require.NoError(t, err)
			require.Len(t, list.PasswordKeyInfos, 2)
			created := vbemPwByHint(t, list, "vault key")
			require.NotNil(t, created, "the created password shows up")
			id := *created.ID
			assert.Len(t, id, 36)
			assert.WithinDuration(t, time.Now(), *created.LastModificationDate, time.Minute)
			assert.True(t, srv.CheckPassword(server, id, secret), "the secret reached the server")

			one, err := c.Passwords.Get(ctx, server, id)
			require.NoError(t, err)
			assert.Equal(t, *created, *one)

			edited, task, err := c.Passwords.EditHint(ctx, server, id, "vault key (2025)")
			require.NoError(t, err)
			assert.Nil(t, task)
			require.NotNil(t, edited)
			assert.Equal(t, "vault key (2025)", *edited.Hint)
			assert.Equal(t, id, *edited.ID)
			one, err = c.Passwords.Get(ctx, server, id)
			require.NoError(t, err)
			assert.Equal(t, "vault key (2025)", *one.Hint)
			assert.True(t, srv.CheckPassword(server, id, secret), "a hint edit keeps the password")
			_, _, err = c.Passwords.EditHint(ctx, server, "00000000-0000-0000-0000-000000000000", "x")
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			// The secret never comes back, in any answer.
			raw, err := c.Raw().GetPasswordsWithResponse(ctx, server)
			require.NoError(t, err)
			assert.Contains(t, string(raw.Body), "vault key (2025)")
			assert.NotContains(t, string(raw.Body), secret)

			// 202 with a Task whose Related link is the password.
			srv.SetPasswordCreateStatus(http.StatusAccepted)
			task, err = c.Passwords.Create(ctx, vbemfake.SeedBackupServer2ID, "async", "Async-S3cret")
			require.NoError(t, err)
			require.NotNil(t, task)
			done, err := c.WaitTask(ctx, task, &poll.Options{Interval: time.Millisecond})
			require.NoError(t, err)
			var related *vbemapi.Link
			for _, l := range done.Links {
				if l.Rel == "Related" {
					related = &l
				}
			}
			require.NotNil(t, related)
			var asyncPw vbemapi.PasswordKeyInfo
			require.NoError(t, c.Follow(ctx, *related, &asyncPw))
			assert.Equal(t, "async", *asyncPw.Hint)

			// 204 without a body; no hint.
			srv.SetPasswordCreateStatus(http.StatusNoContent)
			task, err = c.Passwords.Create(ctx, vbemfake.SeedBackupServer2ID, "", "NoHint-S3cret")
			require.NoError(t, err)
			assert.Nil(t, task)
			list2, err := c.Passwords.List(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			assert.Len(t, list2.PasswordKeyInfos, 3)
			assert.NotNil(t, vbemPwByHint(t, list2, ""), "the password without a hint")

			task, err = c.Passwords.Delete(ctx, server, id)
			require.NoError(t, err)
			assert.Nil(t, task)
			_, err = c.Passwords.Get(ctx, server, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound, "deleted")
			list, err = c.Passwords.List(ctx, server)
			require.NoError(t, err)
			assert.Nil(t, vbemPwByHint(t, list, "vault key (2025)"))
			_, err = c.Passwords.Delete(ctx, server, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			// Errors and refusals before sending.
			_, err = c.Passwords.Create(ctx, "00000000-0000-0000-0000-000000000000", "h", secret)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			assert.NotContains(t, err.Error(), secret)
			_, err = c.Passwords.Create(ctx, server, "h", "")
			assert.ErrorIs(t, err, vbem.ErrMissingPassword)
			_, err = c.Passwords.Create(ctx, "", "h", secret)
			assert.ErrorIs(t, err, apierr.ErrMissingID)
			_, err = c.Passwords.Delete(ctx, server, "")
			assert.ErrorIs(t, err, apierr.ErrMissingID)
			_, _, err = c.Passwords.EditHint(ctx, "", id, "x")
			assert.ErrorIs(t, err, apierr.ErrMissingID)

			assert.NotEmpty(t, logs.String())
			assert.NotContains(t, logs.String(), secret, "never logged")
			assert.NotContains(t, logs.String(), "Async-S3cret")
		})
	}
}

// TestVBEMPasswordXMLBody checks the exact XML body of a create (Hint, then
// Password) and that the fake refuses the elements out of order.
func TestVBEMPasswordXMLBody(t *testing.T) {
	ctx := context.Background()
	var bodies []string
	f, c := vbemPwStartWrapped(t, []option.Option{vbem.WithXML()}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/passwords") {
				b, _ := io.ReadAll(r.Body)
				bodies = append(bodies, r.Header.Get("Content-Type")+" "+string(b))
				r.Body = io.NopCloser(bytes.NewReader(b))
			}
			next.ServeHTTP(w, r)
		})
	})
	_, err := c.Passwords.Create(ctx, vbemfake.SeedBackupServer1ID, "tape <key> & co", "p&ss<word>")
	require.NoError(t, err)
	require.Len(t, bodies, 1)
	assert.Equal(t, `application/xml <PasswordKeyInfoSpec xmlns="http://www.veeam.com/ent/v1.0"><Hint>tape &lt;key&gt; &amp; co</Hint><Password>p&amp;ss&lt;word&gt;</Password></PasswordKeyInfoSpec>`, bodies[0])
	assert.Empty(t, f.Violations(), "the documented order passes the fake")
	list, err := c.Passwords.List(ctx, vbemfake.SeedBackupServer1ID)
	require.NoError(t, err)
	created := vbemPwByHint(t, list, "tape <key> & co")
	require.NotNil(t, created)
	assert.True(t, f.CheckPassword(vbemfake.SeedBackupServer1ID, *created.ID, "p&ss<word>"))

	// Password before Hint breaks the documented order.
	resp, err := c.Raw().CreatePasswordWithBodyWithResponse(ctx, vbemfake.SeedBackupServer1ID,
		&vbemapi.CreatePasswordParams{Action: vbemapi.CreatePasswordParamsActionCreate}, "application/xml",
		strings.NewReader(`<PasswordKeyInfoSpec xmlns="http://www.veeam.com/ent/v1.0"><Password>x</Password><Hint>y</Hint></PasswordKeyInfoSpec>`))
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode())
	assert.NotEmpty(t, f.Violations(), "the fake records the out-of-order body")
	list, err = c.Passwords.List(ctx, vbemfake.SeedBackupServer1ID)
	require.NoError(t, err)
	assert.Nil(t, vbemPwByHint(t, list, "y"))
}

// TestVBEMPasswordNeverInErrors has a server echo the password in its error
// message; the client's error must not carry it.
func TestVBEMPasswordNeverInErrors(t *testing.T) {
	const secret = "Echo-Me-S3cret"
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			_, c := vbemPwStartWrapped(t, m.opts, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/passwords") {
						vbemfake.WriteError(w, r, http.StatusBadRequest, "WeakPassword", "the password '"+secret+"' is too weak")
						return
					}
					next.ServeHTTP(w, r)
				})
			})
			_, err := c.Passwords.Create(context.Background(), vbemfake.SeedBackupServer1ID, "h", secret)
			require.Error(t, err)
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.NotContains(t, err.Error(), secret)
			assert.Contains(t, err.Error(), "too weak")
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae)
			assert.NotContains(t, ae.Message, secret)
		})
	}
}
