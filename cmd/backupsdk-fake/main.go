// Command backupsdk-fake serves the fake appliances of backupsdk over HTTPS
// (or plain HTTP): Veeam Backup for AWS, Veeam Backup for Google Cloud,
// Veeam Backup Enterprise Manager and IBM Cloud Backup and Recovery (with an
// IAM token endpoint). Every request is validated against the product's
// spec in specs/ and logged, so teams writing clients in other languages can
// test against it, and users can try the SDK without an appliance.
//
//	go run ./cmd/backupsdk-fake -ca-file fake-ca.pem
//	go run ./cmd/backupsdk-fake -products vbgc -vbgc 127.0.0.1:13140 -mfa 123456 -latency 50ms -error-rate 0.1
//
// At start it prints one line per product: "<product> <url>".
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	crand "crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return // -h and --help print the usage and succeed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "backupsdk-fake:", err)
		os.Exit(2)
	}
}

// config is what the flags set.
type config struct {
	products  []string
	addr      map[string]string
	tls       bool
	caFile    string
	user      string
	password  string
	mfa       string
	apiKey    string
	tenant    string
	seed      int
	latency   time.Duration
	errorRate float64
	quiet     bool
	hosts     []string
}

var allProducts = []string{"vbaws", "vbgc", "vbem", "ibmbr"}

func parse(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("backupsdk-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{addr: map[string]string{}}
	products := fs.String("products", strings.Join(allProducts, ","), "products to serve (comma-separated)")
	addr := map[string]*string{
		"vbaws": fs.String("vbaws", "127.0.0.1:11005", "address of Veeam Backup for AWS"),
		"vbgc":  fs.String("vbgc", "127.0.0.1:13140", "address of Veeam Backup for Google Cloud"),
		"vbem":  fs.String("vbem", "127.0.0.1:9398", "address of Veeam Backup Enterprise Manager"),
		"ibmbr": fs.String("ibmbr", "127.0.0.1:8443", "address of IBM Cloud Backup and Recovery (IAM at the same address)"),
	}
	fs.BoolVar(&c.tls, "tls", true, "serve HTTPS with a generated self-signed certificate")
	fs.StringVar(&c.caFile, "ca-file", "", "write the certificate (PEM) here, for the clients' CA option")
	hosts := fs.String("hosts", "localhost,127.0.0.1,::1", "names and addresses the generated certificate is valid for")
	fs.StringVar(&c.user, "user", "admin", "user name the Veeam fakes accept")
	fs.StringVar(&c.password, "password", "admin", "password the Veeam fakes accept")
	fs.StringVar(&c.mfa, "mfa", "", "require MFA with this one-time code (Veeam Backup for AWS and Google Cloud)")
	fs.StringVar(&c.apiKey, "api-key", "test-api-key", "IBM Cloud API key the IAM endpoint accepts")
	fs.StringVar(&c.tenant, "tenant", "tenant-a/", "IBM tenant id the service knows")
	fs.IntVar(&c.seed, "seed", 10, "how many objects to seed (organizations, policies, sessions)")
	fs.DurationVar(&c.latency, "latency", 0, "delay added to every answer")
	fs.Float64Var(&c.errorRate, "error-rate", 0, "share of requests (0..1) answered 503 with Retry-After: 1")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for k, v := range addr {
		c.addr[k] = *v
	}
	for _, h := range strings.Split(*hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			c.hosts = append(c.hosts, h)
		}
	}
	for _, p := range strings.Split(*products, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(allProducts, p) {
			return nil, fmt.Errorf("unknown product %q (want some of %s)", p, strings.Join(allProducts, ", "))
		}
		c.products = append(c.products, p)
	}
	switch {
	case c.errorRate < 0 || c.errorRate > 1:
		return nil, errors.New("-error-rate must be between 0 and 1")
	case c.latency < 0:
		return nil, errors.New("-latency must not be negative")
	case c.seed < 0:
		return nil, errors.New("-seed must not be negative")
	}
	return c, nil
}

// selfSigned generates a fresh ECDSA key and a self-signed certificate for
// hosts, valid for a day.
func selfSigned(hosts []string) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := crand.Int(crand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "backupsdk-fake"},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(crand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("generate certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, der, nil
}

// product is one served fake: its handler, spec-violation source and error
// body writer.
type product struct {
	name    string
	handler http.Handler
	engine  *fake.Engine
	fail    fake.ErrorWriter
	path    string // base path clients use
}

func build(c *config, name string) (*product, error) {
	switch name {
	case "vbaws":
		opts := []vbawsfake.Option{vbawsfake.WithUser(c.user, c.password), vbawsfake.WithOrganizations(c.seed)}
		if c.mfa != "" {
			opts = append(opts, vbawsfake.WithMFA(c.mfa))
		}
		f, err := vbawsfake.New(opts...)
		if err != nil {
			return nil, err
		}
		return &product{name: name, handler: f, engine: f.Engine, fail: veeamfake.WriteError}, nil
	case "vbgc":
		opts := []vbgcfake.Option{vbgcfake.WithUser(c.user, c.password)}
		if c.mfa != "" {
			opts = append(opts, vbgcfake.WithMFA(c.mfa))
		}
		f, err := vbgcfake.New(opts...)
		if err != nil {
			return nil, err
		}
		if err := f.SeedPolicies(c.seed); err != nil {
			return nil, err
		}
		return &product{name: name, handler: f, engine: f.Engine, fail: veeamfake.WriteJSONError}, nil
	case "vbem":
		f, err := vbemfake.New(vbemfake.WithUser(c.user, c.password))
		if err != nil {
			return nil, err
		}
		return &product{name: name, handler: f, engine: f.Engine, fail: vbemfake.WriteError}, nil
	default:
		f, err := ibmfake.New(ibmfake.WithAPIKey(c.apiKey), ibmfake.WithTenant(c.tenant))
		if err != nil {
			return nil, err
		}
		f.SeedPolicies(c.tenant, c.seed)
		return &product{name: name, handler: f, engine: f.Engine, fail: ibmfake.WriteError, path: "/v2"}, nil
	}
}

// statusWriter remembers the status for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// wrap adds latency, injected errors and a request log in front of a fake.
func wrap(c *config, p *product, log *slog.Logger) http.Handler {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)) //nolint:gosec // fault injection, not security
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if c.latency > 0 {
			select {
			case <-time.After(c.latency):
			case <-r.Context().Done():
				return
			}
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		mu.Lock()
		inject := c.errorRate > 0 && rng.Float64() < c.errorRate
		mu.Unlock()
		if inject {
			sw.Header().Set("Retry-After", "1")
			p.fail(sw, r, http.StatusServiceUnavailable, "ServiceUnavailable", "injected failure")
		} else {
			p.handler.ServeHTTP(sw, r)
		}
		if log != nil {
			log.Info("request", "product", p.name, "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "injected", inject, "elapsed", time.Since(start).Round(time.Microsecond))
		}
	})
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	var log *slog.Logger
	if !c.quiet {
		log = slog.New(slog.NewTextHandler(stderr, nil))
	}
	var servers []*httptest.Server
	defer func() {
		for _, s := range servers {
			s.Close()
		}
	}()
	var cert []byte
	var tlsCfg *tls.Config
	if c.tls {
		kp, der, err := selfSigned(c.hosts)
		if err != nil {
			return err
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{kp}, MinVersion: tls.VersionTLS12}
		cert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	for _, name := range c.products {
		p, err := build(c, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if log != nil {
			prod := name
			p.engine.OnViolation(func(err error) { log.Warn("spec violation", "product", prod, "error", err) })
		}
		var lc net.ListenConfig
		l, err := lc.Listen(ctx, "tcp", c.addr[name])
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s := httptest.NewUnstartedServer(wrap(c, p, log))
		_ = s.Listener.Close()
		s.Listener = l
		if c.tls {
			s.TLS = tlsCfg.Clone()
			s.StartTLS()
		} else {
			s.Start()
		}
		servers = append(servers, s)
		_, _ = fmt.Fprintf(stdout, "%s %s%s\n", name, s.URL, p.path)
	}
	if c.tls && c.caFile != "" {
		if err := os.WriteFile(c.caFile, cert, 0o600); err != nil {
			return fmt.Errorf("write CA file: %w", err)
		}
		_, _ = fmt.Fprintf(stdout, "ca-file %s\n", c.caFile)
	}
	_, _ = fmt.Fprintln(stdout, "ready")
	<-ctx.Done()
	return nil
}
