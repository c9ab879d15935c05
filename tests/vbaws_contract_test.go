package tests

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// startVBAWS starts a fake whose spec violations fail the test, and a client
// trusting its certificate.
func startVBAWS(t *testing.T, creds auth.Credential, opts ...vbawsfake.Option) (*vbawsfake.Server, *vbaws.Client) {
	t.Helper()
	srv, err := vbawsfake.Start(append([]vbawsfake.Option{vbawsfake.WithUser("admin", "s3cret-pw")}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("vbaws", srv)
	c, err := vbaws.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	return srv, c
}

func spec(name string) vbawsapi.AmazonOrganizationSpec {
	return vbawsapi.AmazonOrganizationSpec{
		Name: name, RescanIAMRoleID: uuid.New(), BackupRestoreIAMRoleName: "VeeamBackupRestoreRole",
		ScopeType: vbawsapi.AmazonOrganizationScopeTypeFull,
	}
}

// TestVBAWSContract drives every operation of specs/vbaws/openapi.yaml
// through the facade against the validating fake, then checks that each
// operation was reached.
func TestVBAWSContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	orgs := c.Organizations

	// Validate, add, list, get, update.
	name, err := orgs.ValidateName(ctx, vbawsapi.AmazonOrganizationNameValidationSpec{OrganizationName: "Production"})
	require.NoError(t, err)
	assert.True(t, name.IsValid)
	assert.True(t, name.IsUnique)

	create := vbawsapi.CreateAmazonOrganizationSpec{
		Organization: spec("Production"),
		LimitedScopes: []vbawsapi.AmazonOrganizationLimitedScopeSpec{
			{Name: "prod-units", IncludedMembers: []string{"ou-prod"}},
		},
	}
	msgs, err := orgs.ValidateSettings(ctx, vbawsapi.AmazonOrganizationValidationSpec{Create: &create})
	require.NoError(t, err)
	assert.Empty(t, msgs)

	session, err := orgs.TestConfiguration(ctx, vbawsapi.AmazonOrganizationValidationSpec{Create: &create})
	require.NoError(t, err)
	assert.NotEqual(t, uuid.Nil, session.SessionID)

	added, err := orgs.Add(ctx, create)
	require.NoError(t, err)
	assert.NotEqual(t, uuid.Nil, added.SessionID)

	name, err = orgs.ValidateName(ctx, vbawsapi.AmazonOrganizationNameValidationSpec{OrganizationName: "production"})
	require.NoError(t, err)
	assert.False(t, name.IsUnique, "names are unique regardless of case")

	page, err := orgs.List(ctx, &vbaws.ListOrganizationsOptions{SearchPattern: "Prod"})
	require.NoError(t, err)
	require.Len(t, page.Results, 1)
	assert.EqualValues(t, 1, page.TotalCount)
	org := page.Results[0]
	assert.Equal(t, "Production", org.Name)
	require.NotNil(t, org.LimitedScopes)
	assert.Len(t, org.LimitedScopes, 1)

	got, err := orgs.Get(ctx, org.ID)
	require.NoError(t, err)
	assert.Equal(t, org.ID, got.ID)

	upd := vbawsapi.UpdateAmazonOrganizationSpec{
		Organization:     spec("Production EU"),
		NewLimitedScopes: []vbawsapi.AmazonOrganizationLimitedScopeSpec{{Name: "dev-units", IncludedMembers: []string{"ou-dev"}}},
		ChangedLimitedScopes: []vbawsapi.AmazonOrganizationLimitedScopeExistingSpec{
			{ID: org.LimitedScopes[0].ID, Name: "prod-units-renamed", IncludedMembers: []string{"ou-prod"}},
		},
	}
	updated, err := orgs.Update(ctx, org.ID, upd)
	require.NoError(t, err)
	assert.Equal(t, "Production EU", updated.Name)
	require.Len(t, updated.LimitedScopes, 2)
	assert.Equal(t, "prod-units-renamed", updated.LimitedScopes[0].Name)

	// Existence check by the rescan role.
	exists, err := orgs.CheckExists(ctx, vbawsapi.AmazonOrganizationExistenceSpec{RescanIAMRoleID: upd.Organization.RescanIAMRoleID})
	require.NoError(t, err)
	require.NotNil(t, exists.ConflictingOrganizationID)
	assert.Equal(t, org.ID, *exists.ConflictingOrganizationID)

	// Rescan in memory, then read its structure page by page and as a tree.
	rescan, err := orgs.Rescan(ctx, vbawsapi.AmazonOrganizationRescanSpec{
		RescanIAMRoleID: uuid.New(), RescanStorageType: vbawsapi.AmazonOrganizationRescanStorageTypeInMemory,
	})
	require.NoError(t, err)
	top, err := orgs.IdentitiesInMemory(ctx, rescan.SessionID, nil, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 3, top.TotalCount, "without expandChildNodes only the top level is returned")
	var accounts []string
	expand := true
	for id, err := range orgs.AllIdentitiesInMemory(ctx, rescan.SessionID, nil, &vbaws.RescanIdentitiesOptions{
		ExpandChildNodes: &expand, TypeFilter: vbawsapi.AmazonOrganizationIdentityTypeAccount, Limit: 4,
	}) {
		require.NoError(t, err)
		accounts = append(accounts, id.ID)
	}
	assert.Len(t, accounts, 6)

	treeResp, err := orgs.IdentitiesInDB(ctx, org.ID, &vbawsapi.AmazonOrganizationIdentitiesSpec{IncludedMembers: []string{"ou-prod"}},
		&vbaws.IdentitiesOptions{ReturnAsTree: &expand, ExpandChildNodes: &expand})
	require.NoError(t, err)
	require.NotNil(t, treeResp.Tree)
	assert.Equal(t, "r-root", treeResp.Tree.ID)
	assert.Len(t, treeResp.Tree.Children, 2)

	var inDB int
	for _, err := range orgs.AllIdentitiesInDB(ctx, org.ID, nil, &vbaws.IdentitiesOptions{ExpandChildNodes: &expand, Limit: 2}) {
		require.NoError(t, err)
		inDB++
	}
	assert.Equal(t, 9, inDB)

	_, err = orgs.IdentitiesInMemory(ctx, uuid.New(), nil, nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	// Export as CSV and XML, streamed.
	rc, err := orgs.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err := csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Len(t, records, 2)
	assert.Equal(t, "Production EU", records[1][0])
	rc, err = orgs.Export(ctx, vbaws.ExportXML)
	require.NoError(t, err)
	xmlBody, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(xmlBody), "<Name>Production EU</Name>")
	_, err = orgs.Export(ctx, "application/pdf")
	assert.EqualError(t, err, `vbaws: Organizations.Export: format "application/pdf" is not one of application/xml, text/csv`)

	// Delete validation, in use and free.
	srv.MarkInUse(org.ID)
	vmsgs, err := orgs.ValidateDelete(ctx, org.ID)
	require.NoError(t, err)
	require.Len(t, vmsgs, 1)
	assert.Equal(t, vbawsapi.ValidationMessageSeverityError, vmsgs[0].Severity)
	other := srv.AddOrganization("Sandbox")
	many, err := orgs.ValidateDeleteMany(ctx, vbawsapi.AmazonOrganizationsValidateDeleteSpec{Items: []uuid.UUID{org.ID, other.ID}})
	require.NoError(t, err)
	require.Len(t, many.Results, 2)
	assert.Len(t, many.Results[0].Messages, 1)
	assert.Empty(t, many.Results[1].Messages)
	err = orgs.Delete(ctx, org.ID)
	var ae *apierr.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "AccessDenied", ae.Code)

	require.NoError(t, orgs.Delete(ctx, other.ID))
	_, err = orgs.Get(ctx, other.ID)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 404, ae.StatusCode)
	assert.Equal(t, "NotFound", ae.Code)

	// The sessions those operations started: wait for one, then page
	// through the ended ones.
	sess, err := c.Sessions.Wait(ctx, rescan.SessionID, &poll.Options{Interval: time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, vbawsapi.SessionStatusSucceeded, sess.Status)
	assert.Equal(t, "OrganizationRescan", sess.Type)
	assert.NotNil(t, sess.ExecutionStopTime)
	ended := 0
	for s, err := range c.Sessions.All(ctx, &vbaws.ListSessionsOptions{Status: vbawsapi.SessionStatusSucceeded, Limit: 1}) {
		require.NoError(t, err)
		assert.Equal(t, rescan.SessionID, s.ID, "only the session waited for has ended")
		ended++
	}
	assert.Equal(t, 1, ended)

	require.NoError(t, c.Logout(ctx))

	// This test covers the organizations, the token and the sessions; the
	// other areas have their own tests (vbaws_*_test.go), and the coverage
	// gate checks the whole spec.
	calls := srv.Calls()
	var own []string
	for _, op := range srv.Operations() {
		if strings.Contains(op, "AmazonOrganization") || strings.HasPrefix(op, "SessionsGet") || op == "Authenticate" || op == "SignOut" {
			own = append(own, op)
			assert.Positive(t, calls[op], "operation %s has no contract test", op)
		}
	}
	assert.Len(t, own, 19, "15 organization operations, 2 token operations and 2 session operations")
	assert.Empty(t, srv.Violations())
}

func TestVBAWSPagingSortAndSearch(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"), vbawsfake.WithOrganizations(237))
	var names []string
	for org, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{Limit: 50, Sort: []vbawsapi.AmazonOrganizationSortColumns{vbawsapi.AmazonOrganizationSortColumnsNameDesc}}) {
		require.NoError(t, err)
		names = append(names, org.Name)
	}
	require.Len(t, names, 237)
	assert.Equal(t, "org-0237", names[0])
	assert.Equal(t, "org-0001", names[236])
	assert.Equal(t, 5, srv.Calls()["AmazonOrganizationsGetAll"], "237 items in pages of 50")

	// Breaking out of the loop stops fetching.
	n := 0
	for _, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{Limit: 10}) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.Equal(t, 7, srv.Calls()["AmazonOrganizationsGetAll"])

	var found []string
	for org, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{SearchPattern: "org-01*"}) {
		require.NoError(t, err)
		found = append(found, org.Name)
	}
	assert.Len(t, found, 100)
	assert.True(t, strings.HasPrefix(found[0], "org-01"))
}

func TestVBAWSTokenLifecycle(t *testing.T) {
	ctx := context.Background()
	var prompts int
	creds := vbaws.PasswordCredentials("admin", "s3cret-pw", auth.WithMFA(func(context.Context) (string, error) {
		prompts++
		return "123456", nil
	}))
	srv, c := startVBAWS(t, creds, vbawsfake.WithMFA("123456"))

	_, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, prompts)
	assert.Equal(t, map[string]int{"password": 1, "mfa": 1}, srv.Tokens.Requests())

	// An expired access token is refreshed with the refresh token, not a new
	// password login (and so no new MFA prompt).
	srv.Tokens.ExpireAll()
	_, err = c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"password": 1, "mfa": 1, "refresh_token": 1}, srv.Tokens.Requests())
	assert.Equal(t, 1, prompts)

	// When the refresh token is refused too, the client logs in again.
	srv.Tokens.ExpireAll()
	srv.Tokens.RevokeRefreshTokens()
	_, err = c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"password": 2, "mfa": 2, "refresh_token": 2}, srv.Tokens.Requests())

	// Logout revokes the token on the server; the old token no longer works.
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	require.NoError(t, c.Logout(ctx))
	req, err := http.NewRequest(http.MethodGet, srv.URL(), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	_, err = srv.Tokens.Authenticate(req)
	assert.Error(t, err, "the token was revoked by the logout")

	// The next call logs in again.
	_, err = c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Tokens.Requests()["password"])
	assert.Equal(t, 3, prompts)
}

func TestVBAWSMFAWithoutCallback(t *testing.T) {
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"), vbawsfake.WithMFA("123456"))
	err := c.Login(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrMFARequired)
	var mfa *auth.MFARequiredError
	assert.True(t, errors.As(err, &mfa))
}

func TestVBAWSWrongPassword(t *testing.T) {
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "wrong-password-value"))
	_, err := c.Organizations.List(context.Background(), nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.NotContains(t, err.Error(), "wrong-password-value")
	assert.Equal(t, map[string]int{"password": 1}, srv.Tokens.Requests(), "no retry storm")
}

func TestVBAWSBadInput(t *testing.T) {
	creds := vbaws.PasswordCredentials("admin", "pw")
	_, err := vbaws.NewClient("http://appliance:11005", creds)
	require.Error(t, err, "plain http needs an explicit opt-in")
	_, err = vbaws.NewClient("appliance:11005", creds)
	require.Error(t, err)
	_, err = vbaws.NewClient("https://appliance:11005", vbaws.PasswordCredentials("", ""))
	require.Error(t, err)
	_, err = vbaws.NewClient("https://appliance:11005", nil)
	require.Error(t, err)
	_, err = vbaws.NewClient("https://appliance:11005", creds, option.WithCACert([]byte("not a certificate")))
	require.Error(t, err)
	c, err := vbaws.NewClient("https://appliance:11005", creds)
	require.NoError(t, err)
	_, err = c.Organizations.List(context.Background(), &vbaws.ListOrganizationsOptions{Limit: -1})
	require.Error(t, err)
	_, err = c.Organizations.List(context.Background(), &vbaws.ListOrganizationsOptions{Offset: -1})
	require.ErrorContains(t, err, "ListOrganizationsOptions.Offset must be at least 0")
}

func TestVBAWSSessionWaitAndFailure(t *testing.T) {
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"), vbawsfake.WithSessionReads(3))
	ctx := context.Background()
	fast := &poll.Options{Interval: time.Millisecond}

	link, err := c.Organizations.Add(ctx, vbawsapi.CreateAmazonOrganizationSpec{Organization: spec("Waited")})
	require.NoError(t, err)
	var reads []vbawsapi.SessionStatus
	sess, err := c.Sessions.Wait(ctx, link.SessionID, &poll.Options{Interval: time.Millisecond,
		OnPoll: func(s any) { reads = append(reads, s.(*vbawsapi.Session).Status) }})
	require.NoError(t, err)
	assert.Equal(t, []vbawsapi.SessionStatus{"Running", "Running", "Running", "Succeeded"}, reads)
	assert.Equal(t, vbawsapi.SessionResultSuccess, *sess.Result)

	srv.FailNextSession("the IAM role cannot be assumed")
	link, err = c.Organizations.TestConfiguration(ctx, vbawsapi.AmazonOrganizationValidationSpec{
		Create: &vbawsapi.CreateAmazonOrganizationSpec{Organization: spec("Failing")}})
	require.NoError(t, err)
	sess, err = c.Sessions.Wait(ctx, link.SessionID, fast)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)
	var se *vbaws.SessionError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, vbawsapi.SessionStatusFailed, sess.Status)
	assert.Contains(t, err.Error(), "the IAM role cannot be assumed")

	// A session that never ends: the caller's deadline ends the wait, with
	// the last state read.
	link, err = c.Organizations.Rescan(ctx, vbawsapi.AmazonOrganizationRescanSpec{RescanIAMRoleID: uuid.New(),
		RescanStorageType: vbawsapi.AmazonOrganizationRescanStorageTypeDatabase})
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	sess, err = c.Sessions.Wait(short, link.SessionID, &poll.Options{Interval: time.Hour})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, vbawsapi.SessionStatusRunning, sess.Status)

	_, err = c.Sessions.Wait(ctx, uuid.New(), fast)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	before := srv.Calls()["SessionsGetOneById"]
	_, err = c.Sessions.Get(ctx, uuid.Nil)
	assert.ErrorIs(t, err, apierr.ErrMissingID, "uuid.Nil names no session")
	assert.Equal(t, before, srv.Calls()["SessionsGetOneById"], "nothing was sent")

	// Types filters the list; the response of a successful call can be
	// captured without the generated client.
	var resp *http.Response
	page, err := c.Sessions.List(transport.WithCaptureResponse(ctx, &resp), &vbaws.ListSessionsOptions{Types: []string{"OrganizationAdd"}})
	require.NoError(t, err)
	assert.EqualValues(t, 1, page.TotalCount)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
}
