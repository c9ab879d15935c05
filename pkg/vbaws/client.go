package vbaws

import (
	"fmt"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/veeam"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// APIVersion is the REST API revision this package is written against and
// sends by default as x-api-version.
const APIVersion = "1.7-rev0"

// DefaultPort is the appliance's default HTTPS port for the REST API.
const DefaultPort = 11005

// PasswordCredentials logs in with a Veeam Backup for AWS user; add
// auth.WithMFA when the user has multi-factor authentication enabled.
func PasswordCredentials(username, password string, opts ...auth.CredentialOption) auth.Credentials {
	return auth.Password(username, password, opts...)
}

// RefreshTokenCredentials logs in with a refresh token from an earlier login.
func RefreshTokenCredentials(refreshToken string) auth.Credentials {
	return auth.RefreshToken(refreshToken)
}

// Client talks to one Veeam Backup for AWS appliance. It is safe for
// concurrent use.
type Client struct {
	// Session provides Login, Token, Logout and APIVersion.
	*veeam.Session

	// Organizations manages AWS Organizations.
	Organizations *OrganizationsService

	raw *vbawsapi.ClientWithResponses
}

// NewClient returns a client for the appliance at endpoint, for example
// "https://vbaws.example.com:11005". It does not contact the appliance; the
// first call (or Login) does.
func NewClient(endpoint string, creds auth.Credentials, opts ...option.Option) (*Client, error) {
	core, err := veeam.New("vbaws", endpoint, APIVersion, creds, opts)
	if err != nil {
		return nil, err
	}
	raw, err := vbawsapi.NewClientWithResponses(core.Server, vbawsapi.WithHTTPClient(core.HTTP))
	if err != nil {
		return nil, fmt.Errorf("vbaws: %w", err)
	}
	c := &Client{Session: core.Session(), raw: raw}
	c.Organizations = &OrganizationsService{api: raw.ClientInterface, version: core.APIVersion}
	return c, nil
}

// Raw returns the generated client. Its requests go through the same
// pipeline (auth, retry, logging); the x-api-version header is filled in
// when left empty.
func (c *Client) Raw() *vbawsapi.ClientWithResponses { return c.raw }

// decode is the error body decoder of Veeam Backup for AWS.
var decode = apierr.DecodeVeeam
