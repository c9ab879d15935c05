package tests

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// TestVBAWSIAMRolesAndRepositories adds an IAM role and a repository that
// uses it, checks the validations and the password, and shows that a role
// in use cannot be removed until its repository is.
func TestVBAWSIAMRolesAndRepositories(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	msgs, err := c.IAMRoles.ValidateName(ctx, vbawsapi.AmazonAccountNameValidationSpec{Name: "Default Backup Restore"})
	require.NoError(t, err)
	require.Len(t, msgs, 1, "the seeded role's name is taken")
	role, err := c.IAMRoles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "Prod role", IAMRoleFromAnotherAccount: &vbawsapi.AmazonAccountIAMRoleFromAnotherAccountCreateSpec{AccountID: "444455556666", RoleName: "VeeamRole"}})
	require.NoError(t, err)
	assert.Equal(t, "444455556666", role.Awsid)
	_, err = c.IAMRoles.Add(ctx, vbawsapi.AmazonAccountCreateSpec{Name: "Neither"})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	role, err = c.IAMRoles.Update(ctx, role.ID, vbawsapi.AmazonAccountUpdateSpec{Name: "Production role", Description: to.Ptr("prod"), IAMRole: &vbawsapi.AmazonAccountIAMRoleCreateSpec{RoleName: "VeeamRole"}})
	require.NoError(t, err)
	got, err := c.IAMRoles.Get(ctx, role.ID)
	require.NoError(t, err)
	assert.Equal(t, "prod", got.Description)
	require.NotNil(t, got.IAMRole)
	roles := collect(t, c.IAMRoles.All(ctx, &vbaws.ListIAMRolesOptions{Sort: []vbawsapi.AmazonAccountsSortColumns{vbawsapi.AmazonAccountsSortColumnsNameDesc}}))
	require.Len(t, roles, 2)
	assert.Equal(t, "Production role", roles[0].Name)
	link, err := c.IAMRoles.Rescan(ctx, role.ID, &vbawsapi.RescanCloudAccountSpec{})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.NoError(t, err)

	// Repository settings are checked before anything is added.
	spec := vbawsapi.RepositoryCreateSpec{Name: "Archive", AmazonAccountID: role.ID, AmazonBucketID: uuid.New(), AmazonStorageFolder: "archive", EnableEncryption: true}
	bad, err := c.Repositories.ValidateSettings(ctx, spec)
	require.NoError(t, err)
	require.Len(t, bad, 1, "encryption without a password")
	spec.Password, spec.Hint = to.Ptr("arch-pw"), to.Ptr("archive")
	ok, err := c.Repositories.ValidateSettings(ctx, spec)
	require.NoError(t, err)
	assert.Empty(t, ok)
	repo, err := c.Repositories.Create(ctx, spec)
	require.NoError(t, err)
	read, err := c.Repositories.Get(ctx, repo.ID)
	require.NoError(t, err)
	assert.Equal(t, "archive", *read.Hint)
	assert.True(t, read.EnableEncryption)
	_, err = c.Repositories.Create(ctx, spec)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "the name is taken")
	res, err := c.Repositories.CheckPassword(ctx, repo.ID, vbawsapi.RepositoryPasswordValidationSpec{Password: "arch-pw"})
	require.NoError(t, err)
	assert.True(t, res.IsSuccess)
	res, err = c.Repositories.CheckPassword(ctx, repo.ID, vbawsapi.RepositoryPasswordValidationSpec{Password: "wrong"})
	require.NoError(t, err)
	assert.False(t, res.IsSuccess)
	repo, err = c.Repositories.Update(ctx, repo.ID, vbawsapi.RepositoryUpdateSpec{Name: "Archive 2", Description: to.Ptr("long-term"), AmazonAccountID: role.ID, EnableEncryption: true})
	require.NoError(t, err)
	assert.Equal(t, "long-term", repo.Description)
	res, err = c.Repositories.CheckPassword(ctx, repo.ID, vbawsapi.RepositoryPasswordValidationSpec{Password: "arch-pw"})
	require.NoError(t, err)
	assert.True(t, res.IsSuccess, "an update without a password keeps it")
	page, err := c.Repositories.List(ctx, &vbaws.ListRepositoriesOptions{SearchPattern: "archive*"})
	require.NoError(t, err)
	require.Len(t, page.Results, 1)
	assert.Len(t, collect(t, c.Repositories.All(ctx, &vbaws.ListRepositoriesOptions{Sort: []vbawsapi.RepositoriesSortColumns{vbawsapi.RepositoriesSortColumnsNameAsc}})), 2)

	// The role is in use until the repository is removed.
	users, err := c.IAMRoles.ValidateDelete(ctx, role.ID)
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, repo.ID, *users[0].ContextID)
	assert.ErrorIs(t, c.IAMRoles.Delete(ctx, role.ID), apierr.ErrBadRequest)
	require.NoError(t, c.Repositories.Delete(ctx, repo.ID))
	_, err = c.Repositories.Get(ctx, repo.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	require.NoError(t, c.IAMRoles.Delete(ctx, role.ID))
	_, err = c.IAMRoles.Get(ctx, role.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// The seeded repository keeps the configuration backup.
	seeded := collect(t, c.Repositories.All(ctx, nil))
	require.Len(t, seeded, 1)
	err = c.Repositories.Delete(ctx, seeded[0].ID)
	var ae *apierr.Error
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 400, ae.StatusCode)
	assert.Equal(t, "AccessDenied", ae.Code)
}

// TestVBAWSWorkersAndAccounts manages worker profiles and configurations
// and standard accounts.
func TestVBAWSWorkersAndAccounts(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	wk := c.Workers

	seeded := collect(t, wk.AllProfiles(ctx, nil))
	require.Len(t, seeded, 1)
	_, err := wk.AddProfiles(ctx, vbawsapi.WorkerProfileSpec{RegionID: seeded[0].RegionID, SmallProfile: "t3.small", MediumProfile: "t3.medium", LargeProfile: "t3.large"})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "one set per region")
	region := uuid.New()
	prof, err := wk.AddProfiles(ctx, vbawsapi.WorkerProfileSpec{RegionID: region, SmallProfile: "t3.small", MediumProfile: "t3.medium", LargeProfile: "t3.large"})
	require.NoError(t, err)
	_, err = wk.UpdateProfiles(ctx, prof.ID, vbawsapi.WorkerProfileSpec{RegionID: region, SmallProfile: "t3.small", MediumProfile: "t3.xlarge", LargeProfile: "t3.2xlarge"})
	require.NoError(t, err)
	got, err := wk.GetProfiles(ctx, prof.ID)
	require.NoError(t, err)
	assert.Equal(t, "t3.xlarge", got.MediumProfile)
	page, err := wk.ListProfiles(ctx, &vbaws.ListWorkerProfilesOptions{Offset: 1, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, int32(2), page.TotalCount)
	require.Len(t, page.Results, 1)
	assert.Equal(t, prof.ID, page.Results[0].ID)
	require.NoError(t, wk.DeleteProfiles(ctx, prof.ID))
	_, err = wk.GetProfiles(ctx, prof.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	_, err = wk.AddConfiguration(ctx, vbawsapi.WorkerConfigurationSpec{RegionID: region, AmazonAccountID: to.Ptr(uuid.New()), VpcID: "vpc-1", SubnetID: "subnet-1", SecurityGroupID: "sg-1"})
	assert.ErrorIs(t, err, apierr.ErrNotFound, "an unknown IAM role")
	cfg, err := wk.AddConfiguration(ctx, vbawsapi.WorkerConfigurationSpec{RegionID: region, VpcID: "vpc-1", SubnetID: "subnet-1", SecurityGroupID: "sg-1"})
	require.NoError(t, err)
	cfg, err = wk.UpdateConfiguration(ctx, cfg.ID, vbawsapi.WorkerConfigurationSpec{RegionID: region, VpcID: "vpc-1", SubnetID: "subnet-2", SecurityGroupID: "sg-1"})
	require.NoError(t, err)
	gotCfg, err := wk.GetConfiguration(ctx, cfg.ID)
	require.NoError(t, err)
	assert.Equal(t, "subnet-2", gotCfg.SubnetID)
	assert.Len(t, collect(t, wk.AllConfigurations(ctx, nil)), 1)
	require.NoError(t, wk.DeleteConfiguration(ctx, cfg.ID))
	cfgs, err := wk.ListConfigurations(ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, cfgs.TotalCount)

	acc, err := c.StandardAccounts.Add(ctx, vbawsapi.StandardAccountCreateSpec{Name: "smb", Username: "CORP\\backup", Password: to.Ptr("pw")})
	require.NoError(t, err)
	_, err = c.StandardAccounts.Add(ctx, vbawsapi.StandardAccountCreateSpec{Name: "SMB", Username: "x"})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	acc, err = c.StandardAccounts.Update(ctx, acc.ID, vbawsapi.StandardAccountUpdateSpec{Name: "smb-share", Description: to.Ptr("file share")})
	require.NoError(t, err)
	assert.Equal(t, "CORP\\backup", acc.Username, "an update without a user name keeps it")
	gotAcc, err := c.StandardAccounts.Get(ctx, acc.ID)
	require.NoError(t, err)
	assert.Equal(t, "file share", gotAcc.Description)
	all := collect(t, c.StandardAccounts.All(ctx, &vbaws.ListStandardAccountsOptions{SearchPattern: "smb"}))
	require.Len(t, all, 1)
	require.NoError(t, c.StandardAccounts.Delete(ctx, acc.ID))
	list, err := c.StandardAccounts.List(ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, list.TotalCount)
}
