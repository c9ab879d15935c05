package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// These tests run the whole pipeline: an API client (headers -> retry ->
// auth -> logging -> mock) whose auth link uses a Veeam token cache, whose
// token client is itself a pipeline (with retries) onto the same mock.

func TestPipeline401ReauthenticatesOnce(t *testing.T) {
	e := newEnv(t, envOptions{})
	// The API accepts only the second token: the first one "expired" on the
	// server side although the client thought it valid.
	e.api.valid = func(tok string) bool { return tok == "AT-2" }
	s := e.session(e.password(password))
	c := s.Cache()
	client := e.apiClient(s, envOptions{})

	resp, err := client.Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	drain(t, resp)
	assert.Equal(t, []string{"Bearer AT-1", "Bearer AT-2"}, e.api.seen())
	assert.Equal(t, []string{"password", "refresh_token"}, e.ts.grants(), "exactly one extra token acquisition, by refresh")
	assert.Equal(t, 2, c.Acquisitions())

	// The new token is kept for the next call.
	resp, err = client.Get(apiURL)
	require.NoError(t, err)
	drain(t, resp)
	assert.Equal(t, 2, e.ts.count())
	assert.EqualValues(t, 3, e.api.calls.Load())
}

func TestPipelinePersistent401DoesNotLoop(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.api.valid = func(string) bool { return false }
	client := e.apiClient(e.session(e.password(password)), envOptions{})

	resp, err := client.Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	cerr := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	assert.ErrorIs(t, cerr, apierr.ErrUnauthorized)
	assert.EqualValues(t, 2, e.api.calls.Load(), "exactly two tries")
	assert.Equal(t, []string{"password", "refresh_token"}, e.ts.grants())
}

func TestPipelineBadPasswordNoRetryStorm(t *testing.T) {
	for _, code := range []int{http.StatusUnauthorized, http.StatusBadRequest} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			e := newEnv(t, envOptions{})
			e.ts.override = func(url.Values) *http.Response {
				return problem(code, "InvalidCredentials", "Invalid user name or password")
			}
			s := e.session(auth.Password(user, "not-the-password"))
			c := s.Cache()
			client := e.apiClient(s, envOptions{})

			// A GET is retry-safe, so the retry link is active on both pipelines.
			resp, err := client.Get(apiURL)
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, code, ae.StatusCode)
			assert.Equal(t, "InvalidCredentials", ae.Code)
			assert.NotContains(t, err.Error(), "not-the-password")
			assert.Equal(t, 1, e.ts.count(), "exactly one token request")
			assert.Zero(t, e.api.calls.Load(), "the API is never called without a token")
			assert.Equal(t, 1, c.Acquisitions())

			// A retry-safe POST as well. Within the failure backoff it gets
			// the same refusal without a token request; after it, one.
			for _, step := range []struct {
				advance time.Duration
				want    int
			}{{time.Second, 1}, {10 * time.Second, 2}} {
				e.clock.Advance(step.advance)
				req, err := http.NewRequestWithContext(transport.WithRetrySafe(context.Background()),
					http.MethodPost, apiURL, strings.NewReader(`{}`))
				require.NoError(t, err)
				_, err = client.Do(req)
				require.ErrorIs(t, err, apierr.ErrInvalidCredentials)
				assert.NotContains(t, err.Error(), "not-the-password")
				assert.Equal(t, step.want, e.ts.count(), "token requests after %v", step.advance)
			}
			assert.Zero(t, e.api.calls.Load())
		})
	}
}

func TestPipelineMFAChallengeWithoutCallback(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.mfa = true
	client := e.apiClient(e.session(e.password(password)), envOptions{})
	_, err := client.Get(apiURL)
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrMFARequired)
	var mfa *auth.MFARequiredError
	assert.ErrorAs(t, err, &mfa)
	assert.Equal(t, 1, e.ts.count())
}

func TestPipelineMFAWithCallback(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.mfa = true
	e.api.valid = func(tok string) bool { return tok == "AT-1" }
	creds := e.password(password, auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil }))
	client := e.apiClient(e.session(creds), envOptions{})
	resp, err := client.Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	drain(t, resp)
	assert.Equal(t, []string{"password", "mfa"}, e.ts.grants())
}

func TestPipelineConcurrentExpiredTokenOneRequest(t *testing.T) {
	e := newEnv(t, envOptions{})
	// Only the current token is accepted: a goroutine that went out with
	// the expired one would get a 401 (and cause another acquisition).
	var validMu sync.Mutex
	current := "AT-1"
	e.api.valid = func(tok string) bool {
		validMu.Lock()
		defer validMu.Unlock()
		return tok == current
	}
	s := e.session(e.password(password))
	c := s.Cache()
	client := e.apiClient(s, envOptions{})

	resp, err := client.Get(apiURL)
	require.NoError(t, err)
	drain(t, resp)
	require.Equal(t, 1, e.ts.count())

	// The token expires; the server now wants the next one.
	e.clock.Advance(2 * time.Hour)
	validMu.Lock()
	current = "AT-2"
	validMu.Unlock()
	e.ts.delay = 20 * time.Millisecond // keep the acquisition in flight while callers pile up

	const n = 200
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := make([]int, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			resp, err := client.Get(apiURL)
			if err != nil {
				errs[i] = err
				return
			}
			statuses[i] = resp.StatusCode
			_ = resp.Body.Close()
		})
	}
	close(start)
	wg.Wait()

	for i := range n {
		require.NoError(t, errs[i], "goroutine %d", i)
		require.Equal(t, http.StatusOK, statuses[i], "goroutine %d", i)
	}
	assert.Equal(t, 2, e.ts.count(), "exactly one token request for 200 callers")
	assert.Equal(t, []string{"password", "refresh_token"}, e.ts.grants())
	assert.Equal(t, 2, c.Acquisitions())
	assert.EqualValues(t, n+1, e.api.calls.Load(), "no call needed a second try")
}

func TestPipelineLogoutThenFreshLogin(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.api.valid = func(tok string) bool { return strings.HasPrefix(tok, "AT-") }
	s := e.session(e.password(password))
	c := s.Cache()
	client := e.apiClient(s, envOptions{})
	resp, err := client.Get(apiURL)
	require.NoError(t, err)
	drain(t, resp)

	tok, ok := s.Forget()
	require.True(t, ok)
	assert.Equal(t, "AT-1", tok.AccessToken, "Forget hands back the token to revoke")
	_, ok = c.Peek()
	assert.False(t, ok, "and forgets it")

	resp, err = client.Get(apiURL)
	require.NoError(t, err)
	drain(t, resp)
	assert.Equal(t, []string{"password", "password"}, e.ts.grants(), "after a logout the refresh token is not used")
}

// A login started by a call marked WithRetrySafe inherits the call's context
// values (the acquisition is detached, not stripped). The token grants must
// still go out once each: a repeated password or MFA POST could lock the
// account or burn the one-time code.
func TestPipelineRetrySafeCallDoesNotRetryGrants(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mfa     bool
		failing string // the grant answered 503 once
		want    []string
	}{
		{name: "password", failing: "password", want: []string{"password"}},
		{name: "mfa", mfa: true, failing: "mfa", want: []string{"password", "mfa"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOptions{})
			e.ts.mfa = tc.mfa
			failed := false
			e.ts.override = func(form url.Values) *http.Response {
				if form.Get("grant_type") == tc.failing && !failed {
					failed = true
					return problem(http.StatusServiceUnavailable, "ServiceUnavailable", "busy")
				}
				return e.ts.answerLocked(form)
			}
			e.api.valid = func(string) bool { return true }
			creds := auth.Password(user, password, auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil }))
			client := e.apiClient(e.session(creds), envOptions{})

			req, err := http.NewRequestWithContext(transport.WithRetrySafe(context.Background()),
				http.MethodPost, apiURL, strings.NewReader(`{}`))
			require.NoError(t, err)
			_, err = client.Do(req)
			require.Error(t, err)
			assert.ErrorIs(t, err, apierr.ErrUnavailable)
			assert.NotErrorIs(t, err, apierr.ErrInvalidCredentials)
			assert.Equal(t, tc.want, e.ts.grants(), "each grant is sent once, whatever the caller's context says")
			assert.Zero(t, e.api.calls.Load())
		})
	}
}
