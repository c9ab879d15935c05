package option

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// Version is the SDK version reported in the User-Agent.
const Version = "0.1.0"

// Option configures a client.
type Option func(*Settings) error

// Settings is what the options configure. Product packages read it; users
// set it through options.
type Settings struct {
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

// WithHTTPClient sends requests through hc's transport (wrapped by the SDK
// pipeline) and uses its timeout, redirect policy and cookie jar.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *Settings) error {
		if hc == nil {
			return errors.New("option: WithHTTPClient: nil client")
		}
		s.HTTPClient = hc
		return nil
	}
}

// WithRetry replaces the retry policy; MaxRetries 0 turns retries off.
func WithRetry(p transport.RetryPolicy) Option {
	return func(s *Settings) error {
		if p.MaxRetries < 0 {
			return errors.New("option: WithRetry: negative MaxRetries")
		}
		s.Retry = &p
		return nil
	}
}

// WithUserAgent prepends ua to the SDK's User-Agent.
func WithUserAgent(ua string) Option {
	return func(s *Settings) error { s.UserAgent = strings.TrimSpace(ua); return nil }
}

// WithLogger logs every HTTP try at debug level, with secrets redacted.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) error { s.Logger = l; return nil }
}

// WithCACert trusts the PEM certificates in pem in addition to the system
// roots: the usual way to reach an appliance with a self-signed certificate.
func WithCACert(pem []byte) Option {
	return func(s *Settings) error {
		if len(pem) == 0 {
			return errors.New("option: WithCACert: empty PEM data")
		}
		s.CAPEM = append(s.CAPEM, pem...)
		return nil
	}
}

// WithCACertFile is WithCACert with the PEM read from a file.
func WithCACertFile(path string) Option {
	return func(s *Settings) error {
		b, err := transport.ReadCAFile(path)
		if err != nil {
			return err
		}
		return WithCACert(b)(s)
	}
}

// WithTLSConfig uses cfg for TLS (it overrides WithCACert).
func WithTLSConfig(cfg *tls.Config) Option {
	return func(s *Settings) error { s.TLS = cfg; return nil }
}

// WithInsecureSkipVerify turns TLS certificate verification off. Only for
// tests and first contact with an appliance; prefer WithCACert.
func WithInsecureSkipVerify() Option {
	return func(s *Settings) error { s.Insecure = true; return nil }
}

// WithInsecureHTTP allows plain http endpoints, which send credentials in
// clear text. Off by default.
func WithInsecureHTTP() Option {
	return func(s *Settings) error { s.AllowHTTP = true; return nil }
}

// WithAPIVersion overrides the API version or revision the client asks for.
func WithAPIVersion(v string) Option {
	return func(s *Settings) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("option: WithAPIVersion: empty version")
		}
		s.APIVersion = v
		return nil
	}
}

// WithTimeout bounds each call, retries included (http.Client.Timeout).
func WithTimeout(d time.Duration) Option {
	return func(s *Settings) error { s.Timeout = d; return nil }
}

// WithCredentialCache tunes the credential cache (refresh-ahead window,
// idle timeout, clock).
func WithCredentialCache(o auth.CacheOptions) Option {
	return func(s *Settings) error { s.Cache = o; return nil }
}

// WithTenant sets the tenant every call is made for, where a product has
// tenants (IBM Cloud Backup and Recovery: the X-IBM-Tenant-Id header).
func WithTenant(id string) Option {
	return func(s *Settings) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("option: WithTenant: empty tenant id")
		}
		s.Tenant = id
		return nil
	}
}

// WithXML makes a client that speaks both JSON and XML (Veeam Backup
// Enterprise Manager) send and accept XML instead of JSON.
func WithXML() Option {
	return func(s *Settings) error { s.XML = true; return nil }
}

// Apply runs opts over a Settings with the given defaults.
func Apply(defaultVersion string, opts []Option) (*Settings, error) {
	s := &Settings{APIVersion: defaultVersion}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
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
func (s *Settings) Clients(endpoint *url.URL, product string, headers http.Header, authz transport.Authorizer) (authed, bare *http.Client, err error) {
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
	ua := "backupsdk-go/" + Version + " (" + product + ")"
	if s.UserAgent != "" {
		ua = s.UserAgent + " " + ua
	}
	cfg := transport.Config{
		Base: base, UserAgent: ua, Headers: headers, Retry: s.Retry,
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
