package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func connectionNames(ctx context.Context, t *testing.T, c *ibmbr.Client, opts *ibmbr.ListConnectionsOptions) []string {
	t.Helper()
	var names []string
	for conn, err := range c.Connections.All(ctx, opts) {
		require.NoError(t, err)
		names = append(names, conn.ConnectionName)
	}
	return names
}

func connectorIDs(ctx context.Context, t *testing.T, c *ibmbr.Client, opts *ibmbr.ListConnectorsOptions) []string {
	t.Helper()
	var ids []string
	for ct, err := range c.Connectors.All(ctx, opts) {
		require.NoError(t, err)
		require.NotNil(t, ct.ConnectorID)
		ids = append(ids, *ct.ConnectorID)
	}
	return ids
}

func TestIBMConnectionsLifecycle(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	env := ibmbrapi.DataSourceConnectionCreateParamsConnectionEnvTypeKRoksVPC
	conn, err := c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "conn-one", ConnectionEnvType: &env})
	require.NoError(t, err)
	require.NotNil(t, conn.ConnectionID)
	assert.Equal(t, "conn-one", conn.ConnectionName)
	assert.Equal(t, ibmbrapi.DataSourceConnectionConnectionEnvTypeKRoksVPC, *conn.ConnectionEnvType)
	assert.Equal(t, "tenant-a/", *conn.TenantID)
	require.NotNil(t, conn.ConnectorIDs)
	require.Len(t, conn.ConnectorIDs, 2, "a new connection starts with two connectors")
	other, err := c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "conn-two"})
	require.NoError(t, err)

	// Both are listed; the filters narrow the list.
	assert.Equal(t, []string{"conn-one", "conn-two"}, connectionNames(ctx, t, c, nil))
	assert.Equal(t, []string{"conn-two"}, connectionNames(ctx, t, c, &ibmbr.ListConnectionsOptions{ConnectionIDs: []string{*other.ConnectionID}}))
	assert.Equal(t, []string{"conn-one"}, connectionNames(ctx, t, c, &ibmbr.ListConnectionsOptions{ConnectionNames: []string{"conn-one"}}))

	// Names are unique within a tenant.
	_, err = c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "conn-two"})
	require.ErrorIs(t, err, apierr.ErrConflict)
	_, err = c.Connections.Patch(ctx, *conn.ConnectionID, ibmbrapi.DataSourceConnectionPatchParams{ConnectionName: "conn-two"})
	require.ErrorIs(t, err, apierr.ErrConflict)

	// Patch renames.
	renamed, err := c.Connections.Patch(ctx, *conn.ConnectionID, ibmbrapi.DataSourceConnectionPatchParams{ConnectionName: "conn-renamed"})
	require.NoError(t, err)
	assert.Equal(t, "conn-renamed", renamed.ConnectionName)
	assert.Equal(t, []string{"conn-renamed", "conn-two"}, connectionNames(ctx, t, c, nil))

	// Each call makes a new registration token, which the connection keeps.
	tok1, err := c.Connections.GenerateRegistrationToken(ctx, *conn.ConnectionID)
	require.NoError(t, err)
	tok2, err := c.Connections.GenerateRegistrationToken(ctx, *conn.ConnectionID)
	require.NoError(t, err)
	assert.NotEmpty(t, tok1)
	assert.NotEqual(t, tok1, tok2)
	l, err := c.Connections.List(ctx, &ibmbr.ListConnectionsOptions{ConnectionIDs: []string{*conn.ConnectionID}})
	require.NoError(t, err)
	require.Len(t, l.Connections, 1)
	assert.Equal(t, tok2, *l.Connections[0].RegistrationToken)

	// A source registers through the connection.
	reg, err := c.Sources.Register(ctx, ibmbrapi.SourceRegistrationRequestParams{
		Environment: ibmbrapi.SourceRegistrationRequestParamsEnvironmentKPhysical, DataSourceConnectionID: conn.ConnectionID,
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "10.3.3.3"}})
	require.NoError(t, err)
	assert.Equal(t, *conn.ConnectionID, *reg.DataSourceConnectionID)

	// Delete removes the connection and its connectors.
	require.NoError(t, c.Connections.Delete(ctx, *conn.ConnectionID))
	assert.Equal(t, []string{"conn-two"}, connectionNames(ctx, t, c, nil))
	assert.Empty(t, connectorIDs(ctx, t, c, &ibmbr.ListConnectorsOptions{ConnectionID: *conn.ConnectionID}))
	assert.Len(t, connectorIDs(ctx, t, c, nil), 2, "conn-two's connectors remain")
	require.ErrorIs(t, c.Connections.Delete(ctx, *conn.ConnectionID), apierr.ErrNotFound)
	_, err = c.Connections.Patch(ctx, *conn.ConnectionID, ibmbrapi.DataSourceConnectionPatchParams{ConnectionName: "x"})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Connections.GenerateRegistrationToken(ctx, *conn.ConnectionID)
	require.ErrorIs(t, err, apierr.ErrNotFound)
}

func TestIBMConnectorsLifecycle(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	one, err := c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "one"})
	require.NoError(t, err)
	two, err := c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "two"})
	require.NoError(t, err)

	// Connectors are listed per connection.
	ofOne := connectorIDs(ctx, t, c, &ibmbr.ListConnectorsOptions{ConnectionID: *one.ConnectionID})
	assert.Equal(t, one.ConnectorIDs, ofOne)
	assert.Equal(t, two.ConnectorIDs, connectorIDs(ctx, t, c, &ibmbr.ListConnectorsOptions{ConnectionID: *two.ConnectionID}))
	assert.Len(t, connectorIDs(ctx, t, c, nil), 4)

	l, err := c.Connectors.List(ctx, &ibmbr.ListConnectorsOptions{ConnectorIDs: []string{ofOne[0]}})
	require.NoError(t, err)
	require.Len(t, l.Connectors, 1)
	ct := l.Connectors[0]
	assert.Equal(t, *one.ConnectionID, *ct.ConnectionID)
	require.NotNil(t, ct.ConnectivityStatus)
	assert.True(t, ct.ConnectivityStatus.IsConnected)

	// Patch renames; the name filter finds it.
	p, err := c.Connectors.Patch(ctx, ofOne[0], ibmbrapi.DataSourceConnectorPatchParams{ConnectorName: to.Ptr("edge-1")})
	require.NoError(t, err)
	assert.Equal(t, "edge-1", *p.ConnectorName)
	assert.Equal(t, []string{ofOne[0]}, connectorIDs(ctx, t, c, &ibmbr.ListConnectorsOptions{ConnectorNames: []string{"edge-1"}}))

	// Delete removes it from the list and from its connection.
	require.NoError(t, c.Connectors.Delete(ctx, ofOne[0]))
	assert.Equal(t, ofOne[1:], connectorIDs(ctx, t, c, &ibmbr.ListConnectorsOptions{ConnectionID: *one.ConnectionID}))
	conns, err := c.Connections.List(ctx, &ibmbr.ListConnectionsOptions{ConnectionIDs: []string{*one.ConnectionID}})
	require.NoError(t, err)
	assert.Equal(t, ofOne[1:], conns.Connections[0].ConnectorIDs)
	require.ErrorIs(t, c.Connectors.Delete(ctx, ofOne[0]), apierr.ErrNotFound)
	_, err = c.Connectors.Patch(ctx, ofOne[0], ibmbrapi.DataSourceConnectorPatchParams{ConnectorName: to.Ptr("x")})
	require.ErrorIs(t, err, apierr.ErrNotFound)

}

// TestIBMConnectorMetadata checks that the metadata offers the release new
// connectors run.
func TestIBMConnectorMetadata(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	chart := func() *ibmbrapi.OciArtifactReference {
		t.Helper()
		md, err := c.Connectors.Metadata(ctx)
		require.NoError(t, err)
		require.NotNil(t, md.ConnectorImageMetadata)
		require.Len(t, md.ConnectorImageMetadata.ConnectorImageFileList, 2)
		require.Len(t, md.K8SConnectorInfoList, 1)
		ref := md.K8SConnectorInfoList[0].HelmChartOciRef
		require.NotNil(t, ref)
		assert.Contains(t, md.ConnectorImageMetadata.ConnectorImageFileList[0].URL, "/"+ref.Tag+"/")
		assert.Contains(t, *md.K8SConnectorInfoList[0].HelmInstallCmd, "--version "+ref.Tag)
		return ref
	}
	version := func(conn *ibmbrapi.DataSourceConnection) string {
		t.Helper()
		list, err := c.Connectors.List(ctx, &ibmbr.ListConnectorsOptions{ConnectionID: *conn.ConnectionID})
		require.NoError(t, err)
		require.NotEmpty(t, list.Connectors)
		return *list.Connectors[0].SoftwareVersion
	}

	old, err := c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "old"})
	require.NoError(t, err)
	first := chart()
	assert.Equal(t, version(old), first.Tag, "the metadata offers what connectors run")

	srv.SetRelease("7.2.0")
	next := chart()
	assert.Equal(t, "7.2.0", next.Tag)
	assert.NotEqual(t, first.Digest, next.Digest)
	fresh, err := c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "fresh"})
	require.NoError(t, err)
	assert.Equal(t, "7.2.0", version(fresh))
	assert.Equal(t, first.Tag, version(old), "existing connectors keep their version")
}

func TestIBMConnectionsTenantIsolation(t *testing.T) {
	_, c := startIBM(t)
	ctxA := context.Background()
	ctxB := ibmbr.ContextWithTenant(ctxA, "tenant-b/")
	conn, err := c.Connections.Create(ctxA, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "shared-name"})
	require.NoError(t, err)

	assert.Empty(t, connectionNames(ctxB, t, c, nil))
	assert.Empty(t, connectorIDs(ctxB, t, c, nil))
	_, err = c.Connections.GenerateRegistrationToken(ctxB, *conn.ConnectionID)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.Connections.Delete(ctxB, *conn.ConnectionID), apierr.ErrNotFound)
	require.ErrorIs(t, c.Connectors.Delete(ctxB, conn.ConnectorIDs[0]), apierr.ErrNotFound)

	// Another tenant may use the same name.
	b, err := c.Connections.Create(ctxB, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "shared-name"})
	require.NoError(t, err)
	assert.Equal(t, "tenant-b/", *b.TenantID)
	assert.Len(t, connectorIDs(ctxA, t, c, nil), 2)
	assert.Len(t, connectorIDs(ctxB, t, c, nil), 2)

	// And tenant-a cannot register a source through tenant-b's connection.
	_, err = c.Sources.Register(ctxA, ibmbrapi.SourceRegistrationRequestParams{
		Environment: ibmbrapi.SourceRegistrationRequestParamsEnvironmentKPhysical, DataSourceConnectionID: b.ConnectionID,
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "10.4.4.4"}})
	require.ErrorIs(t, err, apierr.ErrBadRequest)
}

func TestIBMConnectionsBadInputFailsBeforeSending(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	_, err := c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{})
	require.Error(t, err)
	bad := ibmbrapi.DataSourceConnectionCreateParamsConnectionEnvType("kNowhere")
	_, err = c.Connections.Create(ctx, ibmbrapi.DataSourceConnectionCreateParams{ConnectionName: "x", ConnectionEnvType: &bad})
	require.Error(t, err)
	_, err = c.Connections.Patch(ctx, "1", ibmbrapi.DataSourceConnectionPatchParams{})
	require.Error(t, err)
	_, err = c.Connections.Patch(ctx, "", ibmbrapi.DataSourceConnectionPatchParams{ConnectionName: "x"})
	require.ErrorIs(t, err, apierr.ErrMissingID)
	require.ErrorIs(t, c.Connections.Delete(ctx, ""), apierr.ErrMissingID)
	_, err = c.Connections.GenerateRegistrationToken(ctx, "")
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.Connectors.Patch(ctx, "", ibmbrapi.DataSourceConnectorPatchParams{})
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.Connectors.Patch(ctx, "1", ibmbrapi.DataSourceConnectorPatchParams{ConnectorName: to.Ptr("")})
	require.Error(t, err)
	require.ErrorIs(t, c.Connectors.Delete(ctx, ""), apierr.ErrMissingID)
	assert.Empty(t, srv.Calls(), "nothing reached the service")
}
