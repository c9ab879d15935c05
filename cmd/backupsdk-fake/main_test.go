package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// startBinary builds the command, starts it on free ports with the given
// extra flags, and returns the URLs it printed and the CA file.
func startBinary(t *testing.T, extra ...string) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "backupsdk-fake")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	ca := filepath.Join(dir, "ca.pem")
	args := append([]string{"-vbaws", "127.0.0.1:0", "-vbgc", "127.0.0.1:0", "-vbem", "127.0.0.1:0", "-ibmbr", "127.0.0.1:0",
		"-ca-file", ca, "-user", "admin", "-password", "fake-pw", "-api-key", "k-123", "-tenant", "t1/", "-seed", "7"}, extra...)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	logs := &syncBuffer{}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Log(logs.String())
		}
		assert.NotContains(t, logs.String(), "spec violation", "the SDK's requests match the specs")
	})

	urls := map[string]string{}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "the command exited early: %s", logs.String())
			if line == "ready" {
				go func() {
					for range lines {
					}
				}()
				return urls, ca
			}
			name, url, _ := strings.Cut(line, " ")
			urls[name] = url
		case <-deadline:
			t.Fatal("the command did not report ready")
		}
	}
}

// syncBuffer is a bytes.Buffer the command's output goroutine and the test
// can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestStandaloneFakeServesEveryProduct(t *testing.T) {
	urls, ca := startBinary(t, "-mfa", "246810")
	ctx := context.Background()

	// Veeam Backup for AWS, with MFA.
	aws, err := vbaws.NewClient(urls["vbaws"], vbaws.PasswordCredentials("admin", "fake-pw",
		auth.WithMFA(func(context.Context) (string, error) { return "246810", nil })), option.WithCACertFile(ca))
	require.NoError(t, err)
	n := 0
	for _, err := range aws.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{Limit: 3}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 7, n, "the seeded organizations, over three pages")
	require.NoError(t, aws.Logout(ctx))

	// Veeam Backup for Google Cloud: seeded policies, start one, wait.
	gc, err := vbgc.NewClient(urls["vbgc"], vbgc.PasswordCredentials("admin", "fake-pw",
		auth.WithMFA(func(context.Context) (string, error) { return "246810", nil })), option.WithCACertFile(ca))
	require.NoError(t, err)
	policies, err := gc.VMPolicies.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, policies.Data, 7)
	started, err := gc.VMPolicies.Start(ctx, policies.Data[0].ID)
	require.NoError(t, err)
	_, err = gc.Sessions.Wait(ctx, started.SessionID, &poll.Options{Interval: 10 * time.Millisecond})
	require.NoError(t, err)

	// Enterprise Manager, in XML.
	em, err := vbem.NewClient(urls["vbem"], vbem.BasicCredentials("admin", "fake-pw"), option.WithCACertFile(ca), vbem.WithXML())
	require.NoError(t, err)
	accounts, err := em.Accounts.List(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, accounts.Refs)
	require.NoError(t, em.Logout(ctx))

	// IBM Cloud Backup and Recovery, with its IAM endpoint.
	ibm, err := ibmbr.NewClient(urls["ibmbr"], ibmbr.APIKey("k-123", ibmbr.WithIAMURL(strings.TrimSuffix(urls["ibmbr"], "/v2"))),
		ibmbr.WithTenant("t1/"), option.WithCACertFile(ca))
	require.NoError(t, err)
	count := 0
	for _, err := range ibm.Policies.All(ctx, nil) {
		require.NoError(t, err)
		count++
	}
	assert.Equal(t, 7, count)
	_, err = ibm.Policies.Get(ctx, "0:0:404", nil)
	assert.True(t, errors.Is(err, apierr.ErrNotFound))
}

func TestStandaloneFakeInjectsFailures(t *testing.T) {
	urls, ca := startBinary(t, "-products", "vbaws,vbgc,vbem,ibmbr", "-error-rate", "1", "-latency", "5ms")
	c, err := vbaws.NewClient(urls["vbaws"], vbaws.PasswordCredentials("admin", "fake-pw"), option.WithCACertFile(ca),
		option.WithRetry(transport.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: 2 * time.Second,
			Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}))
	require.NoError(t, err)
	err = c.Login(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrUnavailable, "every request is answered 503")
}

func TestFlags(t *testing.T) {
	var stderr bytes.Buffer
	for _, args := range [][]string{{"-products", "nope"}, {"-error-rate", "2"}, {"-latency", "-1s"}, {"-seed", "-3"}, {"-bogus"}} {
		_, err := parse(args, &stderr)
		assert.Error(t, err, "%v", args)
	}
	c, err := parse([]string{"-products", "vbgc,ibmbr", "-tls=false"}, &stderr)
	require.NoError(t, err)
	assert.Equal(t, []string{"vbgc", "ibmbr"}, c.products)
	assert.False(t, c.tls)
}

func TestSelfSignedCertificateIsFreshAndCoversTheHosts(t *testing.T) {
	_, a, err := selfSigned([]string{"localhost", "127.0.0.1", "fake.example"})
	require.NoError(t, err)
	_, b, err := selfSigned([]string{"localhost"})
	require.NoError(t, err)
	assert.NotEqual(t, a, b, "a new certificate each start")
	cert, err := x509.ParseCertificate(a)
	require.NoError(t, err)
	assert.NoError(t, cert.VerifyHostname("127.0.0.1"))
	assert.NoError(t, cert.VerifyHostname("fake.example"))
	assert.Error(t, cert.VerifyHostname("other.example"))
}

func TestHelpPrintsTheFlagsAndSucceeds(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "backupsdk-fake")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	for _, arg := range []string{"-h", "--help"} {
		out, err := exec.Command(bin, arg).CombinedOutput()
		require.NoError(t, err, "%s exits 0", arg)
		assert.Contains(t, string(out), "-api-key")
		assert.Contains(t, string(out), "IBM Cloud API key the IAM endpoint accepts")
	}
	out, err = exec.Command(bin, "-bogus").CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, string(out))
	assert.Equal(t, 2, exit.ExitCode(), "a wrong flag still fails")
}
