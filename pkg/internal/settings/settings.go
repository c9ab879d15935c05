// Package settings is what the public options of package option and of the
// product packages configure, and how a product client turns that into its
// HTTP clients. It is internal so that option.Option stays opaque: users
// build options only with the With* functions, and the SDK can change what
// an option does inside without breaking anyone.
package settings

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// Version is the SDK version reported in the User-Agent.
const Version = "0.1.0"

// Settings is what the options configure for one client.
type Settings struct {
	// Product is the client being built ("vbaws", "vbgc", "vbem", "ibmbr").
	Product    string
	HTTPClient *http.Client
	Retry      *transport.RetryPolicy
	UserAgent  string
	Logger     *slog.Logger
	CAPEM      []byte
	TLS        *tls.Config
	Insecure   bool
	AllowHTTP  bool
	APIVersion string
	Timeout    time.Duration
	Cache      auth.CacheOptions
	Tenant     string
	XML        bool
}

// Option is one client option. Its fields are unexported so that a program
// can neither build nor inspect one; the zero Option does nothing.
type Option struct {
	name     string
	products []string
	apply    func(*Settings) error
}

// New returns the option that name (as a user writes it, for example
// "ibmbr.WithTenant") stands for. products lists the products it applies to;
// none means every product. NewClient refuses an option meant for another
// product rather than ignoring it, so a misplaced option is never silently
// lost.
func New(name string, products []string, apply func(*Settings) error) Option {
	return Option{name: name, products: products, apply: apply}
}

// Apply runs opts for product over Settings that start with the given
// default API version.
func Apply(product, defaultVersion string, opts []Option) (*Settings, error) {
	s := &Settings{Product: product, APIVersion: defaultVersion}
	for _, o := range opts {
		if o.apply == nil {
			continue
		}
		if len(o.products) > 0 && !slices.Contains(o.products, product) {
			return nil, fmt.Errorf("%s does not apply to %s (only to %s)", o.name, product, strings.Join(o.products, ", "))
		}
		if err := o.apply(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ParseEndpoint checks an appliance URL: it must be absolute, https unless
// plain http is allowed, with a host and no query.
func (s *Settings) ParseEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil {
		return nil, fmt.Errorf("invalid endpoint: %w", err)
	}
	switch {
	case u.Host == "":
		return nil, fmt.Errorf("invalid endpoint %q: want an absolute URL such as https://appliance:port", endpoint)
	case u.Scheme == "http" && !s.AllowHTTP:
		return nil, fmt.Errorf("endpoint %q uses plain http, which would send credentials in clear text: %w", endpoint, transport.ErrInsecureTransport)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("invalid endpoint %q: scheme must be https", endpoint)
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// SameHostRedirects is the redirect policy of every client unless
// WithHTTPClient brings its own: a redirect is followed only to the host of
// the original request, so neither a credential header nor a body that
// carries a password (a 307 or 308 resends it) ever goes to another host.
// A redirect elsewhere is returned to the caller as it is.
func SameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if !strings.EqualFold(req.URL.Host, via[0].URL.Host) || req.URL.Scheme != via[0].URL.Scheme {
		return http.ErrUseLastResponse
	}
	return nil
}

// Clients returns two HTTP clients sharing one base transport: authed runs
// the whole pipeline with authz; bare has no auth link, for the login calls
// that the auth link itself depends on.
func (s *Settings) Clients(endpoint *url.URL, headers http.Header, authz transport.Authorizer) (authed, bare *http.Client, err error) {
	base := http.RoundTripper(nil)
	var proto http.Client
	if s.HTTPClient != nil {
		proto = *s.HTTPClient
		base = s.HTTPClient.Transport
	}
	if base == nil {
		tlsCfg := s.TLS
		if tlsCfg == nil {
			if tlsCfg, err = transport.TLSConfig(s.CAPEM, s.Insecure); err != nil {
				return nil, nil, err
			}
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = tlsCfg
		t.MaxIdleConnsPerHost = 16
		base = t
	}
	cfg := transport.Config{
		Base: base, UserAgent: s.userAgent(false), Headers: headers, Retry: s.Retry,
		AuthHost: endpoint.Host, AllowHTTP: s.AllowHTTP, Logger: s.Logger,
	}
	if proto.Timeout == 0 {
		proto.Timeout = s.Timeout
	}
	if proto.CheckRedirect == nil {
		proto.CheckRedirect = SameHostRedirects
	}
	bareCfg := cfg
	// Logins are POSTs, which the retry link leaves alone unless a caller
	// marks one safe (the IAM API key exchange is).
	bareClient := proto
	bareClient.Transport = transport.New(bareCfg)
	cfg.Auth = authz
	authedClient := proto
	authedClient.Transport = transport.New(cfg)
	return &authedClient, &bareClient, nil
}

// rawMark is the User-Agent comment of the requests a client's Raw()
// generated client sends.
const rawMark = "raw"

// userAgent is the User-Agent of the client's requests:
// "backupsdk-go/0.1.0 (vbaws)", or "backupsdk-go/0.1.0 (vbaws; raw)" for
// Raw() calls, after the caller's own product (option.WithUserAgent).
func (s *Settings) userAgent(raw bool) string {
	comment := s.Product
	if raw {
		comment += "; " + rawMark
	}
	ua := "backupsdk-go/" + Version + " (" + comment + ")"
	if s.UserAgent != "" {
		ua = s.UserAgent + " " + ua
	}
	return ua
}

// RawClient returns the client of a product's Raw() generated client: authed
// (same pipeline, same session) whose requests say "raw" in the comment of
// the SDK's User-Agent. It only informs: an appliance may log it; the fakes
// count those calls apart from the services' (fake.RawCall), so a contract
// test that reaches an operation only through Raw() does not pass for a test
// of the service method.
func (s *Settings) RawClient(authed *http.Client) *http.Client {
	c := *authed
	c.Transport = &rawLink{next: authed.Transport, ua: s.userAgent(true)}
	return &c
}

// IsRawUserAgent reports whether ua is the User-Agent of a Raw() call.
func IsRawUserAgent(ua string) bool {
	_, rest, ok := strings.Cut(ua, "backupsdk-go/")
	if !ok {
		return false
	}
	_, comment, ok := strings.Cut(rest, " (")
	if !ok {
		return false
	}
	comment, _, _ = strings.Cut(comment, ")")
	for part := range strings.SplitSeq(comment, ";") {
		if strings.TrimSpace(part) == rawMark {
			return true
		}
	}
	return false
}

// rawLink sets the User-Agent of Raw() calls that do not set their own; the
// pipeline's header link then leaves it alone.
type rawLink struct {
	next http.RoundTripper
	ua   string
}

func (l *rawLink) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", l.ua)
	}
	return l.next.RoundTrip(req)
}

// CloseIdleConnections closes the idle connections of the pipeline.
func (l *rawLink) CloseIdleConnections() {
	if c, ok := l.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
