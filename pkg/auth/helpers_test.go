package auth_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
	"github.com/backupsdk/backupsdk/pkg/internal/veeam"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

const (
	host     = "vb.example:11005"
	tokenURL = "https://" + host + "/api/v1/token"
	apiURL   = "https://" + host + "/api/v1/policies"

	user     = "backup-admin"
	password = "Pw-hunter2-XYZ"
	mfaCode  = "918273"
	authCode = "AC-secret-000"
)

// fakeClock is a settable clock for CacheOptions.Now and auth.WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// tokenServer is a fake Veeam /token endpoint. It issues AT-<n>/RT-<n>
// pairs, accepts the password grant for user/password, the refresh grant
// for refresh tokens it issued (unless refuseRefresh), the MFA grant when
// mfa is on, and the authorization code authCode. It records every form.
type tokenServer struct {
	mu            sync.Mutex
	forms         []url.Values
	contentTypes  []string
	deletes       []string
	issued        int
	refreshTokens map[string]bool
	mfa           bool
	mfaToken      string
	refuseRefresh int // status to refuse refresh grants with (0: accept)
	expiresIn     int64
	delay         time.Duration
	// override, when set, answers instead of the logic above.
	override func(form url.Values) *http.Response
}

func newTokenServer() *tokenServer {
	return &tokenServer{refreshTokens: map[string]bool{}, expiresIn: 3600, mfaToken: "MT-secret-789"}
}

func problem(status int, code, title string) *http.Response {
	r := httpmock.NewStringResponse(status, fmt.Sprintf(
		`{"errorCode":%q,"message":%q,"type":"https://veeam.example/errors","title":%q,"status":%d}`,
		code, title+" (message)", title, status))
	r.Header.Set("Content-Type", "application/problem+json")
	return r
}

func (s *tokenServer) issueLocked() *http.Response {
	s.issued++
	at := fmt.Sprintf("AT-%d", s.issued)
	rt := fmt.Sprintf("RT-%d", s.issued)
	s.refreshTokens[rt] = true
	body := fmt.Sprintf(`{"access_token":%q,"token_type":"bearer","refresh_token":%q,"expires_in":%d,".issued":"2026-03-01T12:00:00Z","username":%q}`,
		at, rt, s.expiresIn, user)
	r := httpmock.NewStringResponse(http.StatusOK, body)
	r.Header.Set("Content-Type", "application/json")
	return r
}

// withRequest sets resp.Request as net/http.Transport does (httpmock's
// string responses leave it nil), so errors can name the method and URL.
func withRequest(r Responder) Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := r(req)
		if resp != nil && resp.Request == nil {
			resp.Request = req
		}
		return resp, err
	}
}

// Responder is httpmock.Responder.
type Responder = httpmock.Responder

func (s *tokenServer) respond(req *http.Request) (*http.Response, error) {
	if s.delay > 0 {
		time.Sleep(s.delay) // widens the window in which callers pile up
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forms = append(s.forms, form)
	s.contentTypes = append(s.contentTypes, req.Header.Get("Content-Type"))
	if s.override != nil {
		return s.override(form), nil
	}
	return s.answerLocked(form), nil
}

// answerLocked is the regular answer to a grant; s.mu is held.
func (s *tokenServer) answerLocked(form url.Values) *http.Response {
	switch form.Get("grant_type") {
	case "password":
		if form.Get("username") != user || form.Get("password") != password {
			return problem(http.StatusUnauthorized, "InvalidCredentials", "Invalid user name or password")
		}
		if s.mfa {
			r := httpmock.NewStringResponse(http.StatusAccepted, fmt.Sprintf(`{"mfa_token":%q}`, s.mfaToken))
			r.Header.Set("Content-Type", "application/json")
			return r
		}
		return s.issueLocked()
	case "mfa":
		if form.Get("mfa_token") != s.mfaToken || form.Get("mfa_code") != mfaCode {
			return problem(http.StatusBadRequest, "InvalidMfaCode", "Invalid code")
		}
		return s.issueLocked()
	case "refresh_token":
		if s.refuseRefresh != 0 {
			return problem(s.refuseRefresh, "InvalidGrant", "Refresh token refused")
		}
		rt := form.Get("refresh_token")
		if !s.refreshTokens[rt] {
			return problem(http.StatusBadRequest, "InvalidGrant", "Unknown refresh token")
		}
		delete(s.refreshTokens, rt) // one use each
		return s.issueLocked()
	case "authorization_code":
		if form.Get("code") != authCode {
			return problem(http.StatusBadRequest, "InvalidGrant", "Bad code")
		}
		return s.issueLocked()
	}
	return problem(http.StatusBadRequest, "UnsupportedGrant", "unsupported grant")
}

func (s *tokenServer) respondDelete(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deletes = append(s.deletes, req.Header.Get("Authorization"))
	if s.override != nil {
		return s.override(nil), nil
	}
	return httpmock.NewStringResponse(http.StatusOK, ""), nil
}

func (s *tokenServer) grants() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var g []string
	for _, f := range s.forms {
		g = append(g, f.Get("grant_type"))
	}
	return g
}

func (s *tokenServer) form(i int) url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.forms[i]
}

func (s *tokenServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.forms)
}

// apiServer accepts requests whose bearer token is in valid (or any AT-*
// token when valid is nil) and counts them.
type apiServer struct {
	calls  atomic.Int32
	mu     sync.Mutex
	valid  func(token string) bool
	tokens []string
}

func (a *apiServer) respond(req *http.Request) (*http.Response, error) {
	a.calls.Add(1)
	h := req.Header.Get("Authorization")
	a.mu.Lock()
	a.tokens = append(a.tokens, h)
	ok := a.valid != nil && len(h) > len("Bearer ") && a.valid(h[len("Bearer "):])
	a.mu.Unlock()
	if !ok {
		return problem(http.StatusUnauthorized, "Unauthorized", "Unauthorized"), nil
	}
	r := httpmock.NewStringResponse(http.StatusOK, `{"data":[]}`)
	r.Header.Set("Content-Type", "application/json")
	return r, nil
}

func (a *apiServer) seen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.tokens...)
}

// env is a token endpoint and an API behind one mock transport, with a
// token client (no auth link) and an API client (auth link) built the way
// the product clients build them.
type env struct {
	mt          *httpmock.MockTransport
	ts          *tokenServer
	api         *apiServer
	clock       *fakeClock
	tokenClient *http.Client
}

type envOptions struct {
	logger *slog.Logger
	retry  *transport.RetryPolicy
}

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	mt := httpmock.NewMockTransport()
	ts := newTokenServer()
	api := &apiServer{}
	mt.RegisterResponder(http.MethodPost, tokenURL, withRequest(ts.respond))
	mt.RegisterResponder(http.MethodDelete, tokenURL, withRequest(ts.respondDelete))
	mt.RegisterResponder(http.MethodGet, apiURL, withRequest(api.respond))
	clock := newClock()
	retry := o.retry
	if retry == nil {
		retry = &transport.RetryPolicy{MaxRetries: 3, Sleep: noSleep}
	}
	h := http.Header{}
	h.Set("X-Api-Version", "1.7-rev0")
	tokenClient := &http.Client{Transport: transport.New(transport.Config{
		Base: mt, UserAgent: "backupsdk-test", Headers: h, Retry: retry, Logger: o.logger,
	})}
	return &env{mt: mt, ts: ts, api: api, clock: clock, tokenClient: tokenClient}
}

// request is what a Veeam client asks its credential for, with prev as its
// last token.
func (e *env) request(prev *auth.Token) auth.TokenRequest {
	return auth.TokenRequest{Product: "vbaws", Endpoint: "https://" + host, APIVersion: "1.7-rev0",
		HTTPClient: e.tokenClient, Previous: prev}
}

// login runs cred's GetToken as a client does.
func (e *env) login(cred auth.Credential, prev *auth.Token) (auth.Token, error) {
	return cred.GetToken(ctx, e.request(prev))
}

// password is auth.Password for user and pw on the env's clock.
func (e *env) password(pw string, opts ...auth.CredentialOption) auth.Credential {
	return auth.Password(user, pw, append([]auth.CredentialOption{auth.WithClock(e.clock.Now)}, opts...)...)
}

// session ties cred to a client's cache, as the product clients do.
func (e *env) session(cred auth.Credential) *login.Session {
	s := login.New(cred, e.request(nil), auth.CacheOptions{Now: e.clock.Now})
	s.SetHTTPClient(e.tokenClient)
	return s
}

// cache is the cache of a new session for cred.
func (e *env) cache(cred auth.Credential) *auth.Cache[auth.Token] { return e.session(cred).Cache() }

func (e *env) apiClient(s *login.Session, o envOptions) *http.Client {
	retry := o.retry
	if retry == nil {
		retry = &transport.RetryPolicy{MaxRetries: 3, Sleep: noSleep}
	}
	return &http.Client{Transport: transport.New(transport.Config{
		Base: e.mt, Auth: s.Authorizer(login.Bearer), AuthHost: host, Retry: retry, Logger: o.logger,
	})}
}

// core is the Veeam client core on the env's mock transport: what Logout
// runs in.
func (e *env) core(t *testing.T, cred auth.Credential, o envOptions) *veeam.Core {
	t.Helper()
	opts := []option.Option{option.WithHTTPClient(&http.Client{Transport: e.mt}),
		option.WithRetry(transport.RetryPolicy{MaxRetries: 3, Sleep: noSleep}),
		option.WithCredentialCache(auth.CacheOptions{Now: e.clock.Now})}
	if o.logger != nil {
		opts = append(opts, option.WithLogger(o.logger))
	}
	c, err := veeam.New("vbaws", "https://"+host, "1.7-rev0", cred, opts)
	require.NoError(t, err)
	return c
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func drain(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return string(b)
}
