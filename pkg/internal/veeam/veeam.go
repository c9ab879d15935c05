// Package veeam is the client core shared by the Veeam cloud backup products
// (Backup for AWS, Backup for Google Cloud): endpoint and option handling, the
// x-api-version header, the /token grants behind the credential cache, and
// logout.
package veeam

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/option"
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
func New(product, endpoint, defaultVersion string, creds auth.Credentials, opts []option.Option) (*Core, error) {
	if err := creds.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", product, err)
	}
	s, err := option.Apply(defaultVersion, opts)
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
	authed, bare, err := s.Clients(u, product, headers, auth.BearerAuthorizer(c.Cache))
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

// ErrNilArgument is returned for a required argument that is nil.
var ErrNilArgument = errors.New("required argument is nil")
