package tests

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/poll"
)

// ibmGroupRequest is the spec's example group, named name, protected by
// policyID.
func ibmGroupRequest(t *testing.T, name, policyID string) ibmbrapi.ProtectionGroupRequest {
	t.Helper()
	g := ibmExample[ibmbrapi.ProtectionGroupRequest](t, "ProtectionGroupRequest")
	g.Name, g.PolicyID = name, policyID
	return g
}

// ibmGroupWithPolicy creates a policy and a group under it.
func ibmGroupWithPolicy(t *testing.T, ctx context.Context, c *ibmbr.Client) (policy *ibmbrapi.ProtectionPolicyResponse, group *ibmbrapi.ProtectionGroupResponse) {
	t.Helper()
	policy, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.NoError(t, err)
	group, err = c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "linux-file-servers", *policy.ID))
	require.NoError(t, err)
	return policy, group
}

func TestIBMProtectionGroupsCRUD(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	_, err := c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "orphan", "1:2:3"))
	require.ErrorIs(t, err, apierr.ErrBadRequest, "the policy must exist")

	policy, g := ibmGroupWithPolicy(t, ctx, c)
	require.NotNil(t, g.ID)
	assert.Regexp(t, `^\d+:\d+:\d+$`, *g.ID)
	assert.Equal(t, "linux-file-servers", *g.Name)
	assert.Equal(t, *policy.ID, *g.PolicyID)
	assert.True(t, *g.IsActive)
	assert.False(t, *g.IsPaused)
	assert.EqualValues(t, 1, *g.NumProtectedObjects, "the example protects one host")

	_, err = c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "linux-file-servers", *policy.ID))
	require.ErrorIs(t, err, apierr.ErrConflict)
	other, err := c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "sql", *policy.ID))
	require.NoError(t, err)

	var names []string
	for pg, err := range c.ProtectionGroups.All(ctx, nil) {
		require.NoError(t, err)
		names = append(names, *pg.Name)
	}
	assert.Equal(t, []string{"linux-file-servers", "sql"}, names)
	filtered, err := c.ProtectionGroups.List(ctx, &ibmbr.ListProtectionGroupsOptions{Names: []string{"sql"}, PolicyIDs: []string{*policy.ID}})
	require.NoError(t, err)
	require.Len(t, filtered.ProtectionGroups, 1)
	assert.Equal(t, *other.ID, *filtered.ProtectionGroups[0].ID)

	p, err := c.Policies.Get(ctx, *policy.ID, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, *p.NumProtectionGroups, "the policy counts its groups")
	require.ErrorIs(t, c.Policies.Delete(ctx, *policy.ID), apierr.ErrConflict, "a policy in use cannot be deleted")

	got, err := c.ProtectionGroups.Get(ctx, *g.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, *g.Name, *got.Name)
	assert.Equal(t, g.PhysicalParams.ProtectionType, got.PhysicalParams.ProtectionType)

	upd := ibmGroupRequest(t, "linux-file-servers", *policy.ID)
	paused, desc := true, "paused for maintenance"
	upd.IsPaused, upd.Description = &paused, &desc
	upd.LastModifiedTimestampUsecs = got.LastModifiedTimestampUsecs
	updated, err := c.ProtectionGroups.Update(ctx, *g.ID, upd)
	require.NoError(t, err)
	assert.True(t, *updated.IsPaused)
	assert.Equal(t, desc, *updated.Description)
	_, err = c.ProtectionGroups.Update(ctx, *g.ID, upd)
	require.ErrorIs(t, err, apierr.ErrConflict, "a stale lastModifiedTimestampUsecs is refused")
	upd.LastModifiedTimestampUsecs = nil
	upd.PolicyID = "1:2:3"
	_, err = c.ProtectionGroups.Update(ctx, *g.ID, upd)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "the policy must exist")

	isPaused := true
	pausedOnly, err := c.ProtectionGroups.List(ctx, &ibmbr.ListProtectionGroupsOptions{IsPaused: &isPaused})
	require.NoError(t, err)
	require.Len(t, pausedOnly.ProtectionGroups, 1)
	assert.Equal(t, *g.ID, *pausedOnly.ProtectionGroups[0].ID)

	deleteSnaps := true
	require.NoError(t, c.ProtectionGroups.Delete(ctx, *g.ID, &ibmbr.DeleteProtectionGroupOptions{DeleteSnapshots: &deleteSnaps}))
	require.NoError(t, c.ProtectionGroups.Delete(ctx, *other.ID, nil))
	_, err = c.ProtectionGroups.Get(ctx, *g.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.ProtectionGroups.Delete(ctx, *g.ID, nil), apierr.ErrNotFound)
	_, err = c.ProtectionGroups.Update(ctx, *g.ID, ibmGroupRequest(t, "x", *policy.ID))
	require.ErrorIs(t, err, apierr.ErrNotFound)
	left, err := c.ProtectionGroups.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, left.ProtectionGroups)
	require.NoError(t, c.Policies.Delete(ctx, *policy.ID), "an unused policy can be deleted")
}

func TestIBMProtectionGroupsPerTenant(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	ctxB := ibmbr.ContextWithTenant(ctx, "tenant-b/")
	policy, g := ibmGroupWithPolicy(t, ctx, c)

	_, err := c.ProtectionGroups.Create(ctxB, ibmGroupRequest(t, "g", *policy.ID))
	require.ErrorIs(t, err, apierr.ErrBadRequest, "tenant B cannot use tenant A's policy")
	listB, err := c.ProtectionGroups.List(ctxB, nil)
	require.NoError(t, err)
	assert.Empty(t, listB.ProtectionGroups)
	_, err = c.ProtectionGroups.Get(ctxB, *g.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.ProtectionGroups.ListRuns(ctxB, *g.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.ProtectionGroups.CreateRun(ctxB, *g.ID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.ProtectionGroups.Delete(ctxB, *g.ID, nil), apierr.ErrNotFound)
	_, err = c.ProtectionGroups.Get(ctx, *g.ID, nil)
	require.NoError(t, err)
}

func ibmRunStatus(t *testing.T, r ibmbrapi.ProtectionGroupRun) ibmbrapi.BackupRunSummaryStatus {
	t.Helper()
	require.NotNil(t, r.LocalBackupInfo)
	require.NotNil(t, r.LocalBackupInfo.Status)
	return *r.LocalBackupInfo.Status
}

// readRun lists the group's runs once and returns the newest.
func ibmReadRun(t *testing.T, ctx context.Context, c *ibmbr.Client, groupID string) ibmbrapi.ProtectionGroupRun {
	t.Helper()
	var runs []ibmbrapi.ProtectionGroupRun
	for r, err := range c.ProtectionGroups.AllRuns(ctx, groupID, nil) {
		require.NoError(t, err)
		runs = append(runs, r)
	}
	require.NotEmpty(t, runs)
	return runs[0]
}

func TestIBMProtectionGroupRunsProgress(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	_, g := ibmGroupWithPolicy(t, ctx, c)

	none, err := c.ProtectionGroups.ListRuns(ctx, *g.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, none.Runs)

	started, err := c.ProtectionGroups.CreateRun(ctx, *g.ID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.NoError(t, err)
	assert.Equal(t, *g.ID, *started.ProtectionGroupID)
	require.Len(t, started.RunIDs, 1, "CreateRun names the run it started")
	require.Len(t, started.Runs, 1)
	assert.Equal(t, started.RunIDs[0], *started.Runs[0].ID)
	_, err = c.ProtectionGroups.CreateRun(ctx, *g.ID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKFull})
	require.ErrorIs(t, err, apierr.ErrConflict, "one run at a time")

	// CreateRun read the run once, as it was accepted.
	seen := []ibmbrapi.BackupRunSummaryStatus{ibmRunStatus(t, started.Runs[0])}
	var run ibmbrapi.ProtectionGroupRun
	for range 5 {
		run = ibmReadRun(t, ctx, c, *g.ID)
		seen = append(seen, ibmRunStatus(t, run))
		if seen[len(seen)-1] == ibmbrapi.BackupRunSummaryStatusSucceeded {
			break
		}
	}
	assert.Equal(t, []ibmbrapi.BackupRunSummaryStatus{"Accepted", "Running", "Succeeded"}, seen)
	assert.Equal(t, started.RunIDs[0], *run.ID)
	assert.Regexp(t, `^\d+:\d+$`, *run.ID)
	assert.Equal(t, *g.ID, *run.ProtectionGroupID)
	assert.True(t, *run.HasLocalSnapshot)
	assert.EqualValues(t, 1, *run.LocalBackupInfo.SuccessfulObjectsCount)
	assert.NotNil(t, run.LocalBackupInfo.EndTimeUsecs)

	withLast := true
	got, err := c.ProtectionGroups.Get(ctx, *g.ID, &ibmbr.GetProtectionGroupOptions{IncludeLastRunInfo: &withLast})
	require.NoError(t, err)
	require.NotNil(t, got.LastRun)
	assert.Equal(t, *run.ID, *got.LastRun.ID)

	// A second run; filters by status, type, id and count.
	second, err := c.ProtectionGroups.CreateRun(ctx, *g.ID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKFull})
	require.NoError(t, err)
	require.Len(t, second.RunIDs, 1)
	assert.NotEqual(t, *run.ID, second.RunIDs[0], "only the new run")
	ok := []ibmbrapi.GetProtectionGroupRunsParamsLocalBackupRunStatus{"Succeeded"}
	succeeded, err := c.ProtectionGroups.ListRuns(ctx, *g.ID, &ibmbr.ListProtectionGroupRunsOptions{LocalBackupRunStatus: ok})
	require.NoError(t, err)
	require.Len(t, succeeded.Runs, 1)
	assert.Equal(t, *run.ID, *succeeded.Runs[0].ID)
	full := []ibmbrapi.GetProtectionGroupRunsParamsRunTypes{"kFull"}
	fulls, err := c.ProtectionGroups.ListRuns(ctx, *g.ID, &ibmbr.ListProtectionGroupRunsOptions{RunTypes: full})
	require.NoError(t, err)
	require.Len(t, fulls.Runs, 1)
	assert.Equal(t, second.RunIDs[0], *fulls.Runs[0].ID)
	one, err := c.ProtectionGroups.ListRuns(ctx, *g.ID, &ibmbr.ListProtectionGroupRunsOptions{RunID: *run.ID})
	require.NoError(t, err)
	require.Len(t, one.Runs, 1)
	// A zero option is not sent: the earliest time to filter by is 1.
	limited, err := c.ProtectionGroups.ListRuns(ctx, *g.ID, &ibmbr.ListProtectionGroupRunsOptions{NumRuns: 1, StartTimeUsecs: 1})
	require.NoError(t, err)
	assert.Len(t, limited.Runs, 1)
	assert.EqualValues(t, 2, *limited.TotalRuns)

	_, err = c.ProtectionGroups.ListRuns(ctx, "not-a-group-id", nil)
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupID)
	_, err = c.ProtectionGroups.ListRuns(ctx, "1:2:999", nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.ProtectionGroups.CreateRun(ctx, "1:2:999", ibmbrapi.CreateProtectionGroupRunRequest{RunType: "kRegular"})
	require.ErrorIs(t, err, apierr.ErrNotFound)
}

func TestIBMProtectionGroupRunActions(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	_, g := ibmGroupWithPolicy(t, ctx, c)
	regular := ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular}

	started, err := c.ProtectionGroups.CreateRun(ctx, *g.ID, regular)
	require.NoError(t, err)
	require.Len(t, started.RunIDs, 1)
	runID := started.RunIDs[0] // CreateRun read it Accepted; the next read shows Running

	paused, err := c.ProtectionGroups.PauseRuns(ctx, *g.ID, runID)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.PerformRunActionResponseAction("Pause"), *paused.Action)
	require.Len(t, paused.PauseParams, 1)
	assert.Nil(t, paused.PauseParams[0].Error)
	for range 3 {
		assert.Equal(t, ibmbrapi.BackupRunSummaryStatusPaused, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.ID)), "a paused run stays paused")
	}
	again, err := c.ProtectionGroups.PauseRuns(ctx, *g.ID, runID, "9:9")
	require.NoError(t, err)
	require.Len(t, again.PauseParams, 2)
	assert.NotNil(t, again.PauseParams[0].Error, "already paused")
	assert.NotNil(t, again.PauseParams[1].Error, "no such run")

	resumed, err := c.ProtectionGroups.PerformRunAction(ctx, *g.ID, ibmbrapi.PerformRunActionRequest{
		Action: ibmbrapi.PerformRunActionRequestActionResume, ResumeParams: []ibmbrapi.ResumeProtectionRunActionParams{{RunID: runID}}})
	require.NoError(t, err)
	assert.Nil(t, resumed.ResumeParams[0].Error)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusRunning, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.ID)))
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusSucceeded, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.ID)))

	_, err = c.ProtectionGroups.CancelRuns(ctx, *g.ID, runID)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "a finished run cannot be canceled")
	_, err = c.ProtectionGroups.CancelRuns(ctx, *g.ID, "9:9")
	require.ErrorIs(t, err, apierr.ErrNotFound)

	started, err = c.ProtectionGroups.CreateRun(ctx, *g.ID, regular)
	require.NoError(t, err)
	require.Len(t, started.RunIDs, 1)
	second := started.RunIDs[0]
	assert.NotEqual(t, runID, second)
	canceled, err := c.ProtectionGroups.CancelRuns(ctx, *g.ID, second)
	require.NoError(t, err)
	require.Len(t, canceled.CancelParams, 1)
	assert.Equal(t, second, *canceled.CancelParams[0].RunID)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusCanceling, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.ID)))
	last := ibmReadRun(t, ctx, c, *g.ID)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusCanceled, ibmRunStatus(t, last))
	assert.False(t, *last.HasLocalSnapshot)

	// Bad input fails before sending.
	_, err = c.ProtectionGroups.PauseRuns(ctx, *g.ID)
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.PerformRunAction(ctx, *g.ID, ibmbrapi.PerformRunActionRequest{Action: "Stop"})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.PerformRunAction(ctx, "1:2:999", ibmbrapi.PerformRunActionRequest{
		Action: ibmbrapi.PerformRunActionRequestActionPause, PauseParams: []ibmbrapi.PauseProtectionRunActionParams{{RunID: "1:1"}}})
	require.ErrorIs(t, err, apierr.ErrNotFound)
}

func TestIBMProtectionGroupRunUpdates(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	_, g := ibmGroupWithPolicy(t, ctx, c)

	started, err := c.ProtectionGroups.CreateRun(ctx, *g.ID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.NoError(t, err)
	require.Len(t, started.RunIDs, 1)
	pending := started.RunIDs[0] // CreateRun read it Accepted: no snapshot yet

	hold := true
	res, err := c.ProtectionGroups.UpdateRuns(ctx, *g.ID, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunID: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{EnableLegalHold: &hold}}}})
	require.NoError(t, err, "207 Multi-Status is a success")
	assert.Empty(t, res.SuccessfulRunIDs)
	require.Len(t, res.FailedRuns, 1)
	assert.Equal(t, pending, *res.FailedRuns[0].RunID)

	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusRunning, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.ID)))
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusSucceeded, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.ID)))
	res, err = c.ProtectionGroups.UpdateRuns(ctx, *g.ID, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunID: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{EnableLegalHold: &hold}},
			{RunID: "7:7"}}})
	require.NoError(t, err)
	assert.Equal(t, []string{pending}, res.SuccessfulRunIDs)
	require.Len(t, res.FailedRuns, 1)
	assert.Equal(t, "7:7", *res.FailedRuns[0].RunID)
	run := ibmReadRun(t, ctx, c, *g.ID)
	assert.True(t, *run.OnLegalHold)

	del := true
	res, err = c.ProtectionGroups.UpdateRuns(ctx, *g.ID, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunID: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{DeleteSnapshot: &del}}}})
	require.NoError(t, err)
	assert.Len(t, res.FailedRuns, 1, "a snapshot on legal hold cannot be deleted")
	hold = false
	res, err = c.ProtectionGroups.UpdateRuns(ctx, *g.ID, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunID: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{EnableLegalHold: &hold, DeleteSnapshot: &del}}}})
	require.NoError(t, err)
	assert.Equal(t, []string{pending}, res.SuccessfulRunIDs)
	run = ibmReadRun(t, ctx, c, *g.ID)
	assert.True(t, *run.IsLocalSnapshotsDeleted)
	assert.False(t, *run.HasLocalSnapshot)

	_, err = c.ProtectionGroups.UpdateRuns(ctx, *g.ID, ibmbrapi.UpdateProtectionGroupRunRequest{})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.UpdateRuns(ctx, "1:2:999", ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{{RunID: "1:1"}}})
	require.ErrorIs(t, err, apierr.ErrNotFound)
}

func TestIBMProtectionGroupsRefuseBadInput(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	_, err := c.ProtectionGroups.Create(ctx, ibmbrapi.ProtectionGroupRequest{Name: "x"})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.Get(ctx, "", nil)
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.ProtectionGroups.Update(ctx, "", ibmGroupRequest(t, "x", "1:2:3"))
	require.ErrorIs(t, err, apierr.ErrMissingID)
	require.ErrorIs(t, c.ProtectionGroups.Delete(ctx, "", nil), apierr.ErrMissingID)
	_, err = c.ProtectionGroups.CreateRun(ctx, "1:2:3", ibmbrapi.CreateProtectionGroupRunRequest{})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.CreateRun(ctx, "not-a-group-id", ibmbrapi.CreateProtectionGroupRunRequest{RunType: "kRegular"})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupID, "refused before the run starts, as its runs could not be listed")
	_, err = c.ProtectionGroups.CreateRun(ctx, "", ibmbrapi.CreateProtectionGroupRunRequest{RunType: "kRegular"})
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.ProtectionGroups.ListRuns(ctx, "1:2:3", &ibmbr.ListProtectionGroupRunsOptions{RunID: "48"})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	assert.Empty(t, srv.Calls())
}

// fastPolls keep the waiters quick against the fake, whose runs and
// recoveries move on at every read.
var fastPolls = &poll.Options{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond}

// ibmStartRun creates a group named name under a new policy and starts a
// run of it; it returns the group id and the run id.
func ibmStartRun(t *testing.T, ctx context.Context, c *ibmbr.Client, name string) (groupID, runID string) {
	t.Helper()
	policy, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "policy-of-"+name))
	require.NoError(t, err)
	g, err := c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, name, *policy.ID))
	require.NoError(t, err)
	started, err := c.ProtectionGroups.CreateRun(ctx, *g.ID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.NoError(t, err)
	require.Len(t, started.RunIDs, 1)
	return *g.ID, started.RunIDs[0]
}

func TestIBMWaitRun(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	// Success: the waiter reads the run until its backup has a final status.
	groupID, runID := ibmStartRun(t, ctx, c, "file-servers")
	var seen []ibmbrapi.BackupRunSummaryStatus
	opts := *fastPolls
	opts.OnPoll = func(s any) { seen = append(seen, ibmRunStatus(t, *s.(*ibmbrapi.ProtectionGroupRun))) }
	before := srv.Calls()["getProtectionGroupRuns"]
	run, err := c.ProtectionGroups.WaitRun(ctx, groupID, runID, &opts)
	require.NoError(t, err)
	assert.Equal(t, runID, *run.ID)
	assert.Equal(t, []ibmbrapi.BackupRunSummaryStatus{"Running", "Succeeded"}, seen)
	assert.Equal(t, 2, srv.Calls()["getProtectionGroupRuns"]-before, "one read a status")
	assert.True(t, *run.HasLocalSnapshot)

	// A warning is a success.
	groupID, runID = ibmStartRun(t, ctx, c, "warn-me")
	run, err = c.ProtectionGroups.WaitRun(ctx, groupID, runID, fastPolls)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusSucceededWithWarning, ibmRunStatus(t, *run))

	// A failed run is a *RunError that matches ErrRunFailed.
	groupID, runID = ibmStartRun(t, ctx, c, "fail-me")
	run, err = c.ProtectionGroups.WaitRun(ctx, groupID, runID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRunFailed)
	var runErr *ibmbr.RunError
	require.ErrorAs(t, err, &runErr)
	assert.Equal(t, groupID, runErr.GroupID)
	assert.Equal(t, runID, *runErr.Run.ID)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusFailed, ibmRunStatus(t, runErr.Run))
	assert.Contains(t, err.Error(), "Failed")
	assert.Contains(t, err.Error(), "the fake failed this run")
	require.NotNil(t, run, "the run comes with the error")
	assert.Equal(t, runID, *run.ID)

	// So is a canceled one.
	groupID, runID = ibmStartRun(t, ctx, c, "cancel-me")
	_, err = c.ProtectionGroups.CancelRuns(ctx, groupID, runID)
	require.NoError(t, err)
	_, err = c.ProtectionGroups.WaitRun(ctx, groupID, runID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRunFailed)
	require.ErrorAs(t, err, &runErr)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusCanceled, ibmRunStatus(t, runErr.Run))

	// A paused run does not end: ctx bounds the wait, and the last run read
	// comes back with an error that matches ctx's.
	groupID, runID = ibmStartRun(t, ctx, c, "paused")
	_, err = c.ProtectionGroups.PauseRuns(ctx, groupID, runID)
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	run, err = c.ProtectionGroups.WaitRun(short, groupID, runID, fastPolls)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ibmbr.ErrRunFailed)
	require.NotNil(t, run)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusPaused, ibmRunStatus(t, *run))

	// A run the group does not have, and bad ids.
	_, err = c.ProtectionGroups.WaitRun(ctx, groupID, "9:9", fastPolls)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.ProtectionGroups.WaitRun(ctx, "1:2:999", runID, fastPolls)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	before = srv.Calls()["getProtectionGroupRuns"]
	_, err = c.ProtectionGroups.WaitRun(ctx, groupID, "", fastPolls)
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.ProtectionGroups.WaitRun(ctx, groupID, "48", fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.WaitRun(ctx, "not-a-group", runID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupID)
	assert.Equal(t, before, srv.Calls()["getProtectionGroupRuns"], "bad ids fail before sending")
}
