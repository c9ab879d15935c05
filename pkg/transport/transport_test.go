package transport_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/transport"
)

func echoHeaders(req *http.Request) (*http.Response, error) {
	r := httpmock.NewStringResponse(200, "")
	r.Header.Set("Got-User-Agent", req.Header.Get("User-Agent"))
	r.Header.Set("Got-Api-Version", req.Header.Get("X-Api-Version"))
	r.Header["Got-Api-Version-Count"] = []string{string(rune('0' + len(req.Header.Values("X-Api-Version"))))}
	return r, nil
}

func TestHeadersAreSetWhenEmpty(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, apiURL, echoHeaders)
	h := http.Header{}
	h.Set("x-api-version", "1.7-rev0")
	rt := transport.New(transport.Config{Base: mt, UserAgent: "backupsdk/0.1", Headers: h})

	req, err := http.NewRequest(http.MethodGet, apiURL, nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	readBody(t, resp)
	assert.Equal(t, "backupsdk/0.1", resp.Header.Get("Got-User-Agent"))
	assert.Equal(t, "1.7-rev0", resp.Header.Get("Got-Api-Version"))
	assert.Equal(t, "1", resp.Header.Get("Got-Api-Version-Count"))
	// The caller's request is not modified.
	assert.Empty(t, req.Header.Get("User-Agent"))
	assert.Empty(t, req.Header.Get("X-Api-Version"))
}

func TestHeadersKeepCallerValues(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, apiURL, echoHeaders)
	h := http.Header{}
	h.Set("X-Api-Version", "1.7-rev0")
	rt := transport.New(transport.Config{Base: mt, UserAgent: "backupsdk/0.1", Headers: h})

	req, err := http.NewRequest(http.MethodGet, apiURL, nil)
	require.NoError(t, err)
	req.Header.Set("User-Agent", "my-app/2")
	req.Header.Set("x-api-version", "1.6-rev1")
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	readBody(t, resp)
	assert.Equal(t, "my-app/2", resp.Header.Get("Got-User-Agent"))
	assert.Equal(t, "1.6-rev1", resp.Header.Get("Got-Api-Version"))
	assert.Equal(t, "1", resp.Header.Get("Got-Api-Version-Count"), "no duplicate header")

	// An explicitly empty value counts as unset.
	req2, err := http.NewRequest(http.MethodGet, apiURL, nil)
	require.NoError(t, err)
	req2.Header.Set("X-Api-Version", "")
	resp, err = rt.RoundTrip(req2)
	require.NoError(t, err)
	readBody(t, resp)
	assert.Equal(t, "1.7-rev0", resp.Header.Get("Got-Api-Version"))
}

func TestHeadersOnEveryRetry(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var uas []string
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503), status(200)}}
	mt.RegisterResponder(http.MethodGet, apiURL, func(req *http.Request) (*http.Response, error) {
		uas = append(uas, req.Header.Get("User-Agent")+"|"+req.Header.Get("X-Api-Version"))
		return sr.respond(req)
	})
	h := http.Header{}
	h.Set("X-Api-Version", "1.7-rev0")
	rec := &sleepRecorder{}
	rt := transport.New(transport.Config{Base: mt, UserAgent: "sdk/1", Headers: h, Retry: &transport.RetryPolicy{MaxRetries: 2, Sleep: rec.Sleep}})
	resp, err := (&http.Client{Transport: rt}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{"sdk/1|1.7-rev0", "sdk/1|1.7-rev0"}, uas)
}

func TestNewZeroConfigUsesDefaultTransport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("plain " + r.Header.Get("User-Agent")))
	}))
	defer srv.Close()
	rt := transport.New(transport.Config{})
	resp, err := (&http.Client{Transport: rt}).Get(srv.URL)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(readBody(t, resp), "plain Go-http-client"))
}

func TestLoggingOneRecordPerTryAndRedacted(t *testing.T) {
	const secretURL = "https://admin:hunter2@vb.example:11005/api/v1/policies?access_token=AT-SECRET&limit=5"
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){
		status(503, "Retry-After", "0"),
		fail(fmt.Errorf("reset; Authorization: Bearer LEAKED-BEARER password=hunter2: %w", syscall.ECONNRESET)),
		status(200),
	}}
	// A regexp route, as httpmock's plain routes include the user info.
	mt.RegisterRegexpResponder(http.MethodGet, regexp.MustCompile(`vb\.example:11005/api/v1/policies`), sr.respond)

	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rec := &sleepRecorder{}
	rt := transport.New(transport.Config{Base: mt, Logger: logger, Auth: newFakeAuth(),
		Retry: &transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}})

	req, err := http.NewRequest(http.MethodGet, secretURL, nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	readBody(t, resp)

	out := buf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, "one record per try:\n%s", out)
	assert.Contains(t, lines[0], `msg="http request"`)
	assert.Contains(t, lines[0], "status=503")
	assert.Contains(t, lines[0], "method=GET")
	assert.Contains(t, lines[0], "limit=5")
	assert.Contains(t, lines[0], "elapsed=")
	assert.Contains(t, lines[1], `msg="http request failed"`)
	assert.Contains(t, lines[1], "reset")
	assert.Contains(t, lines[1], "REDACTED")
	assert.Contains(t, lines[2], "status=200")
	for _, secret := range []string{"hunter2", "AT-SECRET", "LEAKED-BEARER", "tok-1", "admin:"} {
		assert.NotContains(t, out, secret)
	}
}

func TestLoggingDisabledAboveDebug(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, apiURL, httpmock.NewStringResponder(200, ""))
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rt := transport.New(transport.Config{Base: mt, Logger: logger})
	resp, err := (&http.Client{Transport: rt}).Get(apiURL)
	require.NoError(t, err)
	readBody(t, resp)
	assert.Empty(t, buf.String())
}

func TestLoggingPassesContext(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, apiURL, httpmock.NewStringResponder(200, ""))
	h := &ctxHandler{}
	rt := transport.New(transport.Config{Base: mt, Logger: slog.New(h)})
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "trace-1")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL, nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	readBody(t, resp)
	require.Len(t, h.ctxs, 1)
	assert.Equal(t, "trace-1", h.ctxs[0].Value(key{}))
}

type ctxHandler struct{ ctxs []context.Context }

func (h *ctxHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *ctxHandler) Handle(ctx context.Context, _ slog.Record) error {
	h.ctxs = append(h.ctxs, ctx)
	return nil
}
func (h *ctxHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *ctxHandler) WithGroup(string) slog.Handler      { return h }

// selfSigned returns a self-signed certificate for 127.0.0.1 and localhost.
func selfSigned(t *testing.T) (certPEM []byte, cert tls.Certificate, parsed *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(42),
		Subject:               pkix.Name{CommonName: "vb-appliance"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost", "vb.example"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	parsed, err = x509.ParseCertificate(der)
	require.NoError(t, err)
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err = tls.X509KeyPair(certPEM, keyPEM)
	require.NoError(t, err)
	return certPEM, cert, parsed
}

func TestTLSConfigRejectsGarbage(t *testing.T) {
	for _, garbage := range [][]byte{
		[]byte("not a certificate"),
		[]byte("-----BEGIN CERTIFICATE-----\nbm90IGRlcg==\n-----END CERTIFICATE-----\n"),
		[]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
	} {
		cfg, err := transport.TLSConfig(garbage, false)
		require.Error(t, err, "%q", garbage)
		assert.Nil(t, cfg)
	}
}

func TestTLSConfigAcceptsRealPEM(t *testing.T) {
	certPEM, _, parsed := selfSigned(t)
	cfg, err := transport.TLSConfig(certPEM, false)
	require.NoError(t, err)
	require.NotNil(t, cfg.RootCAs)
	assert.False(t, cfg.InsecureSkipVerify)
	assert.Equal(t, uint16(tls.VersionTLS12), cfg.MinVersion)
	_, err = parsed.Verify(x509.VerifyOptions{Roots: cfg.RootCAs, DNSName: "vb.example"})
	require.NoError(t, err, "the CA from the PEM is trusted")

	// Without the PEM the self-signed certificate is not trusted.
	plain, err := transport.TLSConfig(nil, false)
	require.NoError(t, err)
	assert.Nil(t, plain.RootCAs, "nil means the system roots")
	assert.Equal(t, uint16(tls.VersionTLS12), plain.MinVersion)
	_, err = parsed.Verify(x509.VerifyOptions{Roots: x509.NewCertPool(), DNSName: "vb.example"})
	require.Error(t, err)

	insecure, err := transport.TLSConfig(nil, true)
	require.NoError(t, err)
	assert.True(t, insecure.InsecureSkipVerify)
}

func TestTLSConfigHandshake(t *testing.T) {
	certPEM, cert, _ := selfSigned(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("secure hello"))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted handshake below fails on purpose
	srv.StartTLS()
	defer srv.Close()

	cfg, err := transport.TLSConfig(certPEM, false)
	require.NoError(t, err)
	client := &http.Client{Transport: transport.New(transport.Config{TLS: cfg, Retry: &transport.RetryPolicy{}})}
	resp, err := client.Get(srv.URL)
	require.NoError(t, err)
	assert.Equal(t, "secure hello", readBody(t, resp))

	// The default trust store does not know the appliance.
	untrusted := &http.Client{Transport: transport.New(transport.Config{Retry: &transport.RetryPolicy{}})}
	_, err = untrusted.Get(srv.URL)
	require.Error(t, err)
	var verr *tls.CertificateVerificationError
	assert.ErrorAs(t, err, &verr)

	// Changing cfg after New does not change the pipeline (it was cloned).
	cfg.RootCAs = x509.NewCertPool()
	srv.CloseClientConnections() // force a new handshake
	resp, err = client.Get(srv.URL)
	require.NoError(t, err)
	readBody(t, resp)
}

func TestReadCAFile(t *testing.T) {
	certPEM, _, _ := selfSigned(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(p, certPEM, 0o600))
	b, err := transport.ReadCAFile(p)
	require.NoError(t, err)
	assert.Equal(t, certPEM, b)

	missing := filepath.Join(dir, "missing.pem")
	_, err = transport.ReadCAFile(missing)
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "missing.pem")
}
