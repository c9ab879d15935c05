// Package veeam is the client core shared by the Veeam cloud backup products
// (Backup for AWS, Backup for Google Cloud): endpoint and option handling, the
// x-api-version header, the bearer token behind the credential cache, and
// logout (DELETE /api/v1/token).
package veeam

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
	"github.com/backupsdk/backupsdk/pkg/internal/settings"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// Core is what a Veeam cloud facade is built on.
type Core struct {
	// Server is the appliance URL without a trailing slash.
	Server string
	// APIVersion is sent as x-api-version on every request.
	APIVersion string
	// HTTP runs the full pipeline with bearer auth.
	HTTP *http.Client
	// RawHTTP is HTTP for the Raw() generated client: its requests are
	// marked "raw" in the User-Agent (settings.RawClient).
	RawHTTP *http.Client

	product string
	// bare is the pipeline without the auth link, for logout.
	bare    *http.Client
	session *login.Session
}

// New builds a core for product (used in the User-Agent and in messages)
// at endpoint, logging in with cred.
func New(product, endpoint, defaultVersion string, cred auth.Credential, opts []settings.Option) (*Core, error) {
	if err := login.Check(product, cred); err != nil {
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
	c := &Core{Server: u.String(), APIVersion: s.APIVersion, product: product}
	c.session = login.New(cred, auth.TokenRequest{Product: product, Endpoint: c.Server, APIVersion: s.APIVersion}, s.Cache)
	headers := http.Header{"X-Api-Version": {s.APIVersion}, "Accept": {"application/json"}}
	authed, bare, err := s.Clients(u, headers, c.session.Authorizer(login.Bearer))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", product, err)
	}
	c.HTTP, c.RawHTTP, c.bare = authed, s.RawClient(authed), bare
	c.session.SetHTTPClient(bare)
	return c, nil
}

// Login obtains a token now rather than on the first call, so that bad
// credentials or a missing MFA code show up early.
func (c *Core) Login(ctx context.Context) error {
	_, err := c.session.Token(ctx)
	return err
}

// Token returns the current token, logging in if needed.
func (c *Core) Token(ctx context.Context) (auth.Token, error) { return c.session.Token(ctx) }

// Logout revokes the current token, if any (DELETE /api/v1/token), and
// forgets it. The next call logs in again, without a refresh grant.
func (c *Core) Logout(ctx context.Context) error {
	t, ok := c.session.Forget()
	if !ok {
		return nil
	}
	if err := revoke(ctx, c.bare, c.Server+"/api/v1/token", t.AccessToken); err != nil {
		return fmt.Errorf("%s: logout: %w", c.product, err)
	}
	return nil
}

// revoke sends DELETE /api/v1/token with the access token to end.
func revoke(ctx context.Context, hc *http.Client, tokenURL, accessToken string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, tokenURL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()
	return apierr.CheckResponse(resp, apierr.DecodeVeeam)
}

// Services returns what the generated services of a Veeam product call:
// its error decoder, and the x-api-version they send.
func (c *Core) Services(product string, decode apierr.Decoder) svc.Core {
	return svc.Core{Product: product, Decode: decode, Managed: map[string]func(context.Context) (string, error){
		"apiVersion": func(context.Context) (string, error) { return c.APIVersion, nil },
	}}
}
