package vbaws

import (
	"context"
	"fmt"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
	"github.com/backupsdk/backupsdk/pkg/internal/veeam"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// APIVersion is the REST API revision this package is written against and
// sends by default as x-api-version.
const APIVersion = "1.7-rev0"

// DefaultPort is the appliance's default HTTPS port for the REST API.
const DefaultPort = 11005

// PasswordCredentials logs in with a Veeam Backup for AWS user; add
// auth.WithMFA when the user has multi-factor authentication enabled. It is
// auth.Password.
func PasswordCredentials(username, password string, opts ...auth.CredentialOption) auth.Credential {
	return auth.Password(username, password, opts...)
}

// RefreshTokenCredentials logs in with a refresh token from an earlier login
// (Client.Token). It is auth.RefreshToken.
func RefreshTokenCredentials(refreshToken string) auth.Credential {
	return auth.RefreshToken(refreshToken)
}

// core is what the services share: the generated client behind the
// pipeline, the Veeam login session, and what the generated services call
// (svc.Core). The Client type and its services are generated
// (services.gen.go).
type core struct {
	svc.Core
	api   vbawsapi.ClientInterface
	raw   *vbawsapi.ClientWithResponses
	veeam *veeam.Core
}

// NewClient returns a client for the appliance at endpoint, for example
// "https://vbaws.example.com:11005", that logs in with cred (the Veeam
// credentials of package auth, auth.StaticToken, or your own
// auth.Credential). It does not contact the appliance; the first call (or
// Login) does. It fails at once on credentials for another product, empty
// credentials, and options that cannot work or belong to another product.
func NewClient(endpoint string, cred auth.Credential, opts ...option.Option) (*Client, error) {
	v, err := veeam.New("vbaws", endpoint, APIVersion, cred, opts)
	if err != nil {
		return nil, err
	}
	api, err := vbawsapi.NewClient(v.Server, vbawsapi.WithHTTPClient(v.HTTP))
	if err != nil {
		return nil, fmt.Errorf("vbaws: %w", err)
	}
	raw, err := vbawsapi.NewClientWithResponses(v.Server, vbawsapi.WithHTTPClient(v.RawHTTP))
	if err != nil {
		return nil, fmt.Errorf("vbaws: %w", err)
	}
	return newServices(&core{Core: v.Services("vbaws", apierr.DecodeVeeam), api: api, raw: raw, veeam: v}), nil
}

// Login logs in now instead of on the first call, so that wrong credentials
// or a missing MFA code show up early. Calls log in by themselves; Login is
// never required.
func (c *Client) Login(ctx context.Context) error { return c.c.veeam.Login(ctx) }

// Token returns the current access token, logging in if needed. Keep its
// RefreshToken to log in later with RefreshTokenCredentials. The token
// prints without its secrets.
func (c *Client) Token(ctx context.Context) (auth.Token, error) { return c.c.veeam.Token(ctx) }

// Logout revokes the access token (DELETE /api/v1/token) and forgets it; the
// next call logs in again with the credential, without a refresh grant. It
// does nothing when the client holds no token.
func (c *Client) Logout(ctx context.Context) error { return c.c.veeam.Logout(ctx) }

// APIVersion returns the x-api-version the client sends.
func (c *Client) APIVersion() string { return c.c.veeam.APIVersion }

// Raw returns the generated client. Its requests go through the same
// pipeline (auth, retry, logging); the x-api-version header is filled in
// when left empty. They add "raw" to the comment of the SDK's User-Agent
// ("backupsdk-go/0.1.0 (vbaws; raw)").
func (c *Client) Raw() *vbawsapi.ClientWithResponses { return c.c.raw }
