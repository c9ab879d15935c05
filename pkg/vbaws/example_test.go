package vbaws_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
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

// writeCAFile stands for the PEM file of a real appliance's certificate
// (see docs/tls.md for how to fetch it): it writes the fake's certificate
// to a temporary file and returns its path and a function that removes it.
func writeCAFile(srv *vbawsfake.Server) (string, func(), error) {
	dir, err := os.MkdirTemp("", "vbaws-example")
	if err != nil {
		return "", nil, err
	}
	path := filepath.Join(dir, "vbaws-ca.pem")
	if err := os.WriteFile(path, srv.CACertPEM(), 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, err
	}
	return path, func() { _ = os.RemoveAll(dir) }, nil
}

// connect is how a program connects to an appliance: its address, a user
// with MFA, and the file of the appliance's self-signed certificate. It
// logs in at once, so that a wrong password, a wrong MFA code or an
// untrusted certificate shows up at start-up. (docs/getting-started.md and
// docs/authentication.md show its body.)
func connect(ctx context.Context, endpoint, caFile, password string, promptTOTP auth.MFAFunc) (*vbaws.Client, error) {
	c, err := vbaws.NewClient(endpoint, // for example https://vbaws.example.com:11005 (vbaws.DefaultPort)
		vbaws.PasswordCredentials("admin", password, auth.WithMFA(promptTOTP)),
		option.WithCACertFile(caFile)) // the appliance's self-signed certificate
	if err != nil {
		return nil, err
	}
	// Optional: the first call would log in anyway.
	if err := c.Login(ctx); err != nil {
		return nil, fmt.Errorf("log in to %s: %w", endpoint, err)
	}
	return c, nil
}

// ExampleNewClient_mfa connects as a user with multi-factor authentication
// to an appliance whose certificate is in a file, with connect.
func ExampleNewClient_mfa() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithMFA("246810"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	caFile, remove, err := writeCAFile(srv)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer remove()

	promptTOTP := func(context.Context) (string, error) { return "246810", nil }
	c, err := connect(ctx, srv.URL(), caFile, "s3cret", promptTOTP)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = c.Logout(ctx) }()
	fmt.Println("grants:", srv.Tokens.Requests())

	_, err = connect(ctx, srv.URL(), caFile, "wrong", promptTOTP)
	fmt.Println("wrong password refused:", errors.Is(err, apierr.ErrInvalidCredentials))
	// Output:
	// grants: map[mfa:1 password:1]
	// wrong password refused: true
}

// listProduction is the code of the README's usage section: connect with a
// debug log, list the organizations whose names match "prod", and tell a
// missing organization from other failures.
func listProduction(ctx context.Context, endpoint, caFile, password string, promptTOTP auth.MFAFunc, id uuid.UUID) error {
	creds := vbaws.PasswordCredentials("admin", password, auth.WithMFA(promptTOTP))
	// The client logs every HTTP try (method, redacted URL, status, time) at
	// debug level, so the logger must have debug enabled.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := vbaws.NewClient(endpoint, creds, // https://vbaws.example.com:11005
		option.WithCACertFile(caFile), // the appliance's self-signed certificate
		option.WithLogger(logger))
	if err != nil {
		return err
	}
	defer func() { _ = c.Logout(ctx) }()

	for org, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{SearchPattern: "prod"}) {
		if err != nil {
			return fmt.Errorf("list organizations: %w", err)
		}
		fmt.Println(org.Name, org.ScopeType)
	}

	_, err = c.Organizations.Get(ctx, id)
	var apiErr *apierr.Error
	if errors.Is(err, apierr.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Printf("no such organization (status %d, code %s)\n", apiErr.StatusCode, apiErr.Code)
	}
	return nil
}

// Example_usage runs listProduction, the README's usage example, against
// the fake. Its debug log goes to standard error.
func Example_usage() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithMFA("246810"), vbawsfake.WithOrganizations(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	srv.AddOrganization("prod-eu")
	srv.AddOrganization("prod-us")
	caFile, remove, err := writeCAFile(srv)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer remove()

	promptTOTP := func(context.Context) (string, error) { return "246810", nil }
	if err := listProduction(ctx, srv.URL(), caFile, "s3cret", promptTOTP, uuid.New()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// prod-eu Full
	// prod-us Full
	// no such organization (status 404, code NotFound)
}

// ExampleOrganizationsService_All_break stops after 15 organizations. All
// fetches a page when the loop needs its first item, so 15 items in pages
// of 10 cost two requests, however many organizations there are.
func ExampleOrganizationsService_All_break() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithOrganizations(50))
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

	n := 0
	for org, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{Limit: 10}) {
		if err != nil {
			fmt.Println(err) // an *apierr.Error, a context error, ...
			return
		}
		if n++; n == 15 {
			fmt.Println("the 15th:", org.Name)
			break // no further page is fetched
		}
	}
	fmt.Println("pages fetched:", srv.Calls()["AmazonOrganizationsGetAll"])
	// Output:
	// the 15th: org-0015
	// pages fetched: 2
}

// ExampleOrganizationsService_List reads one page, and then every match
// with All, with the same options: a search pattern, a page size and an
// order.
func ExampleOrganizationsService_List() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithOrganizations(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	for _, name := range []string{"prod-us", "prod-eu", "prod-ap"} {
		srv.AddOrganization(name)
	}
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"),
		option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}

	opts := &vbaws.ListOrganizationsOptions{
		SearchPattern: "prod*", // '*' is a wildcard
		Limit:         2,
		Sort:          []vbawsapi.AmazonOrganizationSortColumns{vbawsapi.AmazonOrganizationSortColumnsNameAsc},
	}
	page, err := c.Organizations.List(ctx, opts) // the first 2; TotalCount counts every match
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("first page:", len(page.Results), "of", page.TotalCount)
	for org, err := range c.Organizations.All(ctx, opts) { // every match, 2 a request
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(org.Name)
	}
	// Output:
	// first page: 2 of 3
	// prod-ap
	// prod-eu
	// prod-us
}

// ExampleClient_Raw calls an operation through the generated client, for
// what the services do not cover. The request goes through the same
// pipeline: login, retries, logging; the x-api-version header is filled in.
func ExampleClient_Raw() {
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

	resp, err := c.Raw().AmazonOrganizationsGetAllWithResponse(ctx, &vbawsapi.AmazonOrganizationsGetAllParams{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if resp.JSON200 == nil { // Raw leaves the status to you
		fmt.Println("status", resp.StatusCode())
		return
	}
	fmt.Println(resp.StatusCode(), "organizations:", resp.JSON200.TotalCount)
	// Output:
	// 200 organizations: 2
}

// ExampleSessionsService_Wait starts a rescan and waits for its session:
// Rescan, Add and TestConfiguration answer with a SessionLink at once, and
// Sessions.Wait polls the session until it has ended.
func ExampleSessionsService_Wait() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithOrganizations(1))
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
	page, err := c.Organizations.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	org := page.Results[0]

	link, err := c.Organizations.Rescan(ctx, vbawsapi.AmazonOrganizationRescanSpec{
		RescanIAMRoleID: org.RescanIAMRole.ID, RescanStorageType: vbawsapi.AmazonOrganizationRescanStorageTypeDatabase,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	session, err := c.Sessions.Wait(ctx, link.SessionID, &poll.Options{
		Interval: 10 * time.Millisecond, // the default starts at 1s and grows to 15s
		OnPoll:   func(s any) { fmt.Println(" ", s.(*vbawsapi.Session).Status) },
	})
	if errors.Is(err, vbaws.ErrSessionFailed) { // a *vbaws.SessionError
		fmt.Println("failed:", to.Value(session.Reason))
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(session.Type, to.Value(session.Result))
	// Output:
	//   Running
	//   Succeeded
	// OrganizationRescan Success
}

// Example_context bounds a call with its context: a deadline covers the
// call with its retries and backoff, and a cancelled context ends it at
// once.
func Example_context() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithOrganizations(1))
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

	callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	page, err := c.Organizations.List(callCtx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("organizations:", page.TotalCount)

	gone, stop := context.WithCancel(ctx)
	stop() // say, the user gave up
	_, err = c.Organizations.List(gone, nil)
	fmt.Println("canceled:", errors.Is(err, context.Canceled))
	// Output:
	// organizations: 1
	// canceled: true
}

// Example_startBackupAndWait starts an EC2 backup policy and waits for its
// session; the backup leaves a restore point of each instance it protects.
func Example_startBackupAndWait() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}

	policies, err := c.EC2Policies.List(ctx, &vbaws.ListEC2PoliciesOptions{SearchPattern: "Web servers"})
	if err != nil || len(policies.Results) == 0 {
		fmt.Println("no policy:", err)
		return
	}
	policy := policies.Results[0]
	link, err := c.EC2Policies.Start(ctx, policy.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Against an appliance, leave the poll options nil (1s, growing to 15s).
	session, err := c.Sessions.Wait(ctx, link.SessionID, &poll.Options{Interval: 10 * time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(policy.Name, session.Type, session.Status)
	items, err := c.Sessions.ProtectedItems(ctx, link.SessionID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range items.Results {
		fmt.Println("protected", it.Name, *it.Status)
	}
	// Output:
	// Web servers Policy Succeeded
	// protected web-01 Succeeded
	// protected web-02 Succeeded
}

// Example_restoreEC2Instance restores an EC2 instance from its newest
// restore point under a new name, and waits for the restore.
func Example_restoreEC2Instance() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "s3cret"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		fmt.Println(err)
		return
	}

	vms, err := c.EC2Instances.List(ctx, &vbaws.ListEC2InstancesOptions{SearchPattern: "web-01"})
	if err != nil || len(vms.Results) != 1 {
		fmt.Println("no instance:", err)
		return
	}
	newest, err := c.EC2RestorePoints.List(ctx, &vbaws.ListEC2RestorePointsOptions{VirtualMachineID: &vms.Results[0].ID,
		Sort: []vbawsapi.VMRestorePointsSortColumns{vbawsapi.VMRestorePointsSortColumnsPointInTimeDesc}, Limit: 1})
	if err != nil || len(newest.Results) != 1 {
		fmt.Println("no restore point:", err)
		return
	}
	opts := vbawsapi.VirtualMachineRestoreOptions{Reason: to.Ptr("restore drill"), StartInstance: to.Ptr(false),
		ToAlternative: &vbawsapi.VirtualMachineToAlternativeRestoreOptions{Name: "web-01-restored", RegionID: uuid.New(),
			VMType: "t3.medium", SubnetID: "subnet-0abc", NetworkSecurityGroupID: "sg-0abc"}}
	msgs, err := c.EC2RestorePoints.ValidateRestoreInstance(ctx, newest.Results[0].ID, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("validation messages:", len(msgs))
	link, err := c.EC2RestorePoints.RestoreInstance(ctx, newest.Results[0].ID, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	session, err := c.Sessions.Wait(ctx, link.SessionID, &poll.Options{Interval: 10 * time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	restored, err := c.Sessions.RestoredItems(ctx, link.SessionID, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(session.Type, session.Status, restored.Results[0].Name)
	// Output:
	// validation messages: 0
	// RestoreTask Succeeded web-01-restored
}
