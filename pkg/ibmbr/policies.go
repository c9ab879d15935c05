package ibmbr

import (
	"context"
	"fmt"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// PoliciesService covers Policies (/data-protect/policies): protection
// policies.
type PoliciesService struct{ service }

// ListPoliciesOptions filter the policies list. The zero value lists all.
type ListPoliciesOptions = ibmbrapi.GetProtectionPoliciesParams

// List returns the protection policies matching opts (nil for all); the
// service answers them in one response.
func (s *PoliciesService) List(ctx context.Context, opts *ListPoliciesOptions) (*ibmbrapi.ProtectionPoliciesResponse, error) {
	p := ListPoliciesOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetProtectionPolicies(ctx, &p)
	return respond.JSON[ibmbrapi.ProtectionPoliciesResponse](resp, err, decode)
}

// All iterates over the protection policies matching opts.
func (s *PoliciesService) All(ctx context.Context, opts *ListPoliciesOptions) iter.Seq2[ibmbrapi.ProtectionPolicyResponse, error] {
	return each(func() ([]ibmbrapi.ProtectionPolicyResponse, error) {
		r, err := s.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.Policies, nil
	})
}

// Get returns a protection policy.
func (s *PoliciesService) Get(ctx context.Context, id string) (*ibmbrapi.ProtectionPolicyResponse, error) {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.GetProtectionPolicyByID(ctx, id, &ibmbrapi.GetProtectionPolicyByIDParams{XIBMTenantID: tenant})
	return respond.JSON[ibmbrapi.ProtectionPolicyResponse](resp, err, decode)
}

// Create creates a protection policy.
func (s *PoliciesService) Create(ctx context.Context, policy ibmbrapi.ProtectionPolicyRequest) (*ibmbrapi.ProtectionPolicyResponse, error) {
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.CreateProtectionPolicy(ctx, &ibmbrapi.CreateProtectionPolicyParams{XIBMTenantID: tenant}, policy)
	return respond.JSON[ibmbrapi.ProtectionPolicyResponse](resp, err, decode)
}

// Update replaces a protection policy.
func (s *PoliciesService) Update(ctx context.Context, id string, policy ibmbrapi.ProtectionPolicyRequest) (*ibmbrapi.ProtectionPolicyResponse, error) {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.UpdateProtectionPolicy(ctx, id, &ibmbrapi.UpdateProtectionPolicyParams{XIBMTenantID: tenant}, policy)
	return respond.JSON[ibmbrapi.ProtectionPolicyResponse](resp, err, decode)
}

// Delete deletes a protection policy.
func (s *PoliciesService) Delete(ctx context.Context, id string) error {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return err
	}
	resp, err := s.api.DeleteProtectionPolicy(ctx, id, &ibmbrapi.DeleteProtectionPolicyParams{XIBMTenantID: tenant})
	return respond.Empty(resp, err, decode)
}

// require returns the tenant of a call that addresses ids, refusing empty
// ids before anything is sent.
func (s service) require(ctx context.Context, ids ...string) (string, error) {
	for _, id := range ids {
		if id == "" {
			return "", fmt.Errorf("ibmbr: %w", apierr.ErrMissingID)
		}
	}
	return s.tenantFor(ctx)
}

// each iterates over a list the service answers in one response.
func each[T any](fetch func() ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		items, err := fetch()
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}
