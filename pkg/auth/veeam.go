package auth

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
	"github.com/backupsdk/backupsdk/pkg/transport"

	"github.com/backupsdk/backupsdk/pkg/internal/redacted"
)

// MFAFunc returns the current one-time code of the user's authenticator. It
// is called only when the server asks for a second factor.
type MFAFunc func(ctx context.Context) (code string, err error)

// veeamCredential logs a Veeam cloud client (Backup for AWS, Backup for
// Google Cloud) in at its /api/v1/token endpoint.
type veeamCredential struct {
	// Text is how the credential prints: without its secrets.
	redacted.Text
	grant        string
	username     string
	password     string
	refreshToken string
	code         string
	mfa          MFAFunc
	shortRefresh bool
	// now replaces time.Now in tests, so expires_in counts from the same
	// clock as the cache that judges the token.
	now func() time.Time
}

// CredentialOption adjusts a credential built by Password, RefreshToken or
// AuthorizationCode. It is opaque: build one with WithMFA or
// WithShortTermRefresh.
type CredentialOption struct {
	apply func(*veeamCredential)
}

// WithMFA supplies the second factor when the server requires MFA. Without
// it, a login that needs MFA fails with an error matching ErrMFARequired.
func WithMFA(f MFAFunc) CredentialOption {
	return CredentialOption{func(c *veeamCredential) { c.mfa = f }}
}

// WithShortTermRefresh asks for a short-lived refresh token
// (use_short_term_refresh, Veeam Backup for Google Cloud only).
func WithShortTermRefresh() CredentialOption {
	return CredentialOption{func(c *veeamCredential) { c.shortRefresh = true }}
}

// Password logs a Veeam Backup for AWS or Google Cloud client in with a
// user name and password (grant_type=password), answering an MFA challenge
// with WithMFA. When the client holds a refresh token (TokenRequest.Previous)
// it tries the refresh grant first and logs in again only if the server
// refuses it.
func Password(username, password string, opts ...CredentialOption) Credential {
	return newVeeam(&veeamCredential{grant: "password", username: username, password: password}, opts)
}

// RefreshToken logs a Veeam Backup for AWS or Google Cloud client in with a
// refresh token obtained earlier (grant_type=refresh_token).
func RefreshToken(token string, opts ...CredentialOption) Credential {
	return newVeeam(&veeamCredential{grant: "refresh_token", refreshToken: token}, opts)
}

// AuthorizationCode logs a Veeam Backup for AWS or Google Cloud client in
// with a one-time code issued by the authorization code endpoint
// (grant_type=authorization_code).
func AuthorizationCode(code string, opts ...CredentialOption) Credential {
	return newVeeam(&veeamCredential{grant: "authorization_code", code: code}, opts)
}

func newVeeam(c *veeamCredential, opts []CredentialOption) *veeamCredential {
	for _, o := range opts {
		if o.apply != nil {
			o.apply(c)
		}
	}
	c.Text = redacted.Text(fmt.Sprintf("Credentials{grant=%s [REDACTED]}", c.grant))
	if c.grant == "password" {
		c.Text = redacted.Text(fmt.Sprintf("Credentials{grant=password user=%s password=[REDACTED] mfa=%t}", c.username, c.mfa != nil))
	}
	return c
}

// name is the constructor the credential came from, for messages.
func (c *veeamCredential) name() string {
	switch c.grant {
	case "refresh_token":
		return "auth.RefreshToken"
	case "authorization_code":
		return "auth.AuthorizationCode"
	}
	return "auth.Password"
}

// ValidFor accepts the products with a Veeam /api/v1/token endpoint.
func (c *veeamCredential) ValidFor(product string) error {
	if product == "vbaws" || product == "vbgc" {
		return nil
	}
	return fmt.Errorf("%s credentials work with vbaws and vbgc only, not with %s", c.name(), product)
}

// Validate reports credentials that cannot work, before any request.
func (c *veeamCredential) Validate() error {
	switch c.grant {
	case "password":
		if c.username == "" || c.password == "" {
			return errors.New("auth: password credentials need a user name and a password")
		}
	case "refresh_token":
		if c.refreshToken == "" {
			return errors.New("auth: refresh token credentials need a token")
		}
	case "authorization_code":
		if c.code == "" {
			return errors.New("auth: authorization code credentials need a code")
		}
	}
	return nil
}

// GetToken obtains a token at req.Endpoint/api/v1/token. When
// req.Previous holds a refresh token it tries the refresh grant first and
// falls back to the credential's own grant only if the server rejects it
// (400 or 401): any other failure is returned as it is, so a failing server
// does not cost a password login (and an MFA prompt). It answers an MFA
// challenge with the WithMFA callback.
func (c *veeamCredential) GetToken(ctx context.Context, req TokenRequest) (Token, error) {
	if err := c.Validate(); err != nil {
		return Token{}, err
	}
	g := veeamGrants{url: strings.TrimRight(req.Endpoint, "/") + "/api/v1/token", hc: req.HTTPClient, now: c.now}
	if p := req.Previous; p != nil && p.RefreshToken != "" {
		t, err := g.refresh(ctx, p.RefreshToken)
		if err == nil {
			return t, nil
		}
		var ae *apierr.Error
		if !errors.As(err, &ae) || (ae.StatusCode != http.StatusBadRequest && ae.StatusCode != http.StatusUnauthorized) {
			return Token{}, err
		}
		// The refresh token was refused (expired or revoked): log in again.
	}
	var (
		t   Token
		err error
	)
	switch c.grant {
	case "password":
		t, err = g.password(ctx, c.username, c.password, c.shortRefresh)
	case "refresh_token":
		t, err = g.refresh(ctx, c.refreshToken)
	case "authorization_code":
		t, err = g.authorizationCode(ctx, c.code)
	}
	var mfa *MFARequiredError
	if !errors.As(err, &mfa) {
		return t, err
	}
	if c.mfa == nil {
		return Token{}, err
	}
	code, cerr := c.mfa(ctx)
	if cerr != nil {
		return Token{}, fmt.Errorf("auth: MFA callback: %w", cerr)
	}
	if strings.TrimSpace(code) == "" {
		return Token{}, fmt.Errorf("auth: MFA callback returned an empty code: %w", apierr.ErrMFARequired)
	}
	return g.answerMFA(ctx, mfa.MFAToken, strings.TrimSpace(code))
}

// MFARequiredError is returned when the server asked for a second factor
// that could not be given. It matches apierr.ErrMFARequired.
type MFARequiredError struct {
	// MFAToken is the challenge the server issued: a credential of your
	// own can answer it with grant_type=mfa, mfa_token and mfa_code at the
	// same token endpoint. Give WithMFA to have Password answer it.
	MFAToken string
}

func (e *MFARequiredError) Error() string {
	return "auth: the server requires multi-factor authentication; supply a code with auth.WithMFA"
}

// Is matches apierr.ErrMFARequired.
func (e *MFARequiredError) Is(target error) bool { return target == apierr.ErrMFARequired }

// veeamGrants calls the /token endpoint of a Veeam cloud backup appliance.
// Its HTTP client must be a bare pipeline (headers, logging) without the
// auth link: these calls are what the auth link relies on.
type veeamGrants struct {
	url string
	hc  *http.Client
	now func() time.Time
}

// veeamTokenBody is the /token response of Veeam Backup for AWS and Google
// Cloud. The dotted member names are Veeam's own.
type veeamTokenBody struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type"`
	RefreshToken string    `json:"refresh_token"`
	ExpiresIn    int64     `json:"expires_in"`
	Issued       time.Time `json:".issued"`
	Expires      time.Time `json:".expires"`
	MFAToken     string    `json:"mfa_token"`
}

// password runs grant_type=password. A 202 answer (MFA required) is
// returned as *MFARequiredError.
func (v veeamGrants) password(ctx context.Context, username, password string, shortRefresh bool) (Token, error) {
	f := url.Values{"grant_type": {"password"}, "username": {username}, "password": {password}}
	if shortRefresh {
		f.Set("use_short_term_refresh", "true")
	}
	return v.grant(ctx, f)
}

// answerMFA answers an MFA challenge with a one-time code (grant_type=mfa).
func (v veeamGrants) answerMFA(ctx context.Context, mfaToken, code string) (Token, error) {
	return v.grant(ctx, url.Values{"grant_type": {"mfa"}, "mfa_token": {mfaToken}, "mfa_code": {code}})
}

// refresh runs grant_type=refresh_token.
func (v veeamGrants) refresh(ctx context.Context, refreshToken string) (Token, error) {
	return v.grant(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
}

// authorizationCode runs grant_type=authorization_code.
func (v veeamGrants) authorizationCode(ctx context.Context, code string) (Token, error) {
	return v.grant(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}})
}

func (v veeamGrants) grant(ctx context.Context, form url.Values) (Token, error) {
	// Sent once, even when the call that needed the token was marked
	// WithRetrySafe: the grant carries a password, a one-use refresh token
	// or a one-time code.
	ctx = transport.WithoutRetry(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.url, strings.NewReader(form.Encode()))
	if err != nil {
		return Token{}, fmt.Errorf("auth: token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	hc := v.hc
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Token{}, fmt.Errorf("auth: token request: %w", err)
	}
	defer drainClose(resp)
	if err := apierr.CheckResponse(resp, apierr.DecodeVeeam); err != nil {
		var ae *apierr.Error
		if errors.As(err, &ae) && refusesGrant(ae) {
			ae.Err = apierr.ErrInvalidCredentials
		}
		return Token{}, err
	}
	var body veeamTokenBody
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return Token{}, fmt.Errorf("auth: decode token response: %w", apierr.ErrUnexpectedResponse)
	}
	if resp.StatusCode == http.StatusAccepted {
		if body.MFAToken == "" {
			return Token{}, fmt.Errorf("auth: 202 from the token endpoint without mfa_token: %w", apierr.ErrUnexpectedResponse)
		}
		return Token{}, &MFARequiredError{MFAToken: body.MFAToken}
	}
	if body.AccessToken == "" {
		return Token{}, fmt.Errorf("auth: token response without access_token: %w", apierr.ErrUnexpectedResponse)
	}
	return body.token(v.clock()), nil
}

// refusalCodes are the error codes, lower case without underscores, with
// which a Veeam /token endpoint refuses what was presented: Veeam's own
// (errorCode) and those of OAuth 2.0 (RFC 6749 section 5.2, "error").
var refusalCodes = map[string]bool{
	"accessdenied": true, "invalidtoken": true, "expiredtoken": true, "unauthorized": true,
	"invalidcredentials": true, "invalidgrant": true, "invalidmfacode": true, "invalidmfatoken": true,
	"invalidclient": true, "unauthorizedclient": true,
}

// refusesGrant reports whether a failed grant is the appliance refusing the
// credentials. The status alone does not say so: a web server in front of
// the appliance, or an https port spoken to in plain http, answers 400 with
// a page of its own, and then nobody has judged the password.
func refusesGrant(ae *apierr.Error) bool {
	if ae.StatusCode != http.StatusBadRequest && ae.StatusCode != http.StatusUnauthorized {
		return false
	}
	return refusalCodes[strings.ReplaceAll(strings.ToLower(ae.Code), "_", "")]
}

// maxLifetimeSeconds caps a token lifetime a server states (a year), so an
// absurd expires_in cannot overflow into an expiry in the past.
const maxLifetimeSeconds = 365 * 24 * 3600

func (b veeamTokenBody) token(now time.Time) Token {
	t := Token{AccessToken: b.AccessToken, TokenType: b.TokenType, RefreshToken: b.RefreshToken}
	switch {
	case b.ExpiresIn > 0:
		t.Expiry = now.Add(time.Duration(min(b.ExpiresIn, maxLifetimeSeconds)) * time.Second)
	case !b.Expires.IsZero():
		t.Expiry = b.Expires
	}
	return t
}

func (v veeamGrants) clock() time.Time {
	if v.now != nil {
		return v.now()
	}
	return time.Now()
}

func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
