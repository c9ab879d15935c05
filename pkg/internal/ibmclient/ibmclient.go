// Package ibmclient builds what every IBM Cloud Backup and Recovery client
// shares: the credential check, the options, the endpoint, the credential
// session and the one transport pipeline (authed, bare for logins, raw for
// Raw()). ibmbr, ibmbr/connector, ibmbr/sre and ibmbr/reporting differ only
// in their product name, where the token goes and the generated client they
// put on top.
package ibmclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
	"github.com/backupsdk/backupsdk/pkg/internal/settings"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// Client is the pipeline of one client.
type Client struct {
	Settings *settings.Settings
	Endpoint *url.URL
	Session  *login.Session
	// Authed carries the token; Raw is Authed with the raw User-Agent.
	Authed, Raw *http.Client
}

// Config says how to build a client.
type Config struct {
	// Product is the product name (a key of specs.All).
	Product string
	// RefreshAhead is how long before expiry a token is renewed when the
	// caller sets nothing (option.WithCache).
	RefreshAhead time.Duration
	// Apply puts the token on a request; nil means Authorization: Bearer.
	Apply func(*http.Request, auth.Token)
	// Check, if set, checks the settings and the endpoint further.
	Check func(*settings.Settings, *url.URL) error
}

// New checks cred and opts for cfg.Product and builds the pipeline to
// endpoint. Errors name the product.
func New(cfg Config, endpoint string, cred auth.Credential, opts []settings.Option) (*Client, error) {
	if err := login.Check(cfg.Product, cred); err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Product, err)
	}
	s, err := settings.Apply(cfg.Product, "", opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Product, err)
	}
	u, err := s.ParseEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Product, err)
	}
	if t, ok := cred.(interface{ TokenURL() string }); ok {
		// The bare pipeline of logins has no auth link to refuse plain
		// http, so a credential's own token URL is checked here.
		if _, err := s.ParseEndpoint(t.TokenURL()); err != nil {
			return nil, fmt.Errorf("%s: token URL: %w", cfg.Product, err)
		}
	}
	if cfg.Check != nil {
		if err := cfg.Check(s, u); err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.Product, err)
		}
	}
	cacheOpts := s.Cache
	if cacheOpts.RefreshAhead == 0 {
		cacheOpts.RefreshAhead = cfg.RefreshAhead
	}
	apply := cfg.Apply
	if apply == nil {
		apply = login.Bearer
	}
	session := login.New(cred, auth.TokenRequest{Product: cfg.Product, Endpoint: u.String()}, cacheOpts)
	authed, bare, err := s.Clients(u, http.Header{"Accept": {"application/json"}}, session.Authorizer(apply))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Product, err)
	}
	session.SetHTTPClient(bare)
	return &Client{Settings: s, Endpoint: u, Session: session, Authed: authed, Raw: s.RawClient(authed)}, nil
}

// PasswordGrant posts a user name, password and domain as JSON to tokenURL
// and reads the accessToken of the answer: the login of the data-source
// connector (POST /v2/access-tokens) and of the management API's own
// access-token URL. IBM's SDK gives such a token no lifetime and treats it
// as valid for lifetime; a 401 makes the client log in again sooner.
func PasswordGrant(ctx context.Context, hc *http.Client, tokenURL, username, password, domain string, lifetime time.Duration) (auth.Token, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	body, err := json.Marshal(map[string]string{"username": username, "password": password, "domain": domain})
	if err != nil {
		return auth.Token{}, err
	}
	req, err := http.NewRequestWithContext(transport.WithRetrySafe(ctx), http.MethodPost, tokenURL, strings.NewReader(string(body)))
	if err != nil {
		return auth.Token{}, fmt.Errorf("access token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return auth.Token{}, fmt.Errorf("access token request: %w", err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()
	if err := apierr.CheckResponse(resp, apierr.DecodeIBM); err != nil {
		var ae *apierr.Error
		if errors.As(err, &ae) && (ae.StatusCode == http.StatusUnauthorized || ae.StatusCode == http.StatusForbidden) {
			ae.Err = apierr.ErrInvalidCredentials
		}
		return auth.Token{}, err
	}
	var out struct {
		AccessToken string `json:"accessToken"`
		TokenType   string `json:"tokenType"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out); err != nil || out.AccessToken == "" {
		return auth.Token{}, fmt.Errorf("access token response without an access token: %w", apierr.ErrUnexpectedResponse)
	}
	return auth.Token{AccessToken: out.AccessToken, TokenType: out.TokenType, Expiry: time.Now().Add(lifetime)}, nil
}
