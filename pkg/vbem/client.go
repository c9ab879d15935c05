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
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
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

// core is what the services share: the generated client behind the
// pipeline, the logon session, and what the generated services call
// (svc.Core, with the codec of the client's media type). The Client type
// and its services are generated (services.gen.go).
type core struct {
	svc.Core
	api vbemapi.ClientInterface
	raw *vbemapi.ClientWithResponses
	// bare is the generated client without the session, for the API root,
	// which needs no logon.
	bare *vbemapi.ClientWithResponses
	// authed is the pipeline with the session header, for Follow.
	authed   *http.Client
	codec    codec
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
	cd := codec{xml: s.XML}
	c := &core{codec: cd, sessions: &sessions{server: u.String(), version: s.APIVersion, accept: cd.mediaType()}}
	c.Core = svc.Core{Product: "vbem", Decode: decodeError, Codec: cd}
	c.session = login.New(cred, auth.TokenRequest{Product: "vbem", Endpoint: u.String(), APIVersion: s.APIVersion}, cacheOptions(s.Cache))
	authed, bare, err := s.Clients(u, http.Header{"Accept": {cd.mediaType()}}, c.session.Authorizer(sendSession))
	if err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	// The server prefers a cookie to the header; keep no cookies at all.
	authed.Jar, bare.Jar = nil, nil
	c.authed, c.sessions.hc = authed, bare
	c.session.SetHTTPClient(bare)
	if c.api, err = vbemapi.NewClient(u.String(), vbemapi.WithHTTPClient(authed)); err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	if c.raw, err = vbemapi.NewClientWithResponses(u.String(), vbemapi.WithHTTPClient(s.RawClient(authed))); err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	if c.bare, err = vbemapi.NewClientWithResponses(u.String(), vbemapi.WithHTTPClient(bare)); err != nil {
		return nil, fmt.Errorf("vbem: %w", err)
	}
	return newServices(c), nil
}

// Raw returns the generated client; its requests carry the session header
// and add "raw" to the comment of the SDK's User-Agent
// ("backupsdk-go/0.1.0 (vbem; raw)").
func (c *Client) Raw() *vbemapi.ClientWithResponses { return c.c.raw }

// Login logs on now instead of on the first call, so that wrong
// credentials show up early. Calls log on by themselves; Login is never
// required.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.c.session.Token(ctx)
	return err
}

// Token returns the current logon session, logging on if needed: its
// AccessToken is the X-RestSvcSessionId the client sends, its ID the
// SessionId that Sessions.Get and Logout take. It prints without its
// secrets.
func (c *Client) Token(ctx context.Context) (auth.Token, error) { return c.c.session.Token(ctx) }

// Logout deletes the logon session (DELETE /api/logonSessions/{SessionId}),
// if there is one, and forgets it; the next call logs on again.
func (c *Client) Logout(ctx context.Context) error {
	t, ok := c.c.session.Forget()
	if !ok {
		return nil
	}
	return c.c.sessions.logoff(ctx, t)
}

// Discover reads the API root (GET /api/), which needs no logon: links and
// the supported API versions.
func (c *Client) Discover(ctx context.Context) (*vbemapi.EnterpriseManager, error) {
	resp, err := c.c.bare.GetAPIRoot(ctx)
	return svc.Result[vbemapi.EnterpriseManager](&c.c.Core, resp, err)
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
