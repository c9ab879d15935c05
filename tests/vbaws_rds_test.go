package tests

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// TestVBAWSRDS drives the RDS resources, backup policies and restore
// points: a new policy backs up a database, and the restore point it leaves
// is restored under a new name.
func TestVBAWSRDS(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	mysql, err := c.RDSInstances.List(ctx, &vbaws.ListRDSInstancesOptions{EngineType: []vbawsapi.RdsGetAllParamsEngineType{vbawsapi.RdsGetAllParamsEngineTypeAuroraMysql}})
	require.NoError(t, err)
	require.Len(t, mysql.Results, 1)
	billing := mysql.Results[0]
	assert.Equal(t, "billing-db", billing.Name)
	assert.Equal(t, vbawsapi.VirtualMachineProtectionStatusesUnprotected, *billing.ProtectionStatus)
	got, err := c.RDSInstances.Get(ctx, billing.ID)
	require.NoError(t, err)
	assert.Equal(t, "aurora-mysql", *got.Engine)
	_, err = c.RDSInstances.Get(ctx, uuid.New())
	require.ErrorIs(t, err, apierr.ErrNotFound)

	seeded, err := c.RDSPolicies.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, seeded.Results, 1)

	spec := vbawsapi.RdsPolicySpec{Name: "Billing", BackupType: vbawsapi.PolicySelectionTypesSelectedItems,
		SelectedItems: &vbawsapi.RdsPolicyBackupItems{RdsIds: []uuid.UUID{billing.ID}}}
	p, err := c.RDSPolicies.Create(ctx, spec)
	require.NoError(t, err)
	_, err = c.RDSPolicies.Create(ctx, vbawsapi.RdsPolicySpec{Name: "billing", BackupType: vbawsapi.PolicySelectionTypesAllItems})
	require.ErrorIs(t, err, apierr.ErrBadRequest, "names are unique whatever their case")
	covering, err := c.RDSPolicies.List(ctx, &vbaws.ListRDSPoliciesOptions{RdsID: &billing.ID})
	require.NoError(t, err)
	require.Len(t, covering.Results, 1)
	assert.Equal(t, p.ID, covering.Results[0].ID)

	spec.Description = to.Ptr("Hourly snapshots")
	_, err = c.RDSPolicies.Update(ctx, p.ID, spec)
	require.NoError(t, err)
	require.NoError(t, c.RDSPolicies.Disable(ctx, p.ID))
	pg, err := c.RDSPolicies.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, pg.IsEnabled)
	assert.Equal(t, "Hourly snapshots", *pg.Description)
	require.NoError(t, c.RDSPolicies.Enable(ctx, p.ID))

	link, err := c.RDSPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	points, err := c.RDSRestorePoints.List(ctx, &vbaws.ListRDSRestorePointsOptions{RdsID: &billing.ID})
	require.NoError(t, err)
	require.Len(t, points.Results, 1)
	rp, err := c.RDSRestorePoints.Get(ctx, points.Results[0].ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.RestorePointJobTypesSnapshot, rp.JobType)
	assert.Equal(t, "aurora-mysql", *rp.Engine)

	link, err = c.RDSPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, c.RDSPolicies.Stop(ctx, p.ID))
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)

	opts := vbawsapi.RdsRestoreOptions{Name: to.Ptr("orders-db"), ToOriginal: to.Ptr(false)}
	msgs, err := c.RDSRestorePoints.ValidateRestore(ctx, rp.ID, opts)
	require.NoError(t, err)
	require.Len(t, msgs, 1, "orders-db exists")
	opts.Name = to.Ptr("billing-db-copy")
	msgs, err = c.RDSRestorePoints.ValidateRestore(ctx, rp.ID, opts)
	require.NoError(t, err)
	assert.Empty(t, msgs)
	link, err = c.RDSRestorePoints.Restore(ctx, rp.ID, opts)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	restored, err := c.Sessions.RestoredItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, restored.Results, 1)
	assert.Equal(t, "billing-db-copy", restored.Results[0].Name)
	_, err = c.RDSRestorePoints.Restore(ctx, uuid.New(), opts)
	require.ErrorIs(t, err, apierr.ErrNotFound)

	require.NoError(t, c.RDSPolicies.Delete(ctx, p.ID))
	_, err = c.RDSPolicies.Get(ctx, p.ID)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	left, err := c.RDSRestorePoints.List(ctx, &vbaws.ListRDSRestorePointsOptions{RdsID: &billing.ID})
	require.NoError(t, err)
	assert.Len(t, left.Results, 1, "removing a policy keeps its restore points")
	assertOperationsCalled(t, srv, "RdsPolicies", "CreateRdsPolicy", "UpdateRdsPolicy", "DeleteRdsPolicy", "StartRdsPolicy", "StopRdsPolicy",
		"EnableRdsPolicy", "DisableRdsPolicy", "RdsGet", "RdsRestorePoints", "RestoreRds", "ValidateRestoreRds")
}
