package ibmbr

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// SourcesService covers Source Registrations and Sources (/data-protect/sources).
type SourcesService struct{ service }

// ListSourceRegistrationsOptions filter the source registrations list. The
// zero value lists all.
type ListSourceRegistrationsOptions = ibmbrapi.GetSourceRegistrationsParams

// List returns the Protection Source registrations matching opts (nil for
// all); the service answers them in one response.
func (s *SourcesService) List(ctx context.Context, opts *ListSourceRegistrationsOptions) (*ibmbrapi.SourceRegistrations, error) {
	p := ListSourceRegistrationsOptions{}
	if opts != nil {
		p = *opts
	}
	if p.IncludeSourceCredentials != nil && *p.IncludeSourceCredentials && (p.EncryptionKey == nil || *p.EncryptionKey == "") {
		return nil, errors.New("ibmbr: IncludeSourceCredentials needs an EncryptionKey")
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetSourceRegistrations(ctx, &p)
	return respond.JSON[ibmbrapi.SourceRegistrations](resp, err, decode)
}

// All iterates over the Protection Source registrations matching opts.
func (s *SourcesService) All(ctx context.Context, opts *ListSourceRegistrationsOptions) iter.Seq2[ibmbrapi.SourceRegistrationResponseParams, error] {
	return each(func() ([]ibmbrapi.SourceRegistrationResponseParams, error) {
		r, err := s.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.Registrations, nil
	})
}

// Register registers a Protection Source and returns its registration.
func (s *SourcesService) Register(ctx context.Context, req ibmbrapi.SourceRegistrationRequestParams) (*ibmbrapi.SourceRegistrationResponseParams, error) {
	if !req.Environment.Valid() {
		return nil, fmt.Errorf("ibmbr: invalid source environment %q", req.Environment)
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.RegisterProtectionSource(ctx, &ibmbrapi.RegisterProtectionSourceParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.SourceRegistrationResponseParams](resp, err, decode)
}

// Get returns a Protection Source registration.
func (s *SourcesService) Get(ctx context.Context, id int64) (*ibmbrapi.SourceRegistrationResponseParams, error) {
	tenant, err := s.requireID(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.GetProtectionSourceRegistration(ctx, id, &ibmbrapi.GetProtectionSourceRegistrationParams{XIBMTenantID: tenant})
	return respond.JSON[ibmbrapi.SourceRegistrationResponseParams](resp, err, decode)
}

// Update replaces a Protection Source registration.
func (s *SourcesService) Update(ctx context.Context, id int64, req ibmbrapi.SourceRegistrationUpdateRequestParams) (*ibmbrapi.SourceRegistrationResponseParams, error) {
	if !req.Environment.Valid() {
		return nil, fmt.Errorf("ibmbr: invalid source environment %q", req.Environment)
	}
	tenant, err := s.requireID(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.UpdateProtectionSourceRegistration(ctx, id, &ibmbrapi.UpdateProtectionSourceRegistrationParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.SourceRegistrationResponseParams](resp, err, decode)
}

// Patch partially updates a Protection Source registration.
func (s *SourcesService) Patch(ctx context.Context, id int64, req ibmbrapi.SourceRegistrationPatchRequestParams) (*ibmbrapi.SourceRegistrationResponseParams, error) {
	if !req.Environment.Valid() {
		return nil, fmt.Errorf("ibmbr: invalid source environment %q", req.Environment)
	}
	tenant, err := s.requireID(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.PatchProtectionSourceRegistration(ctx, id, &ibmbrapi.PatchProtectionSourceRegistrationParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.SourceRegistrationResponseParams](resp, err, decode)
}

// Delete deletes a Protection Source registration.
func (s *SourcesService) Delete(ctx context.Context, id int64) error {
	tenant, err := s.requireID(ctx, id)
	if err != nil {
		return err
	}
	resp, err := s.api.DeleteProtectionSourceRegistration(ctx, id, &ibmbrapi.DeleteProtectionSourceRegistrationParams{XIBMTenantID: tenant})
	return respond.Empty(resp, err, decode)
}

// Refresh refreshes the Protection Source sourceID (the SourceID of its
// registration): the service discovers its objects again.
func (s *SourcesService) Refresh(ctx context.Context, sourceID int64) error {
	tenant, err := s.requireID(ctx, sourceID)
	if err != nil {
		return err
	}
	resp, err := s.api.RefreshProtectionSourceByID(ctx, sourceID, &ibmbrapi.RefreshProtectionSourceByIDParams{XIBMTenantID: tenant})
	return respond.Empty(resp, err, decode)
}

// requireID returns the tenant of a call that addresses a numeric id,
// refusing ids that are not positive before anything is sent.
func (s *SourcesService) requireID(ctx context.Context, id int64) (string, error) {
	if id <= 0 {
		return "", fmt.Errorf("ibmbr: %w: source id %d is not positive", apierr.ErrMissingID, id)
	}
	return s.tenantFor(ctx)
}
