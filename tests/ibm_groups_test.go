package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
)

// ibmGroupRequest is the spec's example group, named name, protected by
// policyID.
func ibmGroupRequest(t *testing.T, name, policyID string) ibmbrapi.ProtectionGroupRequest {
	t.Helper()
	g := ibmExample[ibmbrapi.ProtectionGroupRequest](t, "ProtectionGroupRequest")
	g.Name, g.PolicyId = name, policyID
	return g
}

// ibmGroupWithPolicy creates a policy and a group under it.
func ibmGroupWithPolicy(t *testing.T, ctx context.Context, c *ibmbr.Client) (policy *ibmbrapi.ProtectionPolicyResponse, group *ibmbrapi.ProtectionGroupResponse) {
	t.Helper()
	policy, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.NoError(t, err)
	group, err = c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "linux-file-servers", *policy.Id))
	require.NoError(t, err)
	return policy, group
}

func TestIBMProtectionGroupsCRUD(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	_, err := c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "orphan", "1:2:3"))
	require.ErrorIs(t, err, apierr.ErrBadRequest, "the policy must exist")

	policy, g := ibmGroupWithPolicy(t, ctx, c)
	require.NotNil(t, g.Id)
	assert.Regexp(t, `^\d+:\d+:\d+$`, *g.Id)
	assert.Equal(t, "linux-file-servers", *g.Name)
	assert.Equal(t, *policy.Id, *g.PolicyId)
	assert.True(t, *g.IsActive)
	assert.False(t, *g.IsPaused)
	assert.EqualValues(t, 1, *g.NumProtectedObjects, "the example protects one host")

	_, err = c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "linux-file-servers", *policy.Id))
	require.ErrorIs(t, err, apierr.ErrConflict)
	other, err := c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "sql", *policy.Id))
	require.NoError(t, err)

	var names []string
	for pg, err := range c.ProtectionGroups.All(ctx, nil) {
		require.NoError(t, err)
		names = append(names, *pg.Name)
	}
	assert.Equal(t, []string{"linux-file-servers", "sql"}, names)
	filtered, err := c.ProtectionGroups.List(ctx, &ibmbr.ListProtectionGroupsOptions{Names: &[]string{"sql"}, PolicyIds: &[]string{*policy.Id}})
	require.NoError(t, err)
	require.Len(t, pgItems(filtered.ProtectionGroups), 1)
	assert.Equal(t, *other.Id, *pgItems(filtered.ProtectionGroups)[0].Id)

	p, err := c.Policies.Get(ctx, *policy.Id)
	require.NoError(t, err)
	assert.EqualValues(t, 2, *p.NumProtectionGroups, "the policy counts its groups")
	require.ErrorIs(t, c.Policies.Delete(ctx, *policy.Id), apierr.ErrConflict, "a policy in use cannot be deleted")

	got, err := c.ProtectionGroups.Get(ctx, *g.Id, nil)
	require.NoError(t, err)
	assert.Equal(t, *g.Name, *got.Name)
	assert.Equal(t, g.PhysicalParams.ProtectionType, got.PhysicalParams.ProtectionType)

	upd := ibmGroupRequest(t, "linux-file-servers", *policy.Id)
	paused, desc := true, "paused for maintenance"
	upd.IsPaused, upd.Description = &paused, &desc
	upd.LastModifiedTimestampUsecs = got.LastModifiedTimestampUsecs
	updated, err := c.ProtectionGroups.Update(ctx, *g.Id, upd)
	require.NoError(t, err)
	assert.True(t, *updated.IsPaused)
	assert.Equal(t, desc, *updated.Description)
	_, err = c.ProtectionGroups.Update(ctx, *g.Id, upd)
	require.ErrorIs(t, err, apierr.ErrConflict, "a stale lastModifiedTimestampUsecs is refused")
	upd.LastModifiedTimestampUsecs = nil
	upd.PolicyId = "1:2:3"
	_, err = c.ProtectionGroups.Update(ctx, *g.Id, upd)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "the policy must exist")

	isPaused := true
	pausedOnly, err := c.ProtectionGroups.List(ctx, &ibmbr.ListProtectionGroupsOptions{IsPaused: &isPaused})
	require.NoError(t, err)
	require.Len(t, pgItems(pausedOnly.ProtectionGroups), 1)
	assert.Equal(t, *g.Id, *pgItems(pausedOnly.ProtectionGroups)[0].Id)

	deleteSnaps := true
	require.NoError(t, c.ProtectionGroups.Delete(ctx, *g.Id, &ibmbr.DeleteProtectionGroupOptions{DeleteSnapshots: &deleteSnaps}))
	require.NoError(t, c.ProtectionGroups.Delete(ctx, *other.Id, nil))
	_, err = c.ProtectionGroups.Get(ctx, *g.Id, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.ProtectionGroups.Delete(ctx, *g.Id, nil), apierr.ErrNotFound)
	_, err = c.ProtectionGroups.Update(ctx, *g.Id, ibmGroupRequest(t, "x", *policy.Id))
	require.ErrorIs(t, err, apierr.ErrNotFound)
	left, err := c.ProtectionGroups.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, pgItems(left.ProtectionGroups))
	require.NoError(t, c.Policies.Delete(ctx, *policy.Id), "an unused policy can be deleted")
}

func TestIBMProtectionGroupsPerTenant(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	ctxB := ibmbr.ContextWithTenant(ctx, "tenant-b/")
	policy, g := ibmGroupWithPolicy(t, ctx, c)

	_, err := c.ProtectionGroups.Create(ctxB, ibmGroupRequest(t, "g", *policy.Id))
	require.ErrorIs(t, err, apierr.ErrBadRequest, "tenant B cannot use tenant A's policy")
	listB, err := c.ProtectionGroups.List(ctxB, nil)
	require.NoError(t, err)
	assert.Empty(t, pgItems(listB.ProtectionGroups))
	_, err = c.ProtectionGroups.Get(ctxB, *g.Id, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.ProtectionGroups.ListRuns(ctxB, *g.Id, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.ProtectionGroups.CreateRun(ctxB, *g.Id, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorIs(t, c.ProtectionGroups.Delete(ctxB, *g.Id, nil), apierr.ErrNotFound)
	_, err = c.ProtectionGroups.Get(ctx, *g.Id, nil)
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

	none, err := c.ProtectionGroups.ListRuns(ctx, *g.Id, nil)
	require.NoError(t, err)
	assert.Empty(t, pgItems(none.Runs))

	started, err := c.ProtectionGroups.CreateRun(ctx, *g.Id, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.NoError(t, err)
	assert.Equal(t, *g.Id, *started.ProtectionGroupId)
	_, err = c.ProtectionGroups.CreateRun(ctx, *g.Id, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKFull})
	require.ErrorIs(t, err, apierr.ErrConflict, "one run at a time")

	var seen []ibmbrapi.BackupRunSummaryStatus
	var run ibmbrapi.ProtectionGroupRun
	for range 5 {
		run = ibmReadRun(t, ctx, c, *g.Id)
		seen = append(seen, ibmRunStatus(t, run))
		if seen[len(seen)-1] == ibmbrapi.BackupRunSummaryStatusSucceeded {
			break
		}
	}
	assert.Equal(t, []ibmbrapi.BackupRunSummaryStatus{"Accepted", "Running", "Succeeded"}, seen)
	assert.Regexp(t, `^\d+:\d+$`, *run.Id)
	assert.Equal(t, *g.Id, *run.ProtectionGroupId)
	assert.True(t, *run.HasLocalSnapshot)
	assert.EqualValues(t, 1, *run.LocalBackupInfo.SuccessfulObjectsCount)
	assert.NotNil(t, run.LocalBackupInfo.EndTimeUsecs)

	withLast := true
	got, err := c.ProtectionGroups.Get(ctx, *g.Id, &ibmbr.GetProtectionGroupOptions{IncludeLastRunInfo: &withLast})
	require.NoError(t, err)
	require.NotNil(t, got.LastRun)
	assert.Equal(t, *run.Id, *got.LastRun.Id)

	// A second run; filters by status, type, id and count.
	_, err = c.ProtectionGroups.CreateRun(ctx, *g.Id, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKFull})
	require.NoError(t, err)
	ok := []ibmbrapi.GetProtectionGroupRunsParamsLocalBackupRunStatus{"Succeeded"}
	succeeded, err := c.ProtectionGroups.ListRuns(ctx, *g.Id, &ibmbr.ListProtectionGroupRunsOptions{LocalBackupRunStatus: &ok})
	require.NoError(t, err)
	require.Len(t, pgItems(succeeded.Runs), 1)
	assert.Equal(t, *run.Id, *pgItems(succeeded.Runs)[0].Id)
	full := []ibmbrapi.GetProtectionGroupRunsParamsRunTypes{"kFull"}
	fulls, err := c.ProtectionGroups.ListRuns(ctx, *g.Id, &ibmbr.ListProtectionGroupRunsOptions{RunTypes: &full})
	require.NoError(t, err)
	require.Len(t, pgItems(fulls.Runs), 1)
	assert.NotEqual(t, *run.Id, *pgItems(fulls.Runs)[0].Id)
	one, err := c.ProtectionGroups.ListRuns(ctx, *g.Id, &ibmbr.ListProtectionGroupRunsOptions{RunId: run.Id})
	require.NoError(t, err)
	require.Len(t, pgItems(one.Runs), 1)
	n, since := int64(1), int64(0)
	limited, err := c.ProtectionGroups.ListRuns(ctx, *g.Id, &ibmbr.ListProtectionGroupRunsOptions{NumRuns: &n, StartTimeUsecs: &since})
	require.NoError(t, err)
	assert.Len(t, pgItems(limited.Runs), 1)
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

	_, err := c.ProtectionGroups.CreateRun(ctx, *g.Id, regular)
	require.NoError(t, err)
	run := ibmReadRun(t, ctx, c, *g.Id) // Accepted; the next read shows Running
	runID := *run.Id

	paused, err := c.ProtectionGroups.PauseRuns(ctx, *g.Id, runID)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.PerformRunActionResponseAction("Pause"), *paused.Action)
	require.Len(t, pgItems(paused.PauseParams), 1)
	assert.Nil(t, pgItems(paused.PauseParams)[0].Error)
	for range 3 {
		assert.Equal(t, ibmbrapi.BackupRunSummaryStatusPaused, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.Id)), "a paused run stays paused")
	}
	again, err := c.ProtectionGroups.PauseRuns(ctx, *g.Id, runID, "9:9")
	require.NoError(t, err)
	require.Len(t, pgItems(again.PauseParams), 2)
	assert.NotNil(t, pgItems(again.PauseParams)[0].Error, "already paused")
	assert.NotNil(t, pgItems(again.PauseParams)[1].Error, "no such run")

	resumed, err := c.ProtectionGroups.PerformRunAction(ctx, *g.Id, ibmbrapi.PerformRunActionRequest{
		Action: ibmbrapi.PerformRunActionRequestActionResume, ResumeParams: &[]ibmbrapi.ResumeProtectionRunActionParams{{RunId: runID}}})
	require.NoError(t, err)
	assert.Nil(t, pgItems(resumed.ResumeParams)[0].Error)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusRunning, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.Id)))
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusSucceeded, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.Id)))

	_, err = c.ProtectionGroups.CancelRuns(ctx, *g.Id, runID)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "a finished run cannot be canceled")
	_, err = c.ProtectionGroups.CancelRuns(ctx, *g.Id, "9:9")
	require.ErrorIs(t, err, apierr.ErrNotFound)

	_, err = c.ProtectionGroups.CreateRun(ctx, *g.Id, regular)
	require.NoError(t, err)
	second := *ibmReadRun(t, ctx, c, *g.Id).Id
	canceled, err := c.ProtectionGroups.CancelRuns(ctx, *g.Id, second)
	require.NoError(t, err)
	require.Len(t, pgItems(canceled.CancelParams), 1)
	assert.Equal(t, second, *pgItems(canceled.CancelParams)[0].RunId)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusCanceling, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.Id)))
	last := ibmReadRun(t, ctx, c, *g.Id)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusCanceled, ibmRunStatus(t, last))
	assert.False(t, *last.HasLocalSnapshot)

	// Bad input fails before sending.
	_, err = c.ProtectionGroups.PauseRuns(ctx, *g.Id)
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.PerformRunAction(ctx, *g.Id, ibmbrapi.PerformRunActionRequest{Action: "Stop"})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.PerformRunAction(ctx, "1:2:999", ibmbrapi.PerformRunActionRequest{
		Action: ibmbrapi.PerformRunActionRequestActionPause, PauseParams: &[]ibmbrapi.PauseProtectionRunActionParams{{RunId: "1:1"}}})
	require.ErrorIs(t, err, apierr.ErrNotFound)
}

func TestIBMProtectionGroupRunUpdates(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	_, g := ibmGroupWithPolicy(t, ctx, c)

	_, err := c.ProtectionGroups.CreateRun(ctx, *g.Id, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.NoError(t, err)
	pending := *ibmReadRun(t, ctx, c, *g.Id).Id // Accepted: no snapshot yet

	hold := true
	res, err := c.ProtectionGroups.UpdateRuns(ctx, *g.Id, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunId: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{EnableLegalHold: &hold}}}})
	require.NoError(t, err, "207 Multi-Status is a success")
	assert.Empty(t, pgItems(res.SuccessfulRunIds))
	require.Len(t, pgItems(res.FailedRuns), 1)
	assert.Equal(t, pending, *pgItems(res.FailedRuns)[0].RunId)

	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusRunning, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.Id)))
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusSucceeded, ibmRunStatus(t, ibmReadRun(t, ctx, c, *g.Id)))
	res, err = c.ProtectionGroups.UpdateRuns(ctx, *g.Id, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunId: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{EnableLegalHold: &hold}},
			{RunId: "7:7"}}})
	require.NoError(t, err)
	assert.Equal(t, []string{pending}, pgItems(res.SuccessfulRunIds))
	require.Len(t, pgItems(res.FailedRuns), 1)
	assert.Equal(t, "7:7", *pgItems(res.FailedRuns)[0].RunId)
	run := ibmReadRun(t, ctx, c, *g.Id)
	assert.True(t, *run.OnLegalHold)

	del := true
	res, err = c.ProtectionGroups.UpdateRuns(ctx, *g.Id, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunId: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{DeleteSnapshot: &del}}}})
	require.NoError(t, err)
	assert.Len(t, pgItems(res.FailedRuns), 1, "a snapshot on legal hold cannot be deleted")
	hold = false
	res, err = c.ProtectionGroups.UpdateRuns(ctx, *g.Id, ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{
			{RunId: pending, LocalSnapshotConfig: &ibmbrapi.UpdateLocalSnapshotConfig{EnableLegalHold: &hold, DeleteSnapshot: &del}}}})
	require.NoError(t, err)
	assert.Equal(t, []string{pending}, pgItems(res.SuccessfulRunIds))
	run = ibmReadRun(t, ctx, c, *g.Id)
	assert.True(t, *run.IsLocalSnapshotsDeleted)
	assert.False(t, *run.HasLocalSnapshot)

	_, err = c.ProtectionGroups.UpdateRuns(ctx, *g.Id, ibmbrapi.UpdateProtectionGroupRunRequest{})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	_, err = c.ProtectionGroups.UpdateRuns(ctx, "1:2:999", ibmbrapi.UpdateProtectionGroupRunRequest{
		UpdateProtectionGroupRunParams: []ibmbrapi.UpdateProtectionGroupRunParamsBody{{RunId: "1:1"}}})
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
	bad := "48"
	_, err = c.ProtectionGroups.ListRuns(ctx, "1:2:3", &ibmbr.ListProtectionGroupRunsOptions{RunId: &bad})
	require.ErrorIs(t, err, ibmbr.ErrInvalidGroupRequest)
	assert.Empty(t, srv.Calls())
}
