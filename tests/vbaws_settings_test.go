package tests

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// TestVBAWSCertificates regenerates the appliance's self-signed
// certificate and then uploads one of its own: a wrong password or a file
// that is no certificate changes nothing, and the password shows in no
// error.
func TestVBAWSCertificates(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	certs := c.Certificates

	cur, err := certs.Get(ctx)
	require.NoError(t, err)
	require.Len(t, cur.Data, 1)
	seeded := cur.Data[0]
	assert.True(t, seeded.AutomaticallyGenerated)

	assert.ErrorIs(t, certs.Regenerate(ctx, vbawsapi.CertificateRegenerateSpec{ValidBy: to.Ptr(time.Now().Add(-time.Hour))}), apierr.ErrBadRequest)
	validBy := time.Now().UTC().AddDate(2, 0, 0).Truncate(time.Second)
	require.NoError(t, certs.Regenerate(ctx, vbawsapi.CertificateRegenerateSpec{ValidBy: &validBy}))
	cur, err = certs.Get(ctx)
	require.NoError(t, err)
	regen := cur.Data[0]
	assert.NotEqual(t, seeded.Thumbprint, regen.Thumbprint)
	assert.True(t, regen.ValidBy.Equal(validBy), "%v", regen.ValidBy)
	assert.True(t, regen.AutomaticallyGenerated)

	const secret = "Pfx-Pa55word"
	pfx := vbawsfake.CertificateFile("backup.example.com", "CN=Example Issuing CA", secret, time.Now().AddDate(1, 0, 0))
	err = certs.Upload(ctx, "backup.pfx", bytes.NewReader(pfx), "not-the-password")
	require.ErrorIs(t, err, apierr.ErrBadRequest)
	assert.NotContains(t, err.Error(), "not-the-password")
	err = certs.Upload(ctx, "backup.pfx", strings.NewReader("-----BEGIN CERTIFICATE-----"), secret)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "not a .PFX file")
	assert.NotContains(t, err.Error(), secret)
	expired := vbawsfake.CertificateFile("old.example.com", "CN=Example Issuing CA", secret, time.Now().AddDate(-1, 0, 0))
	assert.ErrorIs(t, certs.Upload(ctx, "old.pfx", bytes.NewReader(expired), secret), apierr.ErrBadRequest)
	cur, err = certs.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, regen.Thumbprint, cur.Data[0].Thumbprint, "refused uploads change nothing")

	require.NoError(t, certs.Upload(ctx, "backup.pfx", bytes.NewReader(pfx), secret))
	cur, err = certs.Get(ctx)
	require.NoError(t, err)
	own := cur.Data[0]
	assert.Equal(t, "CN=backup.example.com", own.Subject)
	assert.Equal(t, "CN=Example Issuing CA", own.IssuedBy)
	assert.False(t, own.AutomaticallyGenerated)

	assert.Error(t, certs.Upload(ctx, "", bytes.NewReader(pfx), secret), "no file name")
	assert.Error(t, certs.Upload(ctx, "backup.pfx", nil, secret), "no file")
	assert.Error(t, certs.Upload(ctx, "backup.pfx", bytes.NewReader(pfx), ""), "no password")
	assert.Error(t, certs.Upload(ctx, "big.pfx", bytes.NewReader(make([]byte, 1<<20+1)), secret), "over 1 MiB")
}

// TestVBAWSRetentionSettings reads, changes and resets the global
// retention settings; settings below the minimums are refused.
func TestVBAWSRetentionSettings(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	rs := c.RetentionSettings

	defaults, err := rs.Get(ctx)
	require.NoError(t, err)
	assert.True(t, defaults.LingeringSnapshotRetentionDisabled, "lingering snapshots are kept by default")
	assert.False(t, defaults.KeepAllSessions)
	require.NotNil(t, defaults.SessionsRetention)
	assert.EqualValues(t, 365, defaults.SessionsRetention.TimeRetentionDuration)

	days := func(n int32) *vbawsapi.RetentionSetting {
		return &vbawsapi.RetentionSetting{TimeRetentionDuration: n, RetentionDurationType: vbawsapi.RetentionSettingRetentionDurationTypeDaily}
	}
	months := func(n int32) *vbawsapi.RetentionSetting {
		return &vbawsapi.RetentionSetting{TimeRetentionDuration: n, RetentionDurationType: vbawsapi.RetentionSettingRetentionDurationTypeMonthly}
	}
	for name, bad := range map[string]vbawsapi.RetentionSettings{
		"30 days of lingering snapshots":  {LingeringSnapshotRetention: days(30), SessionsRetention: days(60)},
		"2 months of lingering snapshots": {LingeringSnapshotRetention: months(2), SessionsRetention: days(60)},
		"no session records":              {LingeringSnapshotRetentionDisabled: true, SessionsRetention: days(0)},
	} {
		_, err = rs.Update(ctx, bad)
		assert.ErrorIs(t, err, apierr.ErrBadRequest, name)
	}
	got, err := rs.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, defaults, got, "refused settings change nothing")

	set, err := rs.Update(ctx, vbawsapi.RetentionSettings{LingeringSnapshotRetention: months(6), SessionsRetention: days(60)})
	require.NoError(t, err)
	assert.False(t, set.LingeringSnapshotRetentionDisabled)
	got, err = rs.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, months(6), got.LingeringSnapshotRetention)
	assert.Equal(t, days(60), got.SessionsRetention)
	assert.False(t, got.LingeringSnapshotRetentionDisabled)

	// A period left out keeps its value.
	got, err = rs.Update(ctx, vbawsapi.RetentionSettings{KeepAllSessions: true, LingeringSnapshotRetention: months(6)})
	require.NoError(t, err)
	assert.True(t, got.KeepAllSessions)
	assert.Equal(t, days(60), got.SessionsRetention)

	reset, err := rs.Reset(ctx)
	require.NoError(t, err)
	assert.Equal(t, defaults, reset)
	got, err = rs.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, defaults, got)
}

// TestVBAWSTimeSettings sets the appliance's time zone to one it offers
// and back to the default.
func TestVBAWSTimeSettings(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	ts := c.TimeSettings

	zones, err := ts.TimeZones(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, zones.Items)
	def, err := ts.Default(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Etc/UTC", def.Timezone.Name)
	assert.False(t, def.UseCustomSettings)
	cur, err := ts.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, def, cur)

	var berlin vbawsapi.TimeZone
	for _, z := range zones.Items {
		if z.Name == "Europe/Berlin" {
			berlin = z
		}
	}
	require.NotEmpty(t, berlin.DisplayName)
	_, err = ts.Set(ctx, vbawsapi.DateTimeSettings{Timezone: vbawsapi.TimeZone{Name: "Mars/Olympus_Mons", DisplayName: "Mars"}, UseCustomSettings: true})
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	set, err := ts.Set(ctx, vbawsapi.DateTimeSettings{Timezone: vbawsapi.TimeZone{Name: "Europe/Berlin", DisplayName: "whatever"}, UseCustomSettings: true})
	require.NoError(t, err)
	assert.Equal(t, berlin, set.Timezone, "the appliance's display name")
	cur, err = ts.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.DateTimeSettings{Timezone: berlin, UseCustomSettings: true}, *cur)

	back, err := ts.SetDefault(ctx)
	require.NoError(t, err)
	assert.Equal(t, def, back)
	cur, err = ts.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, def, cur)
}

// TestVBAWSConnectionTest checks the connection test: it answers a valid
// token and refuses an invalid one. On a configured appliance the license
// agreements are accepted already.
func TestVBAWSConnectionTest(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	require.NoError(t, c.System.Test(ctx))
	bogus := vbawsClientFor(t, srv, auth.StaticToken(auth.Token{AccessToken: "not-a-token"}))
	assert.ErrorIs(t, bogus.System.Test(ctx), apierr.ErrUnauthorized)
	accepted, err := bogus.LicenseAgreement.Accepted(ctx)
	require.NoError(t, err, "it needs no token")
	assert.True(t, accepted.Accepted)
}
