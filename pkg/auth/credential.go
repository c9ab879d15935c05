package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/backupsdk/backupsdk/pkg/internal/redacted"
)

// Credential obtains the token a client puts on its requests. The clients
// of this SDK call GetToken through their credential cache: once for all
// goroutines, again ahead of expiry, after a 401 and after Logout. Build one
// with Password, RefreshToken, AuthorizationCode or StaticToken, with a
// product package's constructor (vbem.BasicCredentials, ibmbr.APIKey, ...),
// or implement it yourself, as azcore.TokenCredential or
// aws.CredentialsProvider are.
//
// An implementation may also implement Validator and ProductValidator, so
// that NewClient refuses it before any request.
type Credential interface {
	GetToken(ctx context.Context, req TokenRequest) (Token, error)
}

// TokenRequest says where and how to obtain a token.
type TokenRequest struct {
	// Product is the client asking: "vbaws", "vbgc", "vbem" or "ibmbr".
	Product string
	// Endpoint is the client's base URL, without a trailing slash (for
	// example https://vbaws.example.com:11005).
	Endpoint string
	// APIVersion is the API version the client speaks: the x-api-version
	// of Veeam Backup for AWS and Google Cloud (HTTPClient already sends
	// it), the version Enterprise Manager logs on with (?v=), empty for
	// IBM Cloud.
	APIVersion string
	// HTTPClient is the client's pipeline (TLS settings, user agent,
	// product headers, retries of safe requests, logging) without the auth
	// link, so a login never recurses into itself. nil means
	// http.DefaultClient.
	HTTPClient *http.Client
	// Previous is the client's last token, possibly expired or refused by
	// the server; nil on the first login and after Logout. Refresh grants
	// use it.
	Previous *Token
}

// Validator is implemented by a Credential that can tell, before any
// request, that it cannot work (an empty password, say). NewClient calls it.
type Validator interface {
	Validate() error
}

// ProductValidator is implemented by a Credential that works with some
// products only. NewClient calls ValidFor with its product and refuses the
// credential if it returns an error, which should name both the credential
// and the product.
type ProductValidator interface {
	ValidFor(product string) error
}

// StaticToken is a token obtained elsewhere, used as it is with any product:
// it is never renewed, and once its Expiry (if set) has passed, logins fail.
// For Enterprise Manager, AccessToken is the X-RestSvcSessionId and ID the
// logon session id that Logout deletes.
func StaticToken(t Token) Credential {
	return staticToken{tok: t, Text: redacted.Text("StaticToken{" + t.String() + "}")}
}

type staticToken struct {
	redacted.Text
	tok Token
}

// GetToken returns the token, unless it has expired.
func (s staticToken) GetToken(context.Context, TokenRequest) (Token, error) {
	if !s.tok.Expiry.IsZero() && !time.Now().Before(s.tok.Expiry) {
		return Token{}, fmt.Errorf("auth: the static token expired at %s", s.tok.Expiry.Format(time.RFC3339))
	}
	return s.tok, nil
}

// Validate refuses a token without an access token.
func (s staticToken) Validate() error {
	if s.tok.AccessToken == "" {
		return errors.New("auth: StaticToken needs an access token")
	}
	return nil
}
