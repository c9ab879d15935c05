package tests

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

func TestVBGCProjects(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	pr := c.Projects
	const sa = "vbgc-backup@ops-project.iam.gserviceaccount.com"

	// Projects added through the deprecated operations and through Cloud
	// Infrastructure are one collection.
	for i := range 5 {
		p, err := pr.Add(ctx, vbgcapi.ProjectSpec{ProjectID: fmt.Sprintf("app-%d", i), ServiceAccountIDs: []string{sa}})
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("app-%d", i), p.ProjectID)
		require.NotNil(t, p.ServiceAccounts)
		require.Len(t, p.ServiceAccounts, 1)
		assert.Equal(t, "ops-project", p.ServiceAccounts[0].Project, "the owner project is read from the email")
	}
	_, err := c.CloudInfrastructure.AddProject(ctx, vbgcapi.CloudInfrastructureProjectSpec{ProjectID: "app-5",
		Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{ciAccount(t, sa)}})
	require.NoError(t, err)
	_, err = c.CloudInfrastructure.AddFolder(ctx, vbgcapi.CloudInfrastructureFolderSpec{FolderID: "42",
		Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{ciAccount(t, sa)}})
	require.NoError(t, err)
	_, err = pr.Add(ctx, vbgcapi.ProjectSpec{ProjectID: "app-5", ServiceAccountIDs: []string{sa}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)

	var ids []string
	for p, err := range pr.All(ctx, &vbgc.ListOptions{Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, p.ProjectID)
	}
	assert.Equal(t, []string{"app-0", "app-1", "app-2", "app-3", "app-4", "app-5"}, ids, "folders are not projects")
	assert.Equal(t, 3, srv.Calls()["ProjectsGetAll"], "6 projects in pages of 2")
	page, err := pr.List(ctx, &vbgc.ListOptions{Filter: filter(t, vbgc.Condition{Property: "projectId", Operator: vbgc.OpContains, Value: "app-"}), Offset: 4})
	require.NoError(t, err)
	assert.EqualValues(t, 6, page.Pagination.TotalCount)
	require.Len(t, page.Data, 2)
	assert.Equal(t, "app-4", page.Data[0].ProjectID)

	// Get, update (service accounts replaced, known ones keep their
	// permissions) and remove.
	got, err := pr.Get(ctx, "app-5")
	require.NoError(t, err)
	assert.Equal(t, "app-5", got.Name)
	const other = "vbgc-worker@app-5.iam.gserviceaccount.com"
	upd, err := pr.Update(ctx, "app-5", vbgcapi.ProjectUpdateSpec{ServiceAccountIDs: []string{sa, other}})
	require.NoError(t, err)
	require.Len(t, upd.ServiceAccounts, 2)
	assert.Equal(t, "app-5", upd.ServiceAccounts[1].Project)
	perms, err := c.CloudInfrastructure.ProjectPermissions(ctx, "app-5")
	require.NoError(t, err)
	require.Len(t, perms.Accounts, 2)
	assert.True(t, perms.Accounts[0].Permissions.UseForSpannerSnapshot, "kept from the example account")
	assert.True(t, perms.Accounts[1].Permissions.UseForVMBackup, "a new account gets the VM permissions")
	assert.False(t, perms.Accounts[1].Permissions.UseForSQLBackup)

	accts, err := pr.ServiceAccounts(ctx, "app-5", nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, accts.Pagination.TotalCount)
	var emails []string
	for a, err := range pr.AllServiceAccounts(ctx, "app-5", &vbgc.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		emails = append(emails, a.Email)
	}
	assert.Equal(t, []string{sa, other}, emails)

	require.NoError(t, pr.Remove(ctx, "app-0"))
	_, err = pr.Get(ctx, "app-0")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, pr.Remove(ctx, "app-0"), apierr.ErrNotFound)
	_, err = pr.Update(ctx, "app-0", vbgcapi.ProjectUpdateSpec{ServiceAccountIDs: []string{sa}})
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = pr.ServiceAccounts(ctx, "app-0", nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// HMAC keys: a created key shows its secret once; listed keys do not.
	created, err := pr.CreateHMACKey(ctx, "app-5", other, vbgcapi.ProjectHmacKeyCreateSpec{Description: ciStr("archive")})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(created.AccessID, "GOOG1"))
	require.NotNil(t, created.Secret)
	assert.NotEmpty(t, *created.Secret)
	assert.Equal(t, other, created.ServiceAccountEmail)
	existing, err := pr.AddExistingHMACKey(ctx, "app-5", other, vbgcapi.ProjectHmacKeyAddExistingSpec{AccessID: "GOOG1EXISTING", Secret: "s3cret"})
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ProjectHmacKeyModelStateActive, *existing.State)
	_, err = pr.AddExistingHMACKey(ctx, "app-5", other, vbgcapi.ProjectHmacKeyAddExistingSpec{AccessID: "GOOG1EXISTING", Secret: "s3cret"})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a key is added once")
	keys, err := pr.HMACKeys(ctx, "app-5", other, nil)
	require.NoError(t, err)
	require.Len(t, keys.Data, 2)
	for _, k := range keys.Data {
		assert.Nil(t, k.Secret)
	}
	var access []string
	for k, err := range pr.AllHMACKeys(ctx, "app-5", other, &vbgc.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		access = append(access, k.AccessID)
	}
	assert.Equal(t, []string{created.AccessID, "GOOG1EXISTING"}, access)
	_, err = pr.HMACKeys(ctx, "app-5", "stranger@x.iam.gserviceaccount.com", nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = pr.CreateHMACKey(ctx, "app-0", sa, vbgcapi.ProjectHmacKeyCreateSpec{})
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	projectLookups(ctx, t, srv, pr)

	// The permissions script is streamed.
	spec := example[vbgcapi.DownloadServiceAccountScriptSpec](t, "DownloadServiceAccountScriptSpec")
	rc, err := pr.GeneratePermissionsScript(ctx, spec)
	require.NoError(t, err)
	script, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(script), "gcloud projects add-iam-policy-binding "+*spec.ProjectID)
	assert.Contains(t, string(script), "roles/compute.storageAdmin")

	assertOperationsCalled(t, srv, "Projects")
}

// ciCount drains an iterator and counts its items.
func ciCount[T any](t *testing.T, seq iter.Seq2[T, error]) int {
	t.Helper()
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
	}
	return n
}

// projectLookups drives the Google Cloud look-ups: they answer for a
// project added to the configuration database, from the fake's catalog of
// regions, zones and machine types and from the keys the project holds.
func projectLookups(ctx context.Context, t *testing.T, srv *vbgcfake.Server, pr *vbgc.ProjectsService) {
	t.Helper()
	const project, sa = "prod-project-123456", "vbgc-backup@prod-project-123456.iam.gserviceaccount.com"
	opts := &vbgc.ListOptions{Limit: 10, OrderBy: orderBy(t, vbgc.Order{Property: "name"})}

	_, err := pr.Regions(ctx, project, opts)
	assert.ErrorIs(t, err, apierr.ErrNotFound, "the project is not added yet")
	_, err = pr.Add(ctx, vbgcapi.ProjectSpec{ProjectID: project, ServiceAccountIDs: []string{sa}})
	require.NoError(t, err)

	regions, err := pr.Regions(ctx, project, opts)
	require.NoError(t, err)
	var regionIDs []string
	for _, r := range regions.Data {
		regionIDs = append(regionIDs, r.ID)
	}
	assert.Equal(t, []string{"asia-northeast1", "europe-west1", "us-central1"}, regionIDs, "sorted by name")
	zones, err := pr.Zones(ctx, project, "europe-west1", opts)
	require.NoError(t, err)
	require.Len(t, zones.Data, 3)
	assert.Equal(t, "europe-west1-b", zones.Data[0].ID)
	assert.Equal(t, "europe-west1", *zones.Data[0].RegionID)
	_, err = pr.Zones(ctx, project, "mars-north1", opts)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	types, err := pr.RegionMachineTypes(ctx, project, "us-central1", opts)
	require.NoError(t, err)
	assert.Len(t, types.Data, 3, "n2-highmem-8 is offered in us-central1 only")
	types, err = pr.ZoneMachineTypes(ctx, project, "europe-west1-c", opts)
	require.NoError(t, err)
	require.Len(t, types.Data, 2)
	assert.Equal(t, "e2-standard-4", types.Data[1].Name)
	assert.EqualValues(t, 16384, *types.Data[1].MemoryMB)
	assert.Equal(t, "europe-west1-c", *types.Data[1].ZoneID)
	_, err = pr.ZoneMachineTypes(ctx, project, "europe-west1-z", opts)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	sqlTypes, err := pr.ZoneSQLMachineTypes(ctx, project, "us-central1-a", opts)
	require.NoError(t, err)
	require.Len(t, sqlTypes.Data, 2)
	assert.Equal(t, "db-custom-2-7680", sqlTypes.Data[0].Name)
	assert.EqualValues(t, 7680<<20, *sqlTypes.Data[0].RAMBytes)
	assert.Equal(t, "us-central1", *sqlTypes.Data[0].Region)

	confs, err := pr.SpannerInstanceConfigurations(ctx, project, sa, opts)
	require.NoError(t, err)
	require.Len(t, confs.Data, 3)
	assert.Equal(t, "projects/"+project+"/instanceConfigs/regional-europe-west1", confs.Data[1].ID)
	_, err = pr.SpannerInstanceConfigurations(ctx, project, "stranger@x.iam.gserviceaccount.com", opts)
	assert.ErrorIs(t, err, apierr.ErrNotFound, "the account does not access the project")

	// Keys: none until the project holds some; by region.
	cmeks, err := pr.Cmeks(ctx, project, opts)
	require.NoError(t, err)
	assert.Empty(t, cmeks.Data)
	srv.AddCMEK(project, "us-central1", "backup", "vbgc-key")
	srv.AddCMEK(project, "europe-west1", "backup", "eu-key")
	srv.AddCMEK("other-project", "us-central1", "backup", "not-mine")
	cmeks, err = pr.Cmeks(ctx, project, opts)
	require.NoError(t, err)
	require.Len(t, cmeks.Data, 2)
	assert.Equal(t, "eu-key", cmeks.Data[0].Name)
	assert.Equal(t, vbgcapi.ProjectCMEKModelPurposeEncryptDecrypt, *cmeks.Data[0].Purpose)
	cmeks, err = pr.RegionCmeks(ctx, project, "us-central1", opts)
	require.NoError(t, err)
	require.Len(t, cmeks.Data, 1)
	assert.Equal(t, "projects/"+project+"/locations/us-central1/keyRings/backup/cryptoKeys/vbgc-key", cmeks.Data[0].ID)

	// Every look-up has an iterator.
	assert.Equal(t, 2, ciCount(t, pr.AllCmeks(ctx, project, &vbgc.ListOptions{Limit: 1})))
	assert.Equal(t, 1, ciCount(t, pr.AllRegionCmeks(ctx, project, "europe-west1", nil)))
	assert.Equal(t, 3, ciCount(t, pr.AllRegions(ctx, project, &vbgc.ListOptions{Limit: 2})))
	assert.Equal(t, 2, ciCount(t, pr.AllZones(ctx, project, "asia-northeast1", nil)))
	assert.Equal(t, 2, ciCount(t, pr.AllRegionMachineTypes(ctx, project, "asia-northeast1", nil)))
	assert.Equal(t, 3, ciCount(t, pr.AllZoneMachineTypes(ctx, project, "us-central1-a", &vbgc.ListOptions{Limit: 1})))
	assert.Equal(t, 2, ciCount(t, pr.AllZoneSQLMachineTypes(ctx, project, "us-central1-a", nil)))
	assert.Equal(t, 3, ciCount(t, pr.AllSpannerInstanceConfigurations(ctx, project, sa, nil)))
}

func TestVBGCProjectsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	pr := c.Projects

	_, err := pr.Add(ctx, vbgcapi.ProjectSpec{ServiceAccountIDs: []string{"a@b"}})
	assert.ErrorContains(t, err, "project ID")
	_, err = pr.Add(ctx, vbgcapi.ProjectSpec{ProjectID: "p"})
	assert.ErrorContains(t, err, "service account")
	_, err = pr.Get(ctx, "")
	assert.Error(t, err)
	_, err = pr.Update(ctx, "p", vbgcapi.ProjectUpdateSpec{})
	assert.Error(t, err)
	assert.Error(t, pr.Remove(ctx, ""))
	_, err = pr.Zones(ctx, "p", "", nil)
	assert.ErrorContains(t, err, "region ID")
	_, err = pr.ZoneMachineTypes(ctx, "", "z", nil)
	assert.ErrorContains(t, err, "project ID")
	_, err = pr.CreateHMACKey(ctx, "p", "", vbgcapi.ProjectHmacKeyCreateSpec{})
	assert.ErrorContains(t, err, "service account ID")
	_, err = pr.AddExistingHMACKey(ctx, "p", "a@b", vbgcapi.ProjectHmacKeyAddExistingSpec{AccessID: "GOOG1"})
	assert.ErrorContains(t, err, "secret")
	_, err = pr.GeneratePermissionsScript(ctx, vbgcapi.DownloadServiceAccountScriptSpec{})
	assert.Error(t, err)
	for _, err := range pr.AllHMACKeys(ctx, "", "a@b", nil) {
		assert.ErrorContains(t, err, "project ID")
	}
	for _, err := range pr.AllRegions(ctx, "", nil) {
		assert.Error(t, err)
	}
	assert.Empty(t, srv.Calls(), "nothing was sent")
}
