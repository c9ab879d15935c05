package tests

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

func ciStr(s string) *string { return &s }

// ciAccount is a service account with the example permissions of the spec.
func ciAccount(t *testing.T, email string) vbgcapi.CloudInfrastructureAccountPermissionsModel {
	t.Helper()
	a := example[vbgcapi.CloudInfrastructureAccountPermissionsModel](t, "CloudInfrastructureAccountPermissionsModel")
	a.ServiceAccountID = email
	return a
}

func TestVBGCCloudInfrastructure(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	ci := c.CloudInfrastructure
	backup := ciAccount(t, "vbgc-backup@ops-project.iam.gserviceaccount.com")

	// Folders and projects are added, with their accounts, and listed.
	include := true
	folder, err := ci.AddFolder(ctx, vbgcapi.CloudInfrastructureFolderSpec{FolderID: "123456789012", IncludeSubfolders: &include,
		Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup}})
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ECloudInfrastructureItemTypeFolder, folder.Type)
	assert.Equal(t, "123456789012", folder.CloudID)
	assert.NotZero(t, folder.ID)
	require.NotNil(t, folder.IncludeSubfolders)
	assert.True(t, *folder.IncludeSubfolders)
	_, err = ci.AddFolder(ctx, vbgcapi.CloudInfrastructureFolderSpec{FolderID: "555", Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup}})
	require.NoError(t, err)
	for i := range 7 {
		p, err := ci.AddProject(ctx, vbgcapi.CloudInfrastructureProjectSpec{ProjectID: fmt.Sprintf("prod-%02d", i),
			Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup}})
		require.NoError(t, err)
		assert.Equal(t, vbgcapi.ECloudInfrastructureItemTypeProject, p.Type)
		require.NotNil(t, p.ProjectNumber)
	}
	assert.Equal(t, 9, srv.InfrastructureCount())

	_, err = ci.AddProject(ctx, vbgcapi.CloudInfrastructureProjectSpec{ProjectID: "prod-03", Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a project is added once")

	// The iterator pages through the projects only, newest name first.
	var names []string
	for o, err := range ci.All(ctx, &vbgc.ListOptions{Limit: 3, OrderBy: orderBy(t, vbgc.Order{Property: "cloudId", Descending: true}),
		Filter: filter(t, vbgc.Condition{Property: "type", Operator: vbgc.OpEquals, Value: "Project"})}) {
		require.NoError(t, err)
		names = append(names, o.CloudID)
	}
	assert.Equal(t, []string{"prod-06", "prod-05", "prod-04", "prod-03", "prod-02", "prod-01", "prod-00"}, names)
	assert.Equal(t, 3, srv.Calls()["CloudInfrastructureGetAll"], "7 projects in pages of 3")

	page, err := ci.List(ctx, &vbgc.ListOptions{Offset: 1, Limit: 4})
	require.NoError(t, err)
	assert.EqualValues(t, 9, page.Pagination.TotalCount)
	require.Len(t, page.Data, 4)
	assert.Equal(t, "555", page.Data[0].CloudID)

	// Permissions are read and replaced.
	perms, err := ci.FolderPermissions(ctx, "123456789012")
	require.NoError(t, err)
	assert.Equal(t, []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup}, perms.Accounts)
	require.NotNil(t, perms.ID)
	assert.Equal(t, folder.ID, *perms.ID)

	restore := ciAccount(t, "vbgc-restore@ops-project.iam.gserviceaccount.com")
	restore.Permissions = vbgcapi.CloudInfrastructureObjectPermissionsModel{UseForSQLRestore: true, UseForSpannerRestore: true}
	perms, err = ci.SetFolderPermissions(ctx, "123456789012", vbgcapi.CloudInfrastructureObjectAccessSpec{
		Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup, restore}})
	require.NoError(t, err)
	assert.Len(t, perms.Accounts, 2)
	perms, err = ci.FolderPermissions(ctx, "123456789012")
	require.NoError(t, err)
	require.Len(t, perms.Accounts, 2)
	assert.True(t, perms.Accounts[1].Permissions.UseForSpannerRestore)

	perms, err = ci.SetProjectPermissions(ctx, "prod-01", vbgcapi.CloudInfrastructureObjectAccessSpec{
		Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{restore}})
	require.NoError(t, err)
	assert.Equal(t, "prod-01", *perms.CloudID)
	perms, err = ci.ProjectPermissions(ctx, "prod-01")
	require.NoError(t, err)
	require.Len(t, perms.Accounts, 1)
	assert.Equal(t, restore.ServiceAccountID, perms.Accounts[0].ServiceAccountID)
	assert.Equal(t, vbgcapi.ECloudInfrastructureItemTypeProject, *perms.Type)

	// Removing takes the object out; a second removal is a 404.
	require.NoError(t, ci.RemoveFolder(ctx, "555"))
	require.NoError(t, ci.RemoveProject(ctx, "prod-06"))
	assert.Equal(t, 7, srv.InfrastructureCount())
	_, err = ci.FolderPermissions(ctx, "555")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, ci.RemoveFolder(ctx, "555"), apierr.ErrNotFound)
	assert.ErrorIs(t, ci.RemoveProject(ctx, "prod-06"), apierr.ErrNotFound)
	_, err = ci.ProjectPermissions(ctx, "prod-06")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = ci.SetProjectPermissions(ctx, "nope", vbgcapi.CloudInfrastructureObjectAccessSpec{
		Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{restore}})
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	var apiErr *apierr.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)

	// The permissions script is streamed.
	spec := example[vbgcapi.DownloadServiceAccountScriptSpec](t, "DownloadServiceAccountScriptSpec")
	spec.ProjectID, spec.FolderID = nil, ciStr("123456789012")
	rc, err := ci.GeneratePermissionsScript(ctx, spec)
	require.NoError(t, err)
	script, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(script), "folders add-iam-policy-binding 123456789012 --member=serviceAccount:"+spec.ServiceAccountID)
	assert.Contains(t, string(script), "roles/spanner.backupAdmin", "the example asks for Spanner snapshots")

	// Subfolders read the organization's folder tree, and say which are
	// added to the configuration database.
	srv.AddCloudFolder("210987654321", "Team A", "123456789012")
	srv.AddCloudFolder("210987654322", "Team B", "123456789012")
	srv.AddCloudFolder("310987654321", "Team A Dev", "210987654321")
	_, err = ci.AddFolder(ctx, vbgcapi.CloudInfrastructureFolderSpec{FolderID: "210987654322", Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup}})
	require.NoError(t, err)
	subs, err := ci.Subfolders(ctx, "123456789012", &vbgc.ListOptions{Limit: 10})
	require.NoError(t, err)
	require.Len(t, subs.Data, 2)
	assert.Equal(t, "Team A", subs.Data[0].Name)
	assert.Equal(t, "123456789012", *subs.Data[0].ParentID)
	assert.True(t, *subs.Data[0].HasSubfolders)
	assert.False(t, *subs.Data[0].IsAdded)
	assert.False(t, *subs.Data[1].HasSubfolders)
	assert.True(t, *subs.Data[1].IsAdded, "Team B is added")
	var nested []string
	for f, err := range ci.AllSubfolders(ctx, "210987654321", nil) {
		require.NoError(t, err)
		nested = append(nested, f.FolderID)
	}
	assert.Equal(t, []string{"310987654321"}, nested)
	n := 0
	for _, err := range ci.AllSubfolders(ctx, "123456789012", &vbgc.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n, "two subfolders in pages of one")
	_, err = ci.Subfolders(ctx, "999", nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound, "Google Cloud has no such folder")

	assertOperationsCalled(t, srv, "CloudInfrastructure")
}

func TestVBGCCloudInfrastructureRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	ci := c.CloudInfrastructure
	backup := ciAccount(t, "vbgc-backup@ops-project.iam.gserviceaccount.com")
	accounts := []vbgcapi.CloudInfrastructureAccountPermissionsModel{backup}

	_, err := ci.AddFolder(ctx, vbgcapi.CloudInfrastructureFolderSpec{FolderID: "folders/12", Accounts: accounts})
	assert.ErrorContains(t, err, "numeric")
	_, err = ci.AddFolder(ctx, vbgcapi.CloudInfrastructureFolderSpec{FolderID: "12"})
	assert.ErrorContains(t, err, "service account")
	_, err = ci.AddProject(ctx, vbgcapi.CloudInfrastructureProjectSpec{Accounts: accounts})
	assert.ErrorContains(t, err, "project ID")
	_, err = ci.FolderPermissions(ctx, "")
	assert.Error(t, err)
	_, err = ci.SetFolderPermissions(ctx, "12", vbgcapi.CloudInfrastructureObjectAccessSpec{})
	assert.Error(t, err)
	assert.Error(t, ci.RemoveFolder(ctx, "x1"))
	assert.Error(t, ci.RemoveProject(ctx, ""))
	_, err = ci.ProjectPermissions(ctx, "")
	assert.Error(t, err)
	_, err = ci.SetProjectPermissions(ctx, "", vbgcapi.CloudInfrastructureObjectAccessSpec{Accounts: accounts})
	assert.Error(t, err)
	_, err = ci.GeneratePermissionsScript(ctx, vbgcapi.DownloadServiceAccountScriptSpec{})
	assert.ErrorContains(t, err, "service account ID")
	_, err = ci.Subfolders(ctx, "", nil)
	assert.Error(t, err)
	for _, err := range ci.AllSubfolders(ctx, "abc", nil) {
		assert.ErrorContains(t, err, "numeric")
	}
	_, err = ci.List(ctx, &vbgc.ListOptions{Limit: -1})
	assert.Error(t, err)
	assert.Empty(t, srv.Calls(), "nothing was sent")
}
