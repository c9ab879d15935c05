package vbaws_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// The examples run against vbawsfake, an in-memory Veeam Backup for AWS
// appliance that serves TLS with a self-signed certificate, as a real one
// does. Ids it hands out are random, so the examples print names, counts
// and statuses only.

// Example walks through a session with the client: connect, list
// organizations, read one, log out.
func Example() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithOrganizations(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = c.Logout(ctx) }()

	var first uuid.UUID
	for org, err := range c.Organizations.All(ctx, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if first == uuid.Nil {
			first = org.ID
		}
		fmt.Println(org.Name, org.ScopeType)
	}
	org, err := c.Organizations.Get(ctx, first)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("got", org.Name)
	// Output:
	// org-0001 Full
	// org-0002 Full
	// org-0003 Full
	// got org-0001
}

// ExampleNewClient connects to an appliance with a self-signed certificate
// by trusting that certificate, read from a PEM file, in addition to the
// system roots. Verification stays on: without WithCACertFile the TLS
// handshake fails, and WithInsecureSkipVerify is never needed.
func ExampleNewClient() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	// On a real appliance, export its certificate once; here the fake
	// hands it out.
	dir, err := os.MkdirTemp("", "vbaws-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()
	caFile := filepath.Join(dir, "vbaws-ca.pem")
	if err := os.WriteFile(caFile, srv.CACertPEM(), 0o600); err != nil {
		fmt.Println(err)
		return
	}

	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACertFile(caFile))
	if err != nil {
		fmt.Println(err)
		return
	}
	// NewClient sends nothing; Login logs in now, so that an untrusted
	// certificate or wrong credentials show up here.
	if err := c.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("logged in, x-api-version", c.APIVersion())
	// Output:
	// logged in, x-api-version 1.7-rev0
}

// ExamplePasswordCredentials logs in with a user name and password. The
// credentials and the token print without their secrets, so they are safe
// in logs.
func ExamplePasswordCredentials() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	creds := vbaws.PasswordCredentials("admin", "s3cret")
	fmt.Println(creds)

	c, err := vbaws.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := c.Token(ctx) // logs in if needed
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("type:", tok.TokenType, "valid:", tok.Valid(), "refresh token:", tok.RefreshToken != "")
	fmt.Println("grants:", srv.Tokens.Requests())

	// A wrong password fails at the first call (or at Login).
	bad, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "wrong"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = bad.Login(ctx)
	fmt.Println("invalid credentials:", errors.Is(err, apierr.ErrInvalidCredentials))
	// Output:
	// Credentials{grant=password user=admin password=[REDACTED] mfa=false}
	// type: bearer valid: true refresh token: true
	// grants: map[password:1]
	// invalid credentials: true
}

// ExampleRefreshTokenCredentials logs in again later without the password,
// with the refresh token of an earlier login.
func ExampleRefreshTokenCredentials() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	first, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := first.Token(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}

	// Store tok.RefreshToken as a secret; later:
	later, err := vbaws.NewClient(srv.URL(), vbaws.RefreshTokenCredentials(tok.RefreshToken),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := later.Organizations.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("organizations:", page.TotalCount)
	fmt.Println("grants:", srv.Tokens.Requests())
	// Output:
	// organizations: 0
	// grants: map[password:1 refresh_token:1]
}

// Example_mfa logs in as a user with multi-factor authentication. The
// appliance answers the password with a challenge; the client calls the
// auth.WithMFA callback for the current one-time code and answers it.
func Example_mfa() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithMFA("246810"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	prompts := 0
	totp := func(ctx context.Context) (string, error) {
		prompts++
		return "246810", nil // in real code: ask the user, or compute the TOTP
	}
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret", auth.WithMFA(totp)),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.Organizations.List(ctx, nil); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := c.Organizations.List(ctx, nil); err != nil { // same token, no new prompt
		fmt.Println(err)
		return
	}
	fmt.Println("prompts:", prompts)
	fmt.Println("grants:", srv.Tokens.Requests())

	// Without a callback, the login stops at the challenge.
	noMFA, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = noMFA.Login(ctx)
	fmt.Println("MFA required:", errors.Is(err, apierr.ErrMFARequired))
	// Output:
	// prompts: 1
	// grants: map[mfa:1 password:1]
	// MFA required: true
}

// Example_refresh shows what the client does when the appliance no longer
// accepts its access token: the call is answered 401, the client renews the
// token with the refresh token (no password, no MFA prompt) and sends the
// call again. The caller sees only the successful answer.
func Example_refresh() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithOrganizations(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after login:", srv.Tokens.Requests())

	srv.Tokens.ExpireAll() // the appliance now rejects the access token
	page, err := c.Organizations.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("organizations:", page.TotalCount)
	fmt.Println("after expiry:", srv.Tokens.Requests())
	// Output:
	// after login: map[password:1]
	// organizations: 2
	// after expiry: map[password:1 refresh_token:1]
}

// Example_logout revokes the access token on the appliance. The client can
// still be used: its next call logs in again.
func Example_logout() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Login(ctx); err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Logout(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("logouts:", srv.Calls()["SignOut"])

	if _, err := c.Organizations.List(ctx, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("grants:", srv.Tokens.Requests())
	// Output:
	// logouts: 1
	// grants: map[password:2]
}

// ExampleOrganizationsService_All ranges over every organization that
// matches a search. All fetches a page at a time (Limit items, here 2), only
// as far as the loop goes, and yields an error at most once.
func ExampleOrganizationsService_All() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithOrganizations(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.AddOrganization("prod-eu")
	srv.AddOrganization("prod-us")
	srv.AddOrganization("prod-ap")

	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	for org, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{SearchPattern: "prod", Limit: 2}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
		fmt.Println(org.Name)
	}
	fmt.Println(n, "organizations in", srv.Calls()["AmazonOrganizationsGetAll"], "pages")
	// Output:
	// prod-eu
	// prod-us
	// prod-ap
	// 3 organizations in 2 pages
}

// ExampleOrganizationsService_Get tells a missing organization from other
// failures. Every failed call returns an *apierr.Error: errors.Is matches
// the sentinel of its status, errors.As gives its fields.
func ExampleOrganizationsService_Get() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Organizations.Get(ctx, uuid.New())
	fmt.Println("not found:", errors.Is(err, apierr.ErrNotFound))

	var apiErr *apierr.Error
	if errors.As(err, &apiErr) {
		fmt.Println("status:", apiErr.StatusCode)
		fmt.Println("code:", apiErr.Code)
		fmt.Println("method:", apiErr.Method)
	}
	// Output:
	// not found: true
	// status: 404
	// code: NotFound
	// method: GET
}

// ExampleOrganizationsService_Export streams the organizations as CSV. The
// body is read as it arrives, never held in memory as a whole; close it when
// done.
func ExampleOrganizationsService_Export() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.AddOrganization("prod")
	srv.AddOrganization("staging")

	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}
	body, err := c.Organizations.Export(ctx, vbaws.ExportCSV)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = body.Close() }()

	r := csv.NewReader(body)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rec[0], "|", rec[2]) // Name | Scope (column 1 is the random AWS id)
	}
	// Output:
	// Name | Scope
	// prod | Full
	// staging | Full
}
