package transport_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// ExampleWithCaptureResponse reads the HTTP response of a call that
// succeeded: its status and headers, such as the request id an appliance
// sends (X-Request-Id and the like; a failed call has it in
// apierr.Error.RequestID). The body has already been read and closed.
func ExampleWithCaptureResponse() {
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

	var resp *http.Response // one per call: a context records into one destination
	page, err := c.Organizations.List(transport.WithCaptureResponse(ctx, &resp), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("organizations:", page.TotalCount)
	fmt.Println(resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Printf("request id: %q\n", resp.Header.Get("X-Request-Id")) // the fake sends none
	// Output:
	// organizations: 2
	// GET /api/v1/organizations/amazon 200 application/json
	// request id: ""
}

// ExampleWithRetrySafe marks a POST that only reads as safe to repeat, so
// that it is retried on 408, 429, 502, 503, 504 and connection resets like
// a GET. POSTs are not retried otherwise.
func ExampleWithRetrySafe() {
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
	orgs, err := c.Organizations.List(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	id := orgs.Results[0].ID

	// identitiesInDb is a POST that only reads the organization's structure.
	page, err := c.Organizations.IdentitiesInDB(transport.WithRetrySafe(ctx), id, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("identities:", page.TotalCount)
	// Output:
	// identities: 3
}
