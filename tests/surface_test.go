package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// newClients builds each product's client without contacting anything.
var newClients = map[string]func(cred auth.Credential, opts ...option.Option) error{
	"vbaws": func(cred auth.Credential, opts ...option.Option) error {
		_, err := vbaws.NewClient("https://vbaws.example:11005", cred, opts...)
		return err
	},
	"vbgc": func(cred auth.Credential, opts ...option.Option) error {
		_, err := vbgc.NewClient("https://vbgc.example:13140", cred, opts...)
		return err
	},
	"vbem": func(cred auth.Credential, opts ...option.Option) error {
		_, err := vbem.NewClient("https://em.example:9398", cred, opts...)
		return err
	},
	"ibmbr": func(cred auth.Credential, opts ...option.Option) error {
		_, err := ibmbr.NewClient("https://ibm.example/v2", cred, opts...)
		return err
	},
}

// credentials are the built-in credentials, by the name an error must
// give, with the products they work with.
var credentials = map[string]struct {
	cred     auth.Credential
	products []string
}{
	"auth.Password":          {vbaws.PasswordCredentials("admin", "pw"), []string{"vbaws", "vbgc"}},
	"auth.RefreshToken":      {vbgc.RefreshTokenCredentials("rt"), []string{"vbaws", "vbgc"}},
	"auth.AuthorizationCode": {vbgc.AuthorizationCodeCredentials("code"), []string{"vbaws", "vbgc"}},
	"vbem.BasicCredentials":  {vbem.BasicCredentials(`CORP\admin`, "pw"), []string{"vbem"}},
	"ibmbr.APIKey":           {ibmbr.APIKey("key"), []string{"ibmbr"}},
	"ibmbr.BearerToken":      {ibmbr.BearerToken("token"), []string{"ibmbr"}},
	"auth.StaticToken":       {auth.StaticToken(auth.Token{AccessToken: "token"}), []string{"vbaws", "vbgc", "vbem", "ibmbr"}},
}

// validFor returns a credential each product accepts.
func validFor(product string) auth.Credential {
	switch product {
	case "vbem":
		return credentials["vbem.BasicCredentials"].cred
	case "ibmbr":
		return credentials["ibmbr.APIKey"].cred
	}
	return credentials["auth.Password"].cred
}

// A credential for another product is refused before any request, by an
// error naming the credential and the product.
func TestCredentialForAnotherProductIsRefused(t *testing.T) {
	for name, c := range credentials {
		for product, newClient := range newClients {
			err := newClient(c.cred)
			if slices.Contains(c.products, product) {
				assert.NoError(t, err, "%s on %s", name, product)
				continue
			}
			require.Error(t, err, "%s on %s", name, product)
			assert.Contains(t, err.Error(), name, "the message names the credential")
			assert.Contains(t, err.Error(), product, "the message names the product")
		}
	}
	// The example of the brief, word for word.
	_, err := vbaws.NewClient("https://vbaws.example:11005", vbem.BasicCredentials(`CORP\admin`, "pw"))
	require.Error(t, err)
	assert.Equal(t, "vbaws: vbem.BasicCredentials work with vbem only, not with vbaws", err.Error())
	assert.NotContains(t, err.Error(), "pw")
}

// Credentials that cannot work are refused before any request, on every
// product.
func TestEmptyCredentialsAreRefused(t *testing.T) {
	empty := map[string]auth.Credential{
		"vbaws": vbaws.PasswordCredentials("admin", ""),
		"vbgc":  vbgc.RefreshTokenCredentials(""),
		"vbem":  vbem.BasicCredentials("", "pw"),
		"ibmbr": ibmbr.BearerToken(""),
	}
	for product, newClient := range newClients {
		assert.Error(t, newClient(empty[product]), product)
		assert.Error(t, newClient(nil), product)
		assert.Error(t, newClient(auth.StaticToken(auth.Token{})), product)
	}
}

// An option meant for another product is refused, naming the option and
// the product, instead of being ignored.
func TestOptionForAnotherProductIsRefused(t *testing.T) {
	productOnly := map[string]struct {
		opt      option.Option
		products []string
	}{
		"ibmbr.WithTenant":      {ibmbr.WithTenant("tenant-a/"), []string{"ibmbr"}},
		"vbem.WithXML":          {vbem.WithXML(), []string{"vbem"}},
		"option.WithAPIVersion": {option.WithAPIVersion("v1_7"), []string{"vbaws", "vbgc", "vbem"}},
	}
	for name, o := range productOnly {
		for product, newClient := range newClients {
			err := newClient(validFor(product), o.opt)
			if slices.Contains(o.products, product) {
				assert.NoError(t, err, "%s on %s", name, product)
				continue
			}
			require.Error(t, err, "%s on %s", name, product)
			assert.Contains(t, err.Error(), name)
			assert.Contains(t, err.Error(), product)
		}
	}
	// Options every product uses are accepted by all.
	for product, newClient := range newClients {
		assert.NoError(t, newClient(validFor(product), option.WithUserAgent("tool/1"), option.WithTimeout(0), option.WithInsecureHTTP()), product)
	}
}

// veeamGrant is an auth.Credential as a program might write it: it runs the
// Veeam password grant itself, through the client's pipeline, and uses the
// refresh token of the client's previous token when there is one. It
// records what the client asked for.
type veeamGrant struct {
	user, password string

	mu    sync.Mutex
	asked []auth.TokenRequest
}

func (g *veeamGrant) GetToken(ctx context.Context, req auth.TokenRequest) (auth.Token, error) {
	g.mu.Lock()
	g.asked = append(g.asked, req)
	g.mu.Unlock()
	form := url.Values{"grant_type": {"password"}, "username": {g.user}, "password": {g.password}}
	if req.Previous != nil && req.Previous.RefreshToken != "" {
		form = url.Values{"grant_type": {"refresh_token"}, "refresh_token": {req.Previous.RefreshToken}}
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, req.Endpoint+"/api/v1/token", strings.NewReader(form.Encode()))
	if err != nil {
		return auth.Token{}, err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := req.HTTPClient.Do(r)
	if err != nil {
		return auth.Token{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return auth.Token{}, fmt.Errorf("token endpoint answered %s", resp.Status)
	}
	var body struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int    `json:"expires_in"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return auth.Token{}, err
	}
	return auth.Token{AccessToken: body.AccessToken, RefreshToken: body.RefreshToken, TokenType: "bearer",
		Expiry: time.Now().Add(time.Duration(body.ExpiresIn) * time.Second)}, nil
}

func (g *veeamGrant) request(i int) auth.TokenRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.asked[i]
}

func (g *veeamGrant) requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.asked)
}

// A credential of the user's own drives a client like the built-in ones:
// asked once, with the client's endpoint, version and pipeline, given the
// previous token after a 401, and none after Logout.
func TestUserCredential(t *testing.T) {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret-pw"), vbawsfake.WithOrganizations(2))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	cred := &veeamGrant{user: "admin", password: "s3cret-pw"}
	c, err := vbaws.NewClient(srv.URL(), cred, option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)

	orgs, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, orgs.Results, 2)
	require.Equal(t, 1, cred.requests())
	first := cred.request(0)
	assert.Equal(t, "vbaws", first.Product)
	assert.Equal(t, srv.URL(), first.Endpoint)
	assert.Equal(t, vbaws.APIVersion, first.APIVersion)
	assert.NotNil(t, first.HTTPClient, "the client's pipeline, which trusts the fake's certificate")
	assert.Nil(t, first.Previous)
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, tok.RefreshToken)

	// The server drops the token: one 401, one new token by refresh.
	srv.Tokens.ExpireAll()
	_, err = c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 2, cred.requests())
	require.NotNil(t, cred.request(1).Previous)
	assert.Equal(t, tok.RefreshToken, cred.request(1).Previous.RefreshToken)
	assert.Equal(t, map[string]int{"password": 1, "refresh_token": 1}, srv.Tokens.Requests())

	// After Logout the credential starts afresh.
	require.NoError(t, c.Logout(ctx))
	require.NoError(t, c.Login(ctx))
	require.Equal(t, 3, cred.requests())
	assert.Nil(t, cred.request(2).Previous)
	assert.Equal(t, map[string]int{"password": 2, "refresh_token": 1}, srv.Tokens.Requests())

	// Its errors reach the caller as they are.
	bad, err := vbaws.NewClient(srv.URL(), &veeamGrant{user: "admin", password: "wrong"}, option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	err = bad.Login(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "401")
}

// auth.StaticToken carries a session obtained elsewhere to another client,
// of any product: here an Enterprise Manager logon session, whose ID lets
// the second client end it.
func TestStaticTokenSharesASession(t *testing.T) {
	ctx := context.Background()
	srv, first := startVBEM(t, nil)
	tok, err := first.Token(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, srv.Logons())

	second, err := vbem.NewClient(srv.URL(), auth.StaticToken(tok), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = second.Accounts.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Logons(), "the second client did not log on")

	require.NoError(t, second.Logout(ctx))
	assert.Zero(t, srv.SessionCount(), "Logout ended the session by its ID")
	_, err = first.Accounts.List(ctx)
	require.NoError(t, err, "the first client logs on again after its 401")
	assert.Equal(t, 2, srv.Logons())

	// Without an ID, Logout cannot end the session and says so.
	third, err := vbem.NewClient(srv.URL(), auth.StaticToken(auth.Token{AccessToken: srv.Tokens()[0]}), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	require.NoError(t, third.Login(ctx))
	err = third.Logout(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SessionId")
	assert.Equal(t, 1, srv.SessionCount(), "the session is still open")
}
