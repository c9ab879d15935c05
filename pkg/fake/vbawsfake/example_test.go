package vbawsfake_test

import (
	"testing"

	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// TestYourCodeAgainstTheFake is the shape of a test of code that uses the
// client (the README's "Testing your own code" shows its body): a fake with
// a user and some organizations, a spec violation failing the test, and the
// fake's call counts to check what the code sent.
func TestYourCodeAgainstTheFake(t *testing.T) {
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "pw"), vbawsfake.WithOrganizations(10))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "pw"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		t.Fatal(err)
	}

	// The code under test runs here, with c.
	n := 0
	for _, err := range c.Organizations.All(t.Context(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 10 {
		t.Errorf("%d organizations, want 10", n)
	}
	if calls := srv.Calls()["AmazonOrganizationsGetAll"]; calls != 1 {
		t.Errorf("%d list requests, want 1", calls)
	}
}
