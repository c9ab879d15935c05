package tests

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// BenchmarkAllFlatMemory iterates 100,000 organizations in pages of 1,000
// (100 canned pages, rendered before the timer) and reports the largest
// growth of the live heap (after a GC at each page) relative to one page's
// decoded size. It fails unless that peak/page is below 2, which holds when
// the iterator keeps one page at a time.
func BenchmarkAllFlatMemory(b *testing.B) {
	const total, pageSize = 100_000, 1_000
	ct := newCanned()
	ct.veeamTokenRoute()
	pages := make(map[string][]byte, total/pageSize)
	for off := 0; off < total; off += pageSize {
		pages[strconv.Itoa(off)] = organizationsPage(b, off, pageSize, total)
	}
	r := ct.jsonRoute("/api/v1/organizations/amazon", nil).requireAuth("Authorization", "Bearer bench")
	r.dynamic = func(req *http.Request) []byte {
		q := req.URL.Query()
		off := q.Get("Offset")
		if off == "" {
			off = "0"
		}
		if q.Get("Limit") != strconv.Itoa(pageSize) {
			return nil
		}
		return pages[off]
	}
	c, err := vbaws.NewClient(vbawsURL, vbaws.PasswordCredentials("admin", "pw"), option.WithHTTPClient(cannedClient(ct)))
	if err != nil {
		b.Fatal(err)
	}
	heap := func() uint64 {
		// Twice: the first GC only moves sync.Pool contents (the JSON
		// encoder's buffers that rendered the pages, say) to the victim
		// cache, the second frees them.
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	// One page, decoded and kept, is the unit.
	before := heap()
	page, err := c.Organizations.List(bg, &vbaws.ListOrganizationsOptions{Limit: pageSize})
	if err != nil || len(page.Results) != pageSize {
		b.Fatal("first page:", err)
	}
	after := heap()
	runtime.KeepAlive(page)
	page = nil //nolint:ineffassign,wastedassign // drop the page before measuring
	if after <= before {
		b.Fatalf("a decoded page of %d organizations did not grow the heap (%d to %d bytes)", pageSize, before, after)
	}
	onePage := after - before

	for b.Loop() {
		base := heap()
		var peak uint64
		n := 0
		for _, err := range c.Organizations.All(bg, &vbaws.ListOrganizationsOptions{Limit: pageSize}) {
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
		ratio := float64(peak) / float64(onePage)
		b.ReportMetric(ratio, "peak/page")
		b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
		b.ReportMetric(float64(onePage)/(1<<20), "page-MiB")
		if ratio >= 2 {
			b.Fatalf("the live heap grew by %.2f pages while iterating (%.2f MiB over a page of %.2f MiB), want under 2",
				ratio, float64(peak)/(1<<20), float64(onePage)/(1<<20))
		}
	}
	checkCanned(b, ct, 1)
}

// BenchmarkExpiredTokenStampede: 1,000 goroutines need a credential that
// has expired. The canned token endpoint takes 20 ms to answer and counts
// its requests. The benchmark reports how many token requests the 1,000
// goroutines caused and fails unless it is exactly 1, the p50 and p99 of
// their wait for the credential, and the same count and the p99 of the
// whole call when, after a second expiry, 1,000 goroutines call the API at
// once.
//
// The cache runs on the benchmark's clock, which jumps two hours to expire
// the token, so the token endpoint states the expiry on that clock
// (Veeam's ".expires"). With expires_in the credential would count the
// hour from the real clock, the refreshed token would arrive already
// expired on the cache's clock, and the cache, which then keeps a token
// until the server refuses it, would need no second refresh.
func BenchmarkExpiredTokenStampede(b *testing.B) {
	var mu sync.Mutex
	var now time.Time
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func() { mu.Lock(); now = now.Add(2 * time.Hour); mu.Unlock() }
	ct := newCanned()
	tok := ct.veeamTokenRoute()
	tok.delay = 20 * time.Millisecond // the identity service takes a while
	tok.dynamic = func(*http.Request) []byte {
		t := clock()
		return fmt.Appendf(nil, `{"access_token":"bench","token_type":"bearer","refresh_token":"r",".issued":%q,".expires":%q}`,
			t.Format(time.RFC3339), t.Add(time.Hour).Format(time.RFC3339))
	}
	ct.jsonRoute("/api/v1/organizations/amazon", []byte(`{"results":[],"totalCount":0}`)).requireAuth("Authorization", "Bearer bench")
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
		mu.Lock()
		now = time.Now()
		mu.Unlock()
		c, err := vbaws.NewClient(vbawsURL, vbaws.PasswordCredentials("u", "p"), option.WithHTTPClient(cannedClient(ct)),
			option.WithCredentialCache(auth.CacheOptions{Now: clock}))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Organizations.List(bg, nil); err != nil {
			b.Fatal(err)
		}

		advance() // the access token has expired
		first := ct.tokens.Load()
		wait := stampede(func() error { _, err := c.Token(bg); return err })
		waitTokens := ct.tokens.Load() - first

		advance()
		first = ct.tokens.Load()
		calls := stampede(func() error { _, err := c.Organizations.List(bg, nil); return err })
		callTokens := ct.tokens.Load() - first

		b.ReportMetric(float64(waitTokens), "wait-token-requests")
		b.ReportMetric(p(wait, 50), "wait-p50-ms")
		b.ReportMetric(p(wait, 99), "wait-p99-ms")
		b.ReportMetric(float64(callTokens), "call-token-requests")
		b.ReportMetric(p(calls, 99), "call-p99-ms")
		if waitTokens != 1 || callTokens != 1 {
			b.Fatalf("%d token requests for 1,000 goroutines waiting for the credential and %d for 1,000 concurrent calls, want 1 each",
				waitTokens, callTokens)
		}
	}
	if n := ct.misses.Load(); n != 0 {
		b.Fatalf("%d requests had no canned answer or no credential", n)
	}
}
