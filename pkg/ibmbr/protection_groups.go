package ibmbr

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"regexp"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// ProtectionGroupsService covers Protection Groups and Protection Group Runs (/data-protect/protection-groups).
type ProtectionGroupsService struct{ service }

// ListProtectionGroupsOptions filter the protection groups list. The zero
// value lists all groups that are not deleted.
type ListProtectionGroupsOptions = ibmbrapi.GetProtectionGroupsParams

// GetProtectionGroupOptions choose what Get returns (for example
// IncludeLastRunInfo). nil returns the group alone.
type GetProtectionGroupOptions = ibmbrapi.GetProtectionGroupByIDParams

// DeleteProtectionGroupOptions choose whether Delete also deletes the
// group's snapshots. nil keeps them.
type DeleteProtectionGroupOptions = ibmbrapi.DeleteProtectionGroupParams

// ListProtectionGroupRunsOptions filter the runs of a protection group. The
// zero value returns the service's default (at most 100 runs).
type ListProtectionGroupRunsOptions = ibmbrapi.GetProtectionGroupRunsParams

// ErrInvalidGroupID is returned, before any request, by the run listing for
// a protection group id that is not of the form clusterId:incarnationId:id.
var ErrInvalidGroupID = errors.New("ibmbr: protection group id must look like clusterId:clusterIncarnationId:groupId")

// ErrInvalidGroupRequest is wrapped by the errors ProtectionGroupsService
// returns, before any request, for a request that lacks what the service
// requires.
var ErrInvalidGroupRequest = errors.New("ibmbr: invalid protection group request")

var (
	groupIDPattern = regexp.MustCompile(`^\d+:\d+:\d+$`)
	runIDPattern   = regexp.MustCompile(`^\d+:\d+$`)
)

func invalidGroupRequest(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidGroupRequest}, a...)...)
}

func checkGroupRequest(g *ibmbrapi.ProtectionGroupRequest) error {
	switch {
	case g.Name == "":
		return invalidGroupRequest("a protection group needs a name")
	case g.PolicyID == "":
		return invalidGroupRequest("a protection group needs a policyId")
	case g.Environment == "":
		return invalidGroupRequest("a protection group needs an environment")
	}
	return nil
}

// List returns the protection groups matching opts (nil for all); the
// service answers them in one response.
func (s *ProtectionGroupsService) List(ctx context.Context, opts *ListProtectionGroupsOptions) (*ibmbrapi.ProtectionGroupsResponse, error) {
	p := ListProtectionGroupsOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.GetProtectionGroups(ctx, &p)
	return respond.JSON[ibmbrapi.ProtectionGroupsResponse](resp, err, decode)
}

// All iterates over the protection groups matching opts.
func (s *ProtectionGroupsService) All(ctx context.Context, opts *ListProtectionGroupsOptions) iter.Seq2[ibmbrapi.ProtectionGroupResponse, error] {
	return each(func() ([]ibmbrapi.ProtectionGroupResponse, error) {
		r, err := s.List(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.ProtectionGroups, nil
	})
}

// Get returns a protection group; opts may be nil.
func (s *ProtectionGroupsService) Get(ctx context.Context, id string, opts *GetProtectionGroupOptions) (*ibmbrapi.ProtectionGroupResponse, error) {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return nil, err
	}
	p := GetProtectionGroupOptions{}
	if opts != nil {
		p = *opts
	}
	p.XIBMTenantID = tenant
	resp, err := s.api.GetProtectionGroupByID(ctx, id, &p)
	return respond.JSON[ibmbrapi.ProtectionGroupResponse](resp, err, decode)
}

// Create creates a protection group protected by an existing policy
// (group.PolicyID).
func (s *ProtectionGroupsService) Create(ctx context.Context, group ibmbrapi.ProtectionGroupRequest) (*ibmbrapi.ProtectionGroupResponse, error) {
	if err := checkGroupRequest(&group); err != nil {
		return nil, err
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.CreateProtectionGroup(ctx, &ibmbrapi.CreateProtectionGroupParams{XIBMTenantID: tenant}, group)
	return respond.JSON[ibmbrapi.ProtectionGroupResponse](resp, err, decode)
}

// Update replaces a protection group. When group.LastModifiedTimestampUsecs
// is set, the service refuses the update if the group changed since.
func (s *ProtectionGroupsService) Update(ctx context.Context, id string, group ibmbrapi.ProtectionGroupRequest) (*ibmbrapi.ProtectionGroupResponse, error) {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := checkGroupRequest(&group); err != nil {
		return nil, err
	}
	resp, err := s.api.UpdateProtectionGroup(ctx, id, &ibmbrapi.UpdateProtectionGroupParams{XIBMTenantID: tenant}, group)
	return respond.JSON[ibmbrapi.ProtectionGroupResponse](resp, err, decode)
}

// Delete deletes a protection group; opts may be nil.
func (s *ProtectionGroupsService) Delete(ctx context.Context, id string, opts *DeleteProtectionGroupOptions) error {
	tenant, err := s.require(ctx, id)
	if err != nil {
		return err
	}
	p := DeleteProtectionGroupOptions{}
	if opts != nil {
		p = *opts
	}
	p.XIBMTenantID = tenant
	resp, err := s.api.DeleteProtectionGroup(ctx, id, &p)
	return respond.Empty(resp, err, decode)
}

// ListRuns returns the runs of a protection group matching opts (nil for
// the service's default); the service answers them in one response.
func (s *ProtectionGroupsService) ListRuns(ctx context.Context, groupID string, opts *ListProtectionGroupRunsOptions) (*ibmbrapi.ProtectionGroupRunsResponse, error) {
	tenant, err := s.require(ctx, groupID)
	if err != nil {
		return nil, err
	}
	if !groupIDPattern.MatchString(groupID) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidGroupID, groupID)
	}
	p := ListProtectionGroupRunsOptions{}
	if opts != nil {
		p = *opts
	}
	if p.RunID != nil && !runIDPattern.MatchString(*p.RunID) {
		return nil, invalidGroupRequest("run id %q must look like instanceId:startTimeUsecs", *p.RunID)
	}
	p.XIBMTenantID = tenant
	resp, err := s.api.GetProtectionGroupRuns(ctx, groupID, &p)
	return respond.JSON[ibmbrapi.ProtectionGroupRunsResponse](resp, err, decode)
}

// AllRuns iterates over the runs of a protection group matching opts.
func (s *ProtectionGroupsService) AllRuns(ctx context.Context, groupID string, opts *ListProtectionGroupRunsOptions) iter.Seq2[ibmbrapi.ProtectionGroupRun, error] {
	return each(func() ([]ibmbrapi.ProtectionGroupRun, error) {
		r, err := s.ListRuns(ctx, groupID, opts)
		if err != nil {
			return nil, err
		}
		return r.Runs, nil
	})
}

// CreateRun starts a run of a protection group now, outside its schedule.
// The service accepts the request and starts the run when it can: poll
// ListRuns to follow it.
func (s *ProtectionGroupsService) CreateRun(ctx context.Context, groupID string, run ibmbrapi.CreateProtectionGroupRunRequest) (*ibmbrapi.CreateProtectionGroupRunResponse, error) {
	tenant, err := s.require(ctx, groupID)
	if err != nil {
		return nil, err
	}
	if run.RunType == "" {
		return nil, invalidGroupRequest("a protection group run needs a runType")
	}
	resp, err := s.api.CreateProtectionGroupRun(ctx, groupID, &ibmbrapi.CreateProtectionGroupRunParams{XIBMTenantID: tenant}, run)
	return respond.JSON[ibmbrapi.CreateProtectionGroupRunResponse](resp, err, decode)
}

// UpdateRuns changes runs of a protection group (retention, legal hold,
// snapshot deletion, new copy targets). The service answers 207
// Multi-Status: runs it could not update are listed in the result's
// FailedRuns, not returned as an error.
func (s *ProtectionGroupsService) UpdateRuns(ctx context.Context, groupID string, req ibmbrapi.UpdateProtectionGroupRunRequest) (*ibmbrapi.UpdateProtectionGroupRunResponse, error) {
	tenant, err := s.require(ctx, groupID)
	if err != nil {
		return nil, err
	}
	if len(req.UpdateProtectionGroupRunParams) == 0 {
		return nil, invalidGroupRequest("no runs to update")
	}
	for _, p := range req.UpdateProtectionGroupRunParams {
		if p.RunID == "" {
			return nil, invalidGroupRequest("a run update needs a runId")
		}
	}
	resp, err := s.api.UpdateProtectionGroupRun(ctx, groupID, &ibmbrapi.UpdateProtectionGroupRunParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.UpdateProtectionGroupRunResponse](resp, err, decode)
}

// PerformRunAction cancels, pauses or resumes runs of a protection group,
// as req.Action says; the params of that action name the runs.
func (s *ProtectionGroupsService) PerformRunAction(ctx context.Context, groupID string, req ibmbrapi.PerformRunActionRequest) (*ibmbrapi.PerformRunActionResponse, error) {
	tenant, err := s.require(ctx, groupID)
	if err != nil {
		return nil, err
	}
	if err := checkRunAction(&req); err != nil {
		return nil, err
	}
	resp, err := s.api.PerformActionOnProtectionGroupRun(ctx, groupID, &ibmbrapi.PerformActionOnProtectionGroupRunParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.PerformRunActionResponse](resp, err, decode)
}

// CancelRuns cancels runs of a protection group.
func (s *ProtectionGroupsService) CancelRuns(ctx context.Context, groupID string, runIDs ...string) (*ibmbrapi.PerformRunActionResponse, error) {
	ps := make([]ibmbrapi.CancelProtectionGroupRunRequest, 0, len(runIDs))
	for _, id := range runIDs {
		ps = append(ps, ibmbrapi.CancelProtectionGroupRunRequest{RunID: id})
	}
	return s.PerformRunAction(ctx, groupID, ibmbrapi.PerformRunActionRequest{Action: ibmbrapi.PerformRunActionRequestActionCancel, CancelParams: ps})
}

// PauseRuns pauses running runs of a protection group.
func (s *ProtectionGroupsService) PauseRuns(ctx context.Context, groupID string, runIDs ...string) (*ibmbrapi.PerformRunActionResponse, error) {
	ps := make([]ibmbrapi.PauseProtectionRunActionParams, 0, len(runIDs))
	for _, id := range runIDs {
		ps = append(ps, ibmbrapi.PauseProtectionRunActionParams{RunID: id})
	}
	return s.PerformRunAction(ctx, groupID, ibmbrapi.PerformRunActionRequest{Action: ibmbrapi.PerformRunActionRequestActionPause, PauseParams: ps})
}

// ResumeRuns resumes paused runs of a protection group.
func (s *ProtectionGroupsService) ResumeRuns(ctx context.Context, groupID string, runIDs ...string) (*ibmbrapi.PerformRunActionResponse, error) {
	ps := make([]ibmbrapi.ResumeProtectionRunActionParams, 0, len(runIDs))
	for _, id := range runIDs {
		ps = append(ps, ibmbrapi.ResumeProtectionRunActionParams{RunID: id})
	}
	return s.PerformRunAction(ctx, groupID, ibmbrapi.PerformRunActionRequest{Action: ibmbrapi.PerformRunActionRequestActionResume, ResumeParams: ps})
}

// checkRunAction refuses an action without runs or with an empty run id.
func checkRunAction(req *ibmbrapi.PerformRunActionRequest) error {
	var ids []string
	switch req.Action {
	case ibmbrapi.PerformRunActionRequestActionCancel:
		for _, p := range req.CancelParams {
			ids = append(ids, p.RunID)
		}
	case ibmbrapi.PerformRunActionRequestActionPause:
		for _, p := range req.PauseParams {
			ids = append(ids, p.RunID)
		}
	case ibmbrapi.PerformRunActionRequestActionResume:
		for _, p := range req.ResumeParams {
			ids = append(ids, p.RunID)
		}
	default:
		return invalidGroupRequest("run action %q is not one of Cancel, Pause, Resume", req.Action)
	}
	if len(ids) == 0 {
		return invalidGroupRequest("%s names no runs (set its %sParams)", req.Action, pgLowerFirst(string(req.Action)))
	}
	for _, id := range ids {
		if id == "" {
			return invalidGroupRequest("%s: empty run id", req.Action)
		}
	}
	return nil
}

func pgLowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
