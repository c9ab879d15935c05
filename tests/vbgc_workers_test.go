package tests

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

func TestVBGCWorkersContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	wk := c.Workers

	// Custom labels are replaced as a whole.
	labels, err := wk.CustomLabels(ctx)
	require.NoError(t, err)
	assert.Empty(t, labels.Labels)
	want := []vbgcapi.TagModel{{Key: "owner", Value: "backup-team"}, {Key: "env", Value: "prod"}}
	require.NoError(t, wk.SetCustomLabels(ctx, want))
	labels, err = wk.CustomLabels(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, labels.Labels)
	err = wk.SetCustomLabels(ctx, []vbgcapi.TagModel{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "duplicate keys")
	require.NoError(t, wk.SetCustomLabels(ctx, nil), "nil clears the labels")
	labels, err = wk.CustomLabels(ctx)
	require.NoError(t, err)
	assert.Empty(t, labels.Labels)

	// Project.
	project, err := wk.Project(ctx)
	require.NoError(t, err)
	assert.Equal(t, "project-workers-118233", project.ProjectID)
	sa := "workers@project-new.iam.gserviceaccount.com"
	project, err = wk.ChangeProject(ctx, vbgcapi.ConfigurationSpecV2{ProjectID: "project-new", ServiceAccountID: &sa})
	require.NoError(t, err)
	assert.Equal(t, "project-new", project.ProjectID)
	project, err = wk.Project(ctx)
	require.NoError(t, err)
	assert.Equal(t, sa, *project.ServiceAccountID)
	_, err = wk.ChangeProject(ctx, vbgcapi.ConfigurationSpecV2{})
	assert.Error(t, err, "refused before sending")

	// Configurations: one per region, paged, modified and removed.
	spec := example[vbgcapi.WorkerConfigurationSpec](t, "WorkerConfigurationSpec")
	regions := []string{"us-central1", "us-east1", "europe-west1", "europe-west3", "asia-east1"}
	var ids []uuid.UUID
	for _, region := range regions {
		spec.RegionID = region
		m, err := wk.AddConfiguration(ctx, spec)
		require.NoError(t, err)
		assert.Equal(t, region, m.RegionID)
		assert.NotNil(t, m.RegionName)
		ids = append(ids, m.ID)
	}
	spec.RegionID = "us-central1"
	_, err = wk.AddConfiguration(ctx, spec)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "one configuration per region")

	var got []string
	for m, err := range wk.AllConfigurations(ctx, &vbgc.ListOptions{Limit: 2, OrderBy: orderBy(t, vbgc.Order{Property: "regionId"})}) {
		require.NoError(t, err)
		got = append(got, m.RegionID)
	}
	assert.Equal(t, []string{"asia-east1", "europe-west1", "europe-west3", "us-central1", "us-east1"}, got)
	assert.Equal(t, 3, srv.Calls()["WorkersGetConfigurations"], "5 items in pages of 2")
	page, err := wk.Configurations(ctx, &vbgc.ListOptions{Filter: filter(t, vbgc.Condition{Property: "regionId", Operator: vbgc.OpLike, Value: "europe%"})})
	require.NoError(t, err)
	assert.EqualValues(t, 2, page.Pagination.TotalCount)

	m, err := wk.Configuration(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, spec.SubnetID, m.SubnetID)
	pub := true
	spec.UsePublicIP, spec.SubnetID = &pub, "subnet-2"
	m, err = wk.UpdateConfiguration(ctx, ids[0], spec)
	require.NoError(t, err)
	assert.Equal(t, ids[0], m.ID)
	assert.True(t, *m.UsePublicIP)
	assert.Equal(t, "subnet-2", m.SubnetID)
	spec.RegionID = "us-east1"
	_, err = wk.UpdateConfiguration(ctx, ids[0], spec)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "us-east1 has its own configuration")

	require.NoError(t, wk.RemoveConfiguration(ctx, ids[0]))
	_, err = wk.Configuration(ctx, ids[0])
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, wk.RemoveConfiguration(ctx, ids[0]), apierr.ErrNotFound)
	_, err = wk.UpdateConfiguration(ctx, ids[0], spec)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// Profiles: defaults, then per region.
	def, err := wk.DefaultProfiles(ctx)
	require.NoError(t, err)
	assert.True(t, *def.IsDefault)
	assert.Len(t, def.Profiles, 3)

	pspec := example[vbgcapi.WorkerProfileSpec](t, "WorkerProfileSpec")
	for _, region := range regions[:3] {
		pspec.RegionID = region
		p, err := wk.AddProfiles(ctx, pspec)
		require.NoError(t, err)
		assert.Equal(t, region, *p.RegionID)
		assert.False(t, *p.IsDefault)
	}
	_, err = wk.AddProfiles(ctx, pspec)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "profiles for the region exist")
	_, err = wk.AddProfiles(ctx, vbgcapi.WorkerProfileSpec{})
	assert.Error(t, err, "refused before sending")

	var profRegions []string
	for p, err := range wk.AllProfiles(ctx, &vbgc.ListOptions{Limit: 2}) {
		require.NoError(t, err)
		profRegions = append(profRegions, *p.RegionID)
	}
	assert.Equal(t, regions[:3], profRegions)
	ppage, err := wk.Profiles(ctx, &vbgc.ListOptions{Offset: 2})
	require.NoError(t, err)
	assert.Len(t, ppage.Data, 1)

	p, err := wk.RegionProfiles(ctx, "us-east1")
	require.NoError(t, err)
	assert.Equal(t, pspec.Profiles, p.Profiles)
	disk := int32(50)
	mod := vbgcapi.WorkerProfileModifySpec{Profiles: []vbgcapi.WorkerProfileItemModel{
		{WorkloadType: vbgcapi.EWorkerWorkloadTypeBackup, MachineType: "n2-standard-8", DiskSizeGB: &disk}}}
	p, err = wk.UpdateProfiles(ctx, "us-east1", mod)
	require.NoError(t, err)
	assert.Equal(t, mod.Profiles, p.Profiles)
	p, err = wk.RegionProfiles(ctx, "us-east1")
	require.NoError(t, err)
	assert.Equal(t, "n2-standard-8", p.Profiles[0].MachineType)

	require.NoError(t, wk.RemoveProfiles(ctx, "us-east1"))
	_, err = wk.RegionProfiles(ctx, "us-east1")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, wk.RemoveProfiles(ctx, "us-east1"), apierr.ErrNotFound)
	_, err = wk.UpdateProfiles(ctx, "us-east1", mod)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = wk.RegionProfiles(ctx, "")
	assert.Error(t, err)

	assertOperationsCalled(t, srv, "Workers")
}
