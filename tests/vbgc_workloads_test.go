package tests

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// vmPolicyFor returns a VM policy spec that selects the given instances by
// id, with backups on or off.
func vmPolicyFor(t *testing.T, name string, backups bool, ids ...string) vbgcapi.PolicySpecV2 {
	t.Helper()
	spec := example[vbgcapi.PolicySpecV2](t, "PolicySpecV2")
	spec.Name = name
	spec.BackupOptionsEnabled = &backups
	spec.SourceOptions.SelectionType = vbgcapi.EPolicyResourceSelectionSelectedResources
	spec.SourceOptions.SelectedItems = nil
	spec.SourceOptions.ExcludedItems = nil
	for _, id := range ids {
		spec.SourceOptions.SelectedItems = append(spec.SourceOptions.SelectedItems,
			vbgcapi.VMPolicySelectedItemModel{Type: vbgcapi.EPolicyItemTypeInstance, ID: to.Ptr(id)})
	}
	return spec
}

func TestVBGCVMInstancesContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	vi := c.VMInstances

	for i := range 5 {
		srv.AddVMInstance(vbgcapi.VMInstanceModel{ID: fmt.Sprintf("100000000000000000%d", i), Name: fmt.Sprintf("web-%d", i),
			ProjectID: "project-web", InstanceType: to.Ptr("e2-small")})
	}
	var names []string
	for m, err := range vi.All(ctx, &vbgc.ListOptions{Limit: 2,
		Filter: filter(t, vbgc.Condition{Property: "projectId", Operator: vbgc.OpEquals, Value: "project-web"})}) {
		require.NoError(t, err)
		names = append(names, m.Name)
	}
	assert.Equal(t, []string{"web-0", "web-1", "web-2", "web-3", "web-4"}, names)
	assert.Equal(t, 3, srv.Calls()["VmInstancesGetAll"], "5 items in pages of 2")
	page, err := vi.List(ctx, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 6, page.Pagination.TotalCount)
	dept := page.Data[0]
	assert.Equal(t, "dept-gc475akr1", dept.Name)

	got, err := vi.Get(ctx, dept.ID)
	require.NoError(t, err)
	assert.Equal(t, "asia-northeast3-a", *got.LocationName)
	_, err = vi.Get(ctx, "42")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = vi.Get(ctx, "")
	assert.ErrorIs(t, err, apierr.ErrMissingID)

	// No restore point yet; a manual snapshot adds one, a policy run adds
	// a snapshot and a backup of each instance it selects.
	rps, err := vi.RestorePoints(ctx, dept.ID, nil)
	require.NoError(t, err)
	assert.Zero(t, rps.Pagination.TotalCount)
	snap, err := vi.TakeSnapshot(ctx, dept.ID, vbgcapi.VMInstanceSnapshotSpec{Location: to.Ptr("asia")})
	require.NoError(t, err)
	done, err := c.Sessions.Wait(ctx, snap.SessionID, fastWait)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionTypeManualSnapshot, done.SessionType)
	_, err = vi.TakeSnapshot(ctx, "42", vbgcapi.VMInstanceSnapshotSpec{})
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	pol, err := c.VMPolicies.Create(ctx, vmPolicyFor(t, "dept nightly", true, dept.ID, "1000000000000000003"))
	require.NoError(t, err)
	run, err := c.VMPolicies.Start(ctx, pol.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, run.SessionID, fastWait)
	require.NoError(t, err)

	var kinds []vbgcapi.ERestorePointType
	for rp, err := range vi.AllRestorePoints(ctx, dept.ID, &vbgc.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		kinds = append(kinds, rp.Type)
		if rp.PolicyID != nil {
			assert.Equal(t, pol.ID, *rp.PolicyID)
			assert.False(t, *rp.IsManual)
		} else {
			assert.Equal(t, "asia", *rp.Location)
		}
	}
	assert.ElementsMatch(t, []vbgcapi.ERestorePointType{vbgcapi.ERestorePointTypeSnapshot, vbgcapi.ERestorePointTypeSnapshot,
		vbgcapi.ERestorePointTypeBackup}, kinds)
	other, err := vi.RestorePoints(ctx, "1000000000000000003", nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, other.Pagination.TotalCount, "the other selected instance got its points too")
	none, err := vi.RestorePoints(ctx, "1000000000000000001", nil)
	require.NoError(t, err)
	assert.Zero(t, none.Pagination.TotalCount, "an instance the policy does not select has none")
	_, err = vi.RestorePoints(ctx, "42", nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// Rescan starts a session.
	rescan, err := vi.Rescan(ctx)
	require.NoError(t, err)
	s, err := c.Sessions.Wait(ctx, rescan.SessionID, fastWait)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionTypeRescan, s.SessionType)
	assertOperationsCalled(t, srv, "VmInstancesGetAll", "VmInstancesGet", "VmInstancesGetRestorePoints", "VmInstancesTakeSnapshot", "VmInstancesRescan")
}

func TestVBGCVMRestoreContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	const dept = "7876786467083982093"
	snap, err := c.VMInstances.TakeSnapshot(ctx, dept, vbgcapi.VMInstanceSnapshotSpec{})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, snap.SessionID, fastWait)
	require.NoError(t, err)
	rps, err := c.VMInstances.RestorePoints(ctx, dept, nil)
	require.NoError(t, err)
	require.Len(t, rps.Data, 1)
	rp := rps.Data[0]
	assert.Equal(t, "asia-northeast3-a", *rp.Location, "the snapshot stays in the instance's location by default")

	vr := c.VMRestorePoints
	got, err := vr.Get(ctx, rp.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"dept-gc475akr1-boot", "dept-gc475akr1-data"}, got.Disks)
	_, err = vr.Get(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = vr.Get(ctx, uuid.Nil)
	assert.ErrorIs(t, err, apierr.ErrMissingID)

	// Restore to a new instance: a Restore session, and a new instance appears.
	sess, err := vr.RestoreInstance(ctx, rp.ID, vbgcapi.VMInstanceRestoreSpec{Target: vbgcapi.ERestoreTargetNew,
		Name: to.Ptr("dept-restored"), ZoneID: to.Ptr("asia-northeast3-b"), PowerOn: to.Ptr(true)})
	require.NoError(t, err)
	done, err := c.Sessions.Wait(ctx, sess.SessionID, fastWait)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionTypeRestore, done.SessionType)
	found := false
	for m, err := range c.VMInstances.All(ctx, nil) {
		require.NoError(t, err)
		if m.Name == "dept-restored" {
			found = true
			assert.Equal(t, "asia-northeast3-b", *m.LocationName)
		}
	}
	assert.True(t, found, "the restored instance is discovered")
	_, err = vr.RestoreInstance(ctx, rp.ID, vbgcapi.VMInstanceRestoreSpec{Target: vbgcapi.ERestoreTargetNew})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a new instance needs a name")
	srv.FailNextSession(vbgcapi.ESessionResultFailed)
	sess, err = vr.RestoreInstance(ctx, rp.ID, vbgcapi.VMInstanceRestoreSpec{Target: vbgcapi.ERestoreTargetOriginal})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, sess.SessionID, fastWait)
	assert.ErrorIs(t, err, vbgc.ErrSessionFailed)

	// Disks: only those of the restore point.
	sess, err = vr.RestoreDisks(ctx, rp.ID, vbgcapi.VMDisksRestoreSpec{Disks: []string{"dept-gc475akr1-data"}, Suffix: to.Ptr("-r")})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, sess.SessionID, fastWait)
	require.NoError(t, err)
	_, err = vr.RestoreDisks(ctx, rp.ID, vbgcapi.VMDisksRestoreSpec{Disks: []string{"other-disk"}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	assert.Equal(t, 3, srv.RestoreCount())

	// File-level recovery: browse the mounted tree, then stop.
	flr, err := vr.StartFileLevelRecovery(ctx, rp.ID, vbgcapi.FlrStartSpec{Reason: to.Ptr("lost nginx.conf")})
	require.NoError(t, err)
	root, err := vr.BrowseFiles(ctx, flr.SessionID, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 3, root.Pagination.TotalCount)
	var files []string
	for it, err := range vr.AllBrowseFiles(ctx, flr.SessionID, &vbgc.BrowseFilesOptions{Path: "/etc", Limit: 2}) {
		require.NoError(t, err)
		files = append(files, it.Path)
	}
	assert.Equal(t, []string{"/etc/hostname", "/etc/fstab", "/etc/nginx"}, files)
	_, err = vr.BrowseFiles(ctx, flr.SessionID, &vbgc.BrowseFilesOptions{Path: "/nowhere"})
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	require.NoError(t, vr.StopFileLevelRecovery(ctx, flr.SessionID))
	_, err = vr.BrowseFiles(ctx, flr.SessionID, nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound, "a stopped session is unmounted")
	ended, err := c.Sessions.Get(ctx, flr.SessionID)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionTypeFileLevelRestore, ended.SessionType)
	assert.Equal(t, vbgcapi.ESessionStatusStopped, ended.Status)
	assert.ErrorIs(t, vr.StopFileLevelRecovery(ctx, flr.SessionID), apierr.ErrNotFound)

	// Removing the restore point.
	require.NoError(t, vr.Delete(ctx, rp.ID))
	_, err = vr.Get(ctx, rp.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, vr.Delete(ctx, rp.ID), apierr.ErrNotFound)
	assertOperationsCalled(t, srv, "VmRestorePointsGet", "VmRestorePointsDelete", "VmRestorePointsRestoreInstance",
		"VmRestorePointsRestoreDisks", "VmRestorePointsStartFlr", "FlrBrowse", "FlrStop")
}

func TestVBGCSQLAndSpannerRestoreContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))

	// Cloud SQL: restore a snapshot as a new instance.
	orders, err := c.SQLInstances.Get(ctx, "project-backup-252812", "orders-db")
	require.NoError(t, err)
	snap, err := c.SQLInstances.TakeSnapshot(ctx, orders.ProjectID, orders.Name, example[vbgcapi.SQLInstanceSnapshotSpec](t, "SqlInstanceSnapshotSpec"))
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, snap.SessionID, fastWait)
	require.NoError(t, err)
	rps, err := c.SQLInstances.RestorePoints(ctx, orders.ProjectID, orders.Name, nil)
	require.NoError(t, err)
	require.Len(t, rps.Data, 1)
	sess, err := c.SQLRestorePoints.Restore(ctx, rps.Data[0].ID, vbgcapi.SQLInstanceRestoreSpec{Target: vbgcapi.ERestoreTargetNew,
		Name: to.Ptr("orders-db-copy")})
	require.NoError(t, err)
	done, err := c.Sessions.Wait(ctx, sess.SessionID, fastWait)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionTypeRestore, done.SessionType)
	all, err := c.SQLInstances.List(ctx, &vbgc.ListOptions{Filter: filter(t,
		vbgc.Condition{Property: "name", Operator: vbgc.OpEquals, Value: "orders-db-copy"})})
	require.NoError(t, err)
	assert.Len(t, all.Data, 1, "the new instance is discovered")
	_, err = c.SQLRestorePoints.Restore(ctx, uuid.New(), vbgcapi.SQLInstanceRestoreSpec{Target: vbgcapi.ERestoreTargetOriginal})
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = c.SQLRestorePoints.Restore(ctx, rps.Data[0].ID, vbgcapi.SQLInstanceRestoreSpec{Target: vbgcapi.ERestoreTargetNew})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)

	// Cloud Spanner: restore points come from Spanner policy runs.
	srv.AddSpannerInstance(vbgcapi.SpannerInstanceModel{ID: "5517834112098765433", Name: "ledger-dr", ProjectID: "project-backup-252812"})
	spanners, err := c.SpannerInstances.List(ctx, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, spanners.Pagination.TotalCount)
	ledger := spanners.Data[0]
	empty, err := c.SpannerRestorePoints.List(ctx, ledger.ID, nil)
	require.NoError(t, err)
	assert.Zero(t, empty.Pagination.TotalCount)

	spec := example[vbgcapi.SpannerPolicySpec](t, "SpannerPolicySpec")
	spec.Name = "ledger hourly"
	spec.SourceOptions.SelectedItems = []vbgcapi.SpannerPolicySelectedItemModel{{Type: vbgcapi.EPolicyItemTypeInstance, ID: to.Ptr(ledger.ID)}}
	spec.SourceOptions.ExcludedItems = nil
	pol, err := c.SpannerPolicies.Create(ctx, spec)
	require.NoError(t, err)
	run, err := c.SpannerPolicies.Start(ctx, pol.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, run.SessionID, fastWait)
	require.NoError(t, err)
	n := 0
	var point vbgcapi.SpannerRestorePointModel
	for rp, err := range c.SpannerRestorePoints.All(ctx, ledger.ID, nil) {
		require.NoError(t, err)
		assert.Equal(t, pol.ID, *rp.PolicyID)
		point = rp
		n++
	}
	require.Positive(t, n)
	_, err = c.SpannerRestorePoints.List(ctx, "nope", nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	sess, err = c.SpannerRestorePoints.Restore(ctx, point.ID, vbgcapi.SpannerInstanceRestoreSpec{Databases: []string{"accounts"},
		TargetInstanceID: to.Ptr("5517834112098765433"), Suffix: to.Ptr("-restored")})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, sess.SessionID, fastWait)
	require.NoError(t, err)
	dr, err := c.SpannerInstances.List(ctx, &vbgc.ListOptions{Filter: filter(t, vbgc.Condition{Property: "name", Operator: vbgc.OpEquals, Value: "ledger-dr"})})
	require.NoError(t, err)
	require.Len(t, dr.Data, 1)
	assert.Contains(t, dr.Data[0].Databases, "accounts-restored")
	_, err = c.SpannerRestorePoints.Restore(ctx, point.ID, vbgcapi.SpannerInstanceRestoreSpec{Databases: []string{"missing"}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	assertOperationsCalled(t, srv, "SqlRestorePointsRestore", "SpannerInstancesGetAll", "SpannerInstancesGetRestorePoints", "SpannerRestorePointsRestore")
}
