package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

func TestVBEMVCloudOrganizationConfigs(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}
			entity := &vbem.GetVCloudOrgConfigOptions{Format: vbemapi.GetVCloudOrgConfigParamsFormatEntity}

			svc, err := c.VCloud.Service(ctx)
			require.NoError(t, err)
			require.NotEmpty(t, svc.Links)
			assert.Equal(t, "orgConfigs", vbem.IDFromHref(svc.Links[0].Href))
			list, err := c.VCloud.ListOrgConfigs(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{"Other organizations"}, refNames(list))

			spec := vbemapi.VCloudOrganizationConfigCreateSpec{OrganizationName: "organization02", BackupServerUID: "urn:veeam:BackupServer:" + vbemfake.SeedBackupServer2ID,
				RepositoryUID: "urn:veeam:Repository:" + vbemfake.SeedRepositoryID, QuotaGb: 500, TemplateJobUID: to.Ptr("urn:veeam:Job:" + vbemfake.SeedJobID),
				JobSchedulerType: vbemapi.VCloudOrganizationConfigCreateSpecJobSchedulerTypePartial, HighPriorityJob: to.Ptr(true),
				HostUID: "urn:veeam:ManagedServer:" + vbemfake.SeedManagedServer, RepositoryFriendlyName: "Backup Repository 1"}
			task, err := c.VCloud.CreateOrgConfig(ctx, spec)
			require.NoError(t, err)
			assert.Equal(t, "CreateVCloudOrganizationConfig", to.Value(task.Operation))
			id := vbem.RelatedID(wait.ok(task, nil))
			cfg, err := c.VCloud.GetOrgConfig(ctx, id, entity)
			require.NoError(t, err)
			assert.Equal(t, "organization02", to.Value(cfg.Name))
			assert.Equal(t, int64(500), to.Value(cfg.QuotaGb))
			require.NotNil(t, cfg.JobSettings)
			assert.True(t, to.Value(cfg.JobSettings.CustomSettings))
			assert.Equal(t, "urn:veeam:Job:"+vbemfake.SeedJobID, to.Value(cfg.JobSettings.TemplateJobUID))
			assert.Equal(t, vbemapi.VCloudOrganizationJobSettingsJobSchedulerTypePartial, to.Value(cfg.JobSettings.JobSchedulerType))

			// Refused: the same organization again, a repository of another
			// server, an unknown template job.
			_, err = c.VCloud.CreateOrgConfig(ctx, spec)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			bad := spec
			bad.OrganizationName, bad.RepositoryUID = "organization03", "urn:veeam:Repository:"+vbemfake.SeedRepository2ID
			_, err = c.VCloud.CreateOrgConfig(ctx, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			bad = spec
			bad.OrganizationName, bad.TemplateJobUID = "organization03", to.Ptr("urn:veeam:Job:"+noSuchID)
			_, err = c.VCloud.CreateOrgConfig(ctx, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)

			// Edit with the entity read: a bigger quota, default job settings.
			cfg.QuotaGb = to.Ptr[int64](1024)
			cfg.JobSettings = &vbemapi.VCloudOrganizationJobSettings{DefaultSettings: to.Ptr(true), JobSchedulerType: to.Ptr(vbemapi.VCloudOrganizationJobSettingsJobSchedulerTypeFull)}
			cfg.Links, cfg.UsedQuotaMb = nil, nil
			wait.ok(c.VCloud.EditOrgConfig(ctx, id, *cfg))
			cfg, err = c.VCloud.GetOrgConfig(ctx, id, entity)
			require.NoError(t, err)
			assert.Equal(t, int64(1024), to.Value(cfg.QuotaGb))
			assert.True(t, to.Value(cfg.JobSettings.DefaultSettings))
			assert.Nil(t, cfg.JobSettings.TemplateJobUID)

			settings, err := c.VCloud.GetOrgConfigJobSettings(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, "VCloudOrganizationConfigBackupJobSettings", to.Value(settings.Type))

			// Disable the default configuration; disabling it again fails.
			task, err = c.VCloud.DisableOrgConfig(ctx, vbemfake.SeedOrgConfigID)
			require.NoError(t, err)
			assert.Equal(t, "EditOtherOrganizationConfig", to.Value(task.Operation))
			wait.ok(task, nil)
			other, err := c.VCloud.GetOrgConfig(ctx, vbemfake.SeedOrgConfigID, entity)
			require.NoError(t, err)
			assert.True(t, to.Value(other.IsDisabled))
			wait.fails(c.VCloud.DisableOrgConfig(ctx, vbemfake.SeedOrgConfigID))

			// Delete with its jobs but not its backups.
			wait.ok(c.VCloud.DeleteOrgConfig(ctx, id, &vbem.DeleteVCloudOrgConfigOptions{DeleteJobs: to.Ptr(true), DeleteBackupFiles: to.Ptr(false)}))
			assert.Equal(t, []vbemfake.OrgConfigDeletion{{Name: "organization02", Jobs: true}}, srv.OrgConfigDeletions())
			_, err = c.VCloud.GetOrgConfig(ctx, id, nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.VCloud.DeleteOrgConfig(ctx, id, nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMVSphereSelfServiceConfigs(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}
			entity := &vbem.GetVSphereSelfServiceConfigOptions{Format: vbemapi.GetVSphereSelfServiceConfigParamsFormatEntity}

			svc, err := c.VSphereSelfService.Service(ctx)
			require.NoError(t, err)
			assert.Equal(t, "VSphereSelfService", to.Value(svc.Type))
			seeded, err := c.VSphereSelfService.GetConfig(ctx, vbemfake.SeedSelfServiceConfigID, entity)
			require.NoError(t, err)
			require.NotNil(t, seeded.Account)
			assert.Equal(t, vbemapi.VSphereSelfServiceAccountAccountTypeGroup, to.Value(seeded.Account.AccountType))

			spec := vbemapi.VSphereSelfServiceCreateSpec{AccountName: `tech\william.fox`, AccountType: to.Ptr(vbemapi.VSphereSelfServiceCreateSpecAccountTypeUser),
				RepositoryUID: "urn:veeam:Repository:" + vbemfake.SeedRepository2ID, QuotaGb: 100, PerUser: to.Ptr(false),
				JobSchedulerType: vbemapi.VSphereSelfServiceCreateSpecJobSchedulerTypeRandom, HighPriorityJob: to.Ptr(true),
				VCentersScopes: []string{"urn:veeam:ManagedServer:" + vbemfake.SeedHierarchyRoot}, Tags: []string{"RestAPITag", "Gold"}}
			task, err := c.VSphereSelfService.CreateConfig(ctx, spec)
			require.NoError(t, err)
			assert.Equal(t, "CreateVSphereSelfServiceConfig", to.Value(task.Operation))
			id := vbem.RelatedID(wait.ok(task, nil))
			cfg, err := c.VSphereSelfService.GetConfig(ctx, id, entity)
			require.NoError(t, err)
			assert.Equal(t, `tech\william.fox`, to.Value(cfg.Name))
			assert.Equal(t, "urn:veeam:BackupServer:"+vbemfake.SeedBackupServer1ID, to.Value(cfg.BackupServerUID), "the server of the repository")
			assert.Equal(t, []string{"RestAPITag", "Gold"}, cfg.Tags)
			assert.Equal(t, spec.VCentersScopes, cfg.VCentersScopes)
			assert.True(t, to.Value(cfg.JobSettings.DefaultSettings))
			list, err := c.VSphereSelfService.ListConfigs(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{"Administrators", `tech\william.fox`}, refNames(list))
			_, err = c.VSphereSelfService.CreateConfig(ctx, spec)
			require.ErrorIs(t, err, apierr.ErrBadRequest, "already configured")
			bad := spec
			bad.AccountName, bad.RepositoryUID = "other", "urn:veeam:Repository:nope"
			_, err = c.VSphereSelfService.CreateConfig(ctx, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)

			// Edit: a new quota, per-user quotas and one tag.
			edit := vbemapi.VSphereSelfServiceConfig{BackupServerUID: cfg.BackupServerUID, RepositoryUID: cfg.RepositoryUID, QuotaGb: to.Ptr[int64](250),
				PerUser: to.Ptr(true), Account: cfg.Account, JobSettings: cfg.JobSettings, Tags: []string{"Silver"}}
			task, err = c.VSphereSelfService.EditConfig(ctx, id, edit)
			require.NoError(t, err)
			assert.Equal(t, "EditVSphereOrganizationConfig", to.Value(task.Operation))
			wait.ok(task, nil)
			cfg, err = c.VSphereSelfService.GetConfig(ctx, id, entity)
			require.NoError(t, err)
			assert.Equal(t, int64(250), to.Value(cfg.QuotaGb))
			assert.True(t, to.Value(cfg.PerUser))
			assert.Equal(t, []string{"Silver"}, cfg.Tags)
			assert.Equal(t, spec.VCentersScopes, cfg.VCentersScopes, "not sent, kept")
			settings, err := c.VSphereSelfService.GetConfigJobSettings(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, "VSphereSelfServiceConfigJobSettings", to.Value(settings.Type))

			wait.ok(c.VSphereSelfService.DeleteConfig(ctx, id))
			_, err = c.VSphereSelfService.GetConfig(ctx, id, nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.VSphereSelfService.GetConfigJobSettings(ctx, id)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.VSphereSelfService.DeleteConfig(ctx, id)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
