package tests

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// policiesPayload builds n protection policies from the spec's example,
// trimmed to the members a typical policy carries, so that 100 of them make
// about 57 KB of JSON.
func policiesPayload(tb testing.TB, n int) []byte {
	tb.Helper()
	doc, err := ibmDoc()
	if err != nil {
		tb.Fatal(err)
	}
	ex, err := json.Marshal(doc.Components.Schemas["ProtectionPolicyResponse"].Value.Example)
	if err != nil {
		tb.Fatal(err)
	}
	var full map[string]any
	if err := json.Unmarshal(ex, &full); err != nil {
		tb.Fatal(err)
	}
	keep := map[string]bool{"id": true, "name": true, "description": true, "backupPolicy": true, "retryOptions": true,
		"version": true, "isCBSEnabled": true, "isUsable": true, "isReplicated": true,
		"numProtectionGroups": true, "numProtectedObjects": true, "lastModificationTimeUsecs": true, "templateId": true}
	var policies []map[string]any
	for i := range n {
		p := map[string]any{}
		for k, v := range full {
			if keep[k] {
				p[k] = v
			}
		}
		if bp, ok := p["backupPolicy"].(map[string]any); ok {
			if reg, ok := bp["regular"].(map[string]any); ok {
				p["backupPolicy"] = map[string]any{"regular": map[string]any{"incremental": reg["incremental"], "retention": reg["retention"]}}
			}
		}
		p["id"] = fmt.Sprintf("5387862916419328:1699999999999:%d", i)
		p["name"] = fmt.Sprintf("policy-%03d", i)
		policies = append(policies, p)
	}
	body, err := json.Marshal(map[string]any{"policies": policies})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// ibmBenchServer answers IAM and the policies list with a fixed body, with
// no validation, so the benchmark measures the client.
func ibmBenchServer(tb testing.TB, body []byte) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/identity/token" {
			_, _ = io.WriteString(w, `{"access_token":"bench","token_type":"Bearer","expires_in":3600}`)
			return
		}
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkIBMGetProtectionPolicies compares Policies.List through the SDK
// with the same call made with plain net/http and encoding/json, in the
// same run: the target is at most 1.15x the time and 1.25x the
// allocations of the baseline.
func BenchmarkIBMGetProtectionPolicies(b *testing.B) {
	body := policiesPayload(b, 100)
	srv := ibmBenchServer(b, body)
	ctx := context.Background()
	url := srv.URL + "/v2/data-protect/policies"

	b.Run("baseline-nethttp", func(b *testing.B) {
		hc := srv.Client()
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer bench")
			req.Header.Set("X-IBM-Tenant-Id", "tenant-a/")
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out ibmbrapi.ProtectionPoliciesResponse
			err = json.NewDecoder(resp.Body).Decode(&out)
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if err != nil || len(out.Policies) != 100 {
				b.Fatal(err)
			}
		}
	})

	b.Run("sdk", func(b *testing.B) {
		caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		c, err := ibmbr.NewClient(srv.URL+"/v2", ibmbr.APIKey("k", ibmbr.WithIAMURL(srv.URL)),
			ibmbr.WithTenant("tenant-a/"), option.WithCACert(caPEM))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			out, err := c.Policies.List(ctx, nil)
			if err != nil || len(out.Policies) != 100 {
				b.Fatal(err)
			}
		}
	})
}

func TestIBMBenchPayloadSize(t *testing.T) {
	body := policiesPayload(t, 100)
	kb := len(body) / 1024
	if kb < 45 || kb > 70 || !strings.HasPrefix(string(body), `{"policies":[`) {
		t.Fatalf("payload of %d KB, want about 57 KB of policies", kb)
	}
}
