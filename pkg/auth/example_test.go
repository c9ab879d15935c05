package auth_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// rotatingPassword is a Credential of one's own: it reads the current
// password from a secret store whenever the client needs a token, so that a
// password rotated in the store is picked up without building a new client,
// and leaves the Veeam grants (refresh token first, MFA) to auth.Password.
type rotatingPassword struct {
	user    string
	current func(ctx context.Context) (string, error) // the secret store
}

// GetToken is called by the client's credential cache: once for all its
// goroutines, ahead of expiry, after a 401 and after Logout.
func (r rotatingPassword) GetToken(ctx context.Context, req auth.TokenRequest) (auth.Token, error) {
	pw, err := r.current(ctx)
	if err != nil {
		return auth.Token{}, fmt.Errorf("read the password of %s: %w", r.user, err)
	}
	return auth.Password(r.user, pw).GetToken(ctx, req)
}

// ValidFor makes NewClient refuse the credential, before any request, for a
// product without the Veeam token endpoint.
func (r rotatingPassword) ValidFor(product string) error {
	if product != "vbaws" && product != "vbgc" {
		return fmt.Errorf("rotatingPassword works with vbaws and vbgc only, not with %s", product)
	}
	return nil
}

// A program can implement Credential itself, for example to read a secret
// from a vault at login time. The client calls GetToken with its endpoint,
// its pipeline (without the auth link) and its previous token.
func ExampleCredential() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "from-the-vault"), vbawsfake.WithOrganizations(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	var reads atomic.Int32
	cred := rotatingPassword{user: "admin", current: func(context.Context) (string, error) {
		reads.Add(1)
		return "from-the-vault", nil
	}}
	c, err := vbaws.NewClient(srv.URL(), cred, option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		if _, err := c.Organizations.List(ctx, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("password reads after 3 calls:", reads.Load())

	// Logout forgets the token; the next call logs in, reading the store again.
	if err := c.Logout(ctx); err != nil {
		fmt.Println(err)
		return
	}
	orgs, err := c.Organizations.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("organizations:", len(orgs.Results))
	fmt.Println("password reads after logout:", reads.Load())
	// Output:
	// password reads after 3 calls: 1
	// organizations: 2
	// password reads after logout: 2
}
