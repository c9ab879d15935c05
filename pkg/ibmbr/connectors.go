package ibmbr

import (
	"context"
	"errors"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// ConnectorsService covers Data Source Connectors (/data-source-connectors).
type ConnectorsService struct{ service }

// ListConnectorsOptions filter the data-source connectors list, for example
// by ConnectionID. The zero value lists all.
type ListConnectorsOptions = ibmbrapi.GetDataSourceConnectorsParams

// List returns the data-source connectors matching opts (nil for all); the
// service answers them in one response.
func (s *ConnectorsService) List(ctx context.Context, opts *ListConnectorsOptions) (*ibmbrapi.DataSourceConnectorList, error) {
	p := ListConnectorsOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetDataSourceConnectors(ctx, &p)
	return respond.JSON[ibmbrapi.DataSourceConnectorList](resp, err, decode)
}

// All iterates over the data-source connectors matching opts.
func (s *ConnectorsService) All(ctx context.Context, opts *ListConnectorsOptions) iter.Seq2[ibmbrapi.DataSourceConnector, error] {
	return each(func() ([]ibmbrapi.DataSourceConnector, error) {
		r, err := s.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.Connectors, nil
	})
}

// Metadata returns information about the available connectors: their
// images and the Kubernetes environments they can be deployed to.
func (s *ConnectorsService) Metadata(ctx context.Context) (*ibmbrapi.ConnectorMetadata, error) {
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.GetConnectorMetadata(ctx, &ibmbrapi.GetConnectorMetadataParams{XIBMTenantID: tenant})
	return respond.JSON[ibmbrapi.ConnectorMetadata](resp, err, decode)
}

// Patch updates a data-source connector (its name).
func (s *ConnectorsService) Patch(ctx context.Context, id string, patch ibmbrapi.DataSourceConnectorPatchParams) (*ibmbrapi.DataSourceConnector, error) {
	if patch.ConnectorName != nil && *patch.ConnectorName == "" {
		return nil, errors.New("ibmbr: empty connector name")
	}
	tenant, err := s.require(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.PatchDataSourceConnector(ctx, id, &ibmbrapi.PatchDataSourceConnectorParams{XIBMTenantID: tenant}, patch)
	return respond.JSON[ibmbrapi.DataSourceConnector](resp, err, decode)
}

// Delete deletes a data-source connector.
func (s *ConnectorsService) Delete(ctx context.Context, id string) error {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return err
	}
	resp, err := s.api.DeleteDataSourceConnector(ctx, id, &ibmbrapi.DeleteDataSourceConnectorParams{XIBMTenantID: tenant})
	return respond.Empty(resp, err, decode)
}
