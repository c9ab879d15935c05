package transport_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const apiURL = "https://vb.example:11005/api/v1/policies"

// sleepRecorder is a RetryPolicy.Sleep that records the requested waits and
// returns at once (or with ctx's error).
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// fakeAuth is a transport.Authorizer whose credential is "tok-<gen>".
type fakeAuth struct {
	mu          sync.Mutex
	gen         uint64
	authorized  int
	invalidated []uint64
	err         error
}

func newFakeAuth() *fakeAuth { return &fakeAuth{gen: 1} }

func (a *fakeAuth) Authorize(req *http.Request) (uint64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.authorized++
	if a.err != nil {
		return 0, a.err
	}
	req.Header.Set("Authorization", fmt.Sprintf("Bearer tok-%d", a.gen))
	return a.gen, nil
}

func (a *fakeAuth) Invalidate(gen uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.invalidated = append(a.invalidated, gen)
	if gen == a.gen {
		a.gen++
	}
}

func (a *fakeAuth) counts() (int, []uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.authorized, append([]uint64(nil), a.invalidated...)
}

// seqResponder answers with the given responses in turn, repeating the
// last, and counts calls.
type seqResponder struct {
	calls atomic.Int32
	mk    []func(*http.Request) (*http.Response, error)
}

func (s *seqResponder) respond(req *http.Request) (*http.Response, error) {
	n := int(s.calls.Add(1)) - 1
	if n >= len(s.mk) {
		n = len(s.mk) - 1
	}
	return s.mk[n](req)
}

func status(code int, headers ...string) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(code, fmt.Sprintf(`{"status":%d}`, code))
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		return r, nil
	}
}

func fail(err error) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return string(b)
}
