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

// TestVBAWSEFS drives the EFS file systems, backup policies and restore
// points, with file and file-level restore.
func TestVBAWSEFS(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	fss, err := c.EFSFileSystems.List(ctx, &vbaws.ListEFSFileSystemsOptions{SearchPattern: "ho*"})
	require.NoError(t, err)
	require.Len(t, fss.Results, 1)
	home := fss.Results[0]
	fs, err := c.EFSFileSystems.Get(ctx, home.ID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.VirtualMachineProtectionStatusesProtected, *fs.ProtectionStatus, "the seeded policy covers us-east-1")

	// A policy of every file system of a region, without the excluded one.
	spec := vbawsapi.EfsPolicySpec{Name: "Everything but home", BackupType: vbawsapi.PolicySelectionTypesAllItems,
		RegionIds: []uuid.UUID{uuid.MustParse("5a2bd2b7-6f4b-4b9b-8f3c-8a3c0a4f2b11")}, IndexingEnabled: to.Ptr(true),
		ExcludedItems: &vbawsapi.EfsPolicyBackupItems{EfsIds: []uuid.UUID{home.ID}}}
	p, err := c.EFSPolicies.Create(ctx, spec)
	require.NoError(t, err)
	spec.RegionIds = []uuid.UUID{uuid.New()}
	_, err = c.EFSPolicies.Update(ctx, p.ID, spec)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "an unknown region")
	spec.RegionIds = []uuid.UUID{uuid.MustParse("5a2bd2b7-6f4b-4b9b-8f3c-8a3c0a4f2b11")}
	spec.IndexingEnabled = to.Ptr(false)
	_, err = c.EFSPolicies.Update(ctx, p.ID, spec)
	require.NoError(t, err)
	got, err := c.EFSPolicies.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, *got.IndexingEnabled)
	require.NoError(t, c.EFSPolicies.Disable(ctx, p.ID))
	enabled, err := c.EFSPolicies.List(ctx, &vbaws.ListEFSPoliciesOptions{IsEnabled: to.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, enabled.Results, 1)
	assert.NotEqual(t, p.ID, enabled.Results[0].ID)
	require.NoError(t, c.EFSPolicies.Enable(ctx, p.ID))

	link, err := c.EFSPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	protected, err := c.Sessions.ProtectedItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, protected.Results, 1)
	assert.Equal(t, "shared", protected.Results[0].Name)
	homePoints, err := c.EFSRestorePoints.List(ctx, &vbaws.ListEFSRestorePointsOptions{EfsID: &home.ID})
	require.NoError(t, err)
	require.Len(t, homePoints.Results, 1, "only the seeded backup: home is excluded")

	link, err = c.EFSPolicies.Start(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, c.EFSPolicies.Stop(ctx, p.ID))
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)

	rp, err := c.EFSRestorePoints.Get(ctx, homePoints.Results[0].ID)
	require.NoError(t, err)
	msgs, err := c.EFSRestorePoints.ValidateRestore(ctx, rp.ID, vbawsapi.EfsRestoreOptions{ToOriginal: to.Ptr(true)})
	require.NoError(t, err)
	assert.Empty(t, msgs)
	link, err = c.EFSRestorePoints.Restore(ctx, rp.ID, vbawsapi.EfsRestoreOptions{ToOriginal: to.Ptr(true)})
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	restored, err := c.Sessions.RestoredItems(ctx, link.SessionID, nil)
	require.NoError(t, err)
	require.Len(t, restored.Results, 1)
	assert.Equal(t, "home", restored.Results[0].Name)

	link, err = c.EFSRestorePoints.RestoreFiles(ctx, rp.ID, vbawsapi.EfsFileRestoreOptions{Paths: []string{"/a.txt", "/docs"}, ToOriginal: to.Ptr(true)})
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	restored, err = c.Sessions.RestoredItems(ctx, link.SessionID, &vbaws.RestoredItemsOptions{SearchPattern: "docs"})
	require.NoError(t, err)
	require.Len(t, restored.Results, 1)
	_, err = c.EFSRestorePoints.RestoreFiles(ctx, uuid.New(), vbawsapi.EfsFileRestoreOptions{Paths: []string{"/a.txt"}})
	require.ErrorIs(t, err, apierr.ErrNotFound)

	flr, err := c.EFSRestorePoints.StartFileRestore(ctx, rp.ID, vbawsapi.FlrOptions{})
	require.NoError(t, err)
	s, err := c.Sessions.Get(ctx, flr.SessionID)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusRunning, s.Status)
	require.NoError(t, c.Sessions.Stop(ctx, flr.SessionID))
	waitOK(ctx, t, c, flr.SessionID)

	require.NoError(t, c.EFSPolicies.Delete(ctx, p.ID))
	_, err = c.EFSPolicies.Get(ctx, p.ID)
	require.ErrorIs(t, err, apierr.ErrNotFound)
	assertOperationsCalled(t, srv, "EfsPolicies", "CreateEfsPolicy", "UpdateEfsPolicy", "DeleteEfsPolicy", "StartEfsPolicy", "StopEfsPolicy",
		"EnableEfsPolicy", "DisableEfsPolicy", "EfsGet", "EfsRestorePoints", "RestoreEfs", "ValidateRestoreEfs", "StartEfsFlr")
}
