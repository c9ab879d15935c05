package ibmfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/specs"
)

// Option configures a fake.
type Option func(*config)

type config struct {
	apiKeys []string
	tenants []string
	ttl     time.Duration
}

// WithAPIKey adds an API key the IAM endpoint accepts (default "test-api-key").
func WithAPIKey(key string) Option { return func(c *config) { c.apiKeys = append(c.apiKeys, key) } }

// WithTenant adds a tenant the service knows (default "tenant-a/").
func WithTenant(id string) Option { return func(c *config) { c.tenants = append(c.tenants, id) } }

// WithTokenTTL sets the IAM token lifetime (default 1 hour).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.ttl = d } }

// Fake is the service and IAM state and their http.Handler.
type Fake struct {
	*fake.Engine
	mux *http.ServeMux

	mu       sync.Mutex
	apiKeys  map[string]bool
	tenants  map[string]bool
	tokens   map[string]time.Time
	ttl      time.Duration
	iamCalls int
	state    map[string]any
	release  string
}

// registrars add the handlers of each area; the files of this package
// append to it.
var registrars []func(f *Fake) map[string]fake.HandlerFunc

// streamers add handlers for streamed downloads.
var streamers []func(f *Fake) map[string]fake.HandlerFunc

// New returns the handler and state of a fake.
func New(opts ...Option) (*Fake, error) {
	cfg := config{ttl: time.Hour}
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.apiKeys) == 0 {
		cfg.apiKeys = []string{"test-api-key"}
	}
	if len(cfg.tenants) == 0 {
		cfg.tenants = []string{"tenant-a/"}
	}
	eng, err := fake.New(specs.IBMBR, WriteError)
	if err != nil {
		return nil, err
	}
	f := &Fake{Engine: eng, mux: http.NewServeMux(), apiKeys: map[string]bool{}, tenants: map[string]bool{},
		tokens: map[string]time.Time{}, ttl: cfg.ttl, state: map[string]any{}, release: DefaultRelease}
	for _, k := range cfg.apiKeys {
		f.apiKeys[k] = true
	}
	for _, t := range cfg.tenants {
		f.tenants[t] = true
	}
	eng.SetAuthenticator(f.authenticate)
	for _, reg := range streamers {
		for id, h := range reg(f) {
			if err := eng.HandleStream(id, h); err != nil {
				return nil, err
			}
		}
	}
	var maps []map[string]fake.HandlerFunc
	for _, reg := range registrars {
		maps = append(maps, reg(f))
	}
	if err := eng.Serve(maps...); err != nil {
		return nil, err
	}
	f.mux.HandleFunc("POST /identity/token", f.iamToken)
	// The v2 API, and the legacy v1 operations IBM's SDK calls on the same
	// instance (the spec's path-level servers).
	f.mux.Handle("/v2/", eng.Under("/v2"))
	f.mux.Handle(LegacyBase+"/", eng.Under(LegacyBase))
	return f, nil
}

// LegacyBase is the base path of the legacy (v1) operations of the
// instance, which the spec gives their own server.
const LegacyBase = "/irisservices/api/v1"

// ServeHTTP serves IAM at /identity/token and the service elsewhere.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.mux.ServeHTTP(w, r) }

// IAMRequests reports how many token exchanges IAM answered.
func (f *Fake) IAMRequests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.iamCalls
}

// DefaultRelease is the software release of a new fake.
const DefaultRelease = "7.1.2"

// SetRelease sets the software release of the service (default
// DefaultRelease): the version connector metadata offers and new connectors
// run, and the version agent upgrade tasks install. Connectors that exist
// keep theirs.
func (f *Fake) SetRelease(version string) {
	f.mu.Lock()
	f.release = version
	f.mu.Unlock()
}

// ExpireTokens makes every token issued so far invalid.
func (f *Fake) ExpireTokens() {
	f.mu.Lock()
	f.tokens = map[string]time.Time{}
	f.mu.Unlock()
}

// Server is a fake listening on a local TLS port with its own certificate.
// Its URL serves IAM too: give it to ibmbr.WithIAMURL.
type Server struct {
	*Fake
	*fake.TLSServer
}

// Start serves a new fake over TLS on a loopback port.
func Start(opts ...Option) (*Server, error) {
	f, err := New(opts...)
	if err != nil {
		return nil, err
	}
	return &Server{Fake: f, TLSServer: fake.StartTLS(f)}, nil
}

// ServiceURL is the service URL to give ibmbr.NewClient.
func (s *Server) ServiceURL() string { return s.URL() + "/v2" }

// iamToken implements the IAM API key grant.
func (f *Fake) iamToken(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.iamCalls++
	f.mu.Unlock()
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ibm:params:oauth:grant-type:apikey" {
		writeIAMError(w, http.StatusBadRequest, "BXNIM0109E", "Property missing or empty.")
		return
	}
	f.mu.Lock()
	ok := f.apiKeys[r.PostForm.Get("apikey")]
	f.mu.Unlock()
	if !ok {
		writeIAMError(w, http.StatusBadRequest, "BXNIM0415E", "Provided API key could not be found.")
		return
	}
	tok := randomToken()
	exp := time.Now().Add(f.ttl)
	f.mu.Lock()
	f.tokens[tok] = exp
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok, "refresh_token": "not-supported", "token_type": "Bearer",
		"expires_in": int(f.ttl / time.Second), "expiration": exp.Unix(), "scope": "ibm openid",
	})
}

func writeIAMError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errorCode": code, "errorMessage": msg, "context": map[string]any{"requestId": randomToken()[:12]},
	})
}

// authenticate checks the IAM token and the tenant.
func (f *Fake) authenticate(r *http.Request) (any, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, fake.ErrUnauthenticated
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if exp, ok := f.tokens[tok]; !ok || time.Now().After(exp) {
		return nil, errors.New("the IAM token is not valid")
	}
	tenant := r.Header.Get("X-IBM-Tenant-Id")
	if tenant != "" && !f.tenants[tenant] {
		return nil, &fake.DeniedError{Reason: "unknown tenant " + tenant}
	}
	return tenant, nil
}

// WriteError writes the service's error body. It is a fake.ErrorWriter.
func WriteError(w http.ResponseWriter, _ *http.Request, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errorCode": "K" + code, "message": message})
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
