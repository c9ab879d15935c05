package tests

import (
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// instanceNames returns the names of the instances, in order.
func instanceNames(vms []vbawsapi.VirtualMachine) []string {
	out := make([]string, 0, len(vms))
	for _, vm := range vms {
		out = append(out, *vm.Name)
	}
	return out
}

// defaultRole returns the ID of the appliance's default IAM role.
func defaultRole(ctx context.Context, t *testing.T, c *vbaws.Client) uuid.UUID {
	t.Helper()
	for _, r := range collect(t, c.IAMRoles.All(ctx, nil)) {
		if r.IAMRole != nil && r.IAMRole.IsDefault {
			return r.ID
		}
	}
	t.Fatal("no default IAM role")
	return uuid.Nil
}

// jobTypes counts the restore points of an instance by jobType.
func jobTypes(ctx context.Context, t *testing.T, c *vbaws.Client, vm uuid.UUID) map[vbawsapi.RestorePointJobTypes]int {
	t.Helper()
	out := map[vbawsapi.RestorePointJobTypes]int{}
	for _, pt := range collect(t, c.EC2RestorePoints.All(ctx, &vbaws.ListEC2RestorePointsOptions{VirtualMachineID: &vm})) {
		out[pt.JobType]++
	}
	return out
}

// TestVBAWSInstanceFiltersAndSort checks the filters and orders of the EC2
// instance list against what the instances' restore points say.
func TestVBAWSInstanceFiltersAndSort(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	vms := c.EC2Instances

	// The seeded web servers have a backup each; build-01 has nothing.
	byName := collect(t, vms.All(ctx, &vbaws.ListEC2InstancesOptions{Sort: []vbawsapi.VirtualMachinesSortColumns{vbawsapi.VirtualMachinesSortColumnsNameDesc}}))
	assert.Equal(t, []string{"web-02", "web-01", "build-01"}, instanceNames(byName))
	for _, vm := range byName {
		if *vm.Name == "build-01" {
			assert.Empty(t, vm.BackupDestinations)
		} else {
			assert.Equal(t, []vbawsapi.BackupDestinations{vbawsapi.BackupDestinationsAwsBlob}, vm.BackupDestinations)
		}
	}
	// Location first (eu-west-1 before us-east-1), then name.
	byLocation := collect(t, vms.All(ctx, &vbaws.ListEC2InstancesOptions{Sort: []vbawsapi.VirtualMachinesSortColumns{
		vbawsapi.VirtualMachinesSortColumnsLocationAsc, vbawsapi.VirtualMachinesSortColumnsNameAsc}}))
	assert.Equal(t, []string{"build-01", "web-01", "web-02"}, instanceNames(byLocation))
	byLocation = collect(t, vms.All(ctx, &vbaws.ListEC2InstancesOptions{Sort: []vbawsapi.VirtualMachinesSortColumns{
		vbawsapi.VirtualMachinesSortColumnsLocationDesc, vbawsapi.VirtualMachinesSortColumnsNameDesc}}))
	assert.Equal(t, []string{"web-02", "web-01", "build-01"}, instanceNames(byLocation))

	backedUp, err := vms.List(ctx, &vbaws.ListEC2InstancesOptions{BackupState: vbawsapi.VirtualMachineBackupStateOnlyBackedUp,
		Sort: []vbawsapi.VirtualMachinesSortColumns{vbawsapi.VirtualMachinesSortColumnsNameAsc}})
	require.NoError(t, err)
	assert.Equal(t, []string{"web-01", "web-02"}, instanceNames(backedUp.Results))
	assert.EqualValues(t, 2, backedUp.TotalCount)
	notBackedUp, err := vms.List(ctx, &vbaws.ListEC2InstancesOptions{BackupState: vbawsapi.VirtualMachineBackupStateOnlyNotBackedUp})
	require.NoError(t, err)
	assert.Equal(t, []string{"build-01"}, instanceNames(notBackedUp.Results))
	all, err := vms.List(ctx, &vbaws.ListEC2InstancesOptions{BackupState: vbawsapi.VirtualMachineBackupStateAll})
	require.NoError(t, err)
	assert.EqualValues(t, 3, all.TotalCount)

	// BackupDestination (BuckupDestination on the wire) keeps the instances
	// with restore points of any of the kinds given.
	blob, err := vms.List(ctx, &vbaws.ListEC2InstancesOptions{BackupDestination: []vbawsapi.BackupDestinations{vbawsapi.BackupDestinationsAwsBlob}})
	require.NoError(t, err)
	assert.EqualValues(t, 2, blob.TotalCount)
	manual, err := vms.List(ctx, &vbaws.ListEC2InstancesOptions{BackupDestination: []vbawsapi.BackupDestinations{vbawsapi.BackupDestinationsManualSnapshot, vbawsapi.BackupDestinationsSnapshot}})
	require.NoError(t, err)
	assert.Empty(t, manual.Results)
}

// TestVBAWSInstanceSnapshotsAndRemovals takes a manual snapshot of an
// instance, removes its snapshots and then its backups, and reads what each
// session did: the restore points, the instance's backup destinations, the
// sessions of the instance and the restore points a removal deleted.
func TestVBAWSInstanceSnapshotsAndRemovals(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	vms := c.EC2Instances
	role := defaultRole(ctx, t, c)
	found := collect(t, vms.All(ctx, &vbaws.ListEC2InstancesOptions{SearchPattern: "web-01"}))
	require.Len(t, found, 1)
	web := found[0]
	require.Equal(t, map[vbawsapi.RestorePointJobTypes]int{vbawsapi.RestorePointJobTypesBackup: 1}, jobTypes(ctx, t, c, web.ID))

	// Refused before a session starts.
	_, err := vms.TakeSnapshot(ctx, uuid.New(), vbawsapi.VirtualMachineSnapshotSpec{AmazonAccountID: role})
	assert.ErrorIs(t, err, apierr.ErrNotFound, "no such instance")
	_, err = vms.TakeSnapshot(ctx, web.ID, vbawsapi.VirtualMachineSnapshotSpec{AmazonAccountID: uuid.New()})
	assert.ErrorIs(t, err, apierr.ErrNotFound, "no such IAM role")
	_, err = vms.TakeSnapshot(ctx, web.ID, vbawsapi.VirtualMachineSnapshotSpec{AmazonAccountID: role, TargetRegionIDToCopySnapshots: &uuid.UUID{1}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "no such AWS Region")
	_, err = vms.TakeSnapshot(ctx, uuid.Nil, vbawsapi.VirtualMachineSnapshotSpec{AmazonAccountID: role})
	assert.ErrorIs(t, err, apierr.ErrMissingID)

	// A snapshot copied to eu-west-1: a ManualSnapshot and a Replica point.
	euWest := collect(t, vms.All(ctx, &vbaws.ListEC2InstancesOptions{SearchPattern: "build-01"}))[0].Location.ID
	link, err := vms.TakeSnapshot(ctx, web.ID, vbawsapi.VirtualMachineSnapshotSpec{AmazonAccountID: role, TargetRegionIDToCopySnapshots: euWest,
		CopyTagsFromVolumeEnabled: to.Ptr(true), AdditionalTags: []vbawsapi.TagSpec{{Key: "created-by", Value: "backupsdk"}}})
	require.NoError(t, err)
	snap := waitOK(ctx, t, c, link.SessionID)
	assert.Equal(t, "ManualTask", snap.Type)
	require.NotNil(t, snap.Embedded)
	require.NotNil(t, snap.Embedded.BackupJobInfo, "a snapshot session lists the instance it processed")
	protected, err := c.Sessions.ProtectedItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, protected.Results, 1)
	assert.Equal(t, web.ID, protected.Results[0].ID)
	assert.Equal(t, map[vbawsapi.RestorePointJobTypes]int{vbawsapi.RestorePointJobTypesBackup: 1, vbawsapi.RestorePointJobTypesManualSnapshot: 1,
		vbawsapi.RestorePointJobTypesReplica: 1}, jobTypes(ctx, t, c, web.ID))
	got, err := vms.Get(ctx, web.ID)
	require.NoError(t, err)
	assert.Equal(t, []vbawsapi.BackupDestinations{vbawsapi.BackupDestinationsSnapshot, vbawsapi.BackupDestinationsAwsBlob, vbawsapi.BackupDestinationsManualSnapshot},
		got.BackupDestinations)
	manual, err := vms.List(ctx, &vbaws.ListEC2InstancesOptions{BackupDestination: []vbawsapi.BackupDestinations{vbawsapi.BackupDestinationsManualSnapshot}})
	require.NoError(t, err)
	assert.Equal(t, []string{"web-01"}, instanceNames(manual.Results))

	// A failed removal deletes nothing and says so.
	srv.FailNextSession("the snapshots are in use")
	link, err = vms.DeleteSnapshots(ctx, web.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	failed, err := c.Sessions.DeletedItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, failed.Results, 2)
	for _, it := range failed.Results {
		assert.Equal(t, vbawsapi.SessionItemsStatusesFailed, *it.Status)
	}
	assert.Len(t, jobTypes(ctx, t, c, web.ID), 3, "the failed removal kept the points")

	// The snapshots go; the backup stays.
	link, err = vms.DeleteSnapshots(ctx, web.ID)
	require.NoError(t, err)
	removal := waitOK(ctx, t, c, link.SessionID)
	assert.Equal(t, "RetentionActivity", removal.Type)
	require.NotNil(t, removal.Embedded)
	require.NotNil(t, removal.Embedded.RetentionJobDeletedRestorePoints)
	assert.Equal(t, "/api/v1/sessions/"+link.SessionID.String()+"/deletedItems", removal.Embedded.RetentionJobDeletedRestorePoints.Href)
	assert.Equal(t, map[vbawsapi.RestorePointJobTypes]int{vbawsapi.RestorePointJobTypesBackup: 1}, jobTypes(ctx, t, c, web.ID))
	deleted := collect(t, c.Sessions.AllDeletedItems(ctx, link.SessionID, &vbaws.DeletedItemsOptions{
		Sort: []vbawsapi.RetentionJobDeletedRestorePointsSortColumns{vbawsapi.RetentionJobDeletedRestorePointsSortColumnsRegionAsc}}))
	require.Len(t, deleted, 2)
	assert.Equal(t, "eu-west-1", *deleted[0].Region, "the replica")
	assert.Equal(t, "us-east-1", *deleted[1].Region, "the snapshot")
	assert.Contains(t, *deleted[1].Name, "web-01 ManualSnapshot")
	for _, it := range deleted {
		assert.Equal(t, vbawsapi.SessionItemsStatusesSucceeded, *it.Status)
	}
	onlyReplica, err := c.Sessions.DeletedItems(ctx, link.SessionID, &vbaws.DeletedItemsOptions{SearchPattern: "*replica*"})
	require.NoError(t, err)
	require.Len(t, onlyReplica.Results, 1)
	assert.EqualValues(t, 1, onlyReplica.TotalCount)
	none, err := c.Sessions.DeletedItems(ctx, snap.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, none.Results, "a snapshot session removed nothing")
	_, err = c.Sessions.DeletedItems(ctx, uuid.New(), nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// Then the backup: the instance has no restore point left.
	link, err = vms.DeleteBackups(ctx, web.ID)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	assert.Empty(t, jobTypes(ctx, t, c, web.ID))
	gone, err := c.Sessions.DeletedItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, gone.Results, 1)
	assert.Contains(t, *gone.Results[0].Name, "web-01 Backup")
	got, err = vms.Get(ctx, web.ID)
	require.NoError(t, err)
	assert.Empty(t, got.BackupDestinations)
	notBackedUp, err := vms.List(ctx, &vbaws.ListEC2InstancesOptions{BackupState: vbawsapi.VirtualMachineBackupStateOnlyNotBackedUp,
		Sort: []vbawsapi.VirtualMachinesSortColumns{vbawsapi.VirtualMachinesSortColumnsNameAsc}})
	require.NoError(t, err)
	assert.Equal(t, []string{"build-01", "web-01"}, instanceNames(notBackedUp.Results))
	_, err = vms.DeleteBackups(ctx, uuid.New())
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// VmId finds the sessions that worked on the instance: the snapshot and
	// the three removals, not the seeded policy's or another instance's.
	sessions := collect(t, c.Sessions.All(ctx, &vbaws.ListSessionsOptions{VMID: web.ID.String()}))
	assert.Len(t, sessions, 4)
	other := collect(t, c.Sessions.All(ctx, &vbaws.ListSessionsOptions{VMID: euWest.String()}))
	assert.Empty(t, other)

	// The export lists what the list shows.
	rc, err := vms.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err := csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Len(t, records, 4, "a header and the three instances")
	assert.Equal(t, []string{"Name", "AWS ID", "Region", "Protection Status", "Backup Destinations"}, records[0])
	listed := collect(t, vms.All(ctx, nil))
	for i, vm := range listed {
		assert.Equal(t, *vm.Name, records[i+1][0])
		assert.Equal(t, vm.AwsResourceID, records[i+1][1])
		assert.Equal(t, string(vm.ProtectionStatus), records[i+1][3])
	}
	rc, err = vms.Export(ctx, vbaws.ExportXML)
	require.NoError(t, err)
	body, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(body), "<VirtualMachines><VirtualMachine><Name>"), "%s", body)
	assert.Contains(t, string(body), "<AWSID>"+listed[0].AwsResourceID+"</AWSID>")
	_, err = vms.Export(ctx, "text/html")
	assert.Error(t, err)
	assert.Empty(t, srv.Violations())
}
