package vbem

import (
	"context"
	"errors"
	"fmt"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The reference has no action that enables, disables or resizes a tenant:
// each is a PUT /api/cloud/tenants/{id} (CloudTenants.Edit) whose body names
// only what changes. These methods write those bodies.

// ErrQuotaTooSmall is returned, before any request, by SetResourceQuota for
// a quota below 1 GB, which Enterprise Manager refuses.
var ErrQuotaTooSmall = errors.New("vbem: a storage quota cannot be less than 1024 MB")

// Enable enables a tenant account: PUT /api/cloud/tenants/{id} with only
// Enabled=true. It answers the task of the edit.
func (s *CloudTenantsService) Enable(ctx context.Context, tenantID string) (*vbemapi.Task, error) {
	return s.Edit(ctx, tenantID, vbemapi.CloudTenant{Enabled: to.Ptr(true)})
}

// Disable disables a tenant account, which then cannot connect until it is
// enabled again: PUT /api/cloud/tenants/{id} with only Enabled=false. It
// answers the task of the edit.
func (s *CloudTenantsService) Disable(ctx context.Context, tenantID string) (*vbemapi.Task, error) {
	return s.Edit(ctx, tenantID, vbemapi.CloudTenant{Enabled: to.Ptr(false)})
}

// SetResourceQuota changes the size of a storage quota of a tenant to
// quotaMb: it reads the backup resource (GET .../resources/{id}) and sends
// it back with the new size in the Resources of a PUT
// /api/cloud/tenants/{id}, which answers the task of the edit. A quota
// over the capacity of its repository is refused by the server
// (apierr.ErrBadRequest).
func (s *CloudTenantsService) SetResourceQuota(ctx context.Context, tenantID, resourceID string, quotaMb int64) (*vbemapi.Task, error) {
	if quotaMb < 1024 {
		return nil, ErrQuotaTooSmall
	}
	res, err := s.GetResource(ctx, tenantID, resourceID)
	if err != nil {
		return nil, err
	}
	if res.RepositoryQuota == nil {
		return nil, fmt.Errorf("vbem: the backup resource %s has no RepositoryQuota: %w", resourceID, apierr.ErrUnexpectedResponse)
	}
	q := *res.RepositoryQuota
	q.Quota, q.UsedQuota = quotaMb, nil
	edit := vbemapi.CloudTenantResource{ID: to.Ptr(resourceID), RepositoryQuota: &q}
	return s.Edit(ctx, tenantID, vbemapi.CloudTenant{Resources: &vbemapi.CloudTenantResources{CloudTenantResources: []vbemapi.CloudTenantResource{edit}}})
}
