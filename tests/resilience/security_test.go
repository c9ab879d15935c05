package resilience_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// constructors build each product's client without contacting anything.
var constructors = map[string]func(base string, opts ...option.Option) error{
	"vbaws": func(base string, opts ...option.Option) error {
		_, err := vbaws.NewClient(base, vbaws.PasswordCredentials(user, password), opts...)
		return err
	},
	"vbgc": func(base string, opts ...option.Option) error {
		_, err := vbgc.NewClient(base, vbgc.PasswordCredentials(user, password), opts...)
		return err
	},
	"vbem": func(base string, opts ...option.Option) error {
		_, err := vbem.NewClient(base, vbem.BasicCredentials(user, password), opts...)
		return err
	},
	"ibmbr": func(base string, opts ...option.Option) error {
		_, err := ibmbr.NewClient(base+"/v2", ibmbr.APIKey(apiKey, ibmbr.WithIAMURL(base)), opts...)
		return err
	},
}

// --- plain http ----------------------------------------------------------------

func TestPlainHTTPEndpointIsRefusedWithoutOptIn(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			app := startPlainAppliance(t, p, ok)
			err := constructors[p.name](app.URL)
			assert.ErrorIs(t, err, transport.ErrInsecureTransport)
			assert.Zero(t, app.hits.get(key(http.MethodPost, p.loginPath)), "nothing was sent")
		})
	}
}

func TestPlainHTTPIAMEndpointIsRefusedWithoutOptIn(t *testing.T) {
	iam := startPlainAppliance(t, products[3], ok)
	_, err := ibmbr.NewClient("https://backup.example/v2", ibmbr.APIKey(apiKey, ibmbr.WithIAMURL(iam.URL)), ibmbr.WithTenant(tenant))
	assert.ErrorIs(t, err, transport.ErrInsecureTransport, "the API key would cross the network in clear text")
	assert.Zero(t, iam.hits.get(key(http.MethodPost, "/identity/token")))
}

func TestPlainHTTPWorksWithInsecureHTTPOptIn(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startPlainAppliance(t, p, ok)
			pr := app.dial(t, p) // adds WithInsecureHTTP for an http:// appliance
			require.NoError(t, pr.call(context.Background()))
			assert.Equal(t, 1, app.hits.get(key(http.MethodPost, p.loginPath)))
		})
	}
}

// --- TLS -------------------------------------------------------------------------

// otherCA is a CA certificate that did not sign the test servers' one.
func otherCA(t *testing.T) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "not the appliance's CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// assertCertificateRejected checks that err is a failed certificate check
// and that the appliance never saw a request.
func assertCertificateRejected(t *testing.T, err error, app *appliance, p product) {
	t.Helper()
	var verr *tls.CertificateVerificationError
	assert.ErrorAs(t, err, &verr, "a certificate error, not a vague failure")
	var uerr x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &uerr)
	assert.Zero(t, app.hits.get(key(http.MethodPost, p.loginPath)), "no credentials before the certificate is verified")
	assert.Zero(t, app.hits.get(key(http.MethodGet, p.apiPath)))
}

func TestTLSVerificationIsOnByDefault(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, ok)
			pr := p.dial(t, app.URL, retry(3, &sleeps{})) // no WithCACert
			assertCertificateRejected(t, pr.call(context.Background()), app, p)
		})
	}
}

func TestTLSWithCACertTrustsTheAppliance(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, ok)
			pr := p.dial(t, app.URL, option.WithCACert(app.caPEM()))
			require.NoError(t, pr.call(context.Background()))
		})
	}
}

func TestTLSWithAnotherCACertStillFails(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, ok)
			pr := p.dial(t, app.URL, option.WithCACert(otherCA(t)), retry(3, &sleeps{}))
			assertCertificateRejected(t, pr.call(context.Background()), app, p)
		})
	}
}

func TestInsecureSkipVerifyWorksOnlyWhenGiven(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, ok)
			without := p.dial(t, app.URL, retry(3, &sleeps{}))
			assertCertificateRejected(t, without.call(context.Background()), app, p)

			with := p.dial(t, app.URL, option.WithInsecureSkipVerify())
			require.NoError(t, with.call(context.Background()))
		})
	}
}

// --- redaction -------------------------------------------------------------------

// hostile wraps a fake: in echo mode it answers every request with an error
// body that repeats what it received (the credential headers and the form
// or JSON body), in the shapes servers use; in reset mode it hangs up.
type hostile struct{ mode atomic.Int32 }

const (
	behave = iota
	echo
	reset
)

func (h *hostile) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch h.mode.Load() {
		case echo:
			body, _ := io.ReadAll(r.Body)
			msg := "rejected Authorization: " + r.Header.Get("Authorization") +
				"\nX-RestSvcSessionId: " + r.Header.Get("X-RestSvcSessionId") + "\n" + string(body)
			writeJSON(w, http.StatusBadRequest, map[string]any{
				"errorCode": "Echo", "message": msg, "errorMessage": msg, "details": string(body),
				"data": map[string]any{"authorization": r.Header.Get("Authorization"), "x-restsvcsessionid": r.Header.Get("X-RestSvcSessionId")},
			})
		case reset:
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// exchange collects what a flow produced: error texts in every format, and
// the secrets that the servers issued along the way.
type exchange struct {
	texts   []string
	secrets []string
}

func (x *exchange) err(err error) {
	if err != nil {
		x.texts = append(x.texts, fmt.Sprintf("%v | %+v | %#v | %s | %q", err, err, err, err, err))
	}
}

func (x *exchange) token(tok auth.Token, err error) {
	x.err(err)
	x.texts = append(x.texts, fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok))
	for _, s := range []string{tok.AccessToken, tok.RefreshToken} {
		if len(s) > 8 { // the IBM fake's placeholder refresh token is no secret
			x.secrets = append(x.secrets, s)
		}
	}
}

func basic(u, pw string) string { return base64.StdEncoding.EncodeToString([]byte(u + ":" + pw)) }

// logSetups are the handlers and levels every flow runs under.
var logSetups = []struct {
	name  string
	level slog.Level
	json  bool
}{
	{"text/debug", slog.LevelDebug, false},
	{"json/debug", slog.LevelDebug, true},
	{"text/info", slog.LevelInfo, false},
	{"json/info", slog.LevelInfo, true},
}

// runRedaction runs flow under each log setup and checks that no secret
// appears in the log output or in any error.
func runRedaction(t *testing.T, flow func(t *testing.T, log *slog.Logger, x *exchange)) {
	for _, ls := range logSetups {
		t.Run(ls.name, func(t *testing.T) {
			checkLeaks(t)
			var buf bytes.Buffer
			opts := &slog.HandlerOptions{Level: ls.level}
			var h slog.Handler = slog.NewTextHandler(&buf, opts)
			if ls.json {
				h = slog.NewJSONHandler(&buf, opts)
			}
			x := &exchange{}
			flow(t, slog.New(h), x)

			out := buf.String()
			if ls.level == slog.LevelDebug {
				assert.Contains(t, out, "http request", "the flow is logged, so the check means something")
				assert.Contains(t, out, "http request failed", "failures are logged too")
			}
			all := out + "\n" + strings.Join(x.texts, "\n")
			require.NotEmpty(t, x.secrets)
			for _, s := range x.secrets {
				require.NotEmpty(t, s)
				assert.NotContains(t, all, s, "a secret leaked into a log line or an error")
			}
		})
	}
}

func TestSecretsNeverLoggedOrInErrorsVBAWS(t *testing.T) {
	runRedaction(t, func(t *testing.T, log *slog.Logger, x *exchange) {
		ctx := context.Background()
		f, err := vbawsfake.New(vbawsfake.WithUser(user, password), vbawsfake.WithMFA(mfaCode), vbawsfake.WithOrganizations(3))
		require.NoError(t, err)
		f.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
		var h hostile
		srv := fake.StartTLS(h.wrap(f))
		t.Cleanup(srv.Close)
		x.secrets = append(x.secrets, password, wrongPassword, mfaCode)
		mfa := auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil })
		dial := func(creds auth.Credential) *vbaws.Client {
			c, err := vbaws.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()), option.WithLogger(log), retry(1, &sleeps{}))
			require.NoError(t, err)
			newProbe(t, c.Raw().ClientInterface.(*vbawsapi.Client).Client, nil, nil)
			return c
		}

		err = dial(vbaws.PasswordCredentials(user, wrongPassword, mfa)).Login(ctx)
		assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
		x.err(err)
		err = dial(vbaws.PasswordCredentials(user, password)).Login(ctx)
		assert.ErrorIs(t, err, apierr.ErrMFARequired)
		x.err(err)

		c := dial(vbaws.PasswordCredentials(user, password, mfa))
		_, err = c.Organizations.List(ctx, nil)
		require.NoError(t, err)
		x.token(c.Token(ctx))
		_, err = c.Organizations.Get(ctx, uuid.New())
		assert.ErrorIs(t, err, apierr.ErrNotFound)
		x.err(err)
		rc, err := c.Organizations.Export(ctx, vbaws.ExportCSV)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, rc)
		require.NoError(t, rc.Close())

		f.Tokens.ExpireAll() // the next call meets a 401 and refreshes
		_, err = c.Organizations.List(ctx, nil)
		require.NoError(t, err)
		x.token(c.Token(ctx))

		h.mode.Store(echo)
		_, err = c.Organizations.List(ctx, nil)
		assert.Error(t, err)
		x.err(err)
		x.err(dial(vbaws.PasswordCredentials(user, password, mfa)).Login(ctx))
		h.mode.Store(reset)
		_, err = c.Organizations.List(ctx, nil)
		assert.Error(t, err)
		x.err(err)
		h.mode.Store(behave)

		x.err(c.Logout(ctx))
		_, err = c.Organizations.List(ctx, nil) // a fresh login after the logout
		require.NoError(t, err)
		x.token(c.Token(ctx))
		x.err(c.Logout(ctx))
	})
}

func TestSecretsNeverLoggedOrInErrorsVBGC(t *testing.T) {
	runRedaction(t, func(t *testing.T, log *slog.Logger, x *exchange) {
		ctx := context.Background()
		f, err := vbgcfake.New(vbgcfake.WithUser(user, password), vbgcfake.WithMFA(mfaCode))
		require.NoError(t, err)
		f.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
		var h hostile
		srv := fake.StartTLS(h.wrap(f))
		t.Cleanup(srv.Close)
		x.secrets = append(x.secrets, password, wrongPassword, mfaCode)
		mfa := auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil })
		dial := func(creds auth.Credential) *vbgc.Client {
			c, err := vbgc.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()), option.WithLogger(log), retry(1, &sleeps{}))
			require.NoError(t, err)
			newProbe(t, c.Raw().ClientInterface.(*vbgcapi.Client).Client, nil, nil)
			return c
		}

		err = dial(vbgc.PasswordCredentials(user, wrongPassword, mfa)).Login(ctx)
		assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
		x.err(err)
		err = dial(vbgc.PasswordCredentials(user, password)).Login(ctx)
		assert.ErrorIs(t, err, apierr.ErrMFARequired)
		x.err(err)

		c := dial(vbgc.PasswordCredentials(user, password, mfa))
		_, err = c.Sessions.List(ctx, nil)
		require.NoError(t, err)
		x.token(c.Token(ctx))
		_, err = c.Sessions.Get(ctx, uuid.New())
		assert.ErrorIs(t, err, apierr.ErrNotFound)
		x.err(err)

		code, err := c.AuthorizationCode(ctx)
		require.NoError(t, err)
		x.secrets = append(x.secrets, code)
		byCode := dial(auth.AuthorizationCode(code))
		_, err = byCode.Sessions.List(ctx, nil)
		require.NoError(t, err)
		x.token(byCode.Token(ctx))
		x.err(byCode.Logout(ctx))
		err = dial(auth.AuthorizationCode(code)).Login(ctx) // a used code is refused
		assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
		x.err(err)

		f.Tokens.ExpireAll()
		_, err = c.Sessions.List(ctx, nil)
		require.NoError(t, err)
		x.token(c.Token(ctx))

		h.mode.Store(echo)
		_, err = c.Sessions.List(ctx, nil)
		assert.Error(t, err)
		x.err(err)
		x.err(dial(vbgc.PasswordCredentials(user, password, mfa)).Login(ctx))
		h.mode.Store(reset)
		_, err = c.Sessions.List(ctx, nil)
		assert.Error(t, err)
		x.err(err)
		h.mode.Store(behave)
		x.err(c.Logout(ctx))
	})
}

func TestSecretsNeverLoggedOrInErrorsVBEM(t *testing.T) {
	runRedaction(t, func(t *testing.T, log *slog.Logger, x *exchange) {
		ctx := context.Background()
		f, err := vbemfake.New(vbemfake.WithUser(user, password))
		require.NoError(t, err)
		f.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
		var h hostile
		srv := fake.StartTLS(h.wrap(f))
		t.Cleanup(srv.Close)
		x.secrets = append(x.secrets, password, wrongPassword, encryptionPassword, basic(user, password), basic(user, wrongPassword))
		dial := func(pw string, opts ...option.Option) *vbem.Client {
			c, err := vbem.NewClient(srv.URL(), vbem.BasicCredentials(user, pw),
				append([]option.Option{option.WithCACert(srv.CACertPEM()), option.WithLogger(log), retry(1, &sleeps{})}, opts...)...)
			require.NoError(t, err)
			newProbe(t, c.Raw().ClientInterface.(*vbemapi.Client).Client, nil, nil)
			return c
		}

		err = dial(wrongPassword).Login(ctx)
		assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
		x.err(err)

		for _, c := range []*vbem.Client{dial(password), dial(password, vbem.WithXML())} {
			require.NoError(t, c.Login(ctx))
			s, err := c.Token(ctx)
			require.NoError(t, err)
			x.texts = append(x.texts, fmt.Sprintf("%v %+v %#v %s", s, s, s, s))
			_, err = c.Sessions.List(ctx)
			require.NoError(t, err)
			_, err = c.Sessions.Get(ctx, "no-such-session")
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			x.err(err)
			_, err = c.Passwords.Create(ctx, vbemfake.SeedBackupServer1ID, "resilience", encryptionPassword)
			require.NoError(t, err)

			f.ExpireSessions() // the next call meets a 401 and logs on again
			_, err = c.Sessions.List(ctx)
			require.NoError(t, err)

			h.mode.Store(echo)
			_, err = c.Sessions.List(ctx)
			assert.Error(t, err)
			x.err(err)
			_, err = c.Passwords.Create(ctx, vbemfake.SeedBackupServer1ID, "resilience", encryptionPassword)
			assert.Error(t, err)
			x.err(err)
			err = dial(password).Login(ctx)
			assert.Error(t, err)
			x.err(err)
			h.mode.Store(reset)
			_, err = c.Sessions.List(ctx)
			assert.Error(t, err)
			x.err(err)
			h.mode.Store(behave)
			x.err(c.Logout(ctx))
		}
		x.secrets = append(x.secrets, f.Tokens()...)
	})
}

func TestSecretsNeverLoggedOrInErrorsIBM(t *testing.T) {
	runRedaction(t, func(t *testing.T, log *slog.Logger, x *exchange) {
		ctx := context.Background()
		f, err := ibmfake.New(ibmfake.WithAPIKey(apiKey), ibmfake.WithTenant(tenant))
		require.NoError(t, err)
		f.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
		var h hostile
		srv := fake.StartTLS(h.wrap(f))
		t.Cleanup(srv.Close)
		x.secrets = append(x.secrets, apiKey, wrongAPIKey)
		dial := func(key string) *ibmbr.Client {
			c, err := ibmbr.NewClient(srv.URL()+"/v2", ibmbr.APIKey(key, ibmbr.WithIAMURL(srv.URL())),
				ibmbr.WithTenant(tenant), option.WithCACert(srv.CACertPEM()), option.WithLogger(log), retry(1, &sleeps{}))
			require.NoError(t, err)
			newProbe(t, c.Raw().ClientInterface.(*ibmbrapi.Client).Client, nil, nil)
			return c
		}

		err = dial(wrongAPIKey).Login(ctx)
		assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
		x.err(err)

		c := dial(apiKey)
		_, err = c.Policies.List(ctx, nil)
		require.NoError(t, err)
		x.token(c.Token(ctx))
		_, err = c.Policies.Get(ctx, "no-such-policy", nil)
		assert.Error(t, err)
		x.err(err)

		f.ExpireTokens() // the next call meets a 401 and exchanges the key again
		_, err = c.Policies.List(ctx, nil)
		require.NoError(t, err)
		x.token(c.Token(ctx))

		h.mode.Store(echo)
		_, err = c.Policies.List(ctx, nil)
		assert.Error(t, err)
		x.err(err)
		x.err(dial(apiKey).Login(ctx))
		h.mode.Store(reset)
		_, err = c.Policies.List(ctx, nil)
		assert.Error(t, err)
		x.err(err)
		h.mode.Store(behave)
	})
}

// TestSecretsNeverInCredentialValues covers the values a program itself may
// print or log: credentials and tokens show no secret with any verb.
func TestSecretsNeverInCredentialValues(t *testing.T) {
	values := []any{
		vbaws.PasswordCredentials(user, password, auth.WithMFA(func(context.Context) (string, error) { return mfaCode, nil })),
		vbaws.RefreshTokenCredentials(refreshToken),
		auth.AuthorizationCode(mfaCode),
		vbem.BasicCredentials(user, password),
		ibmbr.APIKey(apiKey),
		ibmbr.BearerToken(accessToken),
		auth.Token{AccessToken: accessToken, RefreshToken: refreshToken, TokenType: "bearer"},
	}
	for _, v := range values {
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("creds", "v", v)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("creds", "v", v)
		text := fmt.Sprintf("%v %+v %#v %s %q", v, v, v, v, v) + buf.String()
		for _, s := range scriptedSecrets {
			assert.NotContains(t, text, s, "%T shows a secret", v)
		}
	}
}
