package vbgc

import (
	"context"
	"fmt"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
	"github.com/backupsdk/backupsdk/pkg/internal/veeam"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// APIVersion is the REST API revision this package is written against and
// sends by default as x-api-version.
const APIVersion = "1.4-rev0"

// DefaultPort is the appliance's default HTTPS port for the REST API.
const DefaultPort = 13140

// Option configures a Client; the options are those of package option.
type Option = option.Option

// PasswordCredentials logs in with a Veeam Backup for Google Cloud user; add
// auth.WithMFA when the user has multi-factor authentication enabled and
// auth.WithShortTermRefresh for a 60-minute refresh token.
func PasswordCredentials(username, password string, opts ...auth.CredentialOption) auth.Credentials {
	return auth.Password(username, password, opts...)
}

// Client talks to one Veeam Backup for Google Cloud appliance. It is safe for
// concurrent use.
type Client struct {
	*veeam.Session

	// Sessions reads sessions and waits for them to end.
	Sessions *SessionsService
	// VMPolicies manages VM instance backup policies.
	VMPolicies *VMPoliciesService
	// SQLPolicies manages Cloud SQL backup policies.
	SQLPolicies *SQLPoliciesService
	// SpannerPolicies manages Cloud Spanner instance backup policies.
	SpannerPolicies *SpannerPoliciesService
	// CloudInfrastructure manages the folders and projects Veeam Backup
	// for Google Cloud works with.
	CloudInfrastructure *CloudInfrastructureService
	// Projects reads projects and their Google Cloud resources.
	Projects *ProjectsService
	// ConfigurationBackup backs up, exports and imports the configuration.
	ConfigurationBackup *ConfigurationBackupService
	// SQLInstances reads Cloud SQL instances and takes their snapshots.
	SQLInstances *SQLInstancesService
	// Workers configures the worker instances.
	Workers *WorkersService

	raw *vbgcapi.ClientWithResponses
}

// NewClient returns a client for the appliance at endpoint, for example
// "https://vbgc.example.com:13140". It does not contact the appliance; the
// first call (or Login) does.
func NewClient(endpoint string, creds auth.Credentials, opts ...Option) (*Client, error) {
	core, err := veeam.New("vbgc", endpoint, APIVersion, creds, opts)
	if err != nil {
		return nil, err
	}
	raw, err := vbgcapi.NewClientWithResponses(core.Server, vbgcapi.WithHTTPClient(core.HTTP))
	if err != nil {
		return nil, fmt.Errorf("vbgc: %w", err)
	}
	c := &Client{Session: core.Session(), raw: raw}
	s := service{api: raw.ClientInterface, version: core.APIVersion}
	c.Sessions = &SessionsService{s}
	c.VMPolicies = newVMPoliciesService(s)
	c.SQLPolicies = newSQLPoliciesService(s)
	c.SpannerPolicies = newSpannerPoliciesService(s)
	c.CloudInfrastructure = &CloudInfrastructureService{s}
	c.Projects = &ProjectsService{s}
	c.ConfigurationBackup = &ConfigurationBackupService{s}
	c.SQLInstances = &SQLInstancesService{s}
	c.Workers = &WorkersService{s}
	return c, nil
}

// Raw returns the generated client. Its requests go through the same
// pipeline (auth, retry, logging); the x-api-version header is filled in
// when left empty.
func (c *Client) Raw() *vbgcapi.ClientWithResponses { return c.raw }

// service is what every service shares.
type service struct {
	api     vbgcapi.ClientInterface
	version string
}

// decode is the error body decoder of Veeam Backup for Google Cloud.
var decode = apierr.DecodeVeeam

// Options shared by all backupsdk clients.
var (
	WithHTTPClient         = option.WithHTTPClient
	WithRetry              = option.WithRetry
	WithUserAgent          = option.WithUserAgent
	WithLogger             = option.WithLogger
	WithCACert             = option.WithCACert
	WithCACertFile         = option.WithCACertFile
	WithTLSConfig          = option.WithTLSConfig
	WithInsecureSkipVerify = option.WithInsecureSkipVerify
	WithInsecureHTTP       = option.WithInsecureHTTP
	WithAPIVersion         = option.WithAPIVersion
	WithTimeout            = option.WithTimeout
	WithCredentialCache    = option.WithCredentialCache
)

// AuthorizationCode asks the appliance for a one-time authorization code
// for the logged-in user, which another client can exchange for its own
// tokens with auth.AuthorizationCode credentials.
func (c *Client) AuthorizationCode(ctx context.Context) (string, error) {
	resp, err := c.raw.GetAuthorizationCode(ctx, &vbgcapi.GetAuthorizationCodeParams{XAPIVersion: c.APIVersion()})
	code, err := respond.JSON[vbgcapi.AuthorizationCodeModel](resp, err, decode)
	if err != nil {
		return "", err
	}
	return code.Code, nil
}
