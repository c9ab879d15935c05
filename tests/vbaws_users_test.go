package tests

import (
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
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// vbawsClientFor is a client of srv logging in with creds.
func vbawsClientFor(t *testing.T, srv *vbawsfake.Server, creds auth.Credential) *vbaws.Client {
	t.Helper()
	c, err := vbaws.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	return c
}

// streamText returns a function that reads and closes the stream a call
// returned: streamText(t)(c.Users.Export(ctx, vbaws.ExportCSV)).
func streamText(t *testing.T) func(io.ReadCloser, error) string {
	return func(rc io.ReadCloser, err error) string {
		t.Helper()
		require.NoError(t, err)
		defer func() { _ = rc.Close() }()
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		return string(b)
	}
}

// TestVBAWSUsers validates, adds, reads, changes, lists, exports and
// removes user accounts: names are unique, a password must follow the
// documented rules and changes only with the current one, a new user logs
// in with its password, and the default user cannot be removed.
func TestVBAWSUsers(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	users := c.Users

	all := collect(t, users.All(ctx, nil))
	require.Len(t, all, 1)
	assert.Equal(t, vbawsapi.User{Name: "admin", Description: "Default Admin", IsDefault: true}, all[0], "the user of the fake is the default user")
	first, err := users.IsFirstLogin(ctx)
	require.NoError(t, err)
	assert.False(t, first.IsFirstLogin)

	// The rules, checked before anything is added.
	msgs, err := users.ValidateName(ctx, vbawsapi.UserNameValidationSpec{Name: "admin"})
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0].Message, "already exists")
	msgs, err = users.ValidateName(ctx, vbawsapi.UserNameValidationSpec{Name: "Backup Operator"})
	require.NoError(t, err)
	assert.Len(t, msgs, 1, "uppercase letters and spaces")
	msgs, err = users.ValidateName(ctx, vbawsapi.UserNameValidationSpec{Name: "operator_1$"})
	require.NoError(t, err)
	assert.Empty(t, msgs)
	msgs, err = users.ValidateDescription(ctx, vbawsapi.UserDescriptionValidationSpec{Description: strings.Repeat("d", 256)})
	require.NoError(t, err)
	assert.Len(t, msgs, 1)
	msgs, err = users.ValidateDescription(ctx, vbawsapi.UserDescriptionValidationSpec{Description: "Night shift"})
	require.NoError(t, err)
	assert.Empty(t, msgs)
	for pw, problems := range map[string]int{"short": 2, "alllowercase9": 1, "Abcde9xyW": 1, "Passw0rd7777": 1, "N1ght-Shift": 0} {
		msgs, err = users.ValidatePassword(ctx, vbawsapi.UserPasswordValidationSpec{Password: pw})
		require.NoError(t, err)
		assert.Len(t, msgs, problems, "password %q: %v", pw, msgs)
		for _, m := range msgs {
			assert.NotContains(t, m.Message, pw, "a message quotes the password")
		}
	}

	// Adding: a weak password is refused without being echoed.
	_, err = users.Create(ctx, vbawsapi.UserCreateSpec{Name: "operator", Description: "Night shift", Password: to.Ptr("weakpass")})
	require.ErrorIs(t, err, apierr.ErrBadRequest)
	assert.NotContains(t, err.Error(), "weakpass")
	op, err := users.Create(ctx, vbawsapi.UserCreateSpec{Name: "operator", Description: "Night shift", Password: to.Ptr("N1ght-Shift")})
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.User{Name: "operator", Description: "Night shift"}, *op)
	_, err = users.Create(ctx, vbawsapi.UserCreateSpec{Name: "operator", Description: "again", Password: to.Ptr("N1ght-Shift")})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "names are unique")
	_, err = users.Create(ctx, vbawsapi.UserCreateSpec{Name: "auditor", Description: "Reads reports", Password: to.Ptr("Aud1t-Trail")})
	require.NoError(t, err)
	got, err := users.Get(ctx, "operator")
	require.NoError(t, err)
	assert.Equal(t, "Night shift", got.Description)
	_, err = users.Get(ctx, "nobody")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = users.Get(ctx, "")
	assert.ErrorIs(t, err, apierr.ErrMissingID)

	// The new user logs in with its password.
	opClient := vbawsClientFor(t, srv, vbaws.PasswordCredentials("operator", "N1ght-Shift"))
	require.NoError(t, opClient.System.Test(ctx))

	// Changing: the description alone, then the password with the current one.
	got, err = users.Update(ctx, "operator", vbawsapi.UserUpdateSpec{Description: to.Ptr("Day shift")})
	require.NoError(t, err)
	assert.Equal(t, "Day shift", got.Description)
	_, err = users.Update(ctx, "operator", vbawsapi.UserUpdateSpec{Password: to.Ptr("D4y-Shift")})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "no current password")
	_, err = users.Update(ctx, "operator", vbawsapi.UserUpdateSpec{Password: to.Ptr("D4y-Shift"), OldPassword: to.Ptr("wrong")})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a wrong current password")
	_, err = users.Update(ctx, "operator", vbawsapi.UserUpdateSpec{Password: to.Ptr("daylight"), OldPassword: to.Ptr("N1ght-Shift")})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "a weak new password")
	_, err = users.Update(ctx, "operator", vbawsapi.UserUpdateSpec{Password: to.Ptr("D4y-Shift"), OldPassword: to.Ptr("N1ght-Shift")})
	require.NoError(t, err)
	err = vbawsClientFor(t, srv, vbaws.PasswordCredentials("operator", "N1ght-Shift")).Login(ctx)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials, "the old password no longer logs in")
	require.NoError(t, vbawsClientFor(t, srv, vbaws.PasswordCredentials("operator", "D4y-Shift")).Login(ctx))
	got, err = users.Get(ctx, "operator")
	require.NoError(t, err)
	assert.Equal(t, "Day shift", got.Description, "a password change keeps the description")

	// Listing: search, sort and paging.
	page, err := users.List(ctx, &vbaws.ListUsersOptions{SearchPattern: "*or", Limit: -1})
	require.NoError(t, err)
	require.Len(t, page.Results, 2)
	assert.EqualValues(t, 2, page.TotalCount)
	sorted := collect(t, users.All(ctx, &vbaws.ListUsersOptions{Sort: []vbawsapi.UsersSortColumns{vbawsapi.UsersSortColumnsNameDesc}, Limit: 1}))
	require.Len(t, sorted, 3)
	assert.Equal(t, []string{"operator", "auditor", "admin"}, []string{sorted[0].Name, sorted[1].Name, sorted[2].Name})
	page, err = users.List(ctx, &vbaws.ListUsersOptions{Sort: []vbawsapi.UsersSortColumns{vbawsapi.UsersSortColumnsIsDefaultDesc}, Offset: 0, Limit: 1})
	require.NoError(t, err)
	require.Len(t, page.Results, 1)
	assert.Equal(t, "admin", page.Results[0].Name)
	assert.EqualValues(t, 3, page.TotalCount)
	_, err = users.List(ctx, &vbaws.ListUsersOptions{Limit: -2})
	assert.Error(t, err, "a limit below -1 is refused before sending")

	// Export, as CSV and as XML.
	rows, err := csv.NewReader(strings.NewReader(streamText(t)(users.Export(ctx, vbaws.ExportCSV)))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"Name", "Description", "MFA Enabled", "Default"}, rows[0])
	assert.Equal(t, []string{"operator", "Day shift", "false", "false"}, rows[2])
	x := streamText(t)(users.Export(ctx, vbaws.ExportXML))
	assert.Contains(t, x, "<Name>auditor</Name>")
	assert.NotContains(t, x, "D4y-Shift", "an export holds no password")
	_, err = users.Export(ctx, "text/plain")
	assert.Error(t, err)

	// Removing: the default user stays; a removed user can no longer log in.
	assert.ErrorIs(t, users.Delete(ctx, "admin"), apierr.ErrBadRequest)
	require.NoError(t, users.Delete(ctx, "operator"))
	_, err = users.Get(ctx, "operator")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.ErrorIs(t, users.Delete(ctx, "operator"), apierr.ErrNotFound)
	assert.ErrorIs(t, opClient.System.Test(ctx), apierr.ErrUnauthorized, "the removed user's token ended")
	err = vbawsClientFor(t, srv, vbaws.PasswordCredentials("operator", "D4y-Shift")).Login(ctx)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.Len(t, collect(t, users.All(ctx, nil)), 2)
}

// TestVBAWSUserMFA enables multi-factor authentication for a user: the
// secret issued is confirmed with a one-time code (or a scratch code)
// before mfaEnabled turns true, and disabling turns it off again.
func TestVBAWSUserMFA(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	users := c.Users
	_, err := users.Create(ctx, vbawsapi.UserCreateSpec{Name: "restorer", Description: "Restores", Password: to.Ptr("R3store-Now")})
	require.NoError(t, err)

	setup, err := users.EnableMFA(ctx, "restorer", vbawsapi.UserMFASetup{})
	require.NoError(t, err)
	require.NotNil(t, setup.SecretKey)
	require.NotNil(t, setup.Token)
	assert.Equal(t, "restorer", *setup.UserName)
	assert.Contains(t, *setup.QrString, "secret="+*setup.SecretKey)
	assert.Len(t, setup.ScratchCodes, 5)
	u, err := users.Get(ctx, "restorer")
	require.NoError(t, err)
	assert.False(t, u.MFAEnabled, "not before the setup is confirmed")

	again, err := users.EnableMFA(ctx, "restorer", vbawsapi.UserMFASetup{})
	require.NoError(t, err)
	assert.Equal(t, *setup.SecretKey, *again.SecretKey, "the pending secret is answered again")
	renewed, err := users.EnableMFA(ctx, "restorer", vbawsapi.UserMFASetup{Recreate: to.Ptr(true)})
	require.NoError(t, err)
	assert.NotEqual(t, *setup.SecretKey, *renewed.SecretKey)
	assert.NotEqual(t, *setup.Token, *renewed.Token)

	code, err := vbawsfake.MFACode(*renewed.SecretKey, time.Now())
	require.NoError(t, err)
	err = users.AcceptMFA(ctx, "restorer", vbawsapi.UserMFAAccept{Code: code, Token: *setup.Token})
	require.ErrorIs(t, err, apierr.ErrBadRequest, "the token of the replaced secret")
	err = users.AcceptMFA(ctx, "restorer", vbawsapi.UserMFAAccept{Code: "000000x", Token: *renewed.Token})
	require.ErrorIs(t, err, apierr.ErrBadRequest, "a wrong code")
	assert.NotContains(t, err.Error(), *renewed.SecretKey)
	require.NoError(t, users.AcceptMFA(ctx, "restorer", vbawsapi.UserMFAAccept{Code: code, Token: *renewed.Token}))
	u, err = users.Get(ctx, "restorer")
	require.NoError(t, err)
	assert.True(t, u.MFAEnabled)
	byMFA := collect(t, users.All(ctx, &vbaws.ListUsersOptions{Sort: []vbawsapi.UsersSortColumns{vbawsapi.UsersSortColumnsMFAEnabledDesc}}))
	assert.Equal(t, "restorer", byMFA[0].Name)

	_, err = users.EnableMFA(ctx, "restorer", vbawsapi.UserMFASetup{})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "enabled already: a new secret needs recreate")
	_, err = users.EnableMFA(ctx, "nobody", vbawsapi.UserMFASetup{})
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	require.NoError(t, users.DisableMFA(ctx, "restorer"))
	u, err = users.Get(ctx, "restorer")
	require.NoError(t, err)
	assert.False(t, u.MFAEnabled)
	err = users.AcceptMFA(ctx, "restorer", vbawsapi.UserMFAAccept{Code: code, Token: *renewed.Token})
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "nothing to confirm after disabling")

	// A scratch code stands in for the app, once.
	setup, err = users.EnableMFA(ctx, "restorer", vbawsapi.UserMFASetup{})
	require.NoError(t, err)
	require.NoError(t, users.AcceptMFA(ctx, "restorer", vbawsapi.UserMFAAccept{Code: setup.ScratchCodes[0], Token: *setup.Token}))
	u, err = users.Get(ctx, "restorer")
	require.NoError(t, err)
	assert.True(t, u.MFAEnabled)
	assert.ErrorIs(t, users.DisableMFA(ctx, "nobody"), apierr.ErrNotFound)
}

// TestVBAWSFirstLogin runs the first login of a new appliance without an
// access token: the license agreements are read, downloaded and accepted,
// the instance ID is checked and the default user created, who can then
// log in.
func TestVBAWSFirstLogin(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"), vbawsfake.WithFirstLogin())
	assert.ErrorIs(t, c.Login(ctx), apierr.ErrInvalidCredentials, "a new appliance has no user")

	// A client with a placeholder token: the first-login operations need none.
	anon := vbawsClientFor(t, srv, auth.StaticToken(auth.Token{AccessToken: "first-login"}))
	first, err := anon.Users.IsFirstLogin(ctx)
	require.NoError(t, err)
	assert.True(t, first.IsFirstLogin)
	_, err = anon.Users.List(ctx, nil)
	assert.ErrorIs(t, err, apierr.ErrUnauthorized, "the other operations still need a token")

	accepted, err := anon.LicenseAgreement.Accepted(ctx)
	require.NoError(t, err)
	assert.False(t, accepted.Accepted)
	spec := vbawsapi.DefaultUserSpec{Instance: vbawsapi.CheckInstanceIDSpec{InstanceID: srv.InstanceID()},
		UserSpec: vbawsapi.UserCreateSpec{Name: "owner", Description: "Default Admin", Password: to.Ptr("Own3r-Passw0rd")}}
	_, err = anon.Users.CreateDefault(ctx, spec)
	require.ErrorIs(t, err, apierr.ErrConflict, "the agreements are not accepted yet")

	agreements, err := anon.LicenseAgreement.Get(ctx)
	require.NoError(t, err)
	require.Len(t, agreements.Items, 2)
	sums := map[vbawsapi.LicenseAgreementTypes]string{}
	for _, a := range agreements.Items {
		require.NotNil(t, a.Checksum)
		sums[a.Type] = *a.Checksum
		text := streamText(t)(anon.LicenseAgreement.Download(ctx, a.Type))
		assert.Equal(t, *a.Content, text, "the download is the agreement's text")
	}
	assert.Equal(t, vbawsfake.AgreementChecksum(vbawsapi.LicenseAgreementTypesEula), sums[vbawsapi.LicenseAgreementTypesEula])
	err = anon.LicenseAgreement.Accept(ctx, "stale", sums[vbawsapi.LicenseAgreementTypesThirdPartyAgreement], nil)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "a checksum of another text")
	accepted, err = anon.LicenseAgreement.Accepted(ctx)
	require.NoError(t, err)
	assert.False(t, accepted.Accepted)
	require.NoError(t, anon.LicenseAgreement.Accept(ctx, sums[vbawsapi.LicenseAgreementTypesEula], sums[vbawsapi.LicenseAgreementTypesThirdPartyAgreement],
		&vbaws.AcceptLicenseAgreementOptions{LicensingPolicyChecksum: "policy", RequiredSoftwareChecksum: "software"}))
	accepted, err = anon.LicenseAgreement.Accepted(ctx)
	require.NoError(t, err)
	assert.True(t, accepted.Accepted)

	valid, err := anon.Users.CheckInstanceID(ctx, vbawsapi.CheckInstanceIDSpec{InstanceID: "i-ffffffffffffffff0"})
	require.NoError(t, err)
	assert.False(t, valid.IsValid)
	valid, err = anon.Users.CheckInstanceID(ctx, vbawsapi.CheckInstanceIDSpec{InstanceID: srv.InstanceID()})
	require.NoError(t, err)
	assert.True(t, valid.IsValid)

	wrong := spec
	wrong.Instance.InstanceID = "i-ffffffffffffffff0"
	_, err = anon.Users.CreateDefault(ctx, wrong)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "another instance's ID")
	weak := spec
	weak.UserSpec.Password = to.Ptr("owner")
	_, err = anon.Users.CreateDefault(ctx, weak)
	require.ErrorIs(t, err, apierr.ErrBadRequest, "a weak password")
	owner, err := anon.Users.CreateDefault(ctx, spec)
	require.NoError(t, err)
	assert.True(t, owner.IsDefault)
	first, err = anon.Users.IsFirstLogin(ctx)
	require.NoError(t, err)
	assert.False(t, first.IsFirstLogin)
	_, err = anon.Users.CreateDefault(ctx, spec)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "there is one default user")

	// The default user logs in and finds itself.
	oc := vbawsClientFor(t, srv, vbaws.PasswordCredentials("owner", "Own3r-Passw0rd"))
	all := collect(t, oc.Users.All(ctx, nil))
	require.Len(t, all, 1)
	assert.Equal(t, "owner", all[0].Name)
	assert.True(t, all[0].IsDefault)
}
