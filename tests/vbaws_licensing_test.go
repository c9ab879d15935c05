package tests

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// alertTypes lists the types of the license notifications, in order.
func alertTypes(t *testing.T, n *vbawsapi.LicenseNotifications) []vbawsapi.LicenseNotificationTypes {
	t.Helper()
	out := []vbawsapi.LicenseNotificationTypes{}
	for _, a := range n.Results {
		out = append(out, a.NotificationType)
	}
	return out
}

// TestVBAWSLicenseInstallAndAlerts installs license files, reads the
// notifications they raise, resolves one, and exports the license.
func TestVBAWSLicenseInstallAndAlerts(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	lic := c.Licensing

	alerts, err := lic.Alerts(ctx)
	require.NoError(t, err)
	assert.Empty(t, alerts.Results, "the seeded license runs for a year and covers its instances")

	// Refused: no file name (nothing sent), not a license, an expired one.
	before := srv.Calls()["InstallLicense"]
	_, err = lic.Install(ctx, "", strings.NewReader("x"))
	require.Error(t, err)
	_, err = lic.Install(ctx, "a.lic", nil)
	require.Error(t, err)
	assert.Equal(t, before, srv.Calls()["InstallLicense"])
	_, err = lic.Install(ctx, "notes.lic", strings.NewReader("hello"))
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	_, err = lic.Install(ctx, "old.lic", bytes.NewReader(vbawsfake.LicenseFile("Example Corp", "lic-old", "0001", 10, time.Now().Add(-time.Hour))))
	assert.ErrorIs(t, err, apierr.ErrBadRequest)

	// A license for one instance that expires in ten days: two
	// notifications, since two workloads use it.
	expires := time.Now().UTC().Add(10 * 24 * time.Hour).Truncate(time.Second)
	installed, err := lic.Install(ctx, "short.lic", bytes.NewReader(vbawsfake.LicenseFile("Example Corp", "lic-short", "01234567", 1, expires)))
	require.NoError(t, err)
	assert.Equal(t, "lic-short", *installed.LicenseID)
	assert.Equal(t, vbawsapi.LicenseTypeSubscription, *installed.LicenseType)
	assert.EqualValues(t, 1, *installed.Instances)
	assert.True(t, expires.Equal(*installed.LicenseExpires))
	got, err := lic.GetLicense(ctx)
	require.NoError(t, err)
	assert.Equal(t, "01234567", *got.SupportID)
	alerts, err = lic.Alerts(ctx)
	require.NoError(t, err)
	require.Equal(t, []vbawsapi.LicenseNotificationTypes{vbawsapi.LicenseNotificationTypesExpiration, vbawsapi.LicenseNotificationTypesExceed}, alertTypes(t, alerts))
	expiration, exceed := alerts.Results[0], alerts.Results[1]
	assert.Equal(t, vbawsapi.LicenseNotificationSeveritiesWarning, expiration.NotificationSeverity)
	assert.Contains(t, expiration.Message, "expires in")
	assert.Equal(t, vbawsapi.LicenseNotificationSeveritiesError, exceed.NotificationSeverity)
	require.Len(t, expiration.Replies, 2)
	require.Len(t, exceed.Replies, 1)

	// Resolving needs a raised notification, and replies of the ones
	// resolved.
	err = lic.ResolveAlerts(ctx, vbawsapi.ResolveNotificationsSpec{NotificationsToResolve: []vbawsapi.LicenseNotificationTypes{vbawsapi.LicenseNotificationTypesMarketplace}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	err = lic.ResolveAlerts(ctx, vbawsapi.ResolveNotificationsSpec{NotificationsToResolve: []vbawsapi.LicenseNotificationTypes{vbawsapi.LicenseNotificationTypesExpiration},
		SelectedReplies: exceed.Replies})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a reply of the other notification")
	require.NoError(t, lic.ResolveAlerts(ctx, vbawsapi.ResolveNotificationsSpec{NotificationsToResolve: []vbawsapi.LicenseNotificationTypes{vbawsapi.LicenseNotificationTypesExpiration},
		SelectedReplies: expiration.Replies[:1]}))
	alerts, err = lic.Alerts(ctx)
	require.NoError(t, err)
	assert.Equal(t, []vbawsapi.LicenseNotificationTypes{vbawsapi.LicenseNotificationTypesExceed}, alertTypes(t, alerts), "the resolved one is gone")
	err = lic.ResolveAlerts(ctx, vbawsapi.ResolveNotificationsSpec{NotificationsToResolve: []vbawsapi.LicenseNotificationTypes{vbawsapi.LicenseNotificationTypesExpiration}})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "resolved already")

	// Another license: enough instances, but it expires too; its expiry is
	// a new cause, so the notification is back.
	_, err = lic.Install(ctx, "next.lic", bytes.NewReader(vbawsfake.LicenseFile("Example Corp", "lic-next", "76543210", 100, time.Now().Add(5*24*time.Hour))))
	require.NoError(t, err)
	alerts, err = lic.Alerts(ctx)
	require.NoError(t, err)
	assert.Equal(t, []vbawsapi.LicenseNotificationTypes{vbawsapi.LicenseNotificationTypesExpiration}, alertTypes(t, alerts))
	id, err := c.System.ProductID(ctx)
	require.NoError(t, err)
	assert.Equal(t, "76543210", id.Supportid)
	assert.Equal(t, "111122223333", id.Awsid)

	// The export has the license the appliance shows.
	rc, err := lic.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err := csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Len(t, records, 2)
	assert.Equal(t, []string{"License Type", "Licensed To", "License ID", "Support ID", "Instances", "Instances Used", "Expires"}, records[0])
	assert.Equal(t, []string{"Subscription", "Example Corp", "lic-next", "76543210", "100", "2"}, records[1][:6])
	rc, err = lic.Export(ctx, vbaws.ExportXML)
	require.NoError(t, err)
	body, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(body), "<LicenseID>lic-next</LicenseID>")

	// Without a license the appliance runs the Free edition: no
	// notifications, no support ID.
	require.NoError(t, lic.RemoveLicense(ctx))
	alerts, err = lic.Alerts(ctx)
	require.NoError(t, err)
	assert.Empty(t, alerts.Results)
	rc, err = lic.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err = csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Equal(t, "Free", records[1][0])
	id, err = c.System.ProductID(ctx)
	require.NoError(t, err)
	assert.Empty(t, id.Supportid)
	assert.Empty(t, srv.Violations())
}

// logArchive reads the log file out of a log archive.
func logArchive(t *testing.T, rc io.ReadCloser) string {
	t.Helper()
	data, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	assert.Equal(t, vbawsfake.LogFileName, zr.File[0].Name)
	f, err := zr.File[0].Open()
	require.NoError(t, err)
	text, err := io.ReadAll(f)
	require.NoError(t, f.Close())
	require.NoError(t, err)
	return string(text)
}

// TestVBAWSSystemTimeAndLogs reads the appliance's clock and downloads its
// logs for the last days and for a date range.
func TestVBAWSSystemTimeAndLogs(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	sys := c.System

	now, err := sys.Time(ctx)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), now.UtcDateTime, time.Minute)

	link, err := c.IAMRoles.Rescan(ctx, defaultRole(ctx, t, c), &vbawsapi.RescanCloudAccountSpec{})
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)

	rc, err := sys.Logs(ctx, &vbaws.SystemLogsOptions{ExportLogsType: vbawsapi.ExportLogsTypesLastDays, Days: 1})
	require.NoError(t, err)
	text := logArchive(t, rc)
	assert.Contains(t, text, "session "+link.SessionID.String()+" (AmazonAccountRescan): AmazonAccountRescan session started")
	assert.Contains(t, text, "AmazonAccountRescan session ended Succeeded")

	from, to2 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	rc, err = sys.Logs(ctx, &vbaws.SystemLogsOptions{ExportLogsType: vbawsapi.ExportLogsTypesBetweenDates, FromDateUtc: &from, ToDateUtc: &to2})
	require.NoError(t, err)
	text = logArchive(t, rc)
	assert.NotContains(t, text, link.SessionID.String(), "the session ran after the range")
	assert.True(t, strings.HasPrefix(text, "Veeam Backup for AWS logs from 2020-01-01T00:00:00Z to 2020-01-02T00:00:00Z"), text)

	_, err = sys.Logs(ctx, &vbaws.SystemLogsOptions{ExportLogsType: vbawsapi.ExportLogsTypesLastDays})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "no Days")
	_, err = sys.Logs(ctx, &vbaws.SystemLogsOptions{ExportLogsType: vbawsapi.ExportLogsTypesBetweenDates, FromDateUtc: &from})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "no end")
	_, err = sys.Logs(ctx, &vbaws.SystemLogsOptions{ExportLogsType: vbawsapi.ExportLogsTypesBetweenDates, FromDateUtc: &to2, ToDateUtc: to.Ptr(from)})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "the end before the start")
	assert.Empty(t, srv.Violations())
}
