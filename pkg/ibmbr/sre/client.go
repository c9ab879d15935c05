// Package sre is the client of the SRE part of IBM Cloud Backup and
// Recovery's management API (the Global Management Console): the alerts of
// the managed clusters, their summaries, statistics and resolutions, and
// the clusters' software upgrades. It is reached at its own URL
// (DefaultURL) and takes the IAM credentials of the service (ibmbr.APIKey,
// ibmbr.BearerToken), or the management API's own key (APIKey) or login
// (Password).
//
// The spec is specs/ibmbr/management-sre.yaml; the services are generated
// from it (services.gen.go).
package sre

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/ibmsreapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/ibmclient"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
	"github.com/backupsdk/backupsdk/pkg/internal/redacted"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// Product is the product name of this client (a key of specs.All).
const Product = "ibmbr-sre"

// DefaultURL is the management SRE API's URL in IBM's SDK.
const DefaultURL = "https://management-sre-api.cloud.ibm.com/v2"

// apiKeyType is the TokenType of a management API key: it goes in the
// apiKey header instead of Authorization.
const apiKeyType = "apiKey"

type core struct {
	svc.Core
	api     ibmsreapi.ClientInterface
	raw     *ibmsreapi.ClientWithResponses
	session *login.Session
}

// NewClient returns a client for the management SRE API at endpoint
// (DefaultURL, or another URL ending in /v2) that authenticates with cred.
// It does not contact the service; the first call (or Login) does.
func NewClient(endpoint string, cred auth.Credential, opts ...option.Option) (*Client, error) {
	c, err := ibmclient.New(ibmclient.Config{Product: Product, RefreshAhead: 12 * time.Minute, Apply: apply}, endpoint, cred, opts)
	if err != nil {
		return nil, err
	}
	api, err := ibmsreapi.NewClient(c.Endpoint.String(), ibmsreapi.WithHTTPClient(c.Authed))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Product, err)
	}
	raw, err := ibmsreapi.NewClientWithResponses(c.Endpoint.String(), ibmsreapi.WithHTTPClient(c.Raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Product, err)
	}
	return newServices(&core{Core: svc.Core{Product: Product, Decode: apierr.DecodeIBM}, api: api, raw: raw, session: c.Session}), nil
}

// apply sends a management API key in the apiKey header and any other
// token as a bearer token, as IBM's ManagementSreAuthenticator does.
func apply(req *http.Request, t auth.Token) {
	if t.TokenType == apiKeyType {
		req.Header.Set("apiKey", t.AccessToken)
		return
	}
	login.Bearer(req, t)
}

// Raw returns the generated client, on the same pipeline. Its requests add
// "raw" to the comment of the SDK's User-Agent.
func (c *Client) Raw() *ibmsreapi.ClientWithResponses { return c.c.raw }

// Login obtains a token now rather than on the first call.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.c.session.Token(ctx)
	return err
}

// Logout forgets the token; the next call obtains one again.
func (c *Client) Logout(context.Context) error {
	c.c.session.Forget()
	return nil
}

type apiKey struct {
	redacted.Text
	key string
}

// APIKey is a management API key, sent as it is in the apiKey header of
// every request. It works with sre.NewClient only.
func APIKey(key string) auth.Credential {
	return &apiKey{key: key, Text: "sre.APIKey{[REDACTED]}"}
}

// GetToken returns the key.
func (k *apiKey) GetToken(context.Context, auth.TokenRequest) (auth.Token, error) {
	return auth.Token{AccessToken: k.key, TokenType: apiKeyType}, nil
}

// ValidFor accepts the management SRE API only.
func (k *apiKey) ValidFor(product string) error { return only("sre.APIKey", product) }

// Validate refuses an empty key.
func (k *apiKey) Validate() error {
	if strings.TrimSpace(k.key) == "" {
		return errors.New("sre.APIKey needs a key")
	}
	return nil
}

type password struct {
	redacted.Text
	url, username, password string
}

// Password logs in at the management API's access-token URL with a user
// name and password (domain "local", as IBM's SDK sends) and sends the
// access token it gets as a bearer token, renewed after a day or a 401.
func Password(tokenURL, username, pass string) auth.Credential {
	return &password{url: strings.TrimSpace(tokenURL), username: username, password: pass,
		Text: redacted.Text("sre.Password{url " + tokenURL + ", user " + username + ", password [REDACTED]}")}
}

// GetToken posts the credentials to the access-token URL.
func (p *password) GetToken(ctx context.Context, req auth.TokenRequest) (auth.Token, error) {
	t, err := ibmclient.PasswordGrant(ctx, req.HTTPClient, p.url, p.username, p.password, "local", 24*time.Hour)
	if err != nil {
		return auth.Token{}, fmt.Errorf("%s: login: %w", Product, err)
	}
	return t, nil
}

// ValidFor accepts the management SRE API only.
func (p *password) ValidFor(product string) error { return only("sre.Password", product) }

// Validate refuses missing parts and a token URL that is not https.
func (p *password) Validate() error {
	if p.url == "" || strings.TrimSpace(p.username) == "" || p.password == "" {
		return errors.New("sre.Password needs a token URL, a user name and a password")
	}
	if !strings.HasPrefix(p.url, "https://") {
		return errors.New("sre.Password: the token URL must be https")
	}
	return nil
}

func only(name, product string) error {
	if product != Product {
		return fmt.Errorf("%s works with %s only, not with %s", name, Product, product)
	}
	return nil
}
