package auth_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/backupsdk/backupsdk/pkg/apierr"
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

// logIn logs a client in and says what went wrong, for the two failures a
// user can fix: MFA that the program does not answer, and wrong
// credentials.
func logIn(ctx context.Context, c *vbaws.Client) error {
	if err := c.Login(ctx); err != nil {
		var mfa *auth.MFARequiredError
		switch {
		case errors.As(err, &mfa):
			fmt.Println("this user needs MFA: add auth.WithMFA")
		case errors.Is(err, apierr.ErrInvalidCredentials):
			fmt.Println("wrong user name, password or MFA code")
		}
		return err
	}
	return nil
}

// ExampleMFARequiredError tells a login that needs a second factor from
// wrong credentials.
func ExampleMFARequiredError() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithMFA("246810"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	for _, creds := range []auth.Credential{
		vbaws.PasswordCredentials("admin", "s3cret"), // no auth.WithMFA
		vbaws.PasswordCredentials("admin", "wrong"),
		vbaws.PasswordCredentials("admin", "s3cret", auth.WithMFA(func(context.Context) (string, error) { return "246810", nil })),
	} {
		c, err := vbaws.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := logIn(ctx, c); err == nil {
			fmt.Println("logged in")
		}
	}
	// Output:
	// this user needs MFA: add auth.WithMFA
	// wrong user name, password or MFA code
	// logged in
}

// ExampleWithMFA answers the appliance's MFA challenge with the code the
// callback returns; the callback runs for every full password login, not
// for refreshes.
func ExampleWithMFA() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithMFA("246810"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	prompts := 0
	promptTOTP := func(ctx context.Context) (string, error) {
		prompts++
		return " 246810\n", nil // the code of the user's authenticator; spaces are trimmed
	}
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret", auth.WithMFA(promptTOTP)),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	srv.Tokens.ExpireAll() // the next call renews the token with the refresh token: no prompt
	if _, err := c.Organizations.List(ctx, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("prompts:", prompts, "grants:", srv.Tokens.Requests())
	// Output:
	// prompts: 1 grants: map[mfa:1 password:1 refresh_token:1]
}
