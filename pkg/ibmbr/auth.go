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

	"github.com/backupsdk/backupsdk/pkg/internal/redacted"
)

// DefaultIAMURL is IBM Cloud's public IAM endpoint.
const DefaultIAMURL = "https://iam.cloud.ibm.com"

// apiKeyCredential exchanges an IBM Cloud API key for IAM tokens.
type apiKeyCredential struct {
	redacted.Text
	apiKey string
	iamURL string
}

// CredentialOption adjusts the credential APIKey builds. It is opaque:
// build one with WithIAMURL.
type CredentialOption struct {
	apply func(*apiKeyCredential)
}

// WithIAMURL replaces the IAM endpoint (for example a private endpoint, or
// a test server).
func WithIAMURL(u string) CredentialOption {
	return CredentialOption{func(c *apiKeyCredential) { c.iamURL = strings.TrimRight(strings.TrimSpace(u), "/") }}
}

// APIKey exchanges an IBM Cloud API key for IAM access tokens at
// DefaultIAMURL (or WithIAMURL); the client renews them at 80% of their
// lifetime. It works with ibmbr.NewClient only.
func APIKey(key string, opts ...CredentialOption) auth.Credential {
	c := &apiKeyCredential{apiKey: key, iamURL: DefaultIAMURL}
	for _, o := range opts {
		if o.apply != nil {
			o.apply(c)
		}
	}
	c.Text = redacted.Text("Credentials{api key [REDACTED], iam " + c.iamURL + "}")
	return c
}

// GetToken runs the API key grant at the IAM endpoint, through the client's
// pipeline without its auth link.
func (c *apiKeyCredential) GetToken(ctx context.Context, req auth.TokenRequest) (auth.Token, error) {
	if err := c.Validate(); err != nil {
		return auth.Token{}, err
	}
	hc := req.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	t := &iamTokens{url: c.iamURL, hc: hc, now: time.Now}
	return t.exchange(ctx, c.apiKey)
}

// TokenURL is where the key is exchanged: the client refuses it over plain
// http unless option.WithInsecureHTTP allows that.
func (c *apiKeyCredential) TokenURL() string { return c.iamURL + "/identity/token" }

// ValidFor accepts IBM Cloud Backup and Recovery only.
func (c *apiKeyCredential) ValidFor(product string) error { return onlyIBM("ibmbr.APIKey", product) }

// Validate refuses an empty key or an IAM URL that is not one.
func (c *apiKeyCredential) Validate() error {
	if strings.TrimSpace(c.apiKey) == "" {
		return errors.New("ibmbr.APIKey needs an API key")
	}
	u, err := url.Parse(c.iamURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("ibmbr: invalid IAM URL %q", c.iamURL)
	}
	return nil
}

// BearerToken uses an IAM access token obtained elsewhere as it is; it is
// not renewed. It works with ibmbr.NewClient only; auth.StaticToken is the
// same for any product.
func BearerToken(token string) auth.Credential {
	return bearerToken{token: token, Text: "Credentials{bearer token [REDACTED]}"}
}

type bearerToken struct {
	redacted.Text
	token string
}

// GetToken returns the token.
func (b bearerToken) GetToken(context.Context, auth.TokenRequest) (auth.Token, error) {
	return auth.Token{AccessToken: b.token, TokenType: "Bearer"}, nil
}

// ValidFor accepts IBM Cloud Backup and Recovery only.
func (b bearerToken) ValidFor(product string) error { return onlyIBM("ibmbr.BearerToken", product) }

// Validate refuses an empty token.
func (b bearerToken) Validate() error {
	if strings.TrimSpace(b.token) == "" {
		return errors.New("ibmbr.BearerToken needs a token")
	}
	return nil
}

func onlyIBM(name, product string) error {
	switch product {
	case "ibmbr", "ibmbr-sre", "ibmbr-reporting":
		// The management APIs take the same IAM tokens as the service.
		return nil
	}
	return fmt.Errorf("%s works with ibmbr, ibmbr-sre and ibmbr-reporting only, not with %s", name, product)
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
