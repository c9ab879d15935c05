// Command quickstart shows the Veeam Backup for AWS client end to end against
// the built-in fake appliance: an MFA login, listing organizations with All,
// getting one, starting a rescan, a typed not-found error, and logout.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
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

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	// A fake appliance with a self-signed certificate, a user with MFA, and
	// a few organizations. Against a real one, skip this and use its URL.
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "demo-password"), vbawsfake.WithMFA("314159"), vbawsfake.WithOrganizations(5))
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Println("1. fake Veeam Backup for AWS appliance at", srv.URL())

	creds := vbaws.PasswordCredentials("admin", "demo-password", auth.WithMFA(func(context.Context) (string, error) {
		fmt.Println("   MFA requested: answering with the code from the authenticator app")
		return "314159", nil
	}))
	// WithCACert trusts the appliance's self-signed certificate; add
	// option.WithLogger(slog.Default()) to see each HTTP try at debug level.
	c, err := vbaws.NewClient(srv.URL(), creds, option.WithCACert(srv.CACertPEM()))
	if err != nil {
		return err
	}

	if err := c.Login(ctx); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	fmt.Println("2. logged in with password + MFA")

	fmt.Println("3. organizations (All, 2 per page, sorted by name):")
	var first vbawsapi.AmazonOrganization
	n := 0
	for org, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{Limit: 2, Sort: []vbawsapi.AmazonOrganizationSortColumns{vbawsapi.AmazonOrganizationSortColumnsNameAsc}}) {
		if err != nil {
			return fmt.Errorf("list organizations: %w", err)
		}
		if n == 0 {
			first = org
		}
		n++
		fmt.Printf("   %s  %-10s %s\n", org.ID, org.Name, org.OrganizationID)
	}

	org, err := c.Organizations.Get(ctx, first.ID)
	if err != nil {
		return fmt.Errorf("get organization: %w", err)
	}
	fmt.Printf("4. got %s: scope %s, rescan role %s\n", org.Name, org.ScopeType, org.RescanIAMRole.ID)

	session, err := c.Organizations.Rescan(ctx, vbawsapi.AmazonOrganizationRescanSpec{
		RescanIAMRoleID: org.RescanIAMRole.ID, RescanStorageType: vbawsapi.AmazonOrganizationRescanStorageTypeInMemory,
	})
	if err != nil {
		return fmt.Errorf("rescan: %w", err)
	}
	fmt.Println("5. rescan started, session", session.SessionID)
	ended, err := c.Sessions.Wait(ctx, session.SessionID, &poll.Options{Interval: 10 * time.Millisecond})
	if err != nil {
		return fmt.Errorf("rescan session: %w", err)
	}
	fmt.Printf("   session %s after %d ms\n", ended.Status, to.Value(ended.ExecutionDuration))
	structure, err := c.Organizations.IdentitiesInMemory(ctx, session.SessionID, nil, &vbaws.RescanIdentitiesOptions{ExpandChildNodes: to.Ptr(true)})
	if err != nil {
		return fmt.Errorf("rescan results: %w", err)
	}
	fmt.Printf("   found %d units and %d accounts\n", *structure.Statistics.UnitsCount, *structure.Statistics.AccountsCount)

	missing := uuid.New()
	_, err = c.Organizations.Get(ctx, missing)
	var apiErr *apierr.Error
	switch {
	case errors.Is(err, apierr.ErrNotFound) && errors.As(err, &apiErr):
		fmt.Printf("6. %s is not there: errors.Is(err, apierr.ErrNotFound) holds; status %d, code %s\n", missing, apiErr.StatusCode, apiErr.Code)
	default:
		return fmt.Errorf("expected a not-found error, got: %w", err)
	}

	if err := c.Logout(ctx); err != nil {
		return err
	}
	fmt.Println("7. logged out; the token is revoked")
	if v := srv.Violations(); len(v) > 0 {
		return fmt.Errorf("the fake saw %d spec violations, the first: %w", len(v), v[0])
	}
	fmt.Println("done: every request and response matched specs/vbaws/openapi.yaml")
	return nil
}
