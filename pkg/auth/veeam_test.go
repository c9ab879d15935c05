package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
)

var ctx = context.Background()

func TestPasswordGrant(t *testing.T) {
	e := newEnv(t, envOptions{})
	tok, err := e.login(e.password(password), nil)
	require.NoError(t, err)
	assert.Equal(t, "AT-1", tok.AccessToken)
	assert.Equal(t, "RT-1", tok.RefreshToken)
	assert.Equal(t, "bearer", tok.TokenType)
	assert.Equal(t, e.clock.Now().Add(time.Hour), tok.Expiry, "expires_in counts from the credential's clock")
	assert.Empty(t, tok.ID, "Veeam tokens stand for no server-side session id")

	require.Equal(t, 1, e.ts.count())
	f := e.ts.form(0)
	assert.Equal(t, url.Values{"grant_type": {"password"}, "username": {user}, "password": {password}}, f)
	assert.Equal(t, "application/x-www-form-urlencoded", e.ts.contentTypes[0])
}

func TestPasswordGrantShortTermRefresh(t *testing.T) {
	e := newEnv(t, envOptions{})
	_, err := e.login(auth.Password(user, password, auth.WithShortTermRefresh()), nil)
	require.NoError(t, err)
	assert.Equal(t, "true", e.ts.form(0).Get("use_short_term_refresh"))
	_, err = e.login(auth.Password(user, password), nil)
	require.NoError(t, err)
	assert.Empty(t, e.ts.form(1).Get("use_short_term_refresh"))
}

func TestTokenSendsPipelineHeaders(t *testing.T) {
	e := newEnv(t, envOptions{})
	var got http.Header
	e.mt.RegisterResponder(http.MethodPost, tokenURL, withRequest(func(req *http.Request) (*http.Response, error) {
		got = req.Header.Clone()
		return e.ts.respond(req)
	}))
	_, err := e.login(auth.Password(user, password), nil)
	require.NoError(t, err)
	assert.Equal(t, "1.7-rev0", got.Get("X-Api-Version"))
	assert.Equal(t, "backupsdk-test", got.Get("User-Agent"))
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Empty(t, got.Get("Authorization"))
}

func TestTokenExpiryFromDotExpires(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.override = func(url.Values) *http.Response {
		return httpmock.NewStringResponse(200, `{"access_token":"AT-x","token_type":"bearer","refresh_token":"RT-x",".issued":"2026-03-01T12:00:00Z",".expires":"2026-03-01T13:30:00Z"}`)
	}
	tok, err := e.login(e.password(password), nil)
	require.NoError(t, err)
	assert.True(t, tok.Expiry.Equal(time.Date(2026, 3, 1, 13, 30, 0, 0, time.UTC)))
}

func TestBadPasswordIsTypedAndSingleRequest(t *testing.T) {
	for _, code := range []int{http.StatusUnauthorized, http.StatusBadRequest} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			e := newEnv(t, envOptions{})
			e.ts.override = func(url.Values) *http.Response {
				return problem(code, "InvalidCredentials", "Invalid user name or password")
			}
			_, err := e.login(auth.Password(user, "wrong-password"), nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, code, ae.StatusCode)
			assert.Equal(t, "InvalidCredentials", ae.Code)
			assert.Equal(t, http.MethodPost, ae.Method)
			assert.Equal(t, tokenURL, ae.URL)
			assert.Contains(t, err.Error(), "Invalid user name or password")
			assert.NotContains(t, err.Error(), "wrong-password")
			assert.Equal(t, 1, e.ts.count(), "exactly one token request")
		})
	}
}

func TestServerErrorOnTokenIsNotInvalidCredentials(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.override = func(url.Values) *http.Response { return problem(500, "Internal", "boom") }
	_, err := e.login(auth.Password(user, password), nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.ErrorIs(t, err, apierr.ErrServer)
	assert.Equal(t, 1, e.ts.count(), "a POST /token is not retried")
}

// An http:// endpoint pointed at an HTTPS port gets a 400 whose body is the
// web server's page, not a Veeam error: the password was never judged, so
// the error must not say it was wrong, and must show what the server said.
func TestNonVendorRefusalIsNotInvalidCredentials(t *testing.T) {
	for name, r := range map[string]struct {
		status      int
		contentType string
		body        string
		shows       string
	}{
		"plain text": {400, "text/plain; charset=utf-8", "Client sent an HTTP request to an HTTPS server.\n",
			`"Client sent an HTTP request to an HTTPS server."`},
		"nginx page": {400, "text/html", "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n" +
			"<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
			"400 The plain HTTP request was sent to HTTPS port 400 Bad Request nginx"},
		"proxy 401":       {401, "text/html", "<html><body>Proxy authentication failed</body></html>", "Proxy authentication failed"},
		"empty 401":       {401, "", "", ""},
		"foreign json":    {400, "application/json", `{"status":400}`, `{\"status\":400}`},
		"malformed grant": {400, "application/problem+json", `{"errorCode":"UnexpectedContent","title":"Bad Request","status":400}`, "UnexpectedContent"},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, envOptions{})
			e.ts.override = func(url.Values) *http.Response {
				resp := httpmock.NewStringResponse(r.status, r.body)
				if r.contentType != "" {
					resp.Header.Set("Content-Type", r.contentType)
				}
				return resp
			}
			_, err := e.login(auth.Password(user, password), nil)
			require.Error(t, err)
			assert.NotErrorIs(t, err, apierr.ErrInvalidCredentials)
			assert.ErrorIs(t, err, apierr.StatusSentinel(r.status))
			assert.Contains(t, err.Error(), r.shows)
			assert.NotContains(t, err.Error(), password)
			assert.Equal(t, 1, e.ts.count())
		})
	}
}

func TestVendorRefusalsAreInvalidCredentials(t *testing.T) {
	for name, r := range map[string]struct {
		status int
		body   string
	}{
		"oauth invalid_grant":  {400, `{"error":"invalid_grant","error_description":"The user name or password is incorrect."}`},
		"oauth invalid_client": {401, `{"error":"invalid_client"}`},
		"AccessDenied":         {401, `{"type":"t","title":"Unauthorized","status":401,"errorCode":"AccessDenied","details":"invalid user name or password"}`},
		"InvalidToken":         {400, `{"title":"Bad Request","status":400,"errorCode":"InvalidToken","details":"the refresh token is invalid or expired"}`},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, envOptions{})
			e.ts.override = func(url.Values) *http.Response {
				resp := httpmock.NewStringResponse(r.status, r.body)
				resp.Header.Set("Content-Type", "application/json")
				return resp
			}
			_, err := e.login(auth.Password(user, password), nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae)
			assert.NotEmpty(t, ae.Code)
			assert.Empty(t, ae.Body, "a vendor body is decoded, not kept raw")
		})
	}
}

func TestMalformedTokenResponses(t *testing.T) {
	for name, body := range map[string]struct {
		status int
		body   string
	}{
		"not json":        {200, "<html>login</html>"},
		"no access token": {200, `{"token_type":"bearer"}`},
		"202 no mfa":      {202, `{}`},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, envOptions{})
			e.ts.override = func(url.Values) *http.Response { return httpmock.NewStringResponse(body.status, body.body) }
			_, err := e.login(auth.Password(user, password), nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse)
			assert.NotErrorIs(t, err, apierr.ErrMFARequired)
		})
	}
}

func TestMFAWithCallback(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.mfa = true
	var asked atomic.Int32
	creds := auth.Password(user, password, auth.WithMFA(func(context.Context) (string, error) {
		asked.Add(1)
		return " " + mfaCode + "\n", nil // whitespace from a prompt is trimmed
	}))
	tok, err := e.login(creds, nil)
	require.NoError(t, err)
	assert.Equal(t, "AT-1", tok.AccessToken)
	assert.EqualValues(t, 1, asked.Load())
	require.Equal(t, []string{"password", "mfa"}, e.ts.grants())
	assert.Equal(t, url.Values{"grant_type": {"mfa"}, "mfa_token": {e.ts.mfaToken}, "mfa_code": {mfaCode}}, e.ts.form(1))
}

func TestMFAWithoutCallback(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.mfa = true
	_, err := e.login(auth.Password(user, password), nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrMFARequired)
	var mfa *auth.MFARequiredError
	require.ErrorAs(t, err, &mfa)
	assert.Equal(t, e.ts.mfaToken, mfa.MFAToken)
	assert.NotContains(t, err.Error(), e.ts.mfaToken)
	assert.Equal(t, []string{"password"}, e.ts.grants())

	// The challenge in the error is the one the server issued: a credential
	// of one's own can answer it.
	form := url.Values{"grant_type": {"mfa"}, "mfa_token": {mfa.MFAToken}, "mfa_code": {mfaCode}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := e.tokenClient.Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, drain(t, resp), `"access_token":"AT-1"`)
}

func TestMFAWrongCode(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.mfa = true
	creds := auth.Password(user, password, auth.WithMFA(func(context.Context) (string, error) { return "000000", nil }))
	_, err := e.login(creds, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.NotContains(t, err.Error(), "000000")
	assert.Equal(t, []string{"password", "mfa"}, e.ts.grants())
}

func TestMFACallbackFailures(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.mfa = true
	denied := errors.New("user dismissed the prompt")
	_, err := e.login(auth.Password(user, password, auth.WithMFA(func(context.Context) (string, error) {
		return "", denied
	})), nil)
	require.ErrorIs(t, err, denied)

	_, err = e.login(auth.Password(user, password, auth.WithMFA(func(context.Context) (string, error) {
		return "  ", nil
	})), nil)
	require.ErrorIs(t, err, apierr.ErrMFARequired)
	assert.Equal(t, []string{"password", "password"}, e.ts.grants(), "no MFA grant without a code")
}

func TestMFARequiredErrorMatchesSentinel(t *testing.T) {
	err := error(&auth.MFARequiredError{MFAToken: "MT"})
	assert.ErrorIs(t, err, apierr.ErrMFARequired)
	assert.NotErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.NotContains(t, err.Error(), "MT")
}

func TestLoginUsesRefreshBeforePassword(t *testing.T) {
	e := newEnv(t, envOptions{})
	creds := auth.Password(user, password)
	first, err := e.login(creds, nil)
	require.NoError(t, err)

	second, err := e.login(creds, &first)
	require.NoError(t, err)
	assert.Equal(t, "AT-2", second.AccessToken)
	require.Equal(t, []string{"password", "refresh_token"}, e.ts.grants())
	assert.Equal(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"RT-1"}}, e.ts.form(1))

	// A previous value without a refresh token means a full login.
	_, err = e.login(creds, &auth.Token{AccessToken: "AT-old"})
	require.NoError(t, err)
	assert.Equal(t, "password", e.ts.grants()[2])
}

func TestRefreshThroughCacheAfterInvalidate(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.cache(e.password(password))
	tok, gen, err := c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AT-1", tok.AccessToken)

	c.Invalidate(gen)
	tok, _, err = c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AT-2", tok.AccessToken)
	assert.Equal(t, []string{"password", "refresh_token"}, e.ts.grants())
	assert.Equal(t, "RT-1", e.ts.form(1).Get("refresh_token"))
	assert.Empty(t, e.ts.form(1).Get("password"), "the refresh grant carries no password")
}

func TestRefreshThroughCacheAfterExpiry(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.cache(e.password(password))
	_, _, err := c.Get(ctx)
	require.NoError(t, err)
	e.clock.Advance(2 * time.Hour)
	tok, _, err := c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AT-2", tok.AccessToken)
	assert.Equal(t, []string{"password", "refresh_token"}, e.ts.grants())
}

func TestRefusedRefreshFallsBackToPassword(t *testing.T) {
	for _, code := range []int{http.StatusBadRequest, http.StatusUnauthorized} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			e := newEnv(t, envOptions{})
			c := e.cache(e.password(password))
			_, gen, err := c.Get(ctx)
			require.NoError(t, err)
			e.ts.refuseRefresh = code
			c.Invalidate(gen)
			tok, _, err := c.Get(ctx)
			require.NoError(t, err)
			assert.Equal(t, "AT-2", tok.AccessToken)
			assert.Equal(t, []string{"password", "refresh_token", "password"}, e.ts.grants())
			assert.Equal(t, password, e.ts.form(2).Get("password"))
		})
	}
}

func TestRefreshServerErrorDoesNotFallBack(t *testing.T) {
	e := newEnv(t, envOptions{})
	creds := auth.Password(user, password)
	first, err := e.login(creds, nil)
	require.NoError(t, err)
	e.ts.refuseRefresh = http.StatusInternalServerError
	_, err = e.login(creds, &first)
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrServer)
	assert.Equal(t, []string{"password", "refresh_token"}, e.ts.grants(), "no password login when the server is failing")

	// Nor after a network failure.
	e.mt.RegisterResponder(http.MethodPost, tokenURL, httpmock.NewErrorResponder(errors.New("connection refused")))
	_, err = e.login(creds, &first)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection refused")
}

func TestRefreshTokenCredentials(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.refreshTokens["RT-given"] = true
	tok, err := e.login(auth.RefreshToken("RT-given"), nil)
	require.NoError(t, err)
	assert.Equal(t, "AT-1", tok.AccessToken)
	assert.Equal(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"RT-given"}}, e.ts.form(0))

	// The given refresh token is used up; a bad one is a credentials error.
	_, err = e.login(auth.RefreshToken("RT-given"), nil)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
}

func TestAuthorizationCodeCredentials(t *testing.T) {
	e := newEnv(t, envOptions{})
	tok, err := e.login(auth.AuthorizationCode(authCode), nil)
	require.NoError(t, err)
	assert.Equal(t, "AT-1", tok.AccessToken)
	assert.Equal(t, url.Values{"grant_type": {"authorization_code"}, "code": {authCode}}, e.ts.form(0))
}

func TestEmptyCredentialsFailWithoutRequest(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, c := range []auth.Credential{auth.Password("", ""), auth.RefreshToken(""), auth.AuthorizationCode("")} {
		_, err := e.login(c, nil)
		require.Error(t, err)
	}
	assert.Zero(t, e.ts.count())
}

func validate(c auth.Credential) error { return c.(auth.Validator).Validate() }

func TestCredentialsValidate(t *testing.T) {
	assert.NoError(t, validate(auth.Password("u", "p")))
	assert.Error(t, validate(auth.Password("", "p")))
	assert.Error(t, validate(auth.Password("u", "")))
	assert.NoError(t, validate(auth.RefreshToken("rt")))
	assert.Error(t, validate(auth.RefreshToken("")))
	assert.NoError(t, validate(auth.AuthorizationCode("c")))
	assert.Error(t, validate(auth.AuthorizationCode("")))
	assert.NoError(t, validate(auth.StaticToken(auth.Token{AccessToken: "a"})))
	assert.Error(t, validate(auth.StaticToken(auth.Token{})))
}

// The Veeam grants exist on Veeam Backup for AWS and Google Cloud only; a
// client of another product refuses them, naming both.
func TestVeeamCredentialsValidFor(t *testing.T) {
	for _, c := range []auth.Credential{auth.Password("u", "p"), auth.RefreshToken("rt"), auth.AuthorizationCode("c")} {
		v, ok := c.(auth.ProductValidator)
		require.True(t, ok, "%v", c)
		assert.NoError(t, v.ValidFor("vbaws"))
		assert.NoError(t, v.ValidFor("vbgc"))
		for _, p := range []string{"vbem", "ibmbr"} {
			err := v.ValidFor(p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), p)
			assert.Contains(t, err.Error(), "auth.")
		}
	}
	_, scoped := auth.StaticToken(auth.Token{AccessToken: "a"}).(auth.ProductValidator)
	assert.False(t, scoped, "a static token works with any product")
}

func TestStaticToken(t *testing.T) {
	tok := auth.Token{AccessToken: "AT-static", ID: "session-1", Expiry: time.Now().Add(time.Hour)}
	got, err := auth.StaticToken(tok).GetToken(ctx, auth.TokenRequest{Product: "vbem"})
	require.NoError(t, err)
	assert.Equal(t, "AT-static", got.AccessToken)
	assert.Equal(t, "session-1", got.ID)

	_, err = auth.StaticToken(auth.Token{AccessToken: "AT-old", Expiry: time.Now().Add(-time.Minute)}).GetToken(ctx, auth.TokenRequest{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expired")
	assert.NotContains(t, err.Error(), "AT-old")
}

func TestLogout(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.core(t, auth.StaticToken(auth.Token{AccessToken: "AT-7"}), envOptions{})
	require.NoError(t, c.Logout(ctx), "no token, nothing to revoke")
	assert.Empty(t, e.ts.deletes)
	require.NoError(t, c.Login(ctx))
	require.NoError(t, c.Logout(ctx))
	assert.Equal(t, []string{"Bearer AT-7"}, e.ts.deletes)

	c = e.core(t, auth.StaticToken(auth.Token{AccessToken: "AT-8"}), envOptions{})
	require.NoError(t, c.Login(ctx))
	e.ts.override = func(url.Values) *http.Response { return problem(401, "Unauthorized", "token expired") }
	err := c.Logout(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrUnauthorized)
	var ae *apierr.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.MethodDelete, ae.Method)
}

func TestTokenValid(t *testing.T) {
	assert.False(t, auth.Token{}.Valid())
	assert.True(t, auth.Token{AccessToken: "a"}.Valid())
	assert.True(t, auth.Token{AccessToken: "a", Expiry: time.Now().Add(time.Minute)}.Valid())
	assert.False(t, auth.Token{AccessToken: "a", Expiry: time.Now().Add(5 * time.Second)}.Valid())
	assert.False(t, auth.Token{AccessToken: "a", Expiry: time.Now().Add(-time.Minute)}.Valid())
}

func TestCacheUsesTokenExpiry(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ts.expiresIn = 600
	c := e.cache(e.password(password))
	_, _, err := c.Get(ctx)
	require.NoError(t, err)
	e.clock.Advance(5 * time.Minute)
	_, _, err = c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, e.ts.count(), "valid for 10 minutes")
	e.clock.Advance(5 * time.Minute)
	tok, _, err := c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "AT-2", tok.AccessToken)
	assert.Equal(t, []string{"password", "refresh_token"}, e.ts.grants())
}

func TestBearerAuthorizer(t *testing.T) {
	e := newEnv(t, envOptions{})
	a := e.session(auth.Password(user, password)).Authorizer(login.Bearer)
	req, err := http.NewRequest(http.MethodGet, apiURL, nil)
	require.NoError(t, err)
	gen, err := a.Authorize(req)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), gen)
	assert.Equal(t, "Bearer AT-1", req.Header.Get("Authorization"))
}
