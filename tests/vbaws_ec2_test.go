package tests

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

var fastPoll = &poll.Options{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond}

// waitOK waits for a session and requires it to have succeeded.
func waitOK(ctx context.Context, t *testing.T, c *vbaws.Client, id uuid.UUID) *vbawsapi.Session {
	t.Helper()
	s, err := c.Sessions.Wait(ctx, id, fastPoll)
	require.NoError(t, err)
	require.Equal(t, vbawsapi.SessionStatusSucceeded, s.Status)
	return s
}

// TestVBAWSEC2Policies drives the EC2 backup policies: create, read,
// modify, the selected items and regions, enable and disable, start, stop
// and delete, and the restore point a successful backup leaves.
func TestVBAWSEC2Policies(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	pol := c.EC2Policies

	// The seeded instances: build-01 is in no policy.
	var build, web vbawsapi.VirtualMachine
	n := 0
	for vm, err := range c.EC2Instances.All(ctx, nil) {
		require.NoError(t, err)
		n++
		if vm.Name != nil && *vm.Name == "build-01" {
			build = vm
		}
		if vm.Name != nil && *vm.Name == "web-01" {
			web = vm
		}
	}
	require.Equal(t, 3, n)
	assert.Equal(t, vbawsapi.VirtualMachineProtectionStatusesUnprotected, build.ProtectionStatus)
	assert.Equal(t, vbawsapi.VirtualMachineProtectionStatusesProtected, web.ProtectionStatus)
	unprotected, err := c.EC2Instances.List(ctx, &vbaws.ListEC2InstancesOptions{ProtectionStatus: vbawsapi.VirtualMachineProtectionStatusesUnprotected})
	require.NoError(t, err)
	require.Len(t, unprotected.Results, 1)
	assert.Equal(t, build.ID, unprotected.Results[0].ID)

	// Create a policy for build-01.
	spec := vbawsapi.PolicySpec{Name: "Build servers", AmazonAccountID: uuid.New(), BackupType: vbawsapi.PolicySelectionTypesSelectedItems,
		RegionIds:     []uuid.UUID{uuid.MustParse("7c1e9d55-0b0e-4d7a-9a51-3f3f1f0b6c22")},
		SelectedItems: &vbawsapi.PolicyBackupItems{VirtualMachineIds: []uuid.UUID{build.ID}},
		ScheduleSettings: &vbawsapi.ScheduleSettings{DailyScheduleEnabled: true, DailySchedule: &vbawsapi.DailyScheduleSettings{
			Kind: vbawsapi.DailyScheduleKindsEveryday, BackupOptions: &vbawsapi.DailyPeriodScheduleOptions{
				Retention: vbawsapi.PeriodRetentionOptions{Type: vbawsapi.RetentionTypesDays, Count: 7},
				Schedule:  vbawsapi.DailySchedule{Hours: []int32{2, 22}}}}},
		RetrySettings: &vbawsapi.RetrySettings{RetryTimes: 2}}
	created, err := pol.Create(ctx, spec)
	require.NoError(t, err)
	assert.True(t, created.IsEnabled)
	assert.Equal(t, vbawsapi.SessionStatusNeverExecuted, *created.LastPolicySessionStatus)
	vm, err := c.EC2Instances.Get(ctx, build.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.VirtualMachineProtectionStatusesProtected, vm.ProtectionStatus)

	_, err = pol.Create(ctx, spec)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "a second policy of the same name")
	bad := spec
	bad.Name, bad.SelectedItems = "Nothing", &vbawsapi.PolicyBackupItems{VirtualMachineIds: []uuid.UUID{uuid.New()}}
	_, err = pol.Create(ctx, bad)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "an unknown instance")

	spec.Description = to.Ptr("Nightly")
	updated, err := pol.Update(ctx, created.ID, spec)
	require.NoError(t, err)
	got, err := pol.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, "Nightly", *got.Description)
	assert.Greater(t, *updated.Usn, *created.Usn)

	items, err := pol.SelectedItems(ctx, created.ID, nil)
	require.NoError(t, err)
	require.Len(t, items.Results, 1)
	assert.Equal(t, "build-01", *items.Results[0].Name)
	excluded, err := pol.ExcludedItems(ctx, created.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, excluded.Results)
	regions, err := pol.Regions(ctx, created.ID, nil)
	require.NoError(t, err)
	require.Len(t, regions.Results, 1)
	assert.Equal(t, "eu-west-1", regions.Results[0].Name)

	// Disable and enable, seen through the list filter.
	require.NoError(t, pol.Disable(ctx, created.ID))
	disabled, err := pol.List(ctx, &vbaws.ListEC2PoliciesOptions{IsEnabled: to.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, disabled.Results, 1)
	assert.Equal(t, created.ID, disabled.Results[0].ID)
	vm, err = c.EC2Instances.Get(ctx, build.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.VirtualMachineProtectionStatusesUnprotected, vm.ProtectionStatus, "a disabled policy protects nothing")
	require.NoError(t, pol.Enable(ctx, created.ID))
	got, err = pol.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.True(t, got.IsEnabled)

	// Start a backup: a second start is refused while it runs.
	before, err := c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{VirtualMachineID: &build.ID})
	require.NoError(t, err)
	assert.Zero(t, before.TotalCount)
	link, err := pol.Start(ctx, created.ID)
	require.NoError(t, err)
	_, err = pol.Start(ctx, created.ID)
	require.ErrorIs(t, err, apierr.ErrConflict)
	require.ErrorIs(t, pol.Delete(ctx, created.ID), apierr.ErrConflict, "a running policy cannot be removed")
	waitOK(ctx, t, c, link.SessionID)
	got, err = pol.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusSucceeded, *got.LastPolicySessionStatus)
	after, err := c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{VirtualMachineID: &build.ID})
	require.NoError(t, err)
	require.Len(t, after.Results, 1)
	assert.Equal(t, created.ID, *after.Results[0].PolicyID)

	protected, err := c.Sessions.ProtectedItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, protected.Results, 1)
	assert.Equal(t, build.ID, protected.Results[0].ID)
	log, err := c.Sessions.Log(ctx, link.SessionID)
	require.NoError(t, err)
	require.NotEmpty(t, log.Log)
	assert.Contains(t, *log.Log[len(log.Log)-1].Message, "Succeeded")
	sessions, err := c.Sessions.List(ctx, &vbaws.ListSessionsOptions{PolicyID: &created.ID})
	require.NoError(t, err)
	require.Len(t, sessions.Results, 1)
	assert.Equal(t, link.SessionID, sessions.Results[0].ID)

	// Stop a running backup: the session ends Canceled, without a restore point.
	require.ErrorIs(t, pol.Stop(ctx, created.ID), apierr.ErrBadRequest, "nothing runs")
	link, err = pol.Start(ctx, created.ID)
	require.NoError(t, err)
	require.NoError(t, pol.Stop(ctx, created.ID))
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	got, err = pol.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusCanceled, *got.LastPolicySessionStatus)
	after, err = c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{VirtualMachineID: &build.ID})
	require.NoError(t, err)
	assert.Len(t, after.Results, 1)

	// A failed backup leaves no restore point either.
	srv.FailNextSession("the IAM role lacks ec2:CreateSnapshot")
	link, err = pol.Start(ctx, created.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	after, err = c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{VirtualMachineID: &build.ID})
	require.NoError(t, err)
	assert.Len(t, after.Results, 1)

	// Remove it.
	all := 0
	for _, err := range pol.All(ctx, nil) {
		require.NoError(t, err)
		all++
	}
	assert.Equal(t, 2, all)
	require.NoError(t, pol.Delete(ctx, created.ID))
	_, err = pol.Get(ctx, created.ID)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	var apiErr *apierr.Error
	require.ErrorAs(t, pol.Enable(ctx, created.ID), &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assertOperationsCalled(t, srv, "PoliciesGet", "CreatePolicy", "UpdatePolicy", "DeletePolicy", "StartPolicy", "StopPolicy",
		"EnablePolicy", "DisablePolicy", "VirtualMachines", "GetSessionLog", "GetBackupSession")
}

// TestVBAWSEC2Restore restores from the newest restore point of an
// instance: validation, instance and volume restore, file-level recovery.
func TestVBAWSEC2Restore(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	rps := c.EC2RestorePoints

	page, err := rps.List(ctx, &vbaws.ListEC2RestorePointsOptions{Sort: []vbawsapi.VMRestorePointsSortColumns{vbawsapi.VMRestorePointsSortColumnsPointInTimeDesc}, Limit: 1})
	require.NoError(t, err)
	require.Len(t, page.Results, 1)
	assert.Equal(t, int32(2), page.TotalCount, "the seeded policy backed up two instances")
	rp, err := rps.Get(ctx, page.Results[0].ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.RestorePointJobTypesBackup, rp.JobType)
	_, err = rps.Get(ctx, uuid.New())
	require.ErrorIs(t, err, apierr.ErrNotFound)

	// Validation flags a name that is taken.
	toTaken := vbawsapi.VirtualMachineRestoreOptions{Reason: to.Ptr("test"), ToAlternative: &vbawsapi.VirtualMachineToAlternativeRestoreOptions{
		Name: "web-02", RegionID: uuid.New(), VMType: "t3.micro", SubnetID: "subnet-1", NetworkSecurityGroupID: "sg-1"}}
	msgs, err := rps.ValidateRestoreInstance(ctx, rp.ID, toTaken)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, vbawsapi.ValidationMessageSeverityError, msgs[0].Severity)
	toTaken.ToAlternative.Name = "web-restored"
	msgs, err = rps.ValidateRestoreInstance(ctx, rp.ID, toTaken)
	require.NoError(t, err)
	assert.Empty(t, msgs)
	_, err = rps.ValidateRestoreInstance(ctx, uuid.New(), toTaken)
	require.ErrorIs(t, err, apierr.ErrNotFound)

	link, err := rps.RestoreInstance(ctx, rp.ID, toTaken)
	require.NoError(t, err)
	s := waitOK(ctx, t, c, link.SessionID)
	assert.Equal(t, "RestoreTask", s.Type)
	restored, err := c.Sessions.RestoredItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, restored.Results, 1)
	assert.Equal(t, "web-restored", restored.Results[0].Name)
	_, err = rps.RestoreInstance(ctx, uuid.New(), toTaken)
	require.ErrorIs(t, err, apierr.ErrNotFound)

	vols := vbawsapi.DiskBulkRestoreOptions{Volumes: []vbawsapi.DiskRestoreOptions{{DiskID: rp.Volumes[0].DiskID, Name: to.Ptr("root-restored")}}}
	msgs, err = rps.ValidateRestoreVolumes(ctx, rp.ID, vols)
	require.NoError(t, err)
	assert.Empty(t, msgs)
	link, err = rps.RestoreVolumes(ctx, rp.ID, vols)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	restored, err = c.Sessions.RestoredItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, restored.Results, 1)
	assert.Equal(t, "root-restored", restored.Results[0].Name)

	// File-level recovery runs until it is stopped.
	flr, err := rps.StartFileRestore(ctx, rp.ID, vbawsapi.FlrOptions{Reason: to.Ptr("a lost file")})
	require.NoError(t, err)
	assert.Contains(t, flr.URL, flr.SessionID.String())
	for range 3 {
		s, err := c.Sessions.Get(ctx, flr.SessionID)
		require.NoError(t, err)
		assert.Equal(t, vbawsapi.SessionStatusRunning, s.Status)
	}
	require.NoError(t, c.Sessions.Stop(ctx, flr.SessionID))
	waitOK(ctx, t, c, flr.SessionID)
	require.ErrorIs(t, c.Sessions.Stop(ctx, flr.SessionID), apierr.ErrBadRequest, "it has ended")
	require.ErrorIs(t, c.Sessions.Stop(ctx, uuid.New()), apierr.ErrNotFound)
	_, err = c.Sessions.Log(ctx, uuid.New())
	require.ErrorIs(t, err, apierr.ErrNotFound)
	assertOperationsCalled(t, srv, "RestorePoints", "RestoreVm", "RestoreDisk", "ValidateRestoreVm", "ValidateRestoreDisk", "StartFlr",
		"StopJob", "GetRestoreSession")
}
