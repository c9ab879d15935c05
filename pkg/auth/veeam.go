package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

// MFAFunc returns the current one-time code of the user's authenticator. It
// is called only when the server asks for a second factor.
type MFAFunc func(ctx context.Context) (code string, err error)

// Credentials are what a Veeam cloud client (Backup for AWS, Backup for
// Google Cloud) logs in with. Build them with Password, RefreshToken or
// AuthorizationCode. Their String and LogValue never show secrets.
type Credentials struct {
	grant        string
	username     string
	password     string
	refreshToken string
	code         string
	mfa          MFAFunc
	shortRefresh bool
}

// CredentialOption adjusts Credentials.
type CredentialOption func(*Credentials)

// WithMFA supplies the second factor when the server requires MFA. Without
// it, a login that needs MFA fails with an error matching ErrMFARequired.
func WithMFA(f MFAFunc) CredentialOption { return func(c *Credentials) { c.mfa = f } }

// WithShortTermRefresh asks for a short-lived refresh token
// (use_short_term_refresh, Veeam Backup for Google Cloud only).
func WithShortTermRefresh() CredentialOption { return func(c *Credentials) { c.shortRefresh = true } }

// Password logs in with a user name and password (grant_type=password).
func Password(username, password string, opts ...CredentialOption) Credentials {
	c := Credentials{grant: "password", username: username, password: password}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// RefreshToken logs in with a refresh token obtained earlier.
func RefreshToken(token string, opts ...CredentialOption) Credentials {
	c := Credentials{grant: "refresh_token", refreshToken: token}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// AuthorizationCode logs in with a one-time code issued by the
// authorization code endpoint (grant_type=authorization_code).
func AuthorizationCode(code string, opts ...CredentialOption) Credentials {
	c := Credentials{grant: "authorization_code", code: code}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// Validate reports credentials that cannot work, before any request.
func (c Credentials) Validate() error {
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
	default:
		return errors.New("auth: no credentials given (use auth.Password, auth.RefreshToken or auth.AuthorizationCode)")
	}
	return nil
}

// String describes the credentials without their secrets.
func (c Credentials) String() string {
	if c.grant == "password" {
		return fmt.Sprintf("Credentials{grant=password user=%s password=[REDACTED] mfa=%t}", c.username, c.mfa != nil)
	}
	return fmt.Sprintf("Credentials{grant=%s [REDACTED]}", c.grant)
}

// GoString is String, so %#v does not leak.
func (c Credentials) GoString() string { return c.String() }

// Format makes every verb print String.
func (c Credentials) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue keeps secrets out of slog output.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MFARequiredError is returned when the server asked for a second factor
// that could not be given. It matches apierr.ErrMFARequired.
type MFARequiredError struct {
	// MFAToken is the challenge to answer with VeeamTokens.MFA.
	MFAToken string
}

func (e *MFARequiredError) Error() string {
	return "auth: the server requires multi-factor authentication; supply a code with auth.WithMFA"
}

// Is matches apierr.ErrMFARequired.
func (e *MFARequiredError) Is(target error) bool { return target == apierr.ErrMFARequired }

// VeeamTokens calls the /token endpoint of a Veeam cloud backup appliance. Its
// HTTP client must be a bare pipeline (headers, logging) without the auth
// link: these calls are what the auth link relies on.
type VeeamTokens struct {
	// URL is the token endpoint, e.g. https://host:11005/api/v1/token.
	URL string
	// HTTPClient sends the requests; it must add the x-api-version header.
	HTTPClient *http.Client
	// Now replaces time.Now in tests.
	Now func() time.Time
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

// Password runs grant_type=password. A 202 answer (MFA required) is returned
// as *MFARequiredError.
func (v *VeeamTokens) Password(ctx context.Context, username, password string, shortRefresh bool) (Token, error) {
	f := url.Values{"grant_type": {"password"}, "username": {username}, "password": {password}}
	if shortRefresh {
		f.Set("use_short_term_refresh", "true")
	}
	return v.grant(ctx, f)
}

// MFA answers an MFA challenge with a one-time code (grant_type=mfa).
func (v *VeeamTokens) MFA(ctx context.Context, mfaToken, code string) (Token, error) {
	return v.grant(ctx, url.Values{"grant_type": {"mfa"}, "mfa_token": {mfaToken}, "mfa_code": {code}})
}

// Refresh runs grant_type=refresh_token.
func (v *VeeamTokens) Refresh(ctx context.Context, refreshToken string) (Token, error) {
	return v.grant(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
}

// AuthorizationCode runs grant_type=authorization_code.
func (v *VeeamTokens) AuthorizationCode(ctx context.Context, code string) (Token, error) {
	return v.grant(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}})
}

// Logout revokes the access token (DELETE /token).
func (v *VeeamTokens) Logout(ctx context.Context, accessToken string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, v.URL, nil)
	if err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := v.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	defer drainClose(resp)
	return apierr.CheckResponse(resp, apierr.DecodeVeeam)
}

// Login obtains a token for creds. When prev holds a refresh token it tries
// the refresh grant first and falls back to creds only if the server rejects
// it. It answers an MFA challenge with the credentials' MFA callback. It is
// an AcquireFunc for Cache[Token].
func (v *VeeamTokens) Login(ctx context.Context, creds Credentials, prev Token, havePrev bool) (Token, error) {
	if havePrev && prev.RefreshToken != "" {
		t, err := v.Refresh(ctx, prev.RefreshToken)
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
	switch creds.grant {
	case "password":
		t, err = v.Password(ctx, creds.username, creds.password, creds.shortRefresh)
	case "refresh_token":
		t, err = v.Refresh(ctx, creds.refreshToken)
	case "authorization_code":
		t, err = v.AuthorizationCode(ctx, creds.code)
	default:
		return Token{}, creds.Validate()
	}
	var mfa *MFARequiredError
	if !errors.As(err, &mfa) {
		return t, err
	}
	if creds.mfa == nil {
		return Token{}, err
	}
	code, cerr := creds.mfa(ctx)
	if cerr != nil {
		return Token{}, fmt.Errorf("auth: MFA callback: %w", cerr)
	}
	if strings.TrimSpace(code) == "" {
		return Token{}, fmt.Errorf("auth: MFA callback returned an empty code: %w", apierr.ErrMFARequired)
	}
	return v.MFA(ctx, mfa.MFAToken, strings.TrimSpace(code))
}

func (v *VeeamTokens) grant(ctx context.Context, form url.Values) (Token, error) {
	// Sent once, even when the call that needed the token was marked
	// WithRetrySafe: the grant carries a password, a one-use refresh token
	// or a one-time code.
	ctx = transport.WithoutRetry(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return Token{}, fmt.Errorf("auth: token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := v.HTTPClient.Do(req)
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
	return body.token(v.now()), nil
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

func (v *VeeamTokens) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// NewVeeamCache returns the credential cache of a Veeam cloud client: it logs
// in with creds and refreshes with the refresh token.
func NewVeeamCache(tokens *VeeamTokens, creds Credentials, opts CacheOptions) *Cache[Token] {
	return NewCache(func(ctx context.Context, prev Token, have bool) (Token, time.Time, error) {
		t, err := tokens.Login(ctx, creds, prev, have)
		return t, t.Expiry, err
	}, opts)
}

// BearerAuthorizer returns an Authorizer that sends the cached token as
// "Authorization: Bearer".
func BearerAuthorizer(c *Cache[Token]) *CacheAuthorizer[Token] {
	return &CacheAuthorizer[Token]{Cache: c, Apply: func(req *http.Request, t Token) {
		req.Header.Set("Authorization", "Bearer "+t.AccessToken)
	}}
}
