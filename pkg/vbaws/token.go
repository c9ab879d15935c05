package vbaws

import (
	"context"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// AuthorizationCodeCredentials logs in with a one-time code from
// Client.AuthorizationCode of another client. It is auth.AuthorizationCode.
func AuthorizationCodeCredentials(code string) auth.Credential {
	return auth.AuthorizationCode(code)
}

// AuthorizationCode asks the appliance for a one-time authorization code
// for the logged-in user (POST /api/v1/token/authorizationCode), which
// another client exchanges for its own tokens with
// AuthorizationCodeCredentials. It is written by hand, as the other token
// endpoints are: they belong to the login, not to a service.
func (c *Client) AuthorizationCode(ctx context.Context) (string, error) {
	resp, err := c.c.api.CreateAuthorizationCode(ctx, &vbawsapi.CreateAuthorizationCodeParams{XAPIVersion: c.APIVersion()})
	code, err := svc.Result[vbawsapi.AuthorizationCode](&c.c.Core, resp, err)
	if err != nil {
		return "", err
	}
	return code.Code, nil
}
