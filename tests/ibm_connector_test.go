package tests

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmconnectorapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmmgmtfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/connector"
	"github.com/backupsdk/backupsdk/pkg/option"
)

const connectorPassword = "connector-admin-pw"

func startConnector(t *testing.T) (*ibmmgmtfake.ConnectorServer, *connector.Client) {
	t.Helper()
	srv, err := ibmmgmtfake.StartConnector(connectorPassword)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("ibmbr-connector", srv)
	c, err := connector.NewClient(srv.URL()+"/v2", connector.Password("admin", connectorPassword, ""), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	return srv, c
}

func TestIBMConnectorRegistration(t *testing.T) {
	srv, c := startConnector(t)
	ctx := context.Background()

	st, err := c.Connector.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, ibmconnectorapi.DataSourceConnectorRegistrationStatusStatusNotDone, *st.RegistrationStatus.Status)
	assert.False(t, *st.ClusterConnectionStatus.IsActive)

	// A token the connection did not issue is refused, and the failure
	// shows in the status and the logs.
	err = c.Connector.Register(ctx, ibmconnectorapi.RegisterDataSourceConnectorRequest{RegistrationToken: "forged"})
	var ae *apierr.Error
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 400, ae.StatusCode)
	st, err = c.Connector.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, ibmconnectorapi.DataSourceConnectorRegistrationStatusStatusFailed, *st.RegistrationStatus.Status)

	srv.AddRegistrationToken("from-connection-7")
	id := int64(26)
	require.NoError(t, c.Connector.Register(ctx, ibmconnectorapi.RegisterDataSourceConnectorRequest{RegistrationToken: "from-connection-7", ConnectorID: &id}))
	st, err = c.Connector.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, ibmconnectorapi.DataSourceConnectorRegistrationStatusStatusSuccess, *st.RegistrationStatus.Status)
	assert.True(t, *st.ClusterConnectionStatus.IsActive)
	assert.True(t, *st.IsCertificateValid)

	logs, err := c.Connector.Logs(ctx)
	require.NoError(t, err)
	require.Len(t, logs.ConnectorLogs, 3)
	assert.Equal(t, ibmconnectorapi.DataSourceConnectorLogTypeError, *logs.ConnectorLogs[1].Type)
	assert.Equal(t, ibmconnectorapi.DataSourceConnectorLogTypeInfo, *logs.ConnectorLogs[2].Type)
}

func TestIBMConnectorUsersAndLogin(t *testing.T) {
	srv, c := startConnector(t)
	ctx := context.Background()

	users, err := c.Users.List(ctx, "sess-1", nil)
	require.NoError(t, err)
	require.Len(t, users, 2)
	ops, err := c.Users.List(ctx, "sess-1", &connector.ListUsersOptions{Usernames: []string{"op"}, PartialMatch: svcBool(true)})
	require.NoError(t, err)
	require.Len(t, ops, 1)
	assert.Equal(t, "operator", *ops[0].Username)

	// The operator gets a new email and password: the list shows the one,
	// the login takes the other.
	u, err := c.Users.Update(ctx, "sess-1", ibmconnectorapi.UpdateUserRequest{Username: svcStr("operator"), Domain: svcStr("LOCAL"),
		EmailAddress: svcStr("night-ops@example.com"), Password: svcStr("new-op-pw")})
	require.NoError(t, err)
	assert.Equal(t, "night-ops@example.com", *u.EmailAddress)
	assert.NotNil(t, u.LastUpdatedTimeMsecs)
	var emails []string
	for u, err := range c.Users.All(ctx, "sess-1", &connector.ListUsersOptions{EmailAddresses: []string{"night-ops@example.com"}}) {
		require.NoError(t, err)
		emails = append(emails, *u.Username)
	}
	assert.Equal(t, []string{"operator"}, emails)

	tok, err := c.Connector.CreateAccessToken(ctx, ibmconnectorapi.AccessTokenRequest{Username: svcStr("operator"), Password: svcStr("new-op-pw"), Domain: svcStr("LOCAL")})
	require.NoError(t, err)
	assert.NotEmpty(t, *tok.AccessToken)
	_, err = c.Connector.CreateAccessToken(ctx, ibmconnectorapi.AccessTokenRequest{Username: svcStr("operator"), Password: svcStr(connectorPassword + "-op")})
	var ae *apierr.Error
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 401, ae.StatusCode, "the old password no longer works")

	_, err = c.Users.Update(ctx, "sess-1", ibmconnectorapi.UpdateUserRequest{Username: svcStr("nobody")})
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 404, ae.StatusCode)

	// An expired access token makes the client log in again, once.
	srv.ExpireTokens()
	_, err = c.Connector.Status(ctx)
	require.NoError(t, err)

	// Wrong credentials fail typed, without the password in the error.
	bad, err := connector.NewClient(srv.URL(), connector.Password("admin", "not-it", ""), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = bad.Connector.Status(ctx)
	require.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.NotContains(t, err.Error(), "not-it")

	_, err = connector.NewClient(srv.URL(), ibmbr.APIKey("k"))
	require.Error(t, err, "IAM keys do not open a connector")
	_, err = connector.NewClient(srv.URL(), connector.Password("admin", "", ""))
	require.Error(t, err)
}
