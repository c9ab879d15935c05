package tests

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The operations of IBM's Go SDK beyond IBM's API reference: single runs
// and their progress, recovery cancellation, snapshot meta information, and
// the legacy (/irisservices/api/v1) protection sources and progress
// monitors.

func progressOf(t *testing.T, p *ibmbrapi.GetProtectionRunProgressBody) (ibmbrapi.BackupRunProgressInfoStatus, float32) {
	t.Helper()
	require.NotNil(t, p.LocalRun)
	require.NotNil(t, p.LocalRun.Status)
	require.NotNil(t, p.LocalRun.PercentageCompleted)
	return *p.LocalRun.Status, *p.LocalRun.PercentageCompleted
}

func TestIBMGetRunAndProgress(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	groupID, runID := ibmStartRun(t, ctx, c, "file-servers")

	// Starting the run listed it once: it is running now, and every
	// progress read finds it further on.
	events := true
	p, err := c.ProtectionGroups.RunProgress(ctx, runID, &ibmbr.RunProgressOptions{IncludeEventLogs: &events})
	require.NoError(t, err)
	status, pct := progressOf(t, p)
	assert.Equal(t, ibmbrapi.BackupRunProgressInfoStatusActive, status)
	assert.InDelta(t, 10, pct, 0.01)
	require.NotEmpty(t, p.LocalRun.Events)
	assert.Equal(t, "The run is Running.", *p.LocalRun.Events[len(p.LocalRun.Events)-1].Message)
	require.Len(t, p.LocalRun.Objects, 1)
	assert.Equal(t, int64(31), *p.LocalRun.Objects[0].ID)
	assert.Positive(t, *p.LocalRun.ExpectedRemainingTimeUsecs)
	var seen []float32
	for range 5 {
		p, err = c.ProtectionGroups.RunProgress(ctx, runID, nil)
		require.NoError(t, err)
		_, pct := progressOf(t, p)
		seen = append(seen, pct)
	}
	assert.Equal(t, []float32{30, 50, 70, 90, 90}, seen, "the progress grows and stays below 100 while the run runs")
	assert.Empty(t, p.LocalRun.Events, "events only on request")

	// Reading the run itself: without object details unless asked; the
	// read moves the run on, to its end.
	run, err := c.ProtectionGroups.GetRun(ctx, groupID, runID, nil)
	require.NoError(t, err)
	assert.Equal(t, runID, *run.ID)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusRunning, ibmRunStatus(t, *run))
	assert.Empty(t, run.Objects)
	details := true
	run, err = c.ProtectionGroups.GetRun(ctx, groupID, runID, &ibmbr.GetProtectionGroupRunOptions{IncludeObjectDetails: &details})
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusSucceeded, ibmRunStatus(t, *run))
	assert.Len(t, run.Objects, 1)
	assert.Equal(t, *run, ibmReadRun(t, ctx, c, groupID), "GetRun and the listing agree")

	p, err = c.ProtectionGroups.RunProgress(ctx, runID, nil)
	require.NoError(t, err)
	status, pct = progressOf(t, p)
	assert.Equal(t, ibmbrapi.BackupRunProgressInfoStatusFinished, status)
	assert.InDelta(t, 100, pct, 0.01)
	assert.Equal(t, *run.LocalBackupInfo.EndTimeUsecs, *p.LocalRun.EndTimeUsecs)

	// The objects filter and excludeObjectDetails.
	p, err = c.ProtectionGroups.RunProgress(ctx, runID, &ibmbr.RunProgressOptions{Objects: []int64{999}})
	require.NoError(t, err)
	assert.Empty(t, p.LocalRun.Objects)
	exclude := true
	p, err = c.ProtectionGroups.RunProgress(ctx, runID, &ibmbr.RunProgressOptions{ExcludeObjectDetails: &exclude})
	require.NoError(t, err)
	assert.Nil(t, p.LocalRun.Objects)

	// Unknown runs, malformed ids and other tenants.
	_, err = c.ProtectionGroups.GetRun(ctx, groupID, "1:1", nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.ProtectionGroups.RunProgress(ctx, "1:1", nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	sent := srv.Calls()["getProtectionGroupRun"]
	_, err = c.ProtectionGroups.GetRun(ctx, groupID, "run-1", nil)
	require.ErrorContains(t, err, `run ID "run-1" does not match`)
	assert.Equal(t, sent, srv.Calls()["getProtectionGroupRun"], "refused before sending")
	_, err = c.ProtectionGroups.GetRun(ctx, groupID, "", nil)
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.ProtectionGroups.RunProgress(ibmbr.ContextWithTenant(ctx, "tenant-b/"), runID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound, "another tenant's run")
}

func TestIBMWaitRunProgress(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	groupID, runID := ibmStartRun(t, ctx, c, "file-servers")

	var states []*ibmbr.RunState
	opts := *fastPolls
	opts.OnPoll = func(s any) { states = append(states, s.(*ibmbr.RunState)) }
	before := srv.Calls()["getProtectionRunProgress"]
	run, err := c.ProtectionGroups.WaitRunProgress(ctx, groupID, runID, &opts)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusSucceeded, ibmRunStatus(t, *run))
	require.Len(t, states, 2)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusRunning, ibmRunStatus(t, *states[0].Run))
	pct, ok := states[0].Percent()
	require.True(t, ok, "a running run comes with its progress")
	assert.InDelta(t, 100, pct, 0.01, "the read of the run ended it")
	assert.Nil(t, states[1].Progress, "no progress read once the run ended")
	_, ok = states[1].Percent()
	assert.False(t, ok)
	assert.Equal(t, 1, srv.Calls()["getProtectionRunProgress"]-before)

	// A canceled run is a *RunError matching ErrRunCanceled and ErrRunFailed.
	groupID, runID = ibmStartRun(t, ctx, c, "to-cancel")
	_, err = c.ProtectionGroups.CancelRuns(ctx, groupID, runID)
	require.NoError(t, err)
	run, err = c.ProtectionGroups.WaitRunProgress(ctx, groupID, runID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRunCanceled)
	require.ErrorIs(t, err, ibmbr.ErrRunFailed)
	assert.Equal(t, ibmbrapi.BackupRunSummaryStatusCanceled, ibmRunStatus(t, *run))

	// A failed one matches ErrRunFailed only.
	groupID, runID = ibmStartRun(t, ctx, c, "fail-me")
	_, err = c.ProtectionGroups.WaitRunProgress(ctx, groupID, runID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRunFailed)
	assert.NotErrorIs(t, err, ibmbr.ErrRunCanceled)

	// The context bounds the wait.
	groupID, runID = ibmStartRun(t, ctx, c, "slow")
	done, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.ProtectionGroups.WaitRunProgress(done, groupID, runID, fastPolls)
	require.ErrorIs(t, err, context.Canceled)
}

func TestIBMCancelRecovery(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	rec, err := c.Recoveries.Create(ctx, physicalRecovery("restore-db"), nil)
	require.NoError(t, err)
	require.NoError(t, c.Recoveries.Cancel(ctx, *rec.ID))
	require.NoError(t, c.Recoveries.Cancel(ctx, *rec.ID), "canceling a recovery that is being canceled is accepted")
	got, err := c.Recoveries.Wait(ctx, *rec.ID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRecoveryCanceled)
	require.ErrorIs(t, err, ibmbr.ErrRecoveryFailed)
	var recErr *ibmbr.RecoveryError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, ibmbrapi.RecoveryStatusCanceled, *recErr.Recovery.Status)
	assert.Equal(t, ibmbrapi.RecoveryStatusCanceled, *got.Status)
	list, err := c.Recoveries.List(ctx, &ibmbr.ListRecoveriesOptions{IDs: []string{*rec.ID}})
	require.NoError(t, err)
	require.Len(t, list.Recoveries, 1)
	assert.Equal(t, ibmbrapi.RecoveryStatusCanceled, *list.Recoveries[0].Status)

	// An ended recovery cannot be canceled: 400 with the service's error.
	err = c.Recoveries.Cancel(ctx, *rec.ID)
	require.ErrorIs(t, err, apierr.ErrBadRequest)
	var ae *apierr.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "KInvalidRequest", ae.Code)
	assert.Contains(t, ae.Message, "Canceled")
	done, err := c.Recoveries.Create(ctx, physicalRecovery("restore-files"), nil)
	require.NoError(t, err)
	finished, err := c.Recoveries.Wait(ctx, *done.ID, fastPolls)
	require.NoError(t, err)
	require.ErrorIs(t, c.Recoveries.Cancel(ctx, *done.ID), apierr.ErrBadRequest)
	again, err := c.Recoveries.Get(ctx, *done.ID)
	require.NoError(t, err)
	assert.Equal(t, *finished.Status, *again.Status, "the refused cancel changed nothing")

	// A running recovery is canceled too; the waiter sees it end.
	running, err := c.Recoveries.Create(ctx, physicalRecovery("restore-vm"), nil)
	require.NoError(t, err)
	got, err = c.Recoveries.Get(ctx, *running.ID)
	require.NoError(t, err)
	require.Equal(t, ibmbrapi.RecoveryStatusRunning, *got.Status)
	require.NoError(t, c.Recoveries.Cancel(ctx, *running.ID))
	_, err = c.Recoveries.Wait(ctx, *running.ID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRecoveryCanceled)

	// A failure is not a cancellation.
	failing, err := c.Recoveries.Create(ctx, physicalRecovery("please-fail"), nil)
	require.NoError(t, err)
	_, err = c.Recoveries.Wait(ctx, *failing.ID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRecoveryFailed)
	assert.NotErrorIs(t, err, ibmbr.ErrRecoveryCanceled)

	require.ErrorIs(t, c.Recoveries.Cancel(ctx, "1:2:3"), apierr.ErrNotFound)
	require.ErrorIs(t, c.Recoveries.Cancel(ctx, ""), apierr.ErrMissingID)
	require.ErrorIs(t, c.Recoveries.Cancel(ibmbr.ContextWithTenant(ctx, "tenant-b/"), *running.ID), apierr.ErrNotFound)
}

func TestIBMConstructMetaInfo(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	physical := ibmbrapi.ConstructMetaInfoRequest{Environment: ibmbrapi.ConstructMetaInfoRequestEnvironmentKPhysical}

	_, err := c.Snapshots.ConstructMetaInfo(ctx, "7103287453312567:1:31", physical)
	require.ErrorIs(t, err, apierr.ErrNotFound, "no snapshot yet")
	_, run := ibmSnapshotRun(t, ctx, c)
	snaps, err := c.Snapshots.List(ctx, 31, &ibmbr.ListObjectSnapshotsOptions{FromTimeUsecs: *run.LocalBackupInfo.StartTimeUsecs})
	require.NoError(t, err)
	require.Len(t, snaps.Snapshots, 1)
	snapID := *snaps.Snapshots[0].ID

	info, err := c.Snapshots.ConstructMetaInfo(ctx, snapID, physical)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.ConstructMetaInfoResultEnvironmentKPhysical, *info.Environment)
	assert.Nil(t, info.KubernetesParams)

	// The environment must be the snapshot's.
	_, err = c.Snapshots.ConstructMetaInfo(ctx, snapID, ibmbrapi.ConstructMetaInfoRequest{
		Environment:      ibmbrapi.ConstructMetaInfoRequestEnvironmentKKubernetes,
		KubernetesParams: &ibmbrapi.ConstructMetaInfoRequestKubernetesParams{ObjectID: 31},
	})
	require.ErrorIs(t, err, apierr.ErrBadRequest)
	assert.Contains(t, err.Error(), "kPhysical")
	_, err = c.Snapshots.ConstructMetaInfo(ibmbr.ContextWithTenant(ctx, "tenant-b/"), snapID, physical)
	require.ErrorIs(t, err, apierr.ErrNotFound, "another tenant's snapshot")
	_, err = c.Snapshots.ConstructMetaInfo(ctx, "", physical)
	require.ErrorIs(t, err, apierr.ErrMissingID)
}

// legacyPath reports whether a failed call's error names a URL under the
// legacy base path.
func legacyPath(t *testing.T, err error) string {
	t.Helper()
	var ae *apierr.Error
	require.ErrorAs(t, err, &ae)
	return ae.URL
}

func TestIBMLegacyProtectionSources(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	trees, err := c.Sources.ListProtectionSources(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, trees)
	info, err := c.Sources.RegistrationInfo(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, info.RootNodes)

	host, err := c.Sources.Register(ctx, ibmbrapi.SourceRegistrationRequestParams{
		Environment: ibmbrapi.SourceRegistrationRequestParamsEnvironmentKPhysical, Name: to.Ptr("host-one"),
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "10.1.1.1"},
	})
	require.NoError(t, err)
	sql, err := c.Sources.Register(ctx, ibmbrapi.SourceRegistrationRequestParams{
		Environment:    ibmbrapi.SourceRegistrationRequestParamsEnvironmentKSQL,
		PhysicalParams: &ibmbrapi.PhysicalSourceRegistrationParams{Endpoint: "sql.example.com"},
	})
	require.NoError(t, err)

	// One tree per registration, with its id, name and environment.
	trees, err = c.Sources.ListProtectionSources(ctx, nil)
	require.NoError(t, err)
	require.Len(t, trees, 2)
	root := trees[0].ProtectionSource
	assert.Equal(t, *host.ID, *root.ID)
	assert.Equal(t, "host-one", *root.Name)
	assert.Equal(t, ibmbrapi.ProtectionSourceNodeEnvironmentKPhysical, *root.Environment)
	assert.Equal(t, *host.RegistrationTimeMsecs*1000, *trees[0].RegistrationInfo.RegistrationTimeUsecs)
	assert.Equal(t, ibmbrapi.AgentRegistrationInfoAuthenticationStatusKFinished, *trees[0].RegistrationInfo.AuthenticationStatus)
	require.Len(t, trees[0].UnprotectedSourcesSummary, 1, "no group protects it")
	assert.Empty(t, trees[0].ProtectedSourcesSummary)
	assert.Equal(t, "sql.example.com", *trees[1].ProtectionSource.Name)
	var names []string
	for tree, err := range c.Sources.AllProtectionSources(ctx, nil) {
		require.NoError(t, err)
		names = append(names, *tree.ProtectionSource.Name)
	}
	assert.Equal(t, []string{"host-one", "sql.example.com"}, names)
	onlySQL, err := c.Sources.ListProtectionSources(ctx, &ibmbr.ListProtectionSourcesOptions{Environments: []ibmbrapi.ListProtectionSourcesParamsEnvironments{ibmbrapi.ListProtectionSourcesParamsEnvironmentsKSQL}})
	require.NoError(t, err)
	require.Len(t, onlySQL, 1)
	assert.Equal(t, *sql.ID, *onlySQL[0].ProtectionSource.ID)
	byID, err := c.Sources.ListProtectionSources(ctx, &ibmbr.ListProtectionSourcesOptions{ID: *host.ID})
	require.NoError(t, err)
	require.Len(t, byID, 1)
	assert.Equal(t, *host.ID, *byID[0].ProtectionSource.ID)

	// The registration info agrees with the v2 registrations.
	info, err = c.Sources.RegistrationInfo(ctx, nil)
	require.NoError(t, err)
	require.Len(t, info.RootNodes, 2)
	assert.Equal(t, *host.ID, *info.RootNodes[0].RootNode.ID)
	assert.Equal(t, *host.SourceInfo, *info.RootNodes[0].RegistrationInfo, "the registration's source info")
	assert.Equal(t, int64(2), *info.Stats.UnprotectedCount)
	assert.Equal(t, int64(0), *info.Stats.ProtectedCount)
	require.Len(t, info.StatsByEnv, 2)
	assert.Equal(t, ibmbrapi.ProtectionSummaryByEnvEnvironmentKPhysical, *info.StatsByEnv[0].Environment)
	one, err := c.Sources.RegistrationInfo(ctx, &ibmbr.RegistrationInfoOptions{IDs: []int64{*sql.ID}})
	require.NoError(t, err)
	require.Len(t, one.RootNodes, 1)
	assert.Equal(t, "sql.example.com", *one.RootNodes[0].RootNode.Name)
	assert.Equal(t, int64(1), *one.Stats.UnprotectedCount)

	// Deleting a registration removes its tree; other tenants see none.
	require.NoError(t, c.Sources.Delete(ctx, *sql.ID))
	trees, err = c.Sources.ListProtectionSources(ctx, nil)
	require.NoError(t, err)
	require.Len(t, trees, 1)
	other, err := c.Sources.RegistrationInfo(ibmbr.ContextWithTenant(ctx, "tenant-b/"), nil)
	require.NoError(t, err)
	assert.Empty(t, other.RootNodes)

	// The legacy operations go to /irisservices/api/v1 of the instance, not
	// to /v2: an error names the URL, and the fake serves them only there.
	_, err = c.Sources.ListProtectionSources(ibmbr.ContextWithTenant(ctx, "unknown-tenant/"), nil)
	require.ErrorIs(t, err, apierr.ErrForbidden)
	assert.True(t, strings.HasPrefix(legacyPath(t, err), srv.URL()+ibmfake.LegacyBase+"/public/protectionSources"), legacyPath(t, err))
	var violations []error
	srv.OnViolation(func(err error) { violations = append(violations, err) })
	resp, err := c.Raw().ListProtectionSourcesWithResponse(ctx, &ibmbrapi.ListProtectionSourcesParams{XIBMTenantID: "tenant-a/"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode(), "the raw client sends it to /v2, where it does not exist")
	require.Len(t, violations, 1)
	assert.Contains(t, violations[0].Error(), `served under "/irisservices/api/v1"`)
}

func TestIBMProgressMonitors(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	_, g := ibmGroupWithPolicy(t, ctx, c)
	groupID := *g.ID
	started, err := c.ProtectionGroups.CreateRun(ctx, groupID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.NoError(t, err)
	require.Len(t, started.Runs, 1)
	runID := started.RunIDs[0]
	path := *started.Runs[0].LocalBackupInfo.ProgressTaskID
	require.NotEmpty(t, path)

	// The run is active: it is found by its task path, with its objects
	// as sub-tasks.
	res, err := c.ProgressMonitors.List(ctx, nil, &ibmbr.ListProgressMonitorsOptions{TaskPathVec: []string{path, "backup/none"}})
	require.NoError(t, err)
	require.Len(t, res.ResultGroupVec, 2, "one result group per task path")
	require.Len(t, res.ResultGroupVec[0].TaskVec, 1)
	task := res.ResultGroupVec[0].TaskVec[0]
	assert.Equal(t, path, *task.TaskPath)
	require.NotNil(t, task.Progress)
	assert.InDelta(t, 10, *task.Progress.PercentFinished, 0.01)
	assert.Equal(t, int64(0), *task.Progress.Status.Type, "active")
	assert.Len(t, task.SubTaskVec, 1)
	assert.Empty(t, res.ResultGroupVec[1].TaskVec)

	// The run ends (the read above moved it on): finished tasks only on
	// request, through the query or the JSON body; events and sub-tasks as
	// asked.
	_, err = c.ProtectionGroups.GetRun(ctx, groupID, runID, nil)
	require.NoError(t, err)
	res, err = c.ProgressMonitors.List(ctx, nil, &ibmbr.ListProgressMonitorsOptions{TaskPathVec: []string{path}})
	require.NoError(t, err)
	assert.Empty(t, res.ResultGroupVec[0].TaskVec, "only active tasks by default")
	finished, events, exclude := true, true, true
	res, err = c.ProgressMonitors.List(ctx, &ibmbrapi.GetProgressMonitorsRequest{
		TaskPathVec: []string{"backup/"}, IncludeFinishedTasks: &finished, IncludeEventLogs: &events, ExcludeSubTasks: &exclude,
	}, nil)
	require.NoError(t, err)
	require.Len(t, res.ResultGroupVec, 1)
	require.Len(t, res.ResultGroupVec[0].TaskVec, 1, "a prefix finds the run")
	task = res.ResultGroupVec[0].TaskVec[0]
	assert.InDelta(t, 100, *task.Progress.PercentFinished, 0.01)
	assert.Equal(t, int64(1), *task.Progress.Status.Type, "finished")
	assert.NotNil(t, task.Progress.EndTimeSecs)
	require.NotEmpty(t, task.Progress.EventVec)
	assert.Equal(t, "The run is Succeeded.", *task.Progress.EventVec[len(task.Progress.EventVec)-1].EventMsg)
	assert.Empty(t, task.SubTaskVec)
	none := int64(0)
	res, err = c.ProgressMonitors.List(ctx, nil, &ibmbr.ListProgressMonitorsOptions{IncludeFinishedTasks: &finished, MaxTasks: none})
	require.NoError(t, err)
	assert.Len(t, res.ResultGroupVec[0].TaskVec, 1, "maxTasks 0 is not sent")

	// Another tenant sees none of it.
	res, err = c.ProgressMonitors.List(ibmbr.ContextWithTenant(ctx, "tenant-b/"), nil, &ibmbr.ListProgressMonitorsOptions{IncludeFinishedTasks: &finished})
	require.NoError(t, err)
	assert.Empty(t, res.ResultGroupVec[0].TaskVec)
	_, err = c.ProgressMonitors.List(ibmbr.ContextWithTenant(ctx, "unknown-tenant/"), nil, nil)
	require.True(t, errors.Is(err, apierr.ErrForbidden))
	assert.Contains(t, legacyPath(t, err), ibmfake.LegacyBase+"/progressMonitors")
}
