package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"
)

// Config describes a pipeline. The zero value is a valid pipeline with no
// auth, default retries and no logging.
type Config struct {
	// Base is the transport at the end of the chain; nil means a clone of
	// http.DefaultTransport with TLS set from TLS.
	Base http.RoundTripper
	// TLS configures the default base transport (ignored when Base is set).
	TLS *tls.Config
	// UserAgent is sent on every request.
	UserAgent string
	// Headers are set on every request that does not set them itself.
	Headers http.Header
	// Retry is the retry policy; nil means DefaultRetry.
	Retry *RetryPolicy
	// Auth puts credentials on requests; nil sends none.
	Auth Authorizer
	// AuthHost limits credentials to requests for this host (host:port);
	// empty means the host of every request. Set it so that a redirect to
	// another host never carries credentials.
	AuthHost string
	// AllowHTTP permits credentials over plain http. Off by default.
	AllowHTTP bool
	// Logger receives one debug record per try; nil logs nothing.
	Logger *slog.Logger
}

// New returns the pipeline described by cfg.
func New(cfg Config) http.RoundTripper {
	base := cfg.Base
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		if cfg.TLS != nil {
			t.TLSClientConfig = cfg.TLS.Clone()
		}
		base = t
	}
	var rt = base
	if cfg.Logger != nil {
		rt = &logLink{next: rt, log: cfg.Logger}
	}
	if cfg.Auth != nil {
		rt = &authLink{next: rt, auth: cfg.Auth, host: cfg.AuthHost, allowHTTP: cfg.AllowHTTP}
	}
	policy := DefaultRetry()
	if cfg.Retry != nil {
		policy = *cfg.Retry
	}
	if policy.MaxRetries > 0 {
		rt = &retryLink{next: rt, p: policy.withDefaults()}
	}
	if cfg.UserAgent != "" || len(cfg.Headers) > 0 {
		rt = &headerLink{next: rt, ua: cfg.UserAgent, h: cfg.Headers}
	}
	return &captureLink{next: rt}
}

// TLSConfig returns a TLS configuration that trusts the system roots plus
// the PEM certificates in caPEM (for appliances with self-signed
// certificates). insecure turns off verification entirely, which callers must
// request explicitly.
func TLSConfig(caPEM []byte, insecure bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(caPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, errors.New("transport: no PEM certificate found in the CA data")
		}
		cfg.RootCAs = pool
	}
	cfg.InsecureSkipVerify = insecure //nolint:gosec // explicit opt-in by the caller
	return cfg, nil
}

// ReadCAFile reads a PEM CA bundle, wrapping the error with the file name.
func ReadCAFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the caller names its own CA file
	if err != nil {
		return nil, fmt.Errorf("transport: read CA file: %w", err)
	}
	return b, nil
}

type headerLink struct {
	next http.RoundTripper
	ua   string
	h    http.Header
}

func (l *headerLink) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if l.ua != "" && r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", l.ua)
	}
	for k, v := range l.h {
		if r.Header.Get(k) == "" {
			r.Header[k] = v
		}
	}
	return l.next.RoundTrip(r)
}

type logLink struct {
	next http.RoundTripper
	log  *slog.Logger
}

func (l *logLink) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !l.log.Enabled(ctx, slog.LevelDebug) {
		return l.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := l.next.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("url", redactURL(req)),
		slog.Duration("elapsed", time.Since(start)),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redactErr(err)))
		l.log.LogAttrs(ctx, slog.LevelDebug, "http request failed", attrs...)
		return nil, err
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode))
	l.log.LogAttrs(ctx, slog.LevelDebug, "http request", attrs...)
	return resp, nil
}

// contextKey scopes context values of this package.
type contextKey int

const (
	retrySafeKey contextKey = iota
	noRetryKey
)

// WithRetrySafe marks requests made with ctx as safe to retry even when their
// method is not idempotent (for example a POST the caller knows to be a
// query). WithoutRetry on the same context wins.
func WithRetrySafe(ctx context.Context) context.Context {
	return context.WithValue(ctx, retrySafeKey, true)
}

// WithoutRetry marks requests made with ctx as never to be repeated by the
// retry link, whatever their method and whatever WithRetrySafe marks ctx
// carries. Logins use it: a credential acquisition runs on a context derived
// from the call that needed it, so it inherits that call's WithRetrySafe, yet
// a repeated password or MFA grant can lock an account or spend a one-time
// code.
func WithoutRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey, true)
}

func retrySafe(req *http.Request) bool {
	ctx := req.Context()
	if never, _ := ctx.Value(noRetryKey).(bool); never {
		return false
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodTrace:
		return true
	}
	v, _ := ctx.Value(retrySafeKey).(bool)
	return v
}
