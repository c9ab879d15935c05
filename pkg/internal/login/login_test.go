package login_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/internal/login"
)

// counting is a credential that issues tok-1, tok-2, ... and records what
// it was asked.
type counting struct {
	mu   sync.Mutex
	n    int
	reqs []auth.TokenRequest
	fail error
}

func (c *counting) GetToken(_ context.Context, req auth.TokenRequest) (auth.Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = append(c.reqs, req)
	if c.fail != nil {
		return auth.Token{}, c.fail
	}
	c.n++
	return auth.Token{AccessToken: fmt.Sprintf("tok-%d", c.n), RefreshToken: fmt.Sprintf("rt-%d", c.n)}, nil
}

func (c *counting) previous(i int) *auth.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reqs[i].Previous
}

func TestAuthorizer(t *testing.T) {
	cred := &counting{}
	s := login.New(cred, auth.TokenRequest{Product: "vbem"}, auth.CacheOptions{})
	a := s.Authorizer(func(req *http.Request, t auth.Token) { req.Header.Set("X-RestSvcSessionId", t.AccessToken) })
	req, err := http.NewRequest(http.MethodGet, "https://em.example/api/", nil)
	require.NoError(t, err)
	gen, err := a.Authorize(req)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), gen)
	assert.Equal(t, "tok-1", req.Header.Get("X-RestSvcSessionId"))

	a.Invalidate(gen)
	req2, _ := http.NewRequest(http.MethodGet, "https://em.example/api/", nil)
	gen2, err := a.Authorize(req2)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), gen2)
	assert.Equal(t, "tok-2", req2.Header.Get("X-RestSvcSessionId"))

	// Errors come back without touching the request.
	cred.fail = errors.New("nope")
	s.Forget()
	req3, _ := http.NewRequest(http.MethodGet, "https://em.example/api/", nil)
	_, err = a.Authorize(req3)
	require.Error(t, err)
	assert.Empty(t, req3.Header.Get("X-RestSvcSessionId"))
}

// The credential is asked with the client's request and its last token:
// none at first, the old one after a 401, none again after Forget (logout).
func TestTokenRequestCarriesPrevious(t *testing.T) {
	cred := &counting{}
	hc := &http.Client{}
	s := login.New(cred, auth.TokenRequest{Product: "vbaws", Endpoint: "https://vb.example", APIVersion: "1.7-rev0"}, auth.CacheOptions{})
	s.SetHTTPClient(hc)
	ctx := context.Background()

	tok, err := s.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)
	require.Len(t, cred.reqs, 1)
	assert.Equal(t, "vbaws", cred.reqs[0].Product)
	assert.Equal(t, "https://vb.example", cred.reqs[0].Endpoint)
	assert.Equal(t, "1.7-rev0", cred.reqs[0].APIVersion)
	assert.Same(t, hc, cred.reqs[0].HTTPClient)
	assert.Nil(t, cred.previous(0))

	_, gen, err := s.Cache().Get(ctx)
	require.NoError(t, err)
	s.Cache().Invalidate(gen)
	_, err = s.Token(ctx)
	require.NoError(t, err)
	require.NotNil(t, cred.previous(1))
	assert.Equal(t, "rt-1", cred.previous(1).RefreshToken)

	old, ok := s.Forget()
	require.True(t, ok)
	assert.Equal(t, "tok-2", old.AccessToken)
	_, ok = s.Forget()
	assert.False(t, ok, "nothing left to forget")
	_, err = s.Token(ctx)
	require.NoError(t, err)
	assert.Nil(t, cred.previous(2), "after a logout the credential starts afresh")
}

type noToken struct{}

func (noToken) GetToken(context.Context, auth.TokenRequest) (auth.Token, error) {
	return auth.Token{TokenType: "Bearer"}, nil
}

func TestEmptyTokenIsAnError(t *testing.T) {
	s := login.New(noToken{}, auth.TokenRequest{}, auth.CacheOptions{})
	_, err := s.Token(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "without an access token")
}

type picky struct{ valid, product error }

func (picky) GetToken(context.Context, auth.TokenRequest) (auth.Token, error) {
	return auth.Token{AccessToken: "x"}, nil
}
func (p picky) Validate() error { return p.valid }
func (p picky) ValidFor(product string) error {
	if p.product != nil {
		return fmt.Errorf("%w: %s", p.product, product)
	}
	return nil
}

func TestCheck(t *testing.T) {
	assert.Error(t, login.Check("vbaws", nil))
	var nilPtr *counting
	assert.Error(t, login.Check("vbaws", nilPtr), "a nil pointer would panic on first use")
	assert.NoError(t, login.Check("vbaws", &counting{}), "the optional interfaces are optional")
	assert.NoError(t, login.Check("vbaws", picky{}))

	wrong := errors.New("for another product")
	err := login.Check("ibmbr", picky{product: wrong})
	assert.ErrorIs(t, err, wrong)
	assert.Contains(t, err.Error(), "ibmbr")

	empty := errors.New("empty password")
	assert.ErrorIs(t, login.Check("vbaws", picky{valid: empty}), empty)
	assert.ErrorIs(t, login.Check("vbaws", picky{valid: empty, product: wrong}), wrong, "the product is checked first")
}
