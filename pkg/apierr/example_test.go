package apierr_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// report is what a program does with the error of a call (docs/errors.md
// shows its body): the sentinels first, then the fields of any other
// answer, then everything that is not an HTTP answer.
func report(err error) {
	var apiErr *apierr.Error
	switch {
	case err == nil:
		fmt.Println("ok")
	case errors.Is(err, apierr.ErrNotFound):
		fmt.Println("404: gone, or never there")
	case errors.Is(err, apierr.ErrInvalidCredentials):
		fmt.Println("the login was refused: wrong password, API key or MFA code")
	case errors.Is(err, apierr.ErrMFARequired):
		fmt.Println("MFA is on for this user and no auth.WithMFA callback was given")
	case errors.As(err, &apiErr):
		fmt.Printf("HTTP %d, code %s, request %q\n", apiErr.StatusCode, apiErr.Code, apiErr.RequestID)
	default:
		fmt.Println("not an HTTP answer (a refused connection, a cancelled context, bad input):", err)
	}
}

// ExampleError sorts the failures of a few calls with report.
func ExampleError() {
	ctx := context.Background()
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "s3cret"), vbawsfake.WithMFA("246810"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	org := srv.AddOrganization("prod")
	client := func(password string, opts ...auth.CredentialOption) *vbaws.Client {
		c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", password, opts...),
			option.WithCACert(srv.CACertPEM()))
		if err != nil {
			panic(err)
		}
		return c
	}
	c := client("s3cret", auth.WithMFA(func(context.Context) (string, error) { return "246810", nil }))

	_, err = c.Organizations.Get(ctx, org.ID)
	report(err)
	_, err = c.Organizations.Get(ctx, uuid.New())
	report(err)
	report(client("wrong").Login(ctx))
	report(client("s3cret").Login(ctx)) // no MFA callback
	_, err = c.Organizations.Add(ctx, vbawsapi.CreateAmazonOrganizationSpec{Organization: vbawsapi.AmazonOrganizationSpec{
		Name: "prod", RescanIAMRoleID: uuid.New(), BackupRestoreIAMRoleName: "VeeamBackupRestoreRole",
		ScopeType: vbawsapi.AmazonOrganizationScopeTypeFull,
	}})
	report(err)
	_, err = c.Organizations.List(ctx, &vbaws.ListOrganizationsOptions{Limit: -1})
	report(err)
	// Output:
	// ok
	// 404: gone, or never there
	// the login was refused: wrong password, API key or MFA code
	// MFA is on for this user and no auth.WithMFA callback was given
	// HTTP 400, code UnexpectedContent, request ""
	// not an HTTP answer (a refused connection, a cancelled context, bad input): vbaws: ListOrganizationsOptions.Limit must be at least 0
}

// ExampleRedact keeps secrets out of a program's own logs with the
// functions the SDK uses for its errors and log records.
func ExampleRedact() {
	body := `{"userName":"admin","password":"hunter2","refresh_token":"eyJhbGciOi"}`
	fmt.Println("appliance said:", apierr.Redact(body))

	header := http.Header{"Accept": {"application/json"}, "X-RestSvcSessionId": {"NDRjZmJkYmUtNWY"}}
	for _, name := range []string{"Accept", "X-RestSvcSessionId"} {
		value := header.Get(name)
		if apierr.IsSensitive(name) {
			value = apierr.Redacted
		}
		fmt.Printf("%s: %s\n", name, value)
	}
	// Output:
	// appliance said: {"userName":"admin","password":"[REDACTED]","refresh_token":"[REDACTED]"}
	// Accept: application/json
	// X-RestSvcSessionId: [REDACTED]
}
