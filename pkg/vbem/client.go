package vbem

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// DefaultVersion is the API version the client logs on with by default.
const DefaultVersion = "latest"

// DefaultPort is Enterprise Manager's HTTPS port for the REST API.
const DefaultPort = 9398

// Namespace is the XML namespace of every Enterprise Manager body.
const Namespace = "http://www.veeam.com/ent/v1.0"

// Option configures a Client; the options are those of package option.
type Option = option.Option

// Options shared by all backupsdk clients, and WithXML.
var (
	WithXML                = option.WithXML
	WithAPIVersion         = option.WithAPIVersion
	WithHTTPClient         = option.WithHTTPClient
	WithRetry              = option.WithRetry
	WithUserAgent          = option.WithUserAgent
	WithLogger             = option.WithLogger
	WithCACert             = option.WithCACert
	WithCACertFile         = option.WithCACertFile
	WithTLSConfig          = option.WithTLSConfig
	WithInsecureSkipVerify = option.WithInsecureSkipVerify
	WithInsecureHTTP       = option.WithInsecureHTTP
	WithTimeout            = option.WithTimeout
	WithCredentialCache    = option.WithCredentialCache
)

// Client talks to one Enterprise Manager server. It is safe for concurrent
// use.
type Client struct {
	service

	// Sessions lists and deletes logon sessions.
	Sessions *SessionsService
	// Accounts manages the accounts that hold Enterprise Manager roles and
	// their restore scopes.
	Accounts *AccountsService
	// BackupServers reads the backup servers Enterprise Manager manages.
	BackupServers *BackupServersService
	// Passwords manages the encryption passwords of a backup server.
	Passwords *PasswordsService
	// Query runs the query service, page by page.
	Query *QueryService
	// Tasks reads and removes the tasks of asynchronous actions.
	Tasks *TasksService

	raw      *vbemapi.ClientWithResponses
	bare     *vbemapi.ClientWithResponses
	cache    *auth.Cache[Session]
	sessions *sessions
}

// NewClient returns a client for the Enterprise Manager at endpoint, for
// example "https://em.example.com:9398". It does not contact the server;
// the first call (or Logon) does.
func NewClient(endpoint string, creds Credentials, opts ...Option) (*Client, error) {
	if err := creds.validate(); err != nil {
		return nil, err
	}
	s, err := option.Apply(DefaultVersion, opts)
	if err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	u, err := s.ParseEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	u.Path = strings.TrimSuffix(u.Path, "/api")
	c := &Client{sessions: &sessions{server: u.String(), version: s.APIVersion, xml: s.XML}}
	c.cache = newSessionCache(c.sessions, creds, s.Cache)
	accept := "application/json"
	if s.XML {
		accept = "application/xml"
	}
	authed, bare, err := s.Clients(u, "vbem", http.Header{"Accept": {accept}}, sessionAuthorizer(c.cache))
	if err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	// The server prefers a cookie to the header; keep no cookies at all.
	authed.Jar, bare.Jar = nil, nil
	c.sessions.hc = bare
	if c.raw, err = vbemapi.NewClientWithResponses(u.String(), vbemapi.WithHTTPClient(authed)); err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	if c.bare, err = vbemapi.NewClientWithResponses(u.String(), vbemapi.WithHTTPClient(bare)); err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	c.service = service{api: c.raw.ClientInterface, xml: s.XML}
	c.Sessions = &SessionsService{c.service}
	c.Accounts = &AccountsService{c.service}
	c.BackupServers = &BackupServersService{c.service}
	c.Passwords = &PasswordsService{c.service}
	c.Query = &QueryService{c.service}
	c.Tasks = &TasksService{c.service}
	return c, nil
}

// Raw returns the generated client; its requests carry the session header.
func (c *Client) Raw() *vbemapi.ClientWithResponses { return c.raw }

// Logon logs on now instead of on the first call and returns the session.
func (c *Client) Logon(ctx context.Context) (Session, error) {
	s, _, err := c.cache.Get(ctx)
	return s, err
}

// Logout deletes the logon session, if there is one, and forgets it; the
// next call logs on again.
func (c *Client) Logout(ctx context.Context) error {
	s, ok := c.cache.Peek()
	c.cache.Clear()
	if !ok {
		return nil
	}
	return c.sessions.logoff(ctx, s)
}

// Logons reports how many logons the client has started.
func (c *Client) Logons() int { return c.cache.Acquisitions() }

// Discover reads the API root (GET /api/), which needs no logon: links and
// the supported API versions.
func (c *Client) Discover(ctx context.Context) (*vbemapi.EnterpriseManager, error) {
	resp, err := c.bare.GetAPIRoot(ctx, c.accept())
	return decodeAs[vbemapi.EnterpriseManager](resp, err)
}

// SupportedVersions returns the API versions the server supports (v1_5,
// v1_6, v1_7, ...), for WithAPIVersion.
func (c *Client) SupportedVersions(ctx context.Context) ([]string, error) {
	em, err := c.Discover(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	if em.SupportedVersions != nil {
		for _, v := range em.SupportedVersions.SupportedVersions {
			if v.Name != nil && *v.Name != "" {
				out = append(out, *v.Name)
			}
		}
	}
	return out, nil
}
