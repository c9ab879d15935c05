package tests

import (
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder keeps the headers of the last request to each path.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	last map[string]http.Header
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.last[req.URL.Path] = req.Header.Clone()
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func record(ct *cannedTransport) (*recorder, *http.Client) {
	r := &recorder{next: ct, last: map[string]http.Header{}}
	return r, &http.Client{Transport: r}
}

// onlyRequest returns the headers of the one request other than the login.
func (r *recorder) onlyRequest(t *testing.T, ct *cannedTransport) http.Header {
	t.Helper()
	var got []http.Header
	for path, h := range r.last {
		if route := ct.routes[path]; route != nil && !route.token {
			got = append(got, h)
		}
	}
	require.Len(t, got, 1, "requests: %v", slices.Collect(maps.Keys(r.last)))
	return got[0]
}

// The benchmarks compare like with like: each baseline of BenchmarkList and
// BenchmarkDownload sends the very headers the SDK sends, gets the same
// answer and decodes as many items. Run in every `go test`, it also keeps
// the benchmarks' helpers working, though the benchmarks themselves do not
// run.
func TestBenchBaselinesSendWhatTheSDKSends(t *testing.T) {
	const n = 3
	for _, lc := range listCases {
		t.Run("list/"+lc.product, func(t *testing.T) {
			body := lc.payload(t, n)
			ct := newCanned()
			lc.routes(ct, body)
			rec, hc := record(ct)
			got, err := lc.sdk(t, hc)()
			require.NoError(t, err)
			assert.Equal(t, n, got)
			want := rec.onlyRequest(t, ct)
			assert.EqualValues(t, 1, ct.tokens.Load(), "one login")
			for _, client := range lc.clients {
				if client == "sdk" {
					continue
				}
				rec.last = map[string]http.Header{}
				got, err := lc.baseline[client](hc)()
				require.NoError(t, err, client)
				assert.Equal(t, n, got, client)
				assert.Equal(t, want, rec.onlyRequest(t, ct), "%s sends what the SDK sends", client)
			}
			assert.Zero(t, ct.misses.Load())
			assert.EqualValues(t, 1, ct.tokens.Load(), "no login by the baselines")
		})
	}
	for _, dc := range downloadCases {
		t.Run("download/"+dc.product, func(t *testing.T) {
			const size = 200_000
			ct := newCanned()
			dc.routes(ct, size)
			rec, hc := record(ct)
			read := func(call downloadCall) []byte {
				body, err := call()
				require.NoError(t, err)
				defer func() { _ = body.Close() }()
				b, err := io.ReadAll(body)
				require.NoError(t, err)
				return b
			}
			sdk := read(dc.sdk(t, hc))
			want := rec.onlyRequest(t, ct)
			rec.last = map[string]http.Header{}
			base := read(dc.baseline(hc))
			assert.Equal(t, want, rec.onlyRequest(t, ct), "the baseline sends what the SDK sends")
			require.Len(t, sdk, size)
			assert.Equal(t, sdk, base)
			for i, c := range sdk {
				if c != byte(i%251) {
					t.Fatalf("byte %d of the download is %d, want %d", i, c, i%251)
				}
			}
			assert.Zero(t, ct.misses.Load())
			assert.EqualValues(t, 1, ct.tokens.Load())
		})
	}
}
