// Package login ties one auth.Credential to one client: the client's single
// auth.Cache[auth.Token], filled by the credential's GetToken, and the
// transport.Authorizer that puts the cached token on each request. Product
// packages add only what is theirs: the header the token goes in, cache
// timing, and how a session is ended.
package login

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"github.com/backupsdk/backupsdk/pkg/auth"
)

// Check refuses, before any request, a credential that cannot work for
// product: none at all, one for another product (auth.ProductValidator), or
// one that fails its own validation (auth.Validator).
func Check(product string, cred auth.Credential) error {
	if cred == nil {
		return errors.New("no credential given")
	}
	if v := reflect.ValueOf(cred); v.Kind() == reflect.Pointer && v.IsNil() {
		return fmt.Errorf("nil credential of type %T", cred)
	}
	if v, ok := cred.(auth.ProductValidator); ok {
		if err := v.ValidFor(product); err != nil {
			return err
		}
	}
	if v, ok := cred.(auth.Validator); ok {
		return v.Validate()
	}
	return nil
}

// Session holds a client's token.
type Session struct {
	cache *auth.Cache[auth.Token]
	cred  auth.Credential
	req   auth.TokenRequest
}

// New returns the session of a client that logs in with cred. req says
// where; its HTTPClient may be set later with SetHTTPClient, as the bare
// pipeline is built after the authorizer that needs the session.
func New(cred auth.Credential, req auth.TokenRequest, opts auth.CacheOptions) *Session {
	s := &Session{cred: cred, req: req}
	s.cache = auth.NewCache(s.acquire, opts)
	return s
}

// SetHTTPClient sets the pipeline the credential logs in through. Call it
// before the client is used.
func (s *Session) SetHTTPClient(hc *http.Client) { s.req.HTTPClient = hc }

// acquire is the cache's AcquireFunc: the credential's GetToken with the
// previous token, if any, so it can use a refresh grant.
func (s *Session) acquire(ctx context.Context, prev auth.Token, have bool) (auth.Token, time.Time, error) {
	req := s.req
	if have {
		req.Previous = &prev
	}
	t, err := s.cred.GetToken(ctx, req)
	if err != nil {
		return auth.Token{}, time.Time{}, err
	}
	if t.AccessToken == "" {
		// A credential of the user's own could return nothing; a request
		// without a token would only come back as a puzzling 401.
		return auth.Token{}, time.Time{}, fmt.Errorf("%T returned a token without an access token", s.cred)
	}
	return t, t.Expiry, nil
}

// Token returns a usable token, logging in if needed.
func (s *Session) Token(ctx context.Context) (auth.Token, error) {
	t, _, err := s.cache.Get(ctx)
	return t, err
}

// Forget drops the token so the next call logs in from scratch (no refresh
// grant), and returns the token it held, if any, for the product to end the
// session on the server.
func (s *Session) Forget() (auth.Token, bool) {
	t, ok := s.cache.Peek()
	s.cache.Clear()
	return t, ok && t.AccessToken != ""
}

// Cache is the session's credential cache.
func (s *Session) Cache() *auth.Cache[auth.Token] { return s.cache }

// Authorizer returns the transport.Authorizer that puts the cached token on
// each request with apply.
func (s *Session) Authorizer(apply func(req *http.Request, t auth.Token)) *Authorizer {
	return &Authorizer{cache: s.cache, apply: apply}
}

// Authorizer puts a session's token on each request. It implements
// transport.Authorizer.
type Authorizer struct {
	cache *auth.Cache[auth.Token]
	apply func(req *http.Request, t auth.Token)
}

// Authorize sets the token on req and returns its generation.
func (a *Authorizer) Authorize(req *http.Request) (uint64, error) {
	t, gen, err := a.cache.Get(req.Context())
	if err != nil {
		return 0, err
	}
	a.apply(req, t)
	return gen, nil
}

// Invalidate forgets the token of generation gen.
func (a *Authorizer) Invalidate(gen uint64) { a.cache.Invalidate(gen) }

// Bearer sends the token as "Authorization: Bearer", as Veeam Backup for AWS
// and Google Cloud and IBM Cloud want it.
func Bearer(req *http.Request, t auth.Token) {
	req.Header.Set("Authorization", "Bearer "+t.AccessToken)
}
