package tests

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// TestVBAWSConfigurationBackup changes the settings, backs the
// configuration up (a new restore point, the oldest dropped beyond the
// number to keep) and removes a point.
func TestVBAWSConfigurationBackup(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	cb := c.ConfigurationBackup

	s, err := cb.GetSettings(ctx)
	require.NoError(t, err)
	assert.True(t, s.IsScheduleEnabled)
	require.NoError(t, cb.DisableSchedule(ctx))
	s, err = cb.GetSettings(ctx)
	require.NoError(t, err)
	assert.False(t, s.IsScheduleEnabled)
	require.NoError(t, cb.EnableSchedule(ctx))
	_, err = cb.UpdateSettings(ctx, vbawsapi.ConfigurationBackupSettings{RepositoryID: uuid.New(), IsScheduleEnabled: true, RestorePointsToKeep: 2})
	assert.ErrorIs(t, err, apierr.ErrNotFound, "an unknown repository")
	s.RestorePointsToKeep, s.DailyTime = 2, to.Ptr("22:30")
	upd, err := cb.UpdateSettings(ctx, *s)
	require.NoError(t, err)
	assert.Equal(t, int32(2), upd.RestorePointsToKeep)

	first := collect(t, cb.AllRestorePoints(ctx, nil))
	require.Len(t, first, 1)
	srv.FailNextSession("the repository is unreachable")
	link, err := cb.Backup(ctx)
	require.NoError(t, err)
	_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	for range 2 {
		link, err = cb.Backup(ctx)
		require.NoError(t, err)
		_, err = c.Sessions.Wait(ctx, link.SessionID, fastPoll)
		require.NoError(t, err)
	}
	points, err := cb.ListRestorePoints(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, int32(2), points.TotalCount, "two kept, the failed backup added none")
	for _, p := range points.Results {
		assert.NotEqual(t, first[0].ID, p.ID, "the oldest point was dropped")
	}
	p, err := cb.GetRestorePoint(ctx, points.Results[0].ID)
	require.NoError(t, err)
	assert.Equal(t, s.RepositoryID, p.RepositoryID)
	require.NoError(t, cb.DeleteRestorePoint(ctx, p.ID))
	_, err = cb.GetRestorePoint(ctx, p.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, cb.DeleteRestorePoint(ctx, uuid.Nil), apierr.ErrMissingID)
}

// TestVBAWSLicensingAndSystem reads and removes the license, lists the
// licensed workloads and reads the product version.
func TestVBAWSLicensingAndSystem(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	v, err := c.System.Version(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, v.Version)
	lic, err := c.Licensing.GetLicense(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.LicenseTypeSubscription, *lic.LicenseType)
	wls := collect(t, c.Licensing.AllWorkloads(ctx, &vbaws.ListLicensedWorkloadsOptions{Sort: []vbawsapi.LicensedWorkloadsSortColumns{vbawsapi.LicensedWorkloadsSortColumnsNameAsc}}))
	require.Len(t, wls, 2)
	assert.Equal(t, "db-server-01", *wls[0].Name)
	one, err := c.Licensing.ListWorkloads(ctx, &vbaws.ListLicensedWorkloadsOptions{SearchPattern: "web*"})
	require.NoError(t, err)
	assert.Equal(t, int32(1), one.TotalCount)
	require.NoError(t, c.Licensing.RemoveLicense(ctx))
	lic, err = c.Licensing.GetLicense(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.LicenseTypeFree, *lic.LicenseType)
	assert.ErrorIs(t, c.Licensing.RemoveLicense(ctx), apierr.ErrNotFound)
}

// TestVBAWSAuthorizationCode gets a one-time code from a logged-in client
// and logs a second client in with it; the code works once.
func TestVBAWSAuthorizationCode(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	code, err := c.AuthorizationCode(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, code)

	other, err := vbaws.NewClient(srv.URL(), vbaws.AuthorizationCodeCredentials(code), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	require.NoError(t, other.Login(ctx))
	v, err := other.System.Version(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, v.About)

	again, err := vbaws.NewClient(srv.URL(), vbaws.AuthorizationCodeCredentials(code), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	assert.Error(t, again.Login(ctx), "a code works once")
}
