package vbgc

import (
	"context"
	"io"
	"iter"
	"net/http"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// PolicyService manages one family of backup policies. The three families of
// the API (VM instances, Cloud SQL, Cloud Spanner) have the same operations
// on their own models, so one implementation serves all three through the
// aliases VMPoliciesService, SQLPoliciesService and SpannerPoliciesService.
//
// Type parameters: M the policy model, L its list, S the create/modify spec,
// SS the permissions-script spec, St the status, Sc the schedule, C the
// estimated cost, PL the list of protected resources.
type PolicyService[M, L, S, SS, St, Sc, C, PL any] struct {
	service
	b policyBinding[M, L, S, SS, St, Sc, C, PL]
}

// VMPoliciesService covers VM Instance Backup Policies (/api/v1/vmInstance/policies).
type VMPoliciesService = PolicyService[vbgcapi.VMPolicyModel, vbgcapi.VMPolicyListModel, vbgcapi.PolicySpecV2,
	vbgcapi.VMPolicyPermissionsScriptSpec, vbgcapi.VMPolicyStatusModel, vbgcapi.VMPolicyScheduleModel,
	vbgcapi.VMPolicyEstimatedCostModel, vbgcapi.VMPolicyProtectedResourceListModel]

// SQLPoliciesService covers SQL Backup Policies (/api/v1/sqlInstance/policies).
type SQLPoliciesService = PolicyService[vbgcapi.SQLPolicyModelV2, vbgcapi.SQLPolicyListModel, vbgcapi.SQLPolicySpecV3,
	vbgcapi.SQLPolicyPermissionsScriptSpec, vbgcapi.SQLPolicyStatusModel, vbgcapi.SQLPolicyScheduleModel,
	vbgcapi.SQLPolicyEstimatedCostModel, vbgcapi.SQLPolicyProtectedResourceListModel]

// SpannerPoliciesService covers Cloud Spanner Instance Backup Policies
// (/api/v1/spannerInstance/policies).
type SpannerPoliciesService = PolicyService[vbgcapi.SpannerPolicyModel, vbgcapi.SpannerPolicyListModel, vbgcapi.SpannerPolicySpec,
	vbgcapi.SpannerPolicyPermissionsScriptSpec, vbgcapi.SpannerPolicyStatusModel, vbgcapi.SpannerPolicyScheduleModel,
	vbgcapi.SpannerPolicyEstimatedCostModel, vbgcapi.SpannerPolicyProtectedResourceListModel]

type (
	idCall   = func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID) (*http.Response, error)
	listCall = func(ctx context.Context, api vbgcapi.ClientInterface, q query) (*http.Response, error)
	idListFn = func(ctx context.Context, api vbgcapi.ClientInterface, id uuid.UUID, q query) (*http.Response, error)
)

// policyBinding ties the generic service to one family's generated calls.
type policyBinding[M, L, S, SS, St, Sc, C, PL any] struct {
	// family prefixes the operation ids ("Vm", "Sql", "Spanner"), which
	// name the operation in an error about its request body.
	family       string
	list         listCall
	items        func(*L) ([]M, vbgcapi.PaginationModel)
	create       func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec S) (*http.Response, error)
	script       func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec SS, ed ...vbgcapi.RequestEditorFn) (*http.Response, error)
	get, remove  idCall
	update       func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec S) (*http.Response, error)
	start, stop  idCall
	enable       idCall
	disable      idCall
	priority     func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, p int32) (*http.Response, error)
	cost         func(ctx context.Context, api vbgcapi.ClientInterface, v string, spec S) (*http.Response, error)
	costModified func(ctx context.Context, api vbgcapi.ClientInterface, v string, id uuid.UUID, spec S) (*http.Response, error)
	status       idCall
	schedule     idCall
	sessions     idListFn
	protected    idListFn
}

// List returns one page of policies.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) List(ctx context.Context, opts *ListOptions) (*L, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	resp, err := s.b.list(ctx, s.api, q)
	return respond.JSON[L](resp, err, decode)
}

// All iterates over every policy matching opts.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) All(ctx context.Context, opts *ListOptions) iter.Seq2[M, error] {
	return all(ctx, s.version, opts, func(ctx context.Context, q query) ([]M, vbgcapi.PaginationModel, error) {
		resp, err := s.b.list(ctx, s.api, q)
		page, err := respond.JSON[L](resp, err, decode)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		items, pg := s.b.items(page)
		return items, pg, nil
	})
}

// Create creates a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Create(ctx context.Context, spec S) (*M, error) {
	resp, err := s.b.create(ctx, s.api, s.version, spec)
	err = respond.Encode(s.b.family+"PolicyCreate", spec, err)
	return respond.JSON[M](resp, err, decode)
}

// GeneratePermissionsScript streams a script that grants the permissions
// the policies need. The caller closes the reader.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) GeneratePermissionsScript(ctx context.Context, spec SS) (io.ReadCloser, error) {
	resp, err := s.b.script(ctx, s.api, s.version, spec, accept("application/octet-stream"))
	err = respond.Encode(s.b.family+"PoliciesGeneratePermissionsScript", spec, err)
	return respond.Stream(resp, err, decode)
}

// Get returns a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Get(ctx context.Context, id uuid.UUID) (*M, error) {
	resp, err := s.b.get(ctx, s.api, s.version, id)
	return respond.JSON[M](resp, err, decode)
}

// Update modifies a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Update(ctx context.Context, id uuid.UUID, spec S) (*M, error) {
	resp, err := s.b.update(ctx, s.api, s.version, id, spec)
	err = respond.Encode(s.b.family+"PolicyUpdate", spec, err)
	return respond.JSON[M](resp, err, decode)
}

// Delete deletes a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Delete(ctx context.Context, id uuid.UUID) error {
	resp, err := s.b.remove(ctx, s.api, s.version, id)
	return respond.Empty(resp, err, decode)
}

// Start runs a backup policy now and returns its session; follow it with
// Sessions.Wait.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Start(ctx context.Context, id uuid.UUID) (*vbgcapi.SessionIDModel, error) {
	resp, err := s.b.start(ctx, s.api, s.version, id)
	return respond.JSON[vbgcapi.SessionIDModel](resp, err, decode)
}

// Stop stops a running backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Stop(ctx context.Context, id uuid.UUID) error {
	resp, err := s.b.stop(ctx, s.api, s.version, id)
	return respond.Empty(resp, err, decode)
}

// Enable enables a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Enable(ctx context.Context, id uuid.UUID) error {
	resp, err := s.b.enable(ctx, s.api, s.version, id)
	return respond.Empty(resp, err, decode)
}

// Disable disables a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Disable(ctx context.Context, id uuid.UUID) error {
	resp, err := s.b.disable(ctx, s.api, s.version, id)
	return respond.Empty(resp, err, decode)
}

// SetPriority sets the priority of a backup policy (1 is the highest).
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) SetPriority(ctx context.Context, id uuid.UUID, priority int32) error {
	resp, err := s.b.priority(ctx, s.api, s.version, id, priority)
	return respond.Empty(resp, err, decode)
}

// CalculateCost estimates the monthly cost of a policy before creating it.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) CalculateCost(ctx context.Context, spec S) (*C, error) {
	resp, err := s.b.cost(ctx, s.api, s.version, spec)
	err = respond.Encode(s.b.family+"PoliciesCalculateCost", spec, err)
	return respond.JSON[C](resp, err, decode)
}

// CalculateModifiedCost estimates the monthly cost of an existing policy
// with modified settings.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) CalculateModifiedCost(ctx context.Context, id uuid.UUID, spec S) (*C, error) {
	resp, err := s.b.costModified(ctx, s.api, s.version, id, spec)
	err = respond.Encode(s.b.family+"PolicyCalculateCost", spec, err)
	return respond.JSON[C](resp, err, decode)
}

// Status returns the status of a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Status(ctx context.Context, id uuid.UUID) (*St, error) {
	resp, err := s.b.status(ctx, s.api, s.version, id)
	return respond.JSON[St](resp, err, decode)
}

// Schedule returns the schedule of a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Schedule(ctx context.Context, id uuid.UUID) (*Sc, error) {
	resp, err := s.b.schedule(ctx, s.api, s.version, id)
	return respond.JSON[Sc](resp, err, decode)
}

// Sessions returns one page of the sessions of a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) Sessions(ctx context.Context, id uuid.UUID, opts *ListOptions) (*vbgcapi.SessionsInfoListModel, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.sessions(ctx, id, q)
}

func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) sessions(ctx context.Context, id uuid.UUID, q query) (*vbgcapi.SessionsInfoListModel, error) {
	resp, err := s.b.sessions(ctx, s.api, id, q)
	return respond.JSON[vbgcapi.SessionsInfoListModel](resp, err, decode)
}

// AllSessions iterates over every session of a backup policy.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) AllSessions(ctx context.Context, id uuid.UUID, opts *ListOptions) iter.Seq2[vbgcapi.SessionInfoItemModel, error] {
	return all(ctx, s.version, opts, sessionsPage(func(ctx context.Context, q query) (*vbgcapi.SessionsInfoListModel, error) {
		return s.sessions(ctx, id, q)
	}))
}

// ProtectedResources returns one page of the Google Cloud resources a
// policy protects.
func (s *PolicyService[M, L, S, SS, St, Sc, C, PL]) ProtectedResources(ctx context.Context, id uuid.UUID, opts *ListOptions) (*PL, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	resp, err := s.b.protected(ctx, s.api, id, q)
	return respond.JSON[PL](resp, err, decode)
}
