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

// TestVBAWSDynamoDB drives the DynamoDB tables, backup policies and
// restore points.
func TestVBAWSDynamoDB(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	n := 0
	var carts vbawsapi.DynamoDBTable
	for tbl, err := range c.DynamoDBTables.All(ctx, &vbaws.ListDynamoDBTablesOptions{Limit: 1}) {
		require.NoError(t, err)
		n++
		if tbl.Name == "carts" {
			carts = tbl
		}
	}
	require.Equal(t, 2, n, "two pages of one")
	tbl, err := c.DynamoDBTables.Get(ctx, carts.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.VirtualMachineProtectionStatusesUnprotected, *tbl.ProtectionStatus)

	spec := vbawsapi.DynamoDBPolicySpec{Name: "Carts", BackupType: vbawsapi.PolicySelectionTypesSelectedItems,
		SelectedItems: &vbawsapi.DynamoDBPolicyBackupItems{DynamoDBIds: []uuid.UUID{carts.ID}}}
	p, err := c.DynamoDBPolicies.Create(ctx, spec)
	require.NoError(t, err)
	_, err = c.DynamoDBPolicies.Create(ctx, vbawsapi.DynamoDBPolicySpec{Name: "Empty", BackupType: vbawsapi.PolicySelectionTypesSelectedItems})
	require.ErrorIs(t, err, apierr.ErrBadRequest, "a SelectedItems policy must select something")
	spec.Name = "Shopping carts"
	_, err = c.DynamoDBPolicies.Update(ctx, p.ID, spec)
	require.NoError(t, err)
	byName, err := c.DynamoDBPolicies.List(ctx, &vbaws.ListDynamoDBPoliciesOptions{SearchPattern: "shopping"})
	require.NoError(t, err)
	require.Len(t, byName.Results, 1)
	require.NoError(t, c.DynamoDBPolicies.Disable(ctx, p.ID))
	got, err := c.DynamoDBPolicies.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, got.IsEnabled)
	require.NoError(t, c.DynamoDBPolicies.Enable(ctx, p.ID))

	link, err := c.DynamoDBPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	never, err := c.DynamoDBPolicies.List(ctx, &vbaws.ListDynamoDBPoliciesOptions{LastPolicySessionStatus: []vbawsapi.SessionStatus{vbawsapi.SessionStatusSucceeded}})
	require.NoError(t, err)
	assert.Len(t, never.Results, 2, "the seeded policy and this one have succeeded")
	link, err = c.DynamoDBPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, c.DynamoDBPolicies.Stop(ctx, p.ID))
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)

	points, err := c.DynamoDBRestorePoints.List(ctx, &vbaws.ListDynamoDBRestorePointsOptions{DynamoDBID: &carts.ID})
	require.NoError(t, err)
	require.Len(t, points.Results, 1)
	rp, err := c.DynamoDBRestorePoints.Get(ctx, points.Results[0].ID)
	require.NoError(t, err)
	assert.Equal(t, p.ID, *rp.PolicyID)
	opts := vbawsapi.DynamoDBRestoreOptions{TableName: to.Ptr("orders")}
	msgs, err := c.DynamoDBRestorePoints.ValidateRestore(ctx, rp.ID, opts)
	require.NoError(t, err)
	require.Len(t, msgs, 1, "orders exists")
	opts.TableName = to.Ptr("carts-restored")
	link, err = c.DynamoDBRestorePoints.Restore(ctx, rp.ID, opts)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	restored, err := c.Sessions.RestoredItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, restored.Results, 1)
	assert.Equal(t, "carts-restored", restored.Results[0].Name)

	require.NoError(t, c.DynamoDBPolicies.Delete(ctx, p.ID))
	require.ErrorIs(t, c.DynamoDBPolicies.Delete(ctx, p.ID), apierr.ErrNotFound)
	assertOperationsCalled(t, srv, "DynamoDbPolicies", "CreateDynamoDbPolicy", "UpdateDynamoDbPolicy", "DeleteDynamoDbPolicy",
		"StartDynamoDbPolicy", "StopDynamoDbPolicy", "EnableDynamoDbPolicy", "DisableDynamoDbPolicy", "DynamoDbGet", "DynamoDbRestorePoints",
		"RestoreDynamoDb", "ValidateRestoreDynamoDb")
}
