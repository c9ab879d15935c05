// Package resilience_test drives the product clients against local servers
// that misbehave on purpose (resets, stalls, 503 storms, garbage bodies,
// redirects, dead token endpoints) and checks the SDK's safety promises
// (TLS, plain http, redaction). See docs/reliability.md.
package resilience_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// Distinctive secrets: none of them may ever show up in a log line, an error
// text or a request to a host other than the appliance.
const (
	user          = "ops-admin"
	password      = "PW-resilience-S3CRET-4f1d"
	wrongPassword = "PW-wrong-S3CRET-9b2c"
	accessToken   = "AT-resilience-S3CRET-77aa"
	refreshToken  = "RT-resilience-S3CRET-88bb"
	sessionToken  = "SESSION-resilience-S3CRET-99cc"
	apiKey        = "APIKEY-resilience-S3CRET-55dd"
	wrongAPIKey   = "APIKEY-wrong-S3CRET-66ee"
	mfaCode       = "MFA-S3CRET-314159"
	// encryptionPassword is a secret carried in a request body (vbem).
	encryptionPassword = "ENC-PW-S3CRET-2718"
	tenant             = "tenant-a/"
	vbemSessionID      = "session-1"
)

// scriptedSecrets are the secrets the scripted appliances deal in.
var scriptedSecrets = []string{password, wrongPassword, accessToken, refreshToken, sessionToken, apiKey, wrongAPIKey, mfaCode, encryptionPassword}

// TestMain fails the package if any goroutine outlives the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			_, _ = os.Stderr.WriteString("goroutines left behind: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}

// checkLeaks makes the test fail if it leaves a goroutine behind. Call it
// first: its check runs after every cleanup registered later (servers
// closed, idle connections dropped).
func checkLeaks(t *testing.T) {
	t.Helper()
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// hits counts requests by key, on the server side.
type hits struct {
	mu sync.Mutex
	m  map[string]int
}

func (h *hits) add(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]int{}
	}
	h.m[key]++
	return h.m[key]
}

func (h *hits) get(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.m[key]
}

// sleeps records the waits of the retry link instead of waiting.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// retry is a policy with tiny delays whose waits are recorded, not slept.
func retry(maxRetries int, rec *sleeps) option.Option {
	return option.WithRetry(transport.RetryPolicy{MaxRetries: maxRetries, BaseDelay: time.Millisecond,
		MaxDelay: 8 * time.Millisecond, MaxRetryAfter: time.Minute, Sleep: rec.Sleep})
}

// product describes one product client for table tests: how its appliance
// logs in (served by the scripted appliance) and one read call to probe.
type product struct {
	name string
	// apiPath is the path the probe's call requests (GET) and postPath
	// the path its post requests (POST).
	apiPath, postPath string
	// loginPath is the path of the login request.
	loginPath string
	// serveLogin answers the product's login and logout requests and
	// reports whether r was one.
	serveLogin func(w http.ResponseWriter, r *http.Request) bool
	// dial builds a client for the appliance at base.
	dial func(t *testing.T, base string, opts ...option.Option) *probe
}

// probe is a product client reduced to what table tests need.
type probe struct {
	// call makes one idempotent read (GET apiPath).
	call func(ctx context.Context) error
	// post makes one non-idempotent write (POST postPath).
	post func(ctx context.Context) error
	// login logs in now.
	login func(ctx context.Context) error
	// logout ends the session (IBM only forgets its token: it has nothing
	// to revoke).
	logout func(ctx context.Context) error
	// http is the client's HTTP client (to drop idle connections).
	http *http.Client
}

var products = []product{
	{
		name: "vbaws", apiPath: "/api/v1/organizations/amazon", postPath: "/api/v1/organizations/amazon", loginPath: "/api/v1/token", serveLogin: serveVeeamToken,
		dial: func(t *testing.T, base string, opts ...option.Option) *probe {
			t.Helper()
			c, err := vbaws.NewClient(base, vbaws.PasswordCredentials(user, password), opts...)
			require.NoError(t, err)
			pr := newProbe(t, c.Raw().ClientInterface.(*vbawsapi.Client).Client, c.Logout, func(ctx context.Context) error {
				_, err := c.Organizations.List(ctx, nil)
				return err
			})
			pr.post = func(ctx context.Context) error {
				_, err := c.Organizations.Add(ctx, vbawsapi.CreateAmazonOrganizationSpec{})
				return err
			}
			pr.login = c.Login
			return pr
		},
	},
	{
		name: "vbgc", apiPath: "/api/v1/sessions", postPath: "/api/v1/projects", loginPath: "/api/v1/token", serveLogin: serveVeeamToken,
		dial: func(t *testing.T, base string, opts ...option.Option) *probe {
			t.Helper()
			c, err := vbgc.NewClient(base, vbgc.PasswordCredentials(user, password), opts...)
			require.NoError(t, err)
			pr := newProbe(t, c.Raw().ClientInterface.(*vbgcapi.Client).Client, c.Logout, func(ctx context.Context) error {
				_, err := c.Sessions.List(ctx, nil)
				return err
			})
			pr.post = func(ctx context.Context) error {
				_, err := c.Projects.Add(ctx, vbgcapi.ProjectSpec{ProjectID: "p-1", ServiceAccountIDs: []string{"sa@p-1.iam"}})
				return err
			}
			pr.login = c.Login
			return pr
		},
	},
	{
		name: "vbem", apiPath: "/api/logonSessions", postPath: "/api/backupServers/bs-1/passwords", loginPath: "/api/sessionMngr/", serveLogin: serveVBEMLogon,
		dial: func(t *testing.T, base string, opts ...option.Option) *probe {
			t.Helper()
			c, err := vbem.NewClient(base, vbem.BasicCredentials(user, password), opts...)
			require.NoError(t, err)
			pr := newProbe(t, c.Raw().ClientInterface.(*vbemapi.Client).Client, c.Logout, func(ctx context.Context) error {
				_, err := c.Sessions.List(ctx)
				return err
			})
			pr.post = func(ctx context.Context) error {
				_, err := c.Passwords.Create(ctx, "bs-1", "hint", encryptionPassword)
				return err
			}
			pr.login = c.Login
			return pr
		},
	},
	{
		name: "ibmbr", apiPath: "/v2/data-protect/policies", postPath: "/v2/data-protect/policies", loginPath: "/identity/token", serveLogin: serveIAM,
		dial: func(t *testing.T, base string, opts ...option.Option) *probe {
			t.Helper()
			c, err := ibmbr.NewClient(base+"/v2", ibmbr.APIKey(apiKey, ibmbr.WithIAMURL(base)),
				append([]option.Option{ibmbr.WithTenant(tenant)}, opts...)...)
			require.NoError(t, err)
			pr := newProbe(t, c.Raw().ClientInterface.(*ibmbrapi.Client).Client, c.Logout,
				func(ctx context.Context) error {
					_, err := c.Policies.List(ctx, nil)
					return err
				})
			pr.post = func(ctx context.Context) error {
				_, err := c.Policies.Create(ctx, ibmbrapi.ProtectionPolicyRequest{Name: "nightly"})
				return err
			}
			pr.login = c.Login
			return pr
		},
	},
}

func newProbe(t *testing.T, doer any, logout, call func(context.Context) error) *probe {
	t.Helper()
	hc, ok := doer.(*http.Client)
	require.True(t, ok, "the generated client runs on an *http.Client")
	// The authenticated and the login client share one base transport, so
	// this drops every idle connection of the product client.
	t.Cleanup(hc.CloseIdleConnections)
	return &probe{call: call, logout: logout, http: hc}
}

// serveVeeamToken is the /token endpoint of Veeam Backup for AWS and Google
// Cloud.
func serveVeeamToken(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/api/v1/token" {
		return false
	}
	if r.Method == http.MethodDelete {
		w.WriteHeader(http.StatusOK)
		return true
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errorCode": "UnexpectedContent", "message": "bad form"})
		return true
	}
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
	case "password":
		if r.PostForm.Get("password") != password {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"errorCode": "AccessDenied", "message": "invalid user name or password"})
			return true
		}
	default:
		writeJSON(w, http.StatusBadRequest, map[string]any{"errorCode": "UnexpectedContent", "message": "unsupported grant"})
		return true
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": accessToken, "token_type": "bearer",
		"refresh_token": refreshToken, "expires_in": 3600})
	return true
}

// serveVBEMLogon is the logon and logoff of Enterprise Manager.
func serveVBEMLogon(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/sessionMngr/":
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
		if r.Header.Get("Authorization") != want {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"Message": "logon failed", "StatusCode": 401})
			return true
		}
		w.Header().Set(vbem.SessionHeader, sessionToken)
		writeJSON(w, http.StatusCreated, map[string]any{"UserName": user, "SessionId": vbemSessionID})
	case r.Method == http.MethodDelete && r.URL.Path == "/api/logonSessions/"+vbemSessionID:
		w.WriteHeader(http.StatusNoContent)
	default:
		return false
	}
	return true
}

// serveIAM is IBM Cloud IAM's API key grant.
func serveIAM(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/identity/token" {
		return false
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("apikey") != apiKey {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."})
		return true
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": accessToken, "refresh_token": refreshToken,
		"token_type": "Bearer", "expires_in": 3600})
	return true
}

// key names a request in hits.
func key(method, path string) string { return method + " " + path }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// appliance is a scripted server for one product: the product's login is
// served correctly, every other request goes to api with n, the 1-based
// number of requests for that method and path so far. hits counts by
// key(method, path).
type appliance struct {
	*httptest.Server
	hits hits
}

type apiFunc func(w http.ResponseWriter, r *http.Request, n int)

// ok answers every API request with an empty JSON object, which every probe
// decodes.
func ok(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, http.StatusOK, map[string]any{}) }

// startAppliance serves p over TLS with the httptest certificate.
func startAppliance(t *testing.T, p product, api apiFunc) *appliance {
	t.Helper()
	a := &appliance{}
	a.Server = httptest.NewUnstartedServer(a.handler(p, api))
	quiet(a.Server)
	a.StartTLS()
	t.Cleanup(a.Close)
	return a
}

// startPlainAppliance serves p over plain http.
func startPlainAppliance(t *testing.T, p product, api apiFunc) *appliance {
	t.Helper()
	a := &appliance{}
	a.Server = httptest.NewUnstartedServer(a.handler(p, api))
	quiet(a.Server)
	a.Start()
	t.Cleanup(a.Close)
	return a
}

func (a *appliance) handler(p product, api apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := a.hits.add(key(r.Method, r.URL.Path))
		if p.serveLogin(w, r) {
			return
		}
		api(w, r, n)
	})
}

// quiet drops the server's own log: handshakes that fail on purpose (the
// TLS tests) and connections the tests cut would only add noise.
func quiet(srv *httptest.Server) { srv.Config.ErrorLog = log.New(io.Discard, "", 0) }

// caPEM is the PEM of the httptest certificate, for WithCACert.
func (a *appliance) caPEM() []byte { return caPEMOf(a.Server) }

// caPEMOf is the PEM of a TLS test server's certificate.
func caPEMOf(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

// dial builds p's client for this appliance, trusting its certificate.
func (a *appliance) dial(t *testing.T, p product, opts ...option.Option) *probe {
	t.Helper()
	if strings.HasPrefix(a.URL, "https:") {
		opts = append([]option.Option{option.WithCACert(a.caPEM())}, opts...)
	} else {
		opts = append([]option.Option{option.WithInsecureHTTP()}, opts...)
	}
	return p.dial(t, a.URL, opts...)
}

// recorder is a second host: it records what reaches it.
type recorder struct {
	*httptest.Server
	mu      sync.Mutex
	headers []http.Header
	bodies  []string
	paths   []string
}

func startRecorder(t *testing.T, tls bool) *recorder {
	t.Helper()
	rec := &recorder{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.headers = append(rec.headers, r.Header.Clone())
		rec.bodies = append(rec.bodies, string(body))
		rec.paths = append(rec.paths, r.URL.RequestURI())
		rec.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{})
	})
	rec.Server = httptest.NewUnstartedServer(h)
	quiet(rec.Server)
	if tls {
		rec.StartTLS()
	} else {
		rec.Start()
	}
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) requests() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.headers)
}

// everything returns all headers and bodies that reached the recorder as
// one text.
func (rec *recorder) everything() string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var b strings.Builder
	for i, h := range rec.headers {
		b.WriteString(rec.paths[i] + "\n")
		for k, vs := range h {
			b.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
		}
		b.WriteString(rec.bodies[i] + "\n")
	}
	return b.String()
}

// hijack takes over the connection of a request whose headers (and body,
// if read) have arrived, writes prefix and closes it: a reset in the middle
// of a response.
func hijack(t *testing.T, w http.ResponseWriter, prefix string) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if prefix != "" {
		_, _ = buf.WriteString(prefix)
		_ = buf.Flush()
	}
	_ = conn.Close()
}

// stall blocks a handler until the client goes away (or 2s pass, so a
// broken client cannot hang the server's Close), then drops the connection
// without an answer: a normal return would send a 200, which can still
// reach a client that is hanging up. It reads the body first: the server
// notices a client hanging up only once the body is consumed.
func stall(r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(2 * time.Second):
	}
	panic(http.ErrAbortHandler)
}
