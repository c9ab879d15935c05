package ibmbr

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
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// DefaultIAMURL is IBM Cloud's public IAM endpoint.
const DefaultIAMURL = "https://iam.cloud.ibm.com"

// Credentials authenticate a client against IBM Cloud. Build them with
// APIKey or BearerToken. Their String never shows the secret.
type Credentials struct {
	apiKey string
	token  string
	iamURL string
}

// CredentialOption adjusts Credentials.
type CredentialOption func(*Credentials)

// WithIAMURL replaces the IAM endpoint (for example a private endpoint, or
// a test server).
func WithIAMURL(u string) CredentialOption {
	return func(c *Credentials) { c.iamURL = strings.TrimRight(u, "/") }
}

// APIKey exchanges an IBM Cloud API key for IAM access tokens, and renews
// them before they expire.
func APIKey(key string, opts ...CredentialOption) Credentials {
	c := Credentials{apiKey: key, iamURL: DefaultIAMURL}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// BearerToken uses an IAM access token obtained elsewhere as it is; it is
// not renewed.
func BearerToken(token string) Credentials { return Credentials{token: token} }

// String describes the credentials without their secret.
func (c Credentials) String() string {
	if c.apiKey != "" {
		return "Credentials{api key [REDACTED], iam " + c.iamURL + "}"
	}
	return "Credentials{bearer token [REDACTED]}"
}

// GoString is String, so %#v does not leak.
func (c Credentials) GoString() string { return c.String() }

// Format makes every verb print String.
func (c Credentials) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

func (c Credentials) validate() error {
	switch {
	case c.apiKey != "" && c.token != "":
		return errors.New("ibmbr: give either an API key or a bearer token")
	case c.token != "":
		return nil
	case strings.TrimSpace(c.apiKey) == "":
		return errors.New("ibmbr: no credentials (use ibmbr.APIKey or ibmbr.BearerToken)")
	}
	u, err := url.Parse(c.iamURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("ibmbr: invalid IAM URL %q", c.iamURL)
	}
	return nil
}

// GrantTypeAPIKey is the IAM grant that exchanges an API key.
const GrantTypeAPIKey = "urn:ibm:params:oauth:grant-type:apikey" //nolint:gosec // a grant type name, not a credential

// iamTokens exchanges API keys at the IAM token endpoint.
type iamTokens struct {
	url string
	hc  *http.Client
	now func() time.Time
}

type iamTokenBody struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	Expiration   int64  `json:"expiration"`
}

// exchange runs the API key grant. The request is safe to repeat, so the
// pipeline retries it on 429, 502, 503 and 504.
func (t *iamTokens) exchange(ctx context.Context, apiKey string) (auth.Token, error) {
	form := url.Values{"grant_type": {GrantTypeAPIKey}, "apikey": {apiKey}, "response_type": {"cloud_iam"}}
	req, err := http.NewRequestWithContext(transport.WithRetrySafe(ctx), http.MethodPost, t.url+"/identity/token", strings.NewReader(form.Encode()))
	if err != nil {
		return auth.Token{}, fmt.Errorf("ibmbr: IAM token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := t.hc.Do(req)
	if err != nil {
		return auth.Token{}, fmt.Errorf("ibmbr: IAM token request: %w", err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()
	if err := apierr.CheckResponse(resp, apierr.DecodeIBM); err != nil {
		var ae *apierr.Error
		if errors.As(err, &ae) && refusesKey(ae) {
			ae.Err = apierr.ErrInvalidCredentials
		}
		return auth.Token{}, err
	}
	var body iamTokenBody
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil || body.AccessToken == "" {
		return auth.Token{}, fmt.Errorf("ibmbr: IAM token response without an access token: %w", apierr.ErrUnexpectedResponse)
	}
	tok := auth.Token{AccessToken: body.AccessToken, TokenType: body.TokenType, RefreshToken: body.RefreshToken}
	switch {
	case body.ExpiresIn > 0:
		// Capped at a year, so an absurd value cannot overflow into the past.
		tok.Expiry = t.now().Add(time.Duration(min(body.ExpiresIn, 365*24*3600)) * time.Second)
	case body.Expiration > 0:
		tok.Expiry = time.Unix(body.Expiration, 0)
	}
	return tok, nil
}

// refusesKey reports whether a failed exchange is IAM refusing the API key:
// a 400 or 401 carrying one of IAM's own error codes (BXNIM...). A page from
// a proxy or a web server with the same status has not judged the key.
func refusesKey(ae *apierr.Error) bool {
	if ae.StatusCode != http.StatusBadRequest && ae.StatusCode != http.StatusUnauthorized {
		return false
	}
	return strings.HasPrefix(strings.ToUpper(ae.Code), "BXNIM")
}
