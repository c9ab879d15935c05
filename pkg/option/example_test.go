package option_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// ExampleWithLogger logs every HTTP try of a client: one record at debug
// level with the method, the redacted URL, the status (or the redacted
// error) and the time it took. Headers and bodies are never logged.
func ExampleWithLogger() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug, // the client logs at debug level
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "elapsed": // they change from run to run, and so does
				return slog.Attr{}
			case "url": // the fake's port
				u, _ := url.Parse(a.Value.String())
				return slog.String("path", u.Path)
			}
			return a
		},
	}))
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()), option.WithLogger(logger))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.Organizations.List(ctx, nil); err != nil {
		fmt.Println(err)
		return
	}
	// Output:
	// level=DEBUG msg="http request" method=POST path=/api/v1/token status=200
	// level=DEBUG msg="http request" method=GET path=/api/v1/organizations/amazon status=200
}

// ExampleWithRetry replaces the retry policy of a client. Zero fields take
// their defaults, except MaxRetries: 0 turns retries off. The server here
// answers every request 503 with Retry-After: 0 (retry at once).
func ExampleWithRetry() {
	ctx := context.Background()
	var tries atomic.Int32
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		tries.Add(1)
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer busy.Close()
	token := auth.StaticToken(auth.Token{AccessToken: "token"}) // no login to retry

	for _, policy := range []transport.RetryPolicy{
		{
			MaxRetries: 5,
			BaseDelay:  time.Second,
			MaxDelay:   20 * time.Second,
			// MaxRetryAfter: 5 * time.Minute,
			// StatusCodes: []int{429, 503}, // replaces the default list
		},
		{}, // MaxRetries 0: no retries
	} {
		tries.Store(0)
		c, err := vbaws.NewClient(busy.URL, token, option.WithRetry(policy),
			option.WithInsecureHTTP()) // the test server speaks plain http
		if err != nil {
			fmt.Println(err)
			return
		}
		_, err = c.Organizations.List(ctx, nil)
		fmt.Println("tries:", tries.Load(), "unavailable:", errors.Is(err, apierr.ErrUnavailable))
	}

	_, err := vbaws.NewClient(busy.URL, token, option.WithRetry(transport.RetryPolicy{MaxRetries: -1}))
	fmt.Println(err)
	// Output:
	// tries: 6 unavailable: true
	// tries: 1 unavailable: true
	// vbaws: option: WithRetry: negative MaxRetries
}

// fingerprint stands for the SHA-256 fingerprint the appliance's console
// shows, or openssl prints: it is that of the first certificate in pemData.
func fingerprint(pemData []byte) []byte {
	block, _ := pem.Decode(pemData)
	if block == nil {
		return nil
	}
	sum := sha256.Sum256(block.Bytes)
	return sum[:]
}

// ExampleWithTLSConfig pins the appliance's certificate by its SHA-256
// fingerprint instead of verifying it, for a certificate Go's host name
// check refuses (one with a Common Name only, say). The configuration
// replaces what the other TLS options would build.
func ExampleWithTLSConfig() {
	ctx := context.Background()
	srv, err := vbgcfake.Start(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	pin := fingerprint(srv.CACertPEM()) // hex.DecodeString of the fingerprint, without colons

	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // the standard checks are replaced by the pin below
		VerifyPeerCertificate: func(rawCerts [][]byte, _ [][]*x509.Certificate) error {
			if len(rawCerts) == 0 {
				return errors.New("no certificate")
			}
			sum := sha256.Sum256(rawCerts[0])
			if !bytes.Equal(sum[:], pin) {
				return errors.New("the appliance's certificate does not match the pin")
			}
			return nil
		},
	}
	c, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"), option.WithTLSConfig(cfg))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pinned certificate, login:", c.Login(ctx))

	pin = make([]byte, sha256.Size) // another certificate's pin
	other, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("admin", "s3cret"), option.WithTLSConfig(cfg))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("wrong pin refused:", other.Login(ctx) != nil)
	// Output:
	// pinned certificate, login: <nil>
	// wrong pin refused: true
}

// ExampleWithInsecureSkipVerify turns certificate verification off, for a
// first contact or a test. Verification is on otherwise: a client that
// does not trust the appliance's self-signed certificate cannot log in.
func ExampleWithInsecureSkipVerify() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	creds := vbaws.PasswordCredentials("admin", "s3cret")

	strict, err := vbaws.NewClient(srv.URL(), creds) // the system roots only
	if err != nil {
		fmt.Println(err)
		return
	}
	var unverified *tls.CertificateVerificationError
	fmt.Println("untrusted certificate:", errors.As(strict.Login(ctx), &unverified))

	c, err := vbaws.NewClient(srv.URL(), creds, option.WithInsecureSkipVerify()) // tests, first contact only
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("without verification, login:", c.Login(ctx))
	// Output:
	// untrusted certificate: true
	// without verification, login: <nil>
}

// ExampleWithInsecureHTTP talks to a mock server over plain http, as
// make spec-mock does with Prism. Without the option, NewClient refuses an
// http:// endpoint: credentials would travel in clear text.
func ExampleWithInsecureHTTP() {
	ctx := context.Background()
	f, err := vbgcfake.New(vbgcfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	mock := httptest.NewServer(f) // plain http, say http://127.0.0.1:4010
	defer mock.Close()
	creds := vbgc.PasswordCredentials("admin", "s3cret")

	_, err = vbgc.NewClient(mock.URL, creds)
	fmt.Println("refused:", errors.Is(err, transport.ErrInsecureTransport))

	c, err := vbgc.NewClient(mock.URL, creds, option.WithInsecureHTTP())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("over http, login:", c.Login(ctx))
	// Output:
	// refused: true
	// over http, login: <nil>
}

// An option meant for another product is refused by NewClient, with an
// error that names the option and the product.
func ExampleOption() {
	_, err := vbaws.NewClient("https://vbaws.example.com:11005", vbaws.PasswordCredentials("admin", "s3cret"),
		ibmbr.WithTenant("tenant-a/"))
	fmt.Println(err)
	// Output:
	// vbaws: ibmbr.WithTenant does not apply to vbaws (only to ibmbr)
}
