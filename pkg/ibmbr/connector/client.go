// Package connector is the client of the local API of an IBM Cloud Backup
// and Recovery data-source connector: the connector's registration with
// its data-source connection, its status and logs, and its users. The
// connector runs on premises and is reached at its own URL; its local users
// log in with a user name and password (Password) for an access token.
//
// The spec is specs/ibmbr/connector.yaml; the services are generated from
// it (services.gen.go).
package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmconnectorapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/ibmclient"
	"github.com/backupsdk/backupsdk/pkg/internal/redacted"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// Product is the product name of this client (a key of specs.All).
const Product = "ibmbr-connector"

// TokenLifetime is how long an access token of the connector is taken to
// be valid (IBM's SDK assumes a day for such tokens); a 401 makes the client
// log in again sooner.
const TokenLifetime = 24 * time.Hour

// core is what the generated services share.
type core struct {
	svc.Core
	api     ibmconnectorapi.ClientInterface
	raw     *ibmconnectorapi.ClientWithResponses
	session interface {
		Token(context.Context) (auth.Token, error)
	}
	forget func()
}

// NewClient returns a client for the connector at endpoint (its URL, with or
// without the /v2 that IBM's SDK wants) that logs in with cred: Password,
// or an auth.StaticToken holding an access token of the connector. It does
// not contact the connector; the first call (or Login) does.
func NewClient(endpoint string, cred auth.Credential, opts ...option.Option) (*Client, error) {
	endpoint = strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(endpoint), "/"), "/v2")
	c, err := ibmclient.New(ibmclient.Config{Product: Product, RefreshAhead: time.Hour}, endpoint, cred, opts)
	if err != nil {
		return nil, err
	}
	api, err := ibmconnectorapi.NewClient(c.Endpoint.String(), ibmconnectorapi.WithHTTPClient(c.Authed))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Product, err)
	}
	raw, err := ibmconnectorapi.NewClientWithResponses(c.Endpoint.String(), ibmconnectorapi.WithHTTPClient(c.Raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Product, err)
	}
	return newServices(&core{
		Core: svc.Core{Product: Product, Decode: apierr.DecodeIBM},
		api:  api, raw: raw, session: c.Session, forget: func() { c.Session.Forget() },
	}), nil
}

// Raw returns the generated client, on the same pipeline. Its requests add
// "raw" to the comment of the SDK's User-Agent.
func (c *Client) Raw() *ibmconnectorapi.ClientWithResponses { return c.c.raw }

// Login obtains an access token now rather than on the first call, so that
// wrong credentials show up early.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.c.session.Token(ctx)
	return err
}

// Logout forgets the access token; the next call logs in again. The
// connector's API has no call that revokes a token, so nothing is sent.
func (c *Client) Logout(context.Context) error {
	c.c.forget()
	return nil
}

// passwordCredential logs a local user of the connector in.
type passwordCredential struct {
	redacted.Text
	username, password, domain string
}

// Password logs in as a local user of the connector (POST
// /v2/access-tokens) and sends the access token it gets as a bearer token.
// An empty domain means "LOCAL". It works with connector.NewClient only.
func Password(username, password, domain string) auth.Credential {
	if domain == "" {
		domain = "LOCAL"
	}
	return &passwordCredential{username: username, password: password, domain: domain,
		Text: redacted.Text("connector.Password{user " + username + ", domain " + domain + ", password [REDACTED]}")}
}

// GetToken posts the user's credentials to the connector.
func (p *passwordCredential) GetToken(ctx context.Context, req auth.TokenRequest) (auth.Token, error) {
	t, err := ibmclient.PasswordGrant(ctx, req.HTTPClient, req.Endpoint+"/v2/access-tokens", p.username, p.password, p.domain, TokenLifetime)
	if err != nil {
		return auth.Token{}, fmt.Errorf("%s: login: %w", Product, err)
	}
	return t, nil
}

// ValidFor accepts the data-source connector only.
func (p *passwordCredential) ValidFor(product string) error {
	if product != Product {
		return fmt.Errorf("connector.Password works with %s only, not with %s", Product, product)
	}
	return nil
}

// Validate refuses an empty user name or password.
func (p *passwordCredential) Validate() error {
	if strings.TrimSpace(p.username) == "" || p.password == "" {
		return errors.New("connector.Password needs a user name and a password")
	}
	return nil
}
