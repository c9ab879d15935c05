package tests

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// fixedServer answers the Veeam token endpoint, the Enterprise Manager logon
// and any other path with body, without validation, so a benchmark measures
// the client.
func fixedServer(b *testing.B, body []byte) (*httptest.Server, []byte) {
	b.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/token":
			_, _ = io.WriteString(w, `{"access_token":"bench","token_type":"bearer","refresh_token":"r","expires_in":3600}`)
		case "/api/sessionMngr/":
			w.Header().Set("X-RestSvcSessionId", "bench-session")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"UserName":"u","SessionId":"6d7f2f0e-3d7b-4b8e-9d5a-2f4c1a0b9e11"}`)
		default:
			_, _ = w.Write(body)
		}
	}))
	b.Cleanup(srv.Close)
	return srv, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

// baseline is the same call made with plain net/http and encoding/json.
func baseline[T any](b *testing.B, srv *httptest.Server, path string, check func(*T) bool) {
	hc := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+path, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer bench")
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		v := new(T)
		err = json.NewDecoder(resp.Body).Decode(v)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if err != nil || !check(v) {
			b.Fatal("baseline decode", err)
		}
	}
}

// BenchmarkVBGCListPolicies compares VMPolicies.List (100 policies) with the
// same call through net/http and encoding/json, in the same run.
func BenchmarkVBGCListPolicies(b *testing.B) {
	doc, err := vbgcDoc()
	if err != nil {
		b.Fatal(err)
	}
	ex, _ := json.Marshal(doc.Components.Schemas["VmPolicyModel"].Value.Example)
	var policy map[string]any
	_ = json.Unmarshal(ex, &policy)
	var data []map[string]any
	for i := range 100 {
		p := map[string]any{}
		for k, v := range policy {
			p[k] = v
		}
		p["name"] = fmt.Sprintf("policy-%03d", i)
		data = append(data, p)
	}
	body, _ := json.Marshal(map[string]any{"data": data, "pagination": map[string]any{"offset": 0, "limit": 100, "totalCount": 100}})
	srv, ca := fixedServer(b, body)
	b.Run("baseline-nethttp", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		baseline(b, srv, "/api/v1/vmInstance/policies", func(l *vbgcapi.VMPolicyListModel) bool { return len(l.Data) == 100 })
	})
	b.Run("sdk", func(b *testing.B) {
		c, err := vbgc.NewClient(srv.URL, vbgc.PasswordCredentials("u", "p"), option.WithCACert(ca))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			l, err := c.VMPolicies.List(context.Background(), nil)
			if err != nil || len(l.Data) != 100 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVBEMListPasswords compares Passwords.List (100 passwords, JSON)
// with the same call through net/http and encoding/json.
func BenchmarkVBEMListPasswords(b *testing.B) {
	var items []map[string]any
	for i := range 100 {
		id := fmt.Sprintf("cacd84ea-5cc9-46b5-9e79-%012d", i)
		href := "https://em.example.com:9398/api/backupServers/50a1b2fb-b90a-4e05-816f-e298eb2f995c/passwords/" + id
		items = append(items, map[string]any{"Href": href, "Type": "PasswordKey", "Id": id, "Hint": fmt.Sprintf("vault key %d", i),
			"LastModificationDate": "2026-01-01T10:00:00Z", "Links": []any{map[string]any{"Rel": "Delete", "Href": href, "Type": "PasswordKey"}}})
	}
	body, _ := json.Marshal(map[string]any{"PasswordKeyInfos": items})
	srv, ca := fixedServer(b, body)
	path := "/api/backupServers/50a1b2fb-b90a-4e05-816f-e298eb2f995c/passwords"
	b.Run("baseline-nethttp", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		baseline(b, srv, path, func(l *vbemapi.PasswordKeyInfoList) bool { return len(l.PasswordKeyInfos) == 100 })
	})
	b.Run("sdk", func(b *testing.B) {
		c, err := vbem.NewClient(srv.URL, vbem.BasicCredentials("u", "p"), option.WithCACert(ca))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			l, err := c.Passwords.List(context.Background(), "50a1b2fb-b90a-4e05-816f-e298eb2f995c")
			if err != nil || len(l.PasswordKeyInfos) != 100 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAllFlatMemory iterates 100,000 organizations in pages of 1,000
// against the fake and reports the largest growth of the live heap (after a
// GC at each page) relative to one page's decoded size: it stays below 2 if
// the iterator holds one page at a time.
func BenchmarkAllFlatMemory(b *testing.B) {
	const total, pageSize = 100_000, 1_000
	srv, err := vbawsfake.Start(vbawsfake.WithUser("admin", "pw"), vbawsfake.WithOrganizations(total))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	c, err := vbaws.NewClient(srv.URL(), vbaws.PasswordCredentials("admin", "pw"), option.WithCACert(srv.CACertPEM()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	// One page, decoded and kept, is the unit.
	before := heap()
	page, err := c.Organizations.List(ctx, &vbaws.ListOrganizationsOptions{Limit: pageSize})
	if err != nil {
		b.Fatal(err)
	}
	onePage := heap() - before
	runtime.KeepAlive(page)
	page = nil //nolint:ineffassign,wastedassign // drop the page before measuring

	for b.Loop() {
		base := heap()
		var peak uint64
		n := 0
		for _, err := range c.Organizations.All(ctx, &vbaws.ListOrganizationsOptions{Limit: pageSize}) {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n%pageSize == 0 {
				if h := heap(); h > base && h-base > peak {
					peak = h - base
				}
			}
		}
		if n != total {
			b.Fatalf("iterated %d of %d", n, total)
		}
		b.ReportMetric(float64(peak)/float64(onePage), "peak/page")
		b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
		b.ReportMetric(float64(onePage)/(1<<20), "page-MiB")
	}
}

// BenchmarkExpiredTokenStampede: 1,000 goroutines need a credential that
// has expired. It reports how many token requests they caused (must be 1),
// the p99 and p50 of their wait for the credential (the single refresh takes
// 20 ms at the server), and the p99 of the whole call when they then all hit
// the API at once (new TLS connections dominate that figure).
func BenchmarkExpiredTokenStampede(b *testing.B) {
	var tokens atomic.Int32
	body := []byte(`{"results":[],"totalCount":0}`)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/token" {
			n := tokens.Add(1)
			time.Sleep(20 * time.Millisecond) // the identity service takes a while
			_, _ = fmt.Fprintf(w, `{"access_token":"t%d","token_type":"bearer","refresh_token":"r%d","expires_in":3600}`, n, n)
			return
		}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	p := func(lat []time.Duration, q int) float64 {
		slices.Sort(lat)
		return float64(lat[len(lat)*q/100].Microseconds()) / 1000
	}
	stampede := func(f func() error) []time.Duration {
		lat := make([]time.Duration, 1000)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range lat {
			wg.Go(func() {
				<-start
				t0 := time.Now()
				if err := f(); err != nil {
					b.Error(err)
				}
				lat[i] = time.Since(t0)
			})
		}
		close(start)
		wg.Wait()
		return lat
	}
	for b.Loop() {
		var mu sync.Mutex
		now := time.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		c, err := vbaws.NewClient(srv.URL, vbaws.PasswordCredentials("u", "p"), option.WithCACert(ca),
			option.WithCredentialCache(auth.CacheOptions{Now: clock}))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if _, err := c.Organizations.List(ctx, nil); err != nil {
			b.Fatal(err)
		}
		tokens.Store(0)
		mu.Lock()
		now = now.Add(2 * time.Hour) // the access token has expired
		mu.Unlock()
		wait := stampede(func() error { _, err := c.Token(ctx); return err })
		if n := tokens.Load(); n != 1 {
			b.Fatalf("%d token requests for 1,000 waiting goroutines, want 1", n)
		}
		mu.Lock()
		now = now.Add(2 * time.Hour)
		mu.Unlock()
		tokens.Store(0)
		calls := stampede(func() error { _, err := c.Organizations.List(ctx, nil); return err })
		if n := tokens.Load(); n != 1 {
			b.Fatalf("%d token requests for 1,000 concurrent calls, want 1", n)
		}
		b.ReportMetric(1, "token-requests")
		b.ReportMetric(p(wait, 99), "wait-p99-ms")
		b.ReportMetric(p(wait, 50), "wait-p50-ms")
		b.ReportMetric(p(calls, 99), "call-p99-ms")
	}
}
