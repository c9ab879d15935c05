package ibmbr

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// ConnectionsService covers Data Source Connections (/data-source-connections).
type ConnectionsService struct{ service }

// ListConnectionsOptions filter the data-source connections list. The zero
// value lists all.
type ListConnectionsOptions = ibmbrapi.GetDataSourceConnectionsParams

// errNoConnectionName is returned, before any request, for a connection
// without a name.
var errNoConnectionName = errors.New("ibmbr: empty connection name")

// List returns the data-source connections matching opts (nil for all); the
// service answers them in one response.
func (s *ConnectionsService) List(ctx context.Context, opts *ListConnectionsOptions) (*ibmbrapi.DataSourceConnectionList, error) {
	p := ListConnectionsOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetDataSourceConnections(ctx, &p)
	return respond.JSON[ibmbrapi.DataSourceConnectionList](resp, err, decode)
}

// All iterates over the data-source connections matching opts.
func (s *ConnectionsService) All(ctx context.Context, opts *ListConnectionsOptions) iter.Seq2[ibmbrapi.DataSourceConnection, error] {
	return each(func() ([]ibmbrapi.DataSourceConnection, error) {
		r, err := s.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.Connections, nil
	})
}

// Create creates a data-source connection; its name must be unique within
// the tenant.
func (s *ConnectionsService) Create(ctx context.Context, conn ibmbrapi.DataSourceConnectionCreateParams) (*ibmbrapi.DataSourceConnection, error) {
	if conn.ConnectionName == "" {
		return nil, errNoConnectionName
	}
	if conn.ConnectionEnvType != nil && !conn.ConnectionEnvType.Valid() {
		return nil, fmt.Errorf("ibmbr: invalid connection environment type %q", *conn.ConnectionEnvType)
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.CreateDataSourceConnection(ctx, &ibmbrapi.CreateDataSourceConnectionParams{XIBMTenantID: tenant}, conn)
	return respond.JSON[ibmbrapi.DataSourceConnection](resp, err, decode)
}

// Patch renames a data-source connection.
func (s *ConnectionsService) Patch(ctx context.Context, id string, patch ibmbrapi.DataSourceConnectionPatchParams) (*ibmbrapi.DataSourceConnection, error) {
	if patch.ConnectionName == "" {
		return nil, errNoConnectionName
	}
	tenant, err := s.require(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.PatchDataSourceConnection(ctx, id, &ibmbrapi.PatchDataSourceConnectionParams{XIBMTenantID: tenant}, patch)
	return respond.JSON[ibmbrapi.DataSourceConnection](resp, err, decode)
}

// Delete deletes a data-source connection. Its connectors can no longer
// reach the cluster, so delete it only when no source uses it.
func (s *ConnectionsService) Delete(ctx context.Context, id string) error {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return err
	}
	resp, err := s.api.DeleteDataSourceConnection(ctx, id, &ibmbrapi.DeleteDataSourceConnectionParams{XIBMTenantID: tenant})
	return respond.Empty(resp, err, decode)
}

// GenerateRegistrationToken returns a new token that registers connectors
// against the connection id. A token serves any number of connectors until
// it expires (typically after a day).
func (s *ConnectionsService) GenerateRegistrationToken(ctx context.Context, id string) (string, error) {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return "", err
	}
	resp, err := s.api.GenerateDataSourceConnectionRegistrationToken(ctx, id,
		&ibmbrapi.GenerateDataSourceConnectionRegistrationTokenParams{XIBMTenantID: tenant})
	tok, err := respond.JSON[string](resp, err, decode)
	if err != nil {
		return "", err
	}
	return *tok, nil
}
