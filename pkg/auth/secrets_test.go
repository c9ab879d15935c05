package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
)

const (
	leakAccess  = "AT-secret-4711abc"
	leakRefresh = "RT-secret-0815xyz"
	leakMFATok  = "MT-secret-2222qqq"
	leakSession = "SID-secret-3333rrr"
)

// allSecrets are the values that must never show up in errors or logs.
var allSecrets = []string{password, leakAccess, leakRefresh, mfaCode, leakMFATok, authCode, leakSession}

func assertNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range allSecrets {
		assert.NotContains(t, s, secret, "%s leaks a secret", what)
	}
}

// echoProblem is an error body that echoes every secret back, in every
// shape a server might: form pairs in details, JSON in the message, a
// bearer header in the title, and data members.
func echoProblem(status int) *http.Response {
	details := fmt.Sprintf("password=%s access_token=%s refresh_token=%s mfa_code=%s mfa_token=%s code=%s",
		password, leakAccess, leakRefresh, mfaCode, leakMFATok, authCode)
	msg := fmt.Sprintf(`{"password":%q,"access_token":%q,"refresh_token":%q}`, password, leakAccess, leakRefresh)
	body := fmt.Sprintf(`{"errorCode":"InvalidToken","title":%q,"status":%d,"type":"t","message":%q,"details":%q,"instance":%q,"data":{"password":%q,"mfa_code":%q,"hint":%q}}`,
		"rejected Authorization: Bearer "+leakAccess, status, msg, details,
		"/api/v1/token?refresh_token="+leakRefresh, password, mfaCode, "token="+leakAccess)
	r := httpmock.NewStringResponse(status, body)
	r.Header.Set("Content-Type", "application/problem+json")
	return r
}

func echoText(status int) *http.Response {
	return httpmock.NewStringResponse(status, fmt.Sprintf("grant_type=password&username=%s&password=%s&mfa_code=%s&refresh_token=%s",
		user, password, mfaCode, leakRefresh))
}

func issueLeaky() *http.Response {
	r := httpmock.NewStringResponse(200, fmt.Sprintf(`{"access_token":%q,"token_type":"bearer","refresh_token":%q,"expires_in":3600}`,
		leakAccess, leakRefresh))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func mfaChallenge() *http.Response {
	r := httpmock.NewStringResponse(202, fmt.Sprintf(`{"mfa_token":%q}`, leakMFATok))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func errorTexts(err error) string {
	return fmt.Sprintf("%v | %+v | %s | %q | %#v", err, err, err, err, err)
}

func TestSecretsNeverInErrors(t *testing.T) {
	withMFA := auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil })
	for _, status := range []int{http.StatusUnauthorized, http.StatusBadRequest, http.StatusInternalServerError} {
		for _, text := range []bool{false, true} {
			answer := func() *http.Response {
				if text {
					return echoText(status)
				}
				return echoProblem(status)
			}
			steps := map[string]struct {
				serve func(form url.Values) *http.Response
				run   func(e *env) error
			}{
				"password": {
					serve: func(url.Values) *http.Response { return answer() },
					run: func(e *env) error {
						_, err := e.login(auth.Password(user, password), nil)
						return err
					},
				},
				"mfa": {
					serve: func(f url.Values) *http.Response {
						if f.Get("grant_type") == "password" {
							return mfaChallenge()
						}
						return answer()
					},
					run: func(e *env) error {
						_, err := e.login(auth.Password(user, password, withMFA), nil)
						return err
					},
				},
				"refresh then password": {
					serve: func(url.Values) *http.Response { return answer() },
					run: func(e *env) error {
						prev := auth.Token{AccessToken: leakAccess, RefreshToken: leakRefresh}
						_, err := e.login(auth.Password(user, password), &prev)
						return err
					},
				},
				"refresh only": {
					serve: func(url.Values) *http.Response { return answer() },
					run: func(e *env) error {
						_, err := e.login(auth.RefreshToken(leakRefresh), &auth.Token{RefreshToken: leakRefresh})
						return err
					},
				},
				"refresh token credentials": {
					serve: func(url.Values) *http.Response { return answer() },
					run: func(e *env) error {
						_, err := e.login(auth.RefreshToken(leakRefresh), nil)
						return err
					},
				},
				"authorization code": {
					serve: func(url.Values) *http.Response { return answer() },
					run: func(e *env) error {
						_, err := e.login(auth.AuthorizationCode(authCode), nil)
						return err
					},
				},
				"logout": {
					serve: func(url.Values) *http.Response { return answer() },
					run: func(e *env) error {
						c := e.core(t, auth.StaticToken(auth.Token{AccessToken: leakAccess, RefreshToken: leakRefresh}), envOptions{})
						require.NoError(t, c.Login(ctx))
						return c.Logout(ctx)
					},
				},
				"api call": {
					serve: func(url.Values) *http.Response { return answer() },
					run: func(e *env) error {
						_, err := e.apiClient(e.session(auth.Password(user, password, withMFA)), envOptions{}).Get(apiURL)
						return err
					},
				},
			}
			for name, step := range steps {
				t.Run(fmt.Sprintf("%d/text=%t/%s", status, text, name), func(t *testing.T) {
					e := newEnv(t, envOptions{})
					e.ts.override = step.serve
					err := step.run(e)
					require.Error(t, err)
					assertNoSecrets(t, "the error", errorTexts(err))
					assert.NotEmpty(t, err.Error())
				})
			}
		}
	}
}

func TestSecretsNeverInLogs(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, envOptions{logger: logger})
	e.api.valid = func(tok string) bool { return tok == leakAccess }

	// A login with MFA that first fails at each step, then succeeds.
	fails := map[string]int{"password": 1, "mfa": 1}
	e.ts.override = func(f url.Values) *http.Response {
		g := f.Get("grant_type")
		if fails[g] > 0 {
			fails[g]--
			return echoProblem(http.StatusUnauthorized)
		}
		switch g {
		case "password":
			return mfaChallenge()
		case "mfa", "refresh_token":
			return issueLeaky()
		}
		return echoProblem(http.StatusBadRequest)
	}
	creds := e.password(password, auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil }))
	s := e.session(creds)
	c := s.Cache()
	client := e.apiClient(s, envOptions{logger: logger})

	var errs []error
	for range 3 { // password fails, mfa fails, then success
		e.clock.Advance(time.Minute) // past the backoff of the failure before
		resp, err := client.Get(apiURL + "?limit=10")
		if err != nil {
			errs = append(errs, err)
			logger.Debug("call failed", "err", err)
			continue
		}
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		drain(t, resp)
	}
	require.Len(t, errs, 2)
	assert.Equal(t, []string{"password", "password", "mfa", "password", "mfa"}, e.ts.grants())

	// A refresh after a 401, and a failing logout, are logged as well.
	tok, gen, err := c.Get(ctx)
	require.NoError(t, err)
	c.Invalidate(gen)
	_, _, err = c.Get(ctx)
	require.NoError(t, err)
	e.ts.override = func(url.Values) *http.Response { return echoProblem(http.StatusUnauthorized) }
	logout := e.core(t, auth.StaticToken(auth.Token{AccessToken: tok.AccessToken}), envOptions{logger: logger})
	require.NoError(t, logout.Login(ctx))
	err = logout.Logout(ctx)
	require.Error(t, err)
	logger.Debug("logout failed", "err", err)

	// Values handed to the logger directly.
	logger.Debug("state", "creds", creds, "token", tok, "tokenPtr", &tok)
	logger.Info("state", slog.Any("creds", creds), slog.Any("token", tok))

	out := buf.String()
	require.NotEmpty(t, out)
	assert.Contains(t, out, "http request")
	assert.Contains(t, out, "limit=10")
	// 6 token POSTs, 1 API GET, 1 DELETE: one record per try.
	assert.Equal(t, 8, strings.Count(out, `msg="http request"`), out)
	assertNoSecrets(t, "the log", out)
}

func TestSecretsNeverInJSONLogs(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	creds := auth.Password(user, password, auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil }))
	tok := auth.Token{AccessToken: leakAccess, RefreshToken: leakRefresh, TokenType: "bearer", Expiry: time.Now()}
	logger.Debug("state", "creds", creds, "token", tok, "rt", auth.RefreshToken(leakRefresh), "code", auth.AuthorizationCode(authCode))
	out := buf.String()
	assertNoSecrets(t, "the JSON log", out)
	// Credentials log as their description, not as an empty object.
	assert.Contains(t, out, "grant=password")
	assert.Contains(t, out, "grant=refresh_token")
	assert.Contains(t, out, "Token{")
}

func TestSecretsNeverInFormatting(t *testing.T) {
	mfa := auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil })
	creds := []auth.Credential{
		auth.Password(user, password, mfa),
		auth.Password(user, password, auth.WithShortTermRefresh()),
		auth.RefreshToken(leakRefresh, mfa),
		auth.AuthorizationCode(authCode),
		auth.StaticToken(auth.Token{AccessToken: leakAccess, RefreshToken: leakRefresh, ID: leakSession}),
	}
	for _, c := range creds {
		out := fmt.Sprintf("%v %+v %#v %s %q %x %d", c, c, c, c, c, c, c)
		out += fmt.Sprintf("%v %+v %#v", &c, &c, &c)
		out += fmt.Sprintf("%+v %#v", struct{ C auth.Credential }{c}, []auth.Credential{c})
		out += c.(fmt.Stringer).String() + c.(fmt.GoStringer).GoString()
		out += c.(slog.LogValuer).LogValue().String()
		assertNoSecrets(t, "credentials formatting", out)
		assert.Contains(t, out, "REDACTED")
	}
	pw := fmt.Sprint(creds[0])
	assert.Contains(t, pw, user, "the user name is not a secret")
	assert.Contains(t, pw, "mfa=true")

	tok := auth.Token{AccessToken: leakAccess, RefreshToken: leakRefresh, TokenType: "bearer",
		Expiry: time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC), ID: leakSession}
	out := fmt.Sprintf("%v %+v %#v %s %q %x %d", tok, tok, tok, tok, tok, tok, tok)
	out += fmt.Sprintf("%v %+v %#v %s", &tok, &tok, &tok, &tok)
	out += fmt.Sprintf("%+v %#v", struct{ T auth.Token }{tok}, map[string]auth.Token{"k": tok})
	out += tok.String() + tok.GoString() + tok.LogValue().String()
	assertNoSecrets(t, "token formatting", out)
	assert.Contains(t, tok.String(), "type=bearer")
	assert.Contains(t, tok.String(), "2026-03-01T13:00:00Z")
	assert.Contains(t, tok.String(), "refresh=true")
	assert.Contains(t, auth.Token{}.String(), "access=none")

	mfaErr := &auth.MFARequiredError{MFAToken: leakMFATok}
	assertNoSecrets(t, "MFA error", fmt.Sprintf("%v %+v %s", mfaErr, mfaErr, mfaErr))
}
