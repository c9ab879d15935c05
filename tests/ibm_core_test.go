package tests

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/specs"
)

const ibmKey = "ibm-test-api-key"

// startIBM starts an IBM fake whose spec violations fail the test, and a
// client for tenant "tenant-a/" trusting its certificate.
func startIBM(t *testing.T, opts ...ibmfake.Option) (*ibmfake.Server, *ibmbr.Client) {
	t.Helper()
	srv, err := ibmfake.Start(append([]ibmfake.Option{ibmfake.WithAPIKey(ibmKey), ibmfake.WithTenant("tenant-a/"), ibmfake.WithTenant("tenant-b/")}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("ibmbr", srv)
	c, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.APIKey(ibmKey, ibmbr.WithIAMURL(srv.URL())),
		ibmbr.WithTenant("tenant-a/"), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	return srv, c
}

// ibmDoc loads the IBM spec once for all tests.
var ibmDoc = sync.OnceValues(func() (*openapi3.T, error) { return openapi3.NewLoader().LoadFromData(specs.IBMBR) })

// ibmExample decodes the example (or a value synthesized from the schema) of
// a component schema of the IBM spec into a T.
func ibmExample[T any](t *testing.T, schema string) T {
	t.Helper()
	doc, err := ibmDoc()
	require.NoError(t, err)
	ref, ok := doc.Components.Schemas[schema]
	require.True(t, ok, "no schema %s", schema)
	b, err := json.Marshal(fake.Synthesize(ref))
	require.NoError(t, err)
	var v T
	require.NoError(t, json.Unmarshal(b, &v), "schema %s", schema)
	return v
}

func TestIBMMissingTenantFailsBeforeSending(t *testing.T) {
	srv, _ := startIBM(t)
	c, err := ibmbr.NewClient(srv.ServiceURL(), ibmbr.APIKey(ibmKey, ibmbr.WithIAMURL(srv.URL())), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = c.Policies.List(context.Background(), nil)
	require.ErrorIs(t, err, ibmbr.ErrNoTenant)
	assert.Empty(t, srv.Calls(), "nothing reached the service")
	assert.Zero(t, srv.IAMRequests(), "not even IAM")

	// A per-call tenant works without a client-level one.
	_, err = c.Policies.List(ibmbr.ContextWithTenant(context.Background(), "tenant-b/"), nil)
	require.NoError(t, err)
}

func TestIBMUnknownTenantAndExpiredToken(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	_, err := c.Policies.List(ibmbr.ContextWithTenant(ctx, "tenant-zzz/"), nil)
	require.Error(t, err, "the fake refuses tenants it does not know")

	_, err = c.Policies.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 1, srv.IAMRequests())
	srv.ExpireTokens()
	_, err = c.Policies.List(ctx, nil)
	require.NoError(t, err, "a 401 makes the client exchange its API key again, once")
	assert.Equal(t, 2, srv.IAMRequests())
}
