package vbem

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
	"github.com/backupsdk/backupsdk/pkg/internal/settings"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// DefaultVersion is the API version the client logs on with by default.
const DefaultVersion = "latest"

// DefaultPort is Enterprise Manager's HTTPS port for the REST API.
const DefaultPort = 9398

// Namespace is the XML namespace of every Enterprise Manager body.
const Namespace = "http://www.veeam.com/ent/v1.0"

// WithXML makes the client send and accept XML instead of JSON (Enterprise
// Manager speaks both). Only vbem.NewClient accepts it.
func WithXML() option.Option {
	return settings.New("vbem.WithXML", []string{"vbem"}, func(s *settings.Settings) error { s.XML = true; return nil })
}

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
	session  *login.Session
	sessions *sessions
}

// NewClient returns a client for the Enterprise Manager at endpoint, for
// example "https://em.example.com:9398", that logs on with cred
// (BasicCredentials, an auth.StaticToken holding a session, or your own
// auth.Credential). It does not contact the server; the first call (or
// Login) does. It fails at once on credentials for another product, empty
// credentials, and options that cannot work or belong to another product.
func NewClient(endpoint string, cred auth.Credential, opts ...option.Option) (*Client, error) {
	if err := login.Check("vbem", cred); err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	s, err := settings.Apply("vbem", DefaultVersion, opts)
	if err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	u, err := s.ParseEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	u.Path = strings.TrimSuffix(u.Path, "/api")
	c := &Client{sessions: &sessions{server: u.String(), version: s.APIVersion, xml: s.XML}}
	c.session = login.New(cred, auth.TokenRequest{Product: "vbem", Endpoint: u.String(), APIVersion: s.APIVersion}, cacheOptions(s.Cache))
	accept := "application/json"
	if s.XML {
		accept = "application/xml"
	}
	authed, bare, err := s.Clients(u, http.Header{"Accept": {accept}}, c.session.Authorizer(sendSession))
	if err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	// The server prefers a cookie to the header; keep no cookies at all.
	authed.Jar, bare.Jar = nil, nil
	c.sessions.hc = bare
	c.session.SetHTTPClient(bare)
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

// Login logs on now instead of on the first call, so that wrong
// credentials show up early. Calls log on by themselves; Login is never
// required.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.session.Token(ctx)
	return err
}

// Token returns the current logon session, logging on if needed: its
// AccessToken is the X-RestSvcSessionId the client sends, its ID the
// SessionId that Sessions.Get and Logout take. It prints without its
// secrets.
func (c *Client) Token(ctx context.Context) (auth.Token, error) { return c.session.Token(ctx) }

// Logout deletes the logon session (DELETE /api/logonSessions/{SessionId}),
// if there is one, and forgets it; the next call logs on again.
func (c *Client) Logout(ctx context.Context) error {
	t, ok := c.session.Forget()
	if !ok {
		return nil
	}
	return c.sessions.logoff(ctx, t)
}

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
