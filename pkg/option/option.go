package option

import (
	"crypto/tls"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/settings"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// Version is the SDK version reported in the User-Agent.
const Version = settings.Version

// Option configures a client. It is opaque: build options with the With*
// functions of this package and of the product packages (ibmbr.WithTenant,
// vbem.WithXML). Each option knows the products it applies to, and NewClient
// refuses one meant for another product.
type Option = settings.Option

// versioned are the products whose API version a client can choose.
var versioned = []string{"vbaws", "vbgc", "vbem"}

// WithHTTPClient sends requests through hc's transport (wrapped by the SDK
// pipeline) and uses its timeout, redirect policy and cookie jar.
func WithHTTPClient(hc *http.Client) Option {
	return settings.New("option.WithHTTPClient", nil, func(s *settings.Settings) error {
		if hc == nil {
			return errors.New("option: WithHTTPClient: nil client")
		}
		s.HTTPClient = hc
		return nil
	})
}

// WithRetry replaces the retry policy; MaxRetries 0 turns retries off.
func WithRetry(p transport.RetryPolicy) Option {
	return settings.New("option.WithRetry", nil, func(s *settings.Settings) error {
		if p.MaxRetries < 0 {
			return errors.New("option: WithRetry: negative MaxRetries")
		}
		s.Retry = &p
		return nil
	})
}

// WithUserAgent prepends ua to the SDK's User-Agent.
func WithUserAgent(ua string) Option {
	return settings.New("option.WithUserAgent", nil, func(s *settings.Settings) error {
		s.UserAgent = strings.TrimSpace(ua)
		return nil
	})
}

// WithLogger logs every HTTP try at debug level, with secrets redacted.
func WithLogger(l *slog.Logger) Option {
	return settings.New("option.WithLogger", nil, func(s *settings.Settings) error { s.Logger = l; return nil })
}

// WithCACert trusts the PEM certificates in pem in addition to the system
// roots: the usual way to reach an appliance with a self-signed certificate.
func WithCACert(pem []byte) Option {
	return settings.New("option.WithCACert", nil, func(s *settings.Settings) error { return addCA(s, pem) })
}

func addCA(s *settings.Settings, pem []byte) error {
	if len(pem) == 0 {
		return errors.New("option: WithCACert: empty PEM data")
	}
	s.CAPEM = append(s.CAPEM, pem...)
	return nil
}

// WithCACertFile is WithCACert with the PEM read from a file.
func WithCACertFile(path string) Option {
	return settings.New("option.WithCACertFile", nil, func(s *settings.Settings) error {
		b, err := transport.ReadCAFile(path)
		if err != nil {
			return err
		}
		return addCA(s, b)
	})
}

// WithTLSConfig uses cfg for TLS (it overrides WithCACert).
func WithTLSConfig(cfg *tls.Config) Option {
	return settings.New("option.WithTLSConfig", nil, func(s *settings.Settings) error { s.TLS = cfg; return nil })
}

// WithInsecureSkipVerify turns TLS certificate verification off. Only for
// tests and first contact with an appliance; prefer WithCACert.
func WithInsecureSkipVerify() Option {
	return settings.New("option.WithInsecureSkipVerify", nil, func(s *settings.Settings) error { s.Insecure = true; return nil })
}

// WithInsecureHTTP allows plain http endpoints, which send credentials in
// clear text. Off by default.
func WithInsecureHTTP() Option {
	return settings.New("option.WithInsecureHTTP", nil, func(s *settings.Settings) error { s.AllowHTTP = true; return nil })
}

// WithAPIVersion overrides the API version or revision the client asks for:
// the x-api-version of Veeam Backup for AWS and Google Cloud, the logon
// version (v1_7, ...) of Enterprise Manager. IBM Cloud Backup and Recovery
// has no such choice, so ibmbr.NewClient refuses this option.
func WithAPIVersion(v string) Option {
	return settings.New("option.WithAPIVersion", versioned, func(s *settings.Settings) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("option: WithAPIVersion: empty version")
		}
		s.APIVersion = v
		return nil
	})
}

// WithTimeout bounds each call, retries included (http.Client.Timeout).
func WithTimeout(d time.Duration) Option {
	return settings.New("option.WithTimeout", nil, func(s *settings.Settings) error { s.Timeout = d; return nil })
}

// WithCredentialCache tunes the credential cache (refresh-ahead window,
// idle timeout, clock).
func WithCredentialCache(o auth.CacheOptions) Option {
	return settings.New("option.WithCredentialCache", nil, func(s *settings.Settings) error { s.Cache = o; return nil })
}
