package tests

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/vbawsfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

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
