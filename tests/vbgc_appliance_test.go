package tests

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbgcfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

func TestVBGCRepositoriesContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	const project, account = "project-backup-252812", "vbgc-sa@project-backup-252812.iam.gserviceaccount.com"

	spec := vbgcapi.RepositorySpec{Name: "Backups EU", BucketName: project + "-backups", FolderName: "vbgc", ProjectID: project,
		ServiceAccountID: account}
	_, err := c.Repositories.Add(ctx, spec)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "the bucket is unknown before a rescan")
	buckets, err := c.Buckets.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, buckets.Data)
	rescan, err := c.Buckets.Rescan(ctx, project, account)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, rescan.SessionID, fastWait)
	require.NoError(t, err)
	var names []string
	for b, err := range c.Buckets.All(ctx, &vbgc.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		names = append(names, b.Name)
	}
	assert.Equal(t, []string{project + "-backups", project + "-archive"}, names)

	repo, err := c.Repositories.Add(ctx, spec)
	require.NoError(t, err)
	assert.Equal(t, "Standard", *repo.StorageClass)
	assert.False(t, *repo.EncryptionEnabled)
	_, err = c.Repositories.Add(ctx, spec)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "names are unique")
	enc := spec
	enc.Name, enc.BucketName, enc.EncryptionEnabled = "Archive", project+"-archive", to.Ptr(true)
	_, err = c.Repositories.Add(ctx, enc)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "encryption needs a password")
	enc.Password = to.Ptr("long-password")
	archive, err := c.Repositories.Add(ctx, enc)
	require.NoError(t, err)
	assert.True(t, *archive.EncryptionEnabled)
	assert.Equal(t, 2, srv.RepositoryCount())

	got, err := c.Repositories.Get(ctx, repo.ID)
	require.NoError(t, err)
	assert.Equal(t, "vbgc", got.FolderName)
	upd, err := c.Repositories.Update(ctx, repo.ID, vbgcapi.RepositoryModifySpec{Name: to.Ptr("Backups EU (primary)")})
	require.NoError(t, err)
	assert.Equal(t, "Backups EU (primary)", upd.Name)
	_, err = c.Repositories.Update(ctx, repo.ID, vbgcapi.RepositoryModifySpec{Name: to.Ptr("Archive")})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	list, err := c.Repositories.List(ctx, &vbgc.ListOptions{Filter: filter(t, vbgc.Condition{Property: "name", Operator: vbgc.OpContains, Value: "primary"})})
	require.NoError(t, err)
	require.Len(t, list.Data, 1)
	assert.Equal(t, repo.ID, list.Data[0].ID)

	ov, err := c.System.Overview(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, ov.RepositoryCount)
	require.NoError(t, c.Repositories.Delete(ctx, archive.ID))
	_, err = c.Repositories.Get(ctx, archive.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, c.Repositories.Delete(ctx, archive.ID), apierr.ErrNotFound)
	_, err = c.Repositories.Get(ctx, uuid.Nil)
	assert.ErrorIs(t, err, apierr.ErrMissingID)
	ov, err = c.System.Overview(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, ov.RepositoryCount)
	assertOperationsCalled(t, srv, "RepositoriesGetAll", "RepositoriesCreate", "RepositoriesGet", "RepositoriesUpdate",
		"RepositoriesDelete", "BucketsGetAll", "BucketsRescan", "OverviewGet")
}

func TestVBGCLicensingContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))

	lic, err := c.Licensing.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ELicenseTypeFree, lic.LicenseType)
	assert.EqualValues(t, 10, lic.TotalInstancesCount)
	assert.Zero(t, lic.UsedInstancesCount)
	assert.ErrorIs(t, c.Licensing.Remove(ctx), apierr.ErrBadRequest, "the Free edition has no license to remove")

	// A policy run protects the instance: it consumes a unit. A manual
	// snapshot does not.
	const dept = "7876786467083982093"
	snap, err := c.VMInstances.TakeSnapshot(ctx, dept, vbgcapi.VMInstanceSnapshotSpec{})
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, snap.SessionID, fastWait)
	require.NoError(t, err)
	lic, err = c.Licensing.Get(ctx)
	require.NoError(t, err)
	assert.Zero(t, lic.UsedInstancesCount)
	pol, err := c.VMPolicies.Create(ctx, vmPolicyFor(t, "licensed", false, dept))
	require.NoError(t, err)
	run, err := c.VMPolicies.Start(ctx, pol.ID)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, run.SessionID, fastWait)
	require.NoError(t, err)
	lic, err = c.Licensing.Get(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, lic.UsedInstancesCount)
	var ids []string
	for it, err := range c.Licensing.AllInstances(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, it.InstanceID)
		assert.Equal(t, vbgcapi.LicensedInstanceModelInstanceTypeVMInstance, *it.InstanceType)
	}
	assert.Equal(t, []string{dept}, ids)

	// Install, then remove.
	expires := time.Now().AddDate(1, 0, 0)
	lic, err = c.Licensing.Install(ctx, "acme.lic", bytes.NewReader(vbgcfake.LicenseFile("Acme", 50, expires)))
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ELicenseTypeBYOL, lic.LicenseType)
	assert.EqualValues(t, 50, lic.TotalInstancesCount)
	assert.Equal(t, "Acme", *lic.ByolLicense.Company)
	got, err := c.Licensing.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ELicenseTypeBYOL, got.LicenseType)
	_, err = c.Licensing.Install(ctx, "bad.lic", strings.NewReader("not a license"))
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	_, err = c.Licensing.Install(ctx, "old.lic", bytes.NewReader(vbgcfake.LicenseFile("Acme", 5, time.Now().AddDate(-1, 0, 0))))
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "an expired license is refused")
	_, err = c.Licensing.Install(ctx, "", strings.NewReader("x"))
	assert.Error(t, err)
	require.NoError(t, c.Licensing.Remove(ctx))
	got, err = c.Licensing.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ELicenseTypeFree, got.LicenseType)
	assertOperationsCalled(t, srv, "LicenseGet", "LicenseInstall", "LicenseRemove", "LicenseGetInstances")
}

func TestVBGCUsersContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	us := c.Users

	page, err := us.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.Equal(t, "admin", page.Data[0].Name)
	assert.True(t, *page.Data[0].IsDefault)

	roles, err := us.Roles(ctx)
	require.NoError(t, err)
	assert.Len(t, roles.Data, 3)
	op, err := us.Add(ctx, vbgcapi.UserSpec{Name: "operator1", Password: "night-shift-1", Role: vbgcapi.EUserRolePortalOperator})
	require.NoError(t, err)
	assert.False(t, *op.MFAEnabled)
	_, err = us.Add(ctx, vbgcapi.UserSpec{Name: "operator1", Password: "night-shift-1", Role: vbgcapi.EUserRolePortalOperator})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	_, err = us.Add(ctx, vbgcapi.UserSpec{Name: "short", Password: "x", Role: vbgcapi.EUserRolePortalOperator})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)

	// The new user can log in.
	c2, err := vbgc.NewClient(srv.URL(), vbgc.PasswordCredentials("operator1", "night-shift-1"), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = c2.System.Version(ctx)
	require.NoError(t, err)

	upd, err := us.Update(ctx, "operator1", vbgcapi.UserModifySpec{Role: to.Ptr(vbgcapi.EUserRoleRestoreOperator), Description: to.Ptr("restores")})
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.EUserRoleRestoreOperator, upd.Role)
	_, err = us.Update(ctx, "admin", vbgcapi.UserModifySpec{Role: to.Ptr(vbgcapi.EUserRolePortalOperator)})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	_, err = us.Update(ctx, "ghost", vbgcapi.UserModifySpec{})
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	mfa, err := us.EnableMFA(ctx, "operator1", vbgcapi.MFAEnableSpec{})
	require.NoError(t, err)
	assert.Contains(t, *mfa.Response.QrString, *mfa.Response.SecretKey)
	assert.Len(t, mfa.Response.ScratchCodes, 5)
	_, err = us.EnableMFA(ctx, "operator1", vbgcapi.MFAEnableSpec{})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "already enabled")
	again, err := us.EnableMFA(ctx, "operator1", vbgcapi.MFAEnableSpec{Recreate: to.Ptr(true)})
	require.NoError(t, err)
	assert.NotEqual(t, *mfa.Response.SecretKey, *again.Response.SecretKey)
	var mfaOn []string
	for u, err := range us.All(ctx, &vbgc.ListOptions{Filter: filter(t, vbgc.Condition{Property: "mfaEnabled", Operator: vbgc.OpEquals, Value: "true"})}) {
		require.NoError(t, err)
		mfaOn = append(mfaOn, u.Name)
	}
	assert.Equal(t, []string{"operator1"}, mfaOn)

	assert.ErrorIs(t, us.Delete(ctx, "admin"), apierr.ErrBadRequest)
	require.NoError(t, us.Delete(ctx, "operator1"))
	assert.ErrorIs(t, us.Delete(ctx, "operator1"), apierr.ErrNotFound)
	assert.ErrorIs(t, us.Delete(ctx, ""), apierr.ErrMissingID)
	assertOperationsCalled(t, srv, "UsersGetAll", "UsersCreate", "UsersGetRoles", "UsersUpdate", "UsersDelete", "UsersEnableMfa")
}

func TestVBGCApplianceSettingsContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))

	v, err := c.System.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbgcfake.ProductVersion, v.Version)
	ov, err := c.System.Overview(ctx)
	require.NoError(t, err)
	assert.Zero(t, ov.PoliciesCount)
	_, err = c.VMPolicies.Create(ctx, vmPolicyFor(t, "p1", false, "7876786467083982093"))
	require.NoError(t, err)
	ov, err = c.System.Overview(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, ov.PoliciesCount)

	// Notifications need SMTP first; the service status follows.
	st, err := c.System.ServiceStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ServiceStatusModelServicesStateStopped, st.Services[2].State)
	_, err = c.Settings.SetNotifications(ctx, vbgcapi.NotificationSettingsModel{Recipients: []string{"ops@example.com"}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	smtp, err := c.Settings.EnableSMTP(ctx, vbgcapi.SMTPSettingsModel{Server: "smtp.example.com", Port: 587, From: "vbgc@example.com",
		Password: to.Ptr("smtp-secret")})
	require.NoError(t, err)
	assert.True(t, *smtp.IsEnabled)
	assert.Nil(t, smtp.Password, "the password is never echoed")
	_, err = c.Settings.EnableSMTP(ctx, vbgcapi.SMTPSettingsModel{Server: "smtp.example.com", Port: 587, From: "nobody"})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	st, err = c.System.ServiceStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ServiceStatusModelServicesStateRunning, st.Services[2].State)
	n, err := c.Settings.SetNotifications(ctx, vbgcapi.NotificationSettingsModel{Recipients: []string{"ops@example.com"}, NotifyOnFailure: to.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{"ops@example.com"}, n.Recipients)
	got, err := c.Settings.Notifications(ctx)
	require.NoError(t, err)
	assert.True(t, *got.NotifyOnFailure)

	ret, err := c.Settings.Retention(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 30, ret.SessionsRetentionDays)
	_, err = c.Settings.SetRetention(ctx, vbgcapi.RetentionSettingsModel{SessionsRetentionDays: 90})
	require.NoError(t, err)
	ret, err = c.Settings.Retention(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 90, ret.SessionsRetentionDays)

	logs, err := c.System.CollectLogs(ctx, vbgcapi.LogsCollectSpec{FromTime: to.Ptr(time.Now().Add(-time.Hour))})
	require.NoError(t, err)
	assert.Equal(t, "vbgc-logs-1.zip", logs.FileName)
	_, err = c.System.CollectLogs(ctx, vbgcapi.LogsCollectSpec{FromTime: to.Ptr(time.Now()), ToTime: to.Ptr(time.Now().Add(-time.Hour))})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)

	// Certificate.
	certs, err := c.Certificates.Get(ctx)
	require.NoError(t, err)
	require.Len(t, certs.Data, 1)
	validBy := time.Now().AddDate(2, 0, 0).UTC().Truncate(time.Second)
	re, err := c.Certificates.Recreate(ctx, vbgcapi.CertificateRecreateSpec{ValidBy: validBy})
	require.NoError(t, err)
	assert.NotEqual(t, certs.Data[0].Thumbprint, re.Data[0].Thumbprint)
	assert.True(t, re.Data[0].ValidBy.Equal(validBy))
	_, err = c.Certificates.Recreate(ctx, vbgcapi.CertificateRecreateSpec{ValidBy: time.Now().Add(-time.Hour)})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)

	// Catalogs: regions, networks of added projects, service accounts, SQL accounts.
	regions, err := c.Regions.List(ctx, &vbgc.ListOptions{Limit: 2})
	require.NoError(t, err)
	assert.Len(t, regions.Data, 2)
	assert.EqualValues(t, len(vbgcfake.Regions), regions.Pagination.TotalCount)
	_, err = c.Networks.List(ctx, "prod-01", "vbgc-backup@ops-project.iam.gserviceaccount.com", nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound, "the project is not added yet")
	before, err := c.ServiceAccounts.List(ctx, nil)
	require.NoError(t, err)
	_, err = c.CloudInfrastructure.AddProject(ctx, vbgcapi.CloudInfrastructureProjectSpec{ProjectID: "prod-01",
		Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{ciAccount(t, "vbgc-backup@ops-project.iam.gserviceaccount.com")}})
	require.NoError(t, err)
	nets, err := c.Networks.List(ctx, "prod-01", "vbgc-backup@ops-project.iam.gserviceaccount.com", nil)
	require.NoError(t, err)
	require.Len(t, nets.Data, 1)
	assert.Len(t, nets.Data[0].Subnets, len(vbgcfake.Regions))
	after, err := c.ServiceAccounts.List(ctx, nil)
	require.NoError(t, err)
	assert.Greater(t, after.Pagination.TotalCount, before.Pagination.TotalCount, "the project's account is listed")
	sqlAccounts, err := c.SQLAccounts.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "backup_user", sqlAccounts.Data[0].Name)
	assertOperationsCalled(t, srv, "VersionGet", "ServiceGetStatus", "SystemLogsCollect", "SmtpEnable", "NotificationsGet",
		"NotificationsUpdate", "ConfigurationGetRetention", "ConfigurationSetRetention", "CertificatesGet", "CertificatesRecreate",
		"RegionsGetAll", "NetworksGetAll", "ServiceAccountsGetAll", "SqlAccountsGetAll")
}
