package ibmbr

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// ErrInvalidGroupID is returned, before any request, by the run listing for
// a protection group id that is not of the form clusterId:incarnationId:id.
var ErrInvalidGroupID = errors.New("ibmbr: protection group id must look like clusterId:clusterIncarnationId:groupId")

// ErrInvalidGroupRequest is wrapped by the errors ProtectionGroupsService
// returns, before any request, for a request that lacks what the service
// requires.
var ErrInvalidGroupRequest = errors.New("ibmbr: invalid protection group request")

// ErrRunFailed is matched (errors.Is) by the *RunError of a run whose
// backup failed, was canceled, skipped or missed.
var ErrRunFailed = errors.New("ibmbr: protection group run failed")

// ErrRunCanceled is matched (errors.Is) by the *RunError of a run that was
// canceled (it matches ErrRunFailed too).
var ErrRunCanceled = errors.New("ibmbr: protection group run canceled")

// groupIDPattern is the form of a protection group id. (The form of a run
// id is the generated runIDPattern, the pattern the spec gives the runId
// path parameter of getProtectionGroupRun.)
var groupIDPattern = regexp.MustCompile(`^\d+:\d+:\d+$`)

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

func checkGroupCreate(g ibmbrapi.ProtectionGroupRequest) error { return checkGroupRequest(&g) }

func checkGroupUpdate(_ string, g ibmbrapi.ProtectionGroupRequest) error {
	return checkGroupRequest(&g)
}

func checkListRuns(groupID string, opts *ListProtectionGroupRunsOptions) error {
	if !groupIDPattern.MatchString(groupID) {
		return fmt.Errorf("%w: %q", ErrInvalidGroupID, groupID)
	}
	if opts != nil && opts.RunID != "" && !runIDPattern.MatchString(opts.RunID) {
		return invalidGroupRequest("run id %q must look like instanceId:startTimeUsecs", opts.RunID)
	}
	return nil
}

func checkUpdateRuns(_ string, req ibmbrapi.UpdateProtectionGroupRunRequest) error {
	if len(req.UpdateProtectionGroupRunParams) == 0 {
		return invalidGroupRequest("no runs to update")
	}
	for _, p := range req.UpdateProtectionGroupRunParams {
		if p.RunID == "" {
			return invalidGroupRequest("a run update needs a runId")
		}
	}
	return nil
}

// checkRunAction refuses an action without runs or with an empty run id.
func checkRunAction(_ string, req ibmbrapi.PerformRunActionRequest) error {
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
		return invalidGroupRequest("%s names no runs (set its %sParams)", req.Action, strings.ToLower(string(req.Action)))
	}
	for _, id := range ids {
		if id == "" {
			return invalidGroupRequest("%s: empty run id", req.Action)
		}
	}
	return nil
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

// CreateRunResponse is what CreateRun returns: the service's answer and the
// runs the request started.
type CreateRunResponse struct {
	ibmbrapi.CreateProtectionGroupRunResponse
	// RunIDs are the ids of the runs the request started (normally one),
	// newest first: give one to WaitRun.
	RunIDs []string
	// Runs are those runs as CreateRun first read them.
	Runs []ibmbrapi.ProtectionGroupRun
}

// createRunDefaults pace the wait for a new run to show up, which is at
// once unless the service is busy.
var createRunDefaults = poll.Defaults{Interval: time.Second, MaxInterval: 10 * time.Second}

// CreateRun starts a run of a protection group now, outside its schedule,
// and returns the ids of the runs it started.
//
// The service answers only that it accepted the request, and starts the
// run when it can; so CreateRun reads the group's last run before the
// request, and lists the group's runs after it (at once, then with growing
// pauses) until a newer run shows up. ctx bounds that wait: when it ends
// first, CreateRun returns the service's answer without RunIDs, and the
// error.
//
// POST /data-protect/protection-groups/{id}/runs (operation createProtectionGroupRun)
func (s *ProtectionGroupsService) CreateRun(ctx context.Context, groupID string, run ibmbrapi.CreateProtectionGroupRunRequest) (*CreateRunResponse, error) {
	if groupID == "" {
		return nil, s.c.MissingID("groupID")
	}
	if run.RunType == "" {
		return nil, invalidGroupRequest("a protection group run needs a runType")
	}
	// The runs are listed after the request: a group id the listing
	// refuses must fail before the run is started.
	if err := checkListRuns(groupID, nil); err != nil {
		return nil, err
	}
	withLast := true
	group, err := s.Get(ctx, groupID, &GetProtectionGroupOptions{IncludeLastRunInfo: &withLast})
	if err != nil {
		return nil, err
	}
	tenant, err := s.c.Value(ctx, "tenant")
	if err != nil {
		return nil, err
	}
	contentType, body, err := s.c.Encode("createProtectionGroupRun", run)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.api.CreateProtectionGroupRunWithBody(ctx, groupID,
		&ibmbrapi.CreateProtectionGroupRunParams{XIBMTenantID: tenant}, contentType, body)
	accepted, err := svc.Result[ibmbrapi.CreateProtectionGroupRunResponse](&s.c.Core, resp, err)
	if err != nil {
		return nil, err
	}
	out := &CreateRunResponse{CreateProtectionGroupRunResponse: *accepted}
	runs, err := poll.Until(ctx, "the new run of protection group "+groupID, nil, createRunDefaults,
		func(ctx context.Context) ([]ibmbrapi.ProtectionGroupRun, bool, error) {
			page, err := s.ListRuns(ctx, groupID, nil)
			if err != nil {
				return nil, false, err
			}
			fresh := runsAfter(page.Runs, group.LastRun)
			return fresh, len(fresh) > 0, nil
		})
	if err != nil {
		return out, wrapWait(ctx, err)
	}
	out.Runs = runs
	for _, r := range runs {
		out.RunIDs = append(out.RunIDs, to.Value(r.ID))
	}
	return out, nil
}

// runsAfter returns the runs of a listing (newest first) that are newer
// than last, the group's last run before a request (nil when it had none).
func runsAfter(runs []ibmbrapi.ProtectionGroupRun, last *ibmbrapi.ProtectionGroupRun) []ibmbrapi.ProtectionGroupRun {
	var lastID string
	var lastStart int64
	if last != nil {
		lastID, lastStart = to.Value(last.ID), runStart(last)
	}
	var out []ibmbrapi.ProtectionGroupRun
	for _, r := range runs {
		if lastID != "" && to.Value(r.ID) == lastID {
			break
		}
		// The last run may have left the listing (deleted, or older than its
		// default time range): its start time still tells old runs apart.
		if lastStart > 0 && runStart(&r) <= lastStart {
			continue
		}
		out = append(out, r)
	}
	return out
}

func runStart(r *ibmbrapi.ProtectionGroupRun) int64 {
	if r.LocalBackupInfo == nil {
		return 0
	}
	return to.Value(r.LocalBackupInfo.StartTimeUsecs)
}

// runStatus is the status of a run's local backup ("" when the run has no
// local backup information yet).
func runStatus(r *ibmbrapi.ProtectionGroupRun) ibmbrapi.BackupRunSummaryStatus {
	if r == nil || r.LocalBackupInfo == nil {
		return ""
	}
	return to.Value(r.LocalBackupInfo.Status)
}

// waitDefaults pace WaitRun and RecoveriesService.Wait: runs and
// recoveries take minutes to hours.
var waitDefaults = poll.Defaults{Interval: 2 * time.Second, MaxInterval: 30 * time.Second}

// final tells whether a status of a run's backup or of a recovery (the two
// enums share their values) is final, and whether it is a success.
// Accepted, Running, Paused, OnHold, Finalizing, Canceling and statuses this
// package does not know are not final.
func final(status string) (done, ok bool) {
	switch status {
	case "Succeeded", "SucceededWithWarning":
		return true, true
	case "Failed", "Canceled", "Skipped", "Missed":
		return true, false
	}
	return false, false
}

// wrapWait names the product in the error of a wait that ctx ended.
func wrapWait(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return fmt.Errorf("ibmbr: %w", err)
	}
	return err
}

// WaitRun polls run runID of protection group groupID (ListRuns), at once
// and then with growing pauses (opts may be nil; opts.OnPoll sees each
// *ibmbrapi.ProtectionGroupRun read), until its local backup has a final
// status, and returns the run. Succeeded and SucceededWithWarning are
// success; a run that Failed, was Canceled, Skipped or Missed is returned
// with a *RunError (errors.Is(err, ErrRunFailed); a canceled one matches
// ErrRunCanceled too). ctx bounds the whole wait: when it ends, WaitRun
// returns the last run read and an error that matches ctx.Err().
func (s *ProtectionGroupsService) WaitRun(ctx context.Context, groupID, runID string, opts *poll.Options) (*ibmbrapi.ProtectionGroupRun, error) {
	if opts != nil && opts.OnPoll != nil {
		// OnPoll sees the run alone.
		o, onPoll := *opts, opts.OnPoll
		o.OnPoll = func(st any) { onPoll(st.(*RunState).Run) }
		opts = &o
	}
	return s.waitRun(ctx, groupID, runID, opts, false)
}

// RunState is what WaitRunProgress reports to opts.OnPoll at each poll.
type RunState struct {
	// Run is the run as read.
	Run *ibmbrapi.ProtectionGroupRun
	// Progress is the run's progress (RunProgress), read after the run
	// while the run has not ended; nil once it has.
	Progress *ibmbrapi.GetProtectionRunProgressBody
}

// Percent is how far the local backup has got (0 to 100), and false when
// the state has no progress.
func (st *RunState) Percent() (float32, bool) {
	if st.Progress == nil || st.Progress.LocalRun == nil || st.Progress.LocalRun.PercentageCompleted == nil {
		return 0, false
	}
	return *st.Progress.LocalRun.PercentageCompleted, true
}

// WaitRunProgress is WaitRun reporting progress: at each poll it also
// reads the progress of the run while the run has not ended (RunProgress,
// one more request per poll), and opts.OnPoll sees a *RunState with both.
// A failed progress read ends the wait with its error, as a failed read of
// the run does.
func (s *ProtectionGroupsService) WaitRunProgress(ctx context.Context, groupID, runID string, opts *poll.Options) (*ibmbrapi.ProtectionGroupRun, error) {
	return s.waitRun(ctx, groupID, runID, opts, true)
}

func (s *ProtectionGroupsService) waitRun(ctx context.Context, groupID, runID string, opts *poll.Options, progress bool) (*ibmbrapi.ProtectionGroupRun, error) {
	if runID == "" {
		return nil, s.c.MissingID("runID")
	}
	last := &RunState{} // what a failed read returns
	st, err := poll.Until(ctx, fmt.Sprintf("run %s of protection group %s", runID, groupID), opts, waitDefaults,
		func(ctx context.Context) (*RunState, bool, error) {
			page, err := s.ListRuns(ctx, groupID, &ListProtectionGroupRunsOptions{RunID: runID})
			if err != nil {
				return last, false, err
			}
			i := slices.IndexFunc(page.Runs, func(r ibmbrapi.ProtectionGroupRun) bool { return to.Value(r.ID) == runID })
			if i < 0 {
				return last, false, fmt.Errorf("ibmbr: run %s of protection group %s: %w", runID, groupID, apierr.ErrNotFound)
			}
			last = &RunState{Run: &page.Runs[i]}
			done, _ := final(string(runStatus(last.Run)))
			if progress && !done {
				if last.Progress, err = s.RunProgress(ctx, runID, nil); err != nil {
					return last, false, err
				}
			}
			return last, done, nil
		})
	if st == nil { // ctx ended before the first read
		st = last
	}
	if err != nil {
		return st.Run, wrapWait(ctx, err)
	}
	if _, ok := final(string(runStatus(st.Run))); !ok {
		return st.Run, &RunError{GroupID: groupID, Run: *st.Run}
	}
	return st.Run, nil
}

// RunError is the error of WaitRun for a run whose backup ended without
// success. It matches ErrRunFailed.
type RunError struct {
	// GroupID is the protection group of the run.
	GroupID string
	// Run is the run as last read; Run.LocalBackupInfo holds its status and
	// messages.
	Run ibmbrapi.ProtectionGroupRun
}

func (e *RunError) Error() string {
	msg := fmt.Sprintf("ibmbr: run %s of protection group %s ended %s", to.Value(e.Run.ID), e.GroupID, runStatus(&e.Run))
	if e.Run.LocalBackupInfo != nil && len(e.Run.LocalBackupInfo.Messages) > 0 {
		msg += ": " + strings.Join(e.Run.LocalBackupInfo.Messages, "; ")
	}
	return msg
}

// Is matches ErrRunFailed, and ErrRunCanceled for a canceled run.
func (e *RunError) Is(target error) bool {
	return target == ErrRunFailed || (target == ErrRunCanceled && runStatus(&e.Run) == ibmbrapi.BackupRunSummaryStatusCanceled)
}
