//go:build prism

// Package prism runs each product's flow with the Go SDK against Prism, an
// independent mock server that serves the specs as they are: a second
// implementation of our specs, so a request the SDK sends and the spec does
// not allow, or an answer the spec promises and the SDK cannot read, fails
// here. Run with `make spec-mock` (PRISM names the prism binary).
package prism

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/connector"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/reporting"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/sre"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// servers maps each product to the base URL of its Prism.
var servers = map[string]string{}

func TestMain(m *testing.M) {
	bin := os.Getenv("PRISM")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "PRISM is not set: run `make spec-mock`")
		os.Exit(1)
	}
	var procs []*exec.Cmd
	for i, product := range []struct{ name, file string }{
		{"vbaws", "vbaws/openapi.yaml"}, {"vbgc", "vbgc/openapi.yaml"}, {"vbem", "vbem/openapi.yaml"}, {"ibmbr", "ibmbr/openapi.yaml"},
		{"ibmbr-connector", "ibmbr/connector.yaml"}, {"ibmbr-sre", "ibmbr/management-sre.yaml"}, {"ibmbr-reporting", "ibmbr/management-reporting.yaml"},
	} {
		port := freePort(4010 + i)
		spec, _ := filepath.Abs(filepath.Join("..", "..", "specs", filepath.FromSlash(product.file)))
		cmd := exec.Command(bin, "mock", "--host", "127.0.0.1", "-p", strconv.Itoa(port), "--errors", spec)
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "start prism:", err)
			os.Exit(1)
		}
		procs = append(procs, cmd)
		servers[product.name] = "http://127.0.0.1:" + strconv.Itoa(port)
	}
	code := 1
	if err := waitListening(servers, 90*time.Second); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	for _, p := range procs {
		_ = p.Process.Kill()
		_ = p.Wait()
	}
	os.Exit(code)
}

func freePort(preferred int) int {
	if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(preferred)); err == nil {
		_ = l.Close()
		return preferred
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return preferred
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

func waitListening(urls map[string]string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for product, u := range urls {
		host := u[len("http://"):]
		for {
			c, err := net.DialTimeout("tcp", host, time.Second)
			if err == nil {
				_ = c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("prism for %s did not start listening on %s", product, host)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return nil
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestVBAWSFlowAgainstPrism(t *testing.T) {
	c, err := vbaws.NewClient(servers["vbaws"], vbaws.PasswordCredentials("admin", "pw"), option.WithInsecureHTTP())
	require.NoError(t, err)
	ctx := ctx(t)
	require.NoError(t, c.Login(ctx))
	page, err := c.Organizations.List(ctx, &vbaws.ListOrganizationsOptions{Limit: 10})
	require.NoError(t, err)
	require.NotEmpty(t, page.Results)
	org, err := c.Organizations.Get(ctx, page.Results[0].ID)
	require.NoError(t, err)
	assert.NotEmpty(t, org.Name)
	_, err = c.Organizations.ValidateName(ctx, vbawsapi.AmazonOrganizationNameValidationSpec{OrganizationName: "Production"})
	require.NoError(t, err)
	policies, err := c.EC2Policies.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, policies)
	points, err := c.EC2RestorePoints.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, points)
	require.NoError(t, c.Logout(ctx))
}

func TestVBGCFlowAgainstPrism(t *testing.T) {
	c, err := vbgc.NewClient(servers["vbgc"], vbgc.PasswordCredentials("admin", "pw"), option.WithInsecureHTTP())
	require.NoError(t, err)
	ctx := ctx(t)
	require.NoError(t, c.Login(ctx))
	policies, err := c.VMPolicies.List(ctx, &vbgc.ListOptions{Limit: 10})
	require.NoError(t, err)
	require.NotEmpty(t, policies.Data)
	started, err := c.VMPolicies.Start(ctx, policies.Data[0].ID)
	require.NoError(t, err)
	session, err := c.Sessions.Wait(ctx, started.SessionID, &poll.Options{Interval: 10 * time.Millisecond})
	require.NoError(t, err)
	assert.NotEqual(t, uuid.Nil, session.ID)
	require.NoError(t, c.Logout(ctx))
}

func TestVBEMFlowAgainstPrism(t *testing.T) {
	c, err := vbem.NewClient(servers["vbem"], vbem.BasicCredentials(`CORP\admin`, "pw"), option.WithInsecureHTTP())
	require.NoError(t, err)
	ctx := ctx(t)
	versions, err := c.SupportedVersions(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, versions)
	require.NoError(t, c.Login(ctx))
	accounts, err := c.Accounts.List(ctx)
	require.NoError(t, err)
	assert.NotNil(t, accounts)
	jobs, err := c.Jobs.List(ctx)
	require.NoError(t, err)
	assert.NotNil(t, jobs)
	points, err := c.VMRestorePoints.List(ctx)
	require.NoError(t, err)
	assert.NotNil(t, points)
	servers, err := c.BackupServers.List(ctx, nil)
	require.NoError(t, err)
	require.NotNil(t, servers.Refs)
	require.NoError(t, c.Logout(ctx))
}

func TestIBMFlowAgainstPrism(t *testing.T) {
	c, err := ibmbr.NewClient(servers["ibmbr"], ibmbr.BearerToken("prism-token"), ibmbr.WithTenant("tenant-a/"), option.WithInsecureHTTP())
	require.NoError(t, err)
	ctx := ctx(t)
	policies, err := c.Policies.List(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, policies.Policies)
	p := policies.Policies[0]
	got, err := c.Policies.Get(ctx, *p.ID, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, got.Name)
	groups, err := c.ProtectionGroups.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, groups)
}

func TestIBMConnectorFlowAgainstPrism(t *testing.T) {
	c, err := connector.NewClient(servers["ibmbr-connector"], connector.Password("admin", "prism-pw", "LOCAL"), option.WithInsecureHTTP())
	require.NoError(t, err)
	ctx := ctx(t)
	status, err := c.Connector.Status(ctx)
	require.NoError(t, err)
	assert.NotNil(t, status)
}

func TestIBMSREFlowAgainstPrism(t *testing.T) {
	c, err := sre.NewClient(servers["ibmbr-sre"], ibmbr.BearerToken("prism-token"), option.WithInsecureHTTP())
	require.NoError(t, err)
	ctx := ctx(t)
	alerts, err := c.Alerts.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, alerts)
	info, err := c.Clusters.Info(ctx)
	require.NoError(t, err)
	assert.NotNil(t, info)
}

func TestIBMReportingFlowAgainstPrism(t *testing.T) {
	c, err := reporting.NewClient(servers["ibmbr-reporting"], ibmbr.BearerToken("prism-token"), option.WithInsecureHTTP())
	require.NoError(t, err)
	ctx := ctx(t)
	reports, err := c.Reports.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, reports)
	components, err := c.Components.List(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, components)
}
