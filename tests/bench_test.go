package tests

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// benchServer answers the token endpoint and a fixed page of 100
// organizations, with no validation, so the benchmarks measure the client.
func benchServer(b *testing.B) (*httptest.Server, []byte) {
	b.Helper()
	page := vbawsapi.AmazonOrganizationsPage{TotalCount: 100}
	for i := range 100 {
		d := fmt.Sprintf("Organization number %d used for benchmarks", i)
		page.Results = append(page.Results, vbawsapi.AmazonOrganization{
			ID: uuid.New(), Name: fmt.Sprintf("org-%03d", i), OrganizationID: fmt.Sprintf("o-%010d", i),
			Description: &d, ScopeType: vbawsapi.AmazonOrganizationScopeTypeFull,
			RescanIAMRole: &vbawsapi.IAMRoleReference{ID: uuid.New(), Name: to.Ptr("OrgRescanRole")},
		})
	}
	body, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/token" {
			_, _ = w.Write([]byte(`{"access_token":"bench","token_type":"bearer","refresh_token":"r","expires_in":3600}`))
			return
		}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv, body
}

// BenchmarkVBAWSList compares Organizations.List through the SDK with the
// same call made with plain net/http and encoding/json, in the same run.
func BenchmarkVBAWSList(b *testing.B) {
	srv, body := benchServer(b)
	ctx := context.Background()

	b.Run("baseline-nethttp", func(b *testing.B) {
		hc := srv.Client()
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/organizations/amazon", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer bench")
			req.Header.Set("x-api-version", vbaws.APIVersion)
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var page vbawsapi.AmazonOrganizationsPage
			err = json.NewDecoder(resp.Body).Decode(&page)
			_, _ = io.Copy(io.Discard, resp.Body) // keep the connection reusable
			_ = resp.Body.Close()
			if err != nil || len(page.Results) != 100 {
				b.Fatal(err, len(page.Results))
			}
		}
	})

	b.Run("sdk", func(b *testing.B) {
		caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		c, err := vbaws.NewClient(srv.URL, vbaws.PasswordCredentials("u", "p"), option.WithCACert(caPEM))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			page, err := c.Organizations.List(ctx, nil)
			if err != nil || len(page.Results) != 100 {
				b.Fatal(err)
			}
		}
	})
}
