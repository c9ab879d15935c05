package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// expectViolations makes the fake's spec violations expected from here on:
// they are collected instead of failing the test.
func expectViolations(srv *ibmfake.Server) *[]error {
	var seen []error
	srv.OnViolation(func(err error) { seen = append(seen, err) })
	return &seen
}

// The nested parameters of groups and recoveries are typed models (IBM's),
// not free-form maps: what a caller sends comes back in the same fields, and
// the fake, validating against the spec, refuses what breaks their rules.

func TestIBMTypedFileProtectionGroup(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	policy, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Gold"))
	require.NoError(t, err)

	req := ibmGroupRequest(t, "file-servers", *policy.ID)
	req.PhysicalParams = &ibmbrapi.PhysicalProtectionGroupParams{
		ProtectionType: ibmbrapi.PhysicalProtectionGroupParamsProtectionTypeKFile,
		FileProtectionTypeParams: &ibmbrapi.PhysicalFileProtectionGroupParams{
			Objects: []ibmbrapi.PhysicalFileProtectionGroupObjectParams{
				{ID: 31, Name: to.Ptr("fs01.example.com"), FilePaths: []ibmbrapi.PhysicalFileBackupPathParams{
					{IncludedPath: "/home", ExcludedPaths: []string{"/home/tmp"}, SkipNestedVolumes: to.Ptr(true)},
				}},
				{ID: 32, Name: to.Ptr("fs02.example.com"), FilePaths: []ibmbrapi.PhysicalFileBackupPathParams{{IncludedPath: "/srv"}}},
			},
			IndexingPolicy: &ibmbrapi.IndexingPolicy{EnableIndexing: true, IncludePaths: []string{"/home"}},
			PrePostScript: &ibmbrapi.PrePostScriptParams{
				PreScript: &ibmbrapi.CommonPreBackupScriptParams{Path: "/opt/scripts/quiesce.sh", TimeoutSecs: to.Ptr(int64(120))},
			},
			IgnorableErrors: []ibmbrapi.PhysicalFileProtectionGroupParamsIgnorableErrors{ibmbrapi.PhysicalFileProtectionGroupParamsIgnorableErrorsKNonExistent},
		},
	}
	created, err := c.ProtectionGroups.Create(ctx, req)
	require.NoError(t, err)
	assert.EqualValues(t, 2, *created.NumProtectedObjects, "the fake counts the typed objects")

	got, err := c.ProtectionGroups.Get(ctx, *created.ID, nil)
	require.NoError(t, err)
	require.NotNil(t, got.PhysicalParams)
	files := got.PhysicalParams.FileProtectionTypeParams
	require.NotNil(t, files)
	require.Len(t, files.Objects, 2)
	assert.EqualValues(t, 31, files.Objects[0].ID)
	assert.Equal(t, "fs01.example.com", *files.Objects[0].Name)
	require.Len(t, files.Objects[0].FilePaths, 1)
	assert.Equal(t, "/home", files.Objects[0].FilePaths[0].IncludedPath)
	assert.Equal(t, []string{"/home/tmp"}, files.Objects[0].FilePaths[0].ExcludedPaths)
	assert.True(t, *files.Objects[0].FilePaths[0].SkipNestedVolumes)
	require.NotNil(t, files.IndexingPolicy)
	assert.True(t, files.IndexingPolicy.EnableIndexing)
	assert.Equal(t, "/opt/scripts/quiesce.sh", files.PrePostScript.PreScript.Path)
	assert.EqualValues(t, 120, *files.PrePostScript.PreScript.TimeoutSecs)
	assert.Equal(t, []ibmbrapi.PhysicalFileProtectionGroupParamsIgnorableErrors{"kNonExistent"}, files.IgnorableErrors)

	// The update replaces the objects; the read after it shows the new ones.
	req.PhysicalParams.FileProtectionTypeParams.Objects = req.PhysicalParams.FileProtectionTypeParams.Objects[1:]
	req.LastModifiedTimestampUsecs = got.LastModifiedTimestampUsecs
	_, err = c.ProtectionGroups.Update(ctx, *created.ID, req)
	require.NoError(t, err)
	got, err = c.ProtectionGroups.Get(ctx, *created.ID, nil)
	require.NoError(t, err)
	require.Len(t, got.PhysicalParams.FileProtectionTypeParams.Objects, 1)
	assert.EqualValues(t, 32, got.PhysicalParams.FileProtectionTypeParams.Objects[0].ID)
	assert.EqualValues(t, 1, *got.NumProtectedObjects)

	// IBM's model requires the objects, a script's path and a known
	// ignorable error: the fake refuses a body without them.
	refused := expectViolations(srv)
	bad := ibmGroupRequest(t, "no-objects", *policy.ID)
	bad.PhysicalParams = &ibmbrapi.PhysicalProtectionGroupParams{
		ProtectionType:           ibmbrapi.PhysicalProtectionGroupParamsProtectionTypeKFile,
		FileProtectionTypeParams: &ibmbrapi.PhysicalFileProtectionGroupParams{},
	}
	_, err = c.ProtectionGroups.Create(ctx, bad)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "objects is required")
	bad.PhysicalParams.FileProtectionTypeParams.Objects = []ibmbrapi.PhysicalFileProtectionGroupObjectParams{{ID: 31}}
	bad.PhysicalParams.FileProtectionTypeParams.IgnorableErrors = []ibmbrapi.PhysicalFileProtectionGroupParamsIgnorableErrors{"kSomethingElse"}
	_, err = c.ProtectionGroups.Create(ctx, bad)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "ignorableErrors is an enum")
	list, err := c.ProtectionGroups.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, list.ProtectionGroups, 1, "the refused groups were not created")
	assert.Len(t, *refused, 2)
}

func TestIBMTypedFileRecovery(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	req := physicalRecovery("restore-home")
	req.PhysicalParams = &ibmbrapi.RecoverPhysicalParams{
		RecoveryAction: ibmbrapi.RecoverPhysicalParamsRecoveryActionRecoverFiles,
		Objects:        []ibmbrapi.CommonRecoverObjectSnapshotParams{{SnapshotID: "7103287453312567:1732015312446:52:48:31"}},
		RecoverFileAndFolderParams: &ibmbrapi.RecoverPhysicalParamsRecoverFileAndFolderParams{
			TargetEnvironment: ibmbrapi.RecoverPhysicalParamsRecoverFileAndFolderParamsTargetEnvironmentKPhysical,
			FilesAndFolders: []ibmbrapi.CommonRecoverFileAndFolderInfo{
				{AbsolutePath: "/home/alice/report.txt"},
				{AbsolutePath: "/home/bob", IsDirectory: to.Ptr(true)},
			},
			PhysicalTargetParams: &ibmbrapi.RecoverPhysicalFileAndFolderParamsPhysicalTargetParams{
				RecoverTarget:             ibmbrapi.RecoverTarget{ID: 31, Name: to.Ptr("fs01.example.com")},
				RestoreToOriginalPaths:    to.Ptr(false),
				AlternateRestoreDirectory: to.Ptr("/restore"),
				OverwriteExisting:         to.Ptr(true),
				VLANConfig:                &ibmbrapi.RecoveryVLANConfig{ID: to.Ptr(int64(10))},
			},
		},
	}
	rec, err := c.Recoveries.Create(ctx, req, nil)
	require.NoError(t, err)
	require.NotNil(t, rec.PhysicalParams)
	assert.Equal(t, ibmbrapi.RecoveryRecoveryActionRecoverFiles, *rec.RecoveryAction)
	params := rec.PhysicalParams.RecoverFileAndFolderParams
	require.NotNil(t, params)
	require.Len(t, params.FilesAndFolders, 2)
	assert.Equal(t, "/home/alice/report.txt", params.FilesAndFolders[0].AbsolutePath)
	assert.True(t, *params.FilesAndFolders[1].IsDirectory)
	assert.Equal(t, ibmbrapi.CommonRecoverFileAndFolderInfoStatusNotStarted, *params.FilesAndFolders[0].Status)
	target := params.PhysicalTargetParams
	require.NotNil(t, target)
	assert.EqualValues(t, 31, target.RecoverTarget.ID)
	assert.Equal(t, "/restore", *target.AlternateRestoreDirectory)
	assert.EqualValues(t, 10, *target.VLANConfig.ID)

	// Each read moves the recovery on, and each file with it.
	want := []ibmbrapi.CommonRecoverFileAndFolderInfoStatus{
		ibmbrapi.CommonRecoverFileAndFolderInfoStatusCopyInProgress,
		ibmbrapi.CommonRecoverFileAndFolderInfoStatusFinished,
	}
	for _, status := range want {
		got, err := c.Recoveries.Get(ctx, *rec.ID)
		require.NoError(t, err)
		for _, f := range got.PhysicalParams.RecoverFileAndFolderParams.FilesAndFolders {
			assert.Equal(t, status, *f.Status, f.AbsolutePath)
		}
	}

	// IBM's model needs the files to recover.
	refused := expectViolations(srv)
	req.PhysicalParams.RecoverFileAndFolderParams.FilesAndFolders = nil
	_, err = c.Recoveries.Create(ctx, req, nil)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "filesAndFolders is required")
	assert.Len(t, *refused, 1)
	list, err := c.Recoveries.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, list.Recoveries, 1, "the refused recovery was not created")
}

func TestIBMTypedSQLRecovery(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	req := ibmbrapi.CreateRecoveryRequest{
		Name:                "restore-sales-db",
		SnapshotEnvironment: ibmbrapi.CreateRecoveryRequestSnapshotEnvironmentKSQL,
		MSSQLParams: &ibmbrapi.RecoverSQLParams{
			RecoveryAction: ibmbrapi.RecoverSQLParamsRecoveryActionRecoverApps,
			RecoverAppParams: []ibmbrapi.RecoverSQLAppParams{{
				SnapshotID:        "7103287453312567:1732015312446:52:48:31",
				TargetEnvironment: ibmbrapi.RecoverSQLAppParamsTargetEnvironmentKSQL,
				HostInfo:          &ibmbrapi.HostInformation{ID: to.Ptr("12"), Name: to.Ptr("sql01.example.com")},
				AAGInfo:           &ibmbrapi.AAGInfo{Name: to.Ptr("ag-sales"), ObjectID: to.Ptr(int64(77))},
			}},
		},
	}
	rec, err := c.Recoveries.Create(ctx, req, nil)
	require.NoError(t, err)
	got, err := c.Recoveries.Get(ctx, *rec.ID)
	require.NoError(t, err)
	require.NotNil(t, got.MSSQLParams)
	require.Len(t, got.MSSQLParams.RecoverAppParams, 1)
	app := got.MSSQLParams.RecoverAppParams[0]
	assert.Equal(t, "7103287453312567:1732015312446:52:48:31", app.SnapshotID, "a member of the base, CommonRecoverObjectSnapshotParams")
	assert.Equal(t, ibmbrapi.RecoverSQLAppParamsTargetEnvironmentKSQL, app.TargetEnvironment)
	assert.Equal(t, "sql01.example.com", *app.HostInfo.Name)
	assert.EqualValues(t, 77, *app.AAGInfo.ObjectID)

	refused := expectViolations(srv)
	req.MSSQLParams.RecoverAppParams[0].TargetEnvironment = "kPhysical"
	_, err = c.Recoveries.Create(ctx, req, nil)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "targetEnvironment is kSQL only")
	assert.Len(t, *refused, 1)
}
