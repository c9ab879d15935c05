package tests

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func physicalRecovery(name string) ibmbrapi.CreateRecoveryRequest {
	return ibmbrapi.CreateRecoveryRequest{Name: name, SnapshotEnvironment: ibmbrapi.CreateRecoveryRequestSnapshotEnvironmentKPhysical}
}

func downloadRecovery(name string) ibmbrapi.DownloadFilesAndFoldersRequestParams {
	return ibmbrapi.DownloadFilesAndFoldersRequestParams{
		Name:            name,
		Object:          ibmbrapi.CommonRecoverObjectSnapshotParams{SnapshotID: "snap-1"},
		FilesAndFolders: []ibmbrapi.FilesAndFoldersObject{{AbsolutePath: "/data/file-01.txt"}},
	}
}

// verifyPattern reads r to the end and checks that it is the fake's download
// pattern from position start, n bytes long.
func verifyPattern(t *testing.T, r io.ReadCloser, start, n int64) {
	t.Helper()
	defer func() { _ = r.Close() }()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	require.Len(t, b, int(n))
	for i, c := range b {
		if c != ibmfake.DownloadByte(start+int64(i)) {
			t.Fatalf("byte %d is %d, want %d", start+int64(i), c, ibmfake.DownloadByte(start+int64(i)))
		}
	}
}

func TestIBMRecoveriesLifecycle(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	rec, err := c.Recoveries.Create(ctx, physicalRecovery("restore-db"), nil)
	require.NoError(t, err)
	require.NotNil(t, rec.ID)
	id := *rec.ID
	assert.Equal(t, "restore-db", *rec.Name)
	assert.Equal(t, ibmbrapi.RecoveryStatusAccepted, *rec.Status)
	assert.Equal(t, ibmbrapi.RecoveryRecoveryActionRecoverFiles, *rec.RecoveryAction)

	// Every read moves it on, to a final state.
	got, err := c.Recoveries.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.RecoveryStatusRunning, *got.Status)
	got, err = c.Recoveries.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.RecoveryStatusSucceeded, *got.Status)
	assert.NotNil(t, got.EndTimeUsecs)
	got, err = c.Recoveries.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.RecoveryStatusSucceeded, *got.Status, "a final state stays")

	failing, err := c.Recoveries.Create(ctx, physicalRecovery("please-fail"), nil)
	require.NoError(t, err)
	for range 2 {
		got, err = c.Recoveries.Get(ctx, *failing.ID)
		require.NoError(t, err)
	}
	assert.Equal(t, ibmbrapi.RecoveryStatusFailed, *got.Status)

	list, err := c.Recoveries.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.Recoveries, 2)
	var names []string
	for r, err := range c.Recoveries.All(ctx, nil) {
		require.NoError(t, err)
		names = append(names, *r.Name)
	}
	assert.Equal(t, []string{"restore-db", "please-fail"}, names)

	only, err := c.Recoveries.List(ctx, &ibmbr.ListRecoveriesOptions{IDs: []string{id}})
	require.NoError(t, err)
	require.Len(t, only.Recoveries, 1)
	assert.Equal(t, id, *only.Recoveries[0].ID)
	failed, err := c.Recoveries.List(ctx, &ibmbr.ListRecoveriesOptions{Status: []ibmbrapi.GetRecoveriesParamsStatus{ibmbrapi.GetRecoveriesParamsStatusFailed}})
	require.NoError(t, err)
	require.Len(t, failed.Recoveries, 1)
	assert.Equal(t, "please-fail", *failed.Recoveries[0].Name)

	_, err = c.Recoveries.Get(ctx, "0:0:999")
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Recoveries.Get(ctx, "")
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.Recoveries.Create(ctx, ibmbrapi.CreateRecoveryRequest{Name: "no-env"}, nil)
	require.Error(t, err)
}

func TestIBMRecoveriesTenantIsolation(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()
	b := ibmbr.ContextWithTenant(ctx, "tenant-b/")

	rec, err := c.Recoveries.Create(ctx, physicalRecovery("a-only"), nil)
	require.NoError(t, err)
	_, err = c.Recoveries.Get(b, *rec.ID)
	require.ErrorIs(t, err, apierr.ErrNotFound, "tenant b does not see tenant a's recovery")
	list, err := c.Recoveries.List(b, nil)
	require.NoError(t, err)
	assert.Empty(t, list.Recoveries)
	_, err = c.Recoveries.DownloadFiles(b, *rec.ID, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)

	recB, err := c.Recoveries.Create(b, physicalRecovery("b-only"), nil)
	require.NoError(t, err)
	list, err = c.Recoveries.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.Recoveries, 1)
	assert.Equal(t, "a-only", *list.Recoveries[0].Name)
	assert.NotEqual(t, *rec.ID, *recB.ID)
}

func TestIBMRecoveriesDownloadFiles(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	rec, err := c.Recoveries.CreateDownloadFilesAndFolders(ctx, downloadRecovery("grab-files"))
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.RecoveryRecoveryActionDownloadFilesAndFolders, *rec.RecoveryAction)
	assert.Equal(t, ibmbrapi.RecoveryStatusAccepted, *rec.Status)

	_, err = c.Recoveries.DownloadFiles(ctx, *rec.ID, nil)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "not downloadable before it succeeded")
	for range 2 {
		_, err = c.Recoveries.Get(ctx, *rec.ID)
		require.NoError(t, err)
	}

	body, err := c.Recoveries.DownloadFiles(ctx, *rec.ID, nil)
	require.NoError(t, err)
	verifyPattern(t, body, 0, ibmfake.DefaultDownloadSize)

	srv.SetDownloadSize(10_000)
	body, err = c.Recoveries.DownloadFiles(ctx, *rec.ID, &ibmbr.DownloadRecoveryFilesOptions{StartOffset: 1234, Length: 5000})
	require.NoError(t, err)
	verifyPattern(t, body, 1234, 5000)
	body, err = c.Recoveries.DownloadFiles(ctx, *rec.ID, &ibmbr.DownloadRecoveryFilesOptions{StartOffset: 9000})
	require.NoError(t, err)
	verifyPattern(t, body, 9000, 1000)

	_, err = c.Recoveries.DownloadFiles(ctx, "0:0:404", nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Recoveries.DownloadFiles(ctx, "", nil)
	require.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = c.Recoveries.DownloadFiles(ctx, *rec.ID, &ibmbr.DownloadRecoveryFilesOptions{Length: -1})
	require.Error(t, err)
	_, err = c.Recoveries.CreateDownloadFilesAndFolders(ctx, ibmbrapi.DownloadFilesAndFoldersRequestParams{Name: "nothing"})
	require.Error(t, err)

	list, err := c.Recoveries.List(ctx, &ibmbr.ListRecoveriesOptions{
		RecoveryActions: []ibmbrapi.GetRecoveriesParamsRecoveryActions{ibmbrapi.GetRecoveriesParamsRecoveryActionsDownloadFilesAndFolders}})
	require.NoError(t, err)
	require.Len(t, list.Recoveries, 1)
}

// ibmSnapshotRun creates a group protecting the example's host (object 31)
// and waits for a run of it, which leaves a snapshot of the host.
func ibmSnapshotRun(t *testing.T, ctx context.Context, c *ibmbr.Client) (*ibmbrapi.ProtectionGroupResponse, *ibmbrapi.ProtectionGroupRun) {
	t.Helper()
	_, g := ibmGroupWithPolicy(t, ctx, c)
	started, err := c.ProtectionGroups.CreateRun(ctx, *g.ID, ibmbrapi.CreateProtectionGroupRunRequest{RunType: ibmbrapi.CreateProtectionGroupRunRequestRunTypeKRegular})
	require.NoError(t, err)
	require.Len(t, started.RunIDs, 1)
	run, err := c.ProtectionGroups.WaitRun(ctx, *g.ID, started.RunIDs[0], fastWait)
	require.NoError(t, err)
	return g, run
}

func TestIBMSnapshots(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	_, err := c.Snapshots.List(ctx, 31, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound, "no group protects the host yet")
	g, run := ibmSnapshotRun(t, ctx, c)
	start := *run.LocalBackupInfo.StartTimeUsecs

	// The run left a snapshot of the group's host.
	snaps, err := c.Snapshots.List(ctx, 31, &ibmbr.ListObjectSnapshotsOptions{FromTimeUsecs: start})
	require.NoError(t, err)
	require.Len(t, snaps.Snapshots, 1)
	snap := snaps.Snapshots[0]
	assert.Equal(t, "fs01.example.com", *snap.ObjectName)
	assert.Equal(t, *g.ID, *snap.ProtectionGroupID)
	assert.Equal(t, *run.ID, *snap.ProtectionGroupRunID)
	assert.Equal(t, start, *snap.SnapshotTimestampUsecs)
	assert.Equal(t, ibmbrapi.ObjectSnapshotRunTypeKRegular, *snap.RunType)
	assert.Equal(t, ibmbrapi.ObjectSnapshotEnvironmentKPhysical, *snap.Environment)
	later, err := c.Snapshots.List(ctx, 31, &ibmbr.ListObjectSnapshotsOptions{FromTimeUsecs: start + 1})
	require.NoError(t, err)
	assert.Empty(t, later.Snapshots, "taken before the range")
	other, err := c.Snapshots.List(ctx, 31, &ibmbr.ListObjectSnapshotsOptions{ProtectionGroupIDs: []string{"1:2:3"}})
	require.NoError(t, err)
	assert.Empty(t, other.Snapshots)
	n := 0
	for s, err := range c.Snapshots.All(ctx, 31, nil) {
		require.NoError(t, err)
		assert.Equal(t, *snap.ID, *s.ID)
		n++
	}
	assert.Equal(t, 1, n)
	_, err = c.Snapshots.List(ctx, 32, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Snapshots.List(ibmbr.ContextWithTenant(ctx, "tenant-b/"), 31, nil)
	require.ErrorIs(t, err, apierr.ErrNotFound, "another tenant's groups")
	_, err = c.Snapshots.List(ctx, 0, nil)
	require.ErrorIs(t, err, apierr.ErrMissingID)

	// Restore points: the snapshot runs of the groups in the time range.
	points, err := c.Snapshots.RestorePoints(ctx, ibmbrapi.GetRestorePointsInTimeRangeParamsBody{
		Environment: ibmbrapi.GetRestorePointsInTimeRangeParamsEnvironmentKPhysical, ProtectionGroupIDs: []string{*g.ID},
		StartTimeUsecs: start - 1, EndTimeUsecs: start + 1})
	require.NoError(t, err)
	require.Len(t, points.FullSnapshotInfo, 1)
	assert.Equal(t, *g.ID, *points.FullSnapshotInfo[0].RestoreInfo.ProtectionGroupID)
	assert.Equal(t, start, *points.FullSnapshotInfo[0].RestoreInfo.RunStartTimeUsecs)
	points, err = c.Snapshots.RestorePoints(ctx, ibmbrapi.GetRestorePointsInTimeRangeParamsBody{
		Environment: ibmbrapi.GetRestorePointsInTimeRangeParamsEnvironmentKPhysical, ProtectionGroupIDs: []string{*g.ID},
		StartTimeUsecs: start + 1, EndTimeUsecs: start + 2})
	require.NoError(t, err)
	assert.Empty(t, points.FullSnapshotInfo)
	require.NotNil(t, points.TimeRangeInfo)
	assert.Equal(t, "no restore points in the time range", *points.TimeRangeInfo.UserMessage)
	_, err = c.Snapshots.RestorePoints(ctx, ibmbrapi.GetRestorePointsInTimeRangeParamsBody{
		Environment: ibmbrapi.GetRestorePointsInTimeRangeParamsEnvironmentKPhysical, ProtectionGroupIDs: []string{"1:2:3"},
		StartTimeUsecs: 1, EndTimeUsecs: 2})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Snapshots.RestorePoints(ctx, ibmbrapi.GetRestorePointsInTimeRangeParamsBody{
		Environment: ibmbrapi.GetRestorePointsInTimeRangeParamsEnvironmentKPhysical, ProtectionGroupIDs: []string{"pg-1"},
		StartTimeUsecs: 2, EndTimeUsecs: 1})
	require.Error(t, err, "a backwards range fails before sending")

	srv.SetDownloadSize(100_000)
	body, err := c.Snapshots.DownloadFile(ctx, "snap-1", &ibmbr.DownloadIndexedFileOptions{FilePath: "/data/file-01.txt"})
	require.NoError(t, err)
	verifyPattern(t, body, 0, 100_000)
	body, err = c.Snapshots.DownloadFile(ctx, "snap-1", &ibmbr.DownloadIndexedFileOptions{FilePath: "/data/file-01.txt",
		StartOffset: 99_000, Length: 5000})
	require.NoError(t, err)
	verifyPattern(t, body, 99_000, 1000)
	_, err = c.Snapshots.DownloadFile(ctx, "", nil)
	require.ErrorIs(t, err, apierr.ErrMissingID)
}

func TestIBMAgents(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	tasks, err := c.Agents.UpgradeTasks(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, tasks.Tasks)

	// A task runs at once and has succeeded at the next read.
	srv.SetRelease("7.2.0")
	task, err := c.Agents.CreateUpgradeTask(ctx, ibmbrapi.CreateUpgradeTaskRequest{AgentIDs: []int64{7, 8}, Name: to.Ptr("upgrade")})
	require.NoError(t, err)
	assert.Equal(t, "upgrade", *task.Name)
	assert.Equal(t, ibmbrapi.AgentUpgradeTaskStateStatusRunning, *task.Status)
	assert.Equal(t, ibmbrapi.AgentUpgradeTaskStateTypeManual, *task.Type)
	assert.Equal(t, "7.2.0", *task.ClusterVersion, "agents are upgraded to the release")
	require.Len(t, task.Agents, 2)
	assert.Equal(t, ibmbrapi.AgentInfoObjectStatusStarted, *task.Agents[0].Info.Status)
	later, err := c.Agents.CreateUpgradeTask(ctx, ibmbrapi.CreateUpgradeTaskRequest{AgentIDs: []int64{9},
		ScheduleTimeUsecs: to.Ptr(time.Now().Add(time.Hour).UnixMicro())})
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.AgentUpgradeTaskStateStatusScheduled, *later.Status)

	tasks, err = c.Agents.UpgradeTasks(ctx, &ibmbr.ListUpgradeTasksOptions{IDs: []int64{*task.ID}})
	require.NoError(t, err)
	require.Len(t, tasks.Tasks, 1)
	assert.Equal(t, ibmbrapi.AgentUpgradeTaskStateStatusRunning, *tasks.Tasks[0].Status)
	statuses := map[int64]ibmbrapi.AgentUpgradeTaskStateStatus{}
	for task, err := range c.Agents.AllUpgradeTasks(ctx, nil) {
		require.NoError(t, err)
		statuses[*task.ID] = *task.Status
	}
	assert.Equal(t, map[int64]ibmbrapi.AgentUpgradeTaskStateStatus{
		*task.ID: ibmbrapi.AgentUpgradeTaskStateStatusSucceeded, *later.ID: ibmbrapi.AgentUpgradeTaskStateStatusScheduled}, statuses)

	// A retry runs on the agents of the task it retries.
	retry, err := c.Agents.CreateUpgradeTask(ctx, ibmbrapi.CreateUpgradeTaskRequest{RetryTaskID: task.ID})
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.AgentUpgradeTaskStateTypeRetry, *retry.Type)
	assert.Equal(t, *task.ID, *retry.RetriedTaskID)
	assert.Equal(t, []int64{7, 8}, retry.AgentIDs)
	_, err = c.Agents.CreateUpgradeTask(ctx, ibmbrapi.CreateUpgradeTaskRequest{RetryTaskID: to.Ptr(int64(999))})
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Agents.CreateUpgradeTask(ctx, ibmbrapi.CreateUpgradeTaskRequest{Name: to.Ptr("nothing to upgrade")})
	require.Error(t, err)

	// Tasks belong to their tenant.
	other, err := c.Agents.UpgradeTasks(ibmbr.ContextWithTenant(ctx, "tenant-b/"), nil)
	require.NoError(t, err)
	assert.Empty(t, other.Tasks)
	_, err = c.Agents.CreateUpgradeTask(ibmbr.ContextWithTenant(ctx, "tenant-b/"), ibmbrapi.CreateUpgradeTaskRequest{RetryTaskID: task.ID})
	require.ErrorIs(t, err, apierr.ErrNotFound)

	srv.SetDownloadSize(70_000)
	body, err := c.Agents.Download(ctx, ibmbrapi.DownloadAgentRequest{Platform: ibmbrapi.DownloadAgentRequestPlatformKLinux})
	require.NoError(t, err)
	verifyPattern(t, body, 0, 70_000)
	_, err = c.Agents.Download(ctx, ibmbrapi.DownloadAgentRequest{})
	require.Error(t, err)
	_, err = c.Agents.Download(ibmbr.ContextWithTenant(ctx, "tenant-zzz/"), ibmbrapi.DownloadAgentRequest{Platform: ibmbrapi.DownloadAgentRequestPlatformKWindows})
	require.ErrorIs(t, err, apierr.ErrForbidden)
}

// TestIBMDownloadStreams downloads 50 MiB through the SDK and checks that
// the heap hardly grows: nothing holds the body.
//
// The fake serves in this process, and its TLS writes leave garbage (more
// under -race, where sync.Pool drops buffers); a tighter GC target keeps
// that garbage from passing for retained memory, while a buffered body
// would still be live and show.
func TestIBMDownloadStreams(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	const size = 50 << 20
	srv.SetDownloadSize(size)
	defer debug.SetGCPercent(debug.SetGCPercent(10))

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc

	body, err := c.Snapshots.DownloadFile(ctx, "snap-1", &ibmbr.DownloadIndexedFileOptions{FilePath: "/big.bin"})
	require.NoError(t, err)
	defer func() { _ = body.Close() }()
	buf := make([]byte, 32<<10)
	// want is the pattern from position 0, long enough to compare a chunk
	// that starts anywhere in its period.
	const period = 251
	want := make([]byte, len(buf)+period)
	for i := range want {
		want[i] = ibmfake.DownloadByte(int64(i))
	}
	var total int64
	var growth uint64
	nextSample := int64(0)
	for {
		n, err := body.Read(buf)
		if off := total % period; !bytes.Equal(buf[:n], want[off:off+int64(n)]) {
			t.Fatalf("the download differs from the pattern in bytes %d to %d", total, total+int64(n))
		}
		_, _ = io.Discard.Write(buf[:n])
		total += int64(n)
		if total >= nextSample {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base && ms.HeapAlloc-base > growth {
				growth = ms.HeapAlloc - base
			}
			nextSample += 1 << 20
		}
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
	}
	assert.Equal(t, int64(size), total)
	assert.Less(t, growth, uint64(5<<20), "heap grew by %d bytes during a %d byte download", growth, size)
	t.Logf("max heap growth during a %d MiB download: %d KiB", size>>20, growth>>10)
}

func TestIBMRecoveriesWait(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	// Success: the waiter reads the recovery until its status is final.
	rec, err := c.Recoveries.Create(ctx, physicalRecovery("restore-db"), nil)
	require.NoError(t, err)
	var seen []ibmbrapi.RecoveryStatus
	opts := *fastPolls
	opts.OnPoll = func(s any) { seen = append(seen, *s.(*ibmbrapi.Recovery).Status) }
	before := srv.Calls()["getRecoveryByID"]
	done, err := c.Recoveries.Wait(ctx, *rec.ID, &opts)
	require.NoError(t, err)
	assert.Equal(t, *rec.ID, *done.ID)
	assert.Equal(t, []ibmbrapi.RecoveryStatus{"Running", "Succeeded"}, seen)
	assert.Equal(t, 2, srv.Calls()["getRecoveryByID"]-before)
	assert.NotNil(t, done.EndTimeUsecs)

	// A warning is a success.
	rec, err = c.Recoveries.Create(ctx, physicalRecovery("warn-me"), nil)
	require.NoError(t, err)
	done, err = c.Recoveries.Wait(ctx, *rec.ID, fastPolls)
	require.NoError(t, err)
	assert.Equal(t, ibmbrapi.RecoveryStatusSucceededWithWarning, *done.Status)

	// A failed recovery is a *RecoveryError that matches ErrRecoveryFailed.
	rec, err = c.Recoveries.Create(ctx, physicalRecovery("please-fail"), nil)
	require.NoError(t, err)
	done, err = c.Recoveries.Wait(ctx, *rec.ID, fastPolls)
	require.ErrorIs(t, err, ibmbr.ErrRecoveryFailed)
	var recErr *ibmbr.RecoveryError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, ibmbrapi.RecoveryStatusFailed, *recErr.Recovery.Status)
	assert.Contains(t, err.Error(), "please-fail")
	assert.Contains(t, err.Error(), "the fake failed this recovery")
	require.NotNil(t, done, "the recovery comes with the error")
	assert.Equal(t, *rec.ID, *done.ID)

	// So is a canceled one, after Canceling.
	rec, err = c.Recoveries.Create(ctx, physicalRecovery("cancel-me"), nil)
	require.NoError(t, err)
	seen = nil
	_, err = c.Recoveries.Wait(ctx, *rec.ID, &opts)
	require.ErrorIs(t, err, ibmbr.ErrRecoveryFailed)
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, ibmbrapi.RecoveryStatusCanceled, *recErr.Recovery.Status)
	assert.Equal(t, []ibmbrapi.RecoveryStatus{"Running", "Canceling", "Canceled"}, seen)

	// The wait stops with ctx, with an error that matches ctx's.
	rec, err = c.Recoveries.Create(ctx, physicalRecovery("never-read"), nil)
	require.NoError(t, err)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Recoveries.Wait(canceled, *rec.ID, fastPolls)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ibmbr.ErrRecoveryFailed)

	_, err = c.Recoveries.Wait(ctx, "0:0:404", fastPolls)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.Recoveries.Wait(ctx, "", fastPolls)
	require.ErrorIs(t, err, apierr.ErrMissingID)
}
