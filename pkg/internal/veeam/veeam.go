// Package veeam is the client core shared by the Veeam cloud backup products
// (Backup for AWS, Backup for Google Cloud): endpoint and option handling, the
// x-api-version header, the /token grants behind the credential cache, and
// logout.
package veeam

import (
	"context"
	"fmt"
	"net/http"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/settings"
)

// Core is what a Veeam cloud facade is built on.
type Core struct {
	// Server is the appliance URL without a trailing slash.
	Server string
	// APIVersion is sent as x-api-version on every request.
	APIVersion string
	// HTTP runs the full pipeline with bearer auth.
	HTTP *http.Client
	// Tokens runs the /token grants over the bare pipeline.
	Tokens *auth.VeeamTokens
	// Cache holds the access token.
	Cache *auth.Cache[auth.Token]
}

// New builds a core for product (used in the User-Agent) at endpoint.
func New(product, endpoint, defaultVersion string, creds auth.Credentials, opts []settings.Option) (*Core, error) {
	if err := creds.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", product, err)
	}
	s, err := settings.Apply(product, defaultVersion, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", product, err)
	}
	u, err := s.ParseEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", product, err)
	}
	c := &Core{Server: u.String(), APIVersion: s.APIVersion}
	c.Tokens = &auth.VeeamTokens{URL: c.Server + "/api/v1/token"}
	c.Cache = auth.NewVeeamCache(c.Tokens, creds, s.Cache)
	headers := http.Header{"X-Api-Version": {s.APIVersion}, "Accept": {"application/json"}}
	authed, bare, err := s.Clients(u, headers, auth.BearerAuthorizer(c.Cache))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", product, err)
	}
	c.HTTP, c.Tokens.HTTPClient = authed, bare
	return c, nil
}

// Login obtains a token now rather than on the first call, so that bad
// credentials or a missing MFA code show up early.
func (c *Core) Login(ctx context.Context) (auth.Token, error) {
	t, _, err := c.Cache.Get(ctx)
	return t, err
}

// Logout revokes the current token, if any, and forgets it. The next call
// logs in again.
func (c *Core) Logout(ctx context.Context) error {
	t, ok := c.Cache.Peek()
	c.Cache.Clear()
	if !ok || t.AccessToken == "" {
		return nil
	}
	if err := c.Tokens.Logout(ctx, t.AccessToken); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

// Session gives a product client its login methods. Product clients embed
// it, so c.Login, c.Token, c.Logout and c.APIVersion are promoted.
type Session struct{ core *Core }

// Session returns the login methods of c for embedding.
func (c *Core) Session() *Session { return &Session{core: c} }

// Login logs in now instead of on the first call, so that wrong credentials
// or a missing MFA code show up early.
func (s *Session) Login(ctx context.Context) error {
	_, err := s.core.Login(ctx)
	return err
}

// Token returns the current token, logging in if needed. Keep its refresh
// token to log in later with auth.RefreshToken credentials.
func (s *Session) Token(ctx context.Context) (auth.Token, error) { return s.core.Login(ctx) }

// Logout revokes the access token (DELETE /api/v1/token) and forgets it; the
// next call logs in again.
func (s *Session) Logout(ctx context.Context) error { return s.core.Logout(ctx) }

// APIVersion returns the x-api-version the client sends.
func (s *Session) APIVersion() string { return s.core.APIVersion }
