package transport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/transport"
)

func retryClient(mt http.RoundTripper, p transport.RetryPolicy) *http.Client {
	return &http.Client{Transport: transport.New(transport.Config{Base: mt, Retry: &p})}
}

func TestRetry503RetryAfterZeroThenSuccess(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){
		status(503, "Retry-After", "0"),
		status(200),
	}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)

	// The default (real) sleep: Retry-After 0 means no wait at all.
	p := transport.DefaultRetry()
	start := time.Now()
	resp, err := retryClient(mt, p).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, `{"status":200}`, readBody(t, resp))
	assert.EqualValues(t, 2, sr.calls.Load())
	assert.Equal(t, 2, mt.GetTotalCallCount())
	assert.Less(t, time.Since(start), 400*time.Millisecond, "Retry-After: 0 must not use the 500ms backoff")
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){
		status(503, "Retry-After", "7"),
		status(429, "Retry-After", "1"),
		status(200),
	}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	rec := &sleepRecorder{}
	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []time.Duration{7 * time.Second, time.Second}, rec.Waits())
	assert.EqualValues(t, 3, sr.calls.Load())
}

func TestRetryAfterHTTPDateIsHonoured(t *testing.T) {
	mt := httpmock.NewMockTransport()
	when := time.Now().Add(40 * time.Second).UTC().Format(http.TimeFormat)
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){
		status(503, "Retry-After", when),
		status(200),
	}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	rec := &sleepRecorder{}
	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 1, Sleep: rec.Sleep}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	waits := rec.Waits()
	require.Len(t, waits, 1)
	// HTTP dates have one-second resolution.
	assert.InDelta(t, float64(40*time.Second), float64(waits[0]), float64(2*time.Second))
}

func TestRetryAfterInThePastMeansNow(t *testing.T) {
	mt := httpmock.NewMockTransport()
	when := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503, "Retry-After", when), status(200)}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	rec := &sleepRecorder{}
	_, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 1, Sleep: rec.Sleep}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{0}, rec.Waits())
}

func TestRetryAfterBeyondCapReturnsResponse(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503, "Retry-After", "600"), status(200)}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	rec := &sleepRecorder{}
	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, MaxRetryAfter: time.Minute, Sleep: rec.Sleep}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "600", resp.Header.Get("Retry-After"))
	assert.Equal(t, `{"status":503}`, readBody(t, resp), "the returned response keeps its body")
	assert.EqualValues(t, 1, sr.calls.Load())
	assert.Empty(t, rec.Waits())
}

func TestRetryBackoffWithoutRetryAfter(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(502)}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	rec := &sleepRecorder{}
	p := transport.RetryPolicy{MaxRetries: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond, Sleep: rec.Sleep}
	resp, err := retryClient(mt, p).Get(apiURL)
	require.NoError(t, err)
	// Retries exhausted: the last answer is returned intact.
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, `{"status":502}`, readBody(t, resp))
	assert.EqualValues(t, 5, sr.calls.Load())
	waits := rec.Waits()
	require.Len(t, waits, 4)
	caps := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond}
	for i, w := range waits {
		assert.GreaterOrEqual(t, w, time.Duration(0), "wait %d", i)
		assert.LessOrEqual(t, w, caps[i], "wait %d", i)
	}
}

func TestRetryNotOnOtherStatuses(t *testing.T) {
	for _, code := range []int{200, 201, 400, 401, 403, 404, 409, 500, 501} {
		mt := httpmock.NewMockTransport()
		sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(code), status(200)}}
		mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
		rec := &sleepRecorder{}
		resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Get(apiURL)
		require.NoError(t, err)
		assert.Equal(t, code, resp.StatusCode)
		assert.EqualValues(t, 1, sr.calls.Load(), "status %d must not be retried", code)
		assert.Empty(t, rec.Waits())
	}
}

func TestRetryDefaultStatusCodes(t *testing.T) {
	for _, code := range []int{408, 429, 502, 503, 504} {
		mt := httpmock.NewMockTransport()
		sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(code), status(200)}}
		mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
		rec := &sleepRecorder{}
		resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 1, Sleep: rec.Sleep}).Get(apiURL)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "status %d is retried", code)
		assert.EqualValues(t, 2, sr.calls.Load())
	}
}

func TestRetryCustomStatusCodes(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(500), status(503), status(200)}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	rec := &sleepRecorder{}
	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, StatusCodes: []int{500}, Sleep: rec.Sleep}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "503 is not in the custom list")
	assert.EqualValues(t, 2, sr.calls.Load())
}

func TestRetryDisabled(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503, "Retry-After", "0"), status(200)}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 0}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.EqualValues(t, 1, sr.calls.Load())
}

func TestRetryTransientNetworkErrors(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}
	for name, err := range map[string]error{
		"reset":      &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET},
		"refused":    &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED},
		"pipe":       syscall.EPIPE,
		"eof":        io.EOF,
		"unexpected": io.ErrUnexpectedEOF,
		"timeout":    timeout,
	} {
		t.Run(name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){fail(err), status(200)}}
			mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
			rec := &sleepRecorder{}
			resp, gerr := retryClient(mt, transport.RetryPolicy{MaxRetries: 2, Sleep: rec.Sleep}).Get(apiURL)
			require.NoError(t, gerr)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.EqualValues(t, 2, sr.calls.Load())
			assert.Len(t, rec.Waits(), 1)
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestRetryNotOnPermanentErrors(t *testing.T) {
	for name, err := range map[string]error{
		"canceled": context.Canceled,
		"deadline": context.DeadlineExceeded,
		// A dial that hit the context deadline is a net.Error with
		// Timeout() true, but must not be retried.
		"deadline dial": &net.OpError{Op: "dial", Net: "tcp", Err: context.DeadlineExceeded},
		// A cancelled read may surface together with an EOF.
		"canceled eof": fmt.Errorf("read aborted: %w (%w)", context.Canceled, io.EOF),
		"insecure":     transport.ErrInsecureTransport,
		"other":        errors.New("tls: bad certificate"),
	} {
		t.Run(name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){fail(err), status(200)}}
			mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
			rec := &sleepRecorder{}
			_, gerr := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Get(apiURL)
			require.Error(t, gerr)
			assert.ErrorIs(t, gerr, err)
			assert.EqualValues(t, 1, sr.calls.Load())
			assert.Empty(t, rec.Waits())
		})
	}
}

func TestRetryNetworkErrorsExhausted(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){fail(io.ErrUnexpectedEOF)}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	rec := &sleepRecorder{}
	_, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 2, Sleep: rec.Sleep}).Get(apiURL)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.EqualValues(t, 3, sr.calls.Load())
}

// bodyRecorder answers 503 to the first tries and 200 afterwards, recording
// every body it receives.
type bodyRecorder struct {
	mu      sync.Mutex
	bodies  []string
	failFor int
}

func (b *bodyRecorder) respond(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
	}
	b.mu.Lock()
	b.bodies = append(b.bodies, string(body))
	n := len(b.bodies)
	b.mu.Unlock()
	if n <= b.failFor {
		return httpmock.NewStringResponse(http.StatusServiceUnavailable, ""), nil
	}
	return httpmock.NewStringResponse(http.StatusOK, "done"), nil
}

func (b *bodyRecorder) got() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.bodies...)
}

const postBody = `{"query":"find restore points","limit":50}`

func TestPostNotRetriedByDefault(t *testing.T) {
	mt := httpmock.NewMockTransport()
	br := &bodyRecorder{failFor: 1}
	mt.RegisterResponder(http.MethodPost, apiURL, br.respond)
	rec := &sleepRecorder{}
	req, err := http.NewRequest(http.MethodPost, apiURL, bytes.NewReader([]byte(postBody)))
	require.NoError(t, err)
	require.NotNil(t, req.GetBody)

	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, []string{postBody}, br.got())
	assert.Empty(t, rec.Waits())

	// PATCH is not idempotent either.
	mt2 := httpmock.NewMockTransport()
	br2 := &bodyRecorder{failFor: 1}
	mt2.RegisterResponder(http.MethodPatch, apiURL, br2.respond)
	req2, err := http.NewRequest(http.MethodPatch, apiURL, strings.NewReader(postBody))
	require.NoError(t, err)
	resp2, err := retryClient(mt2, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Do(req2)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp2.StatusCode)
	assert.Len(t, br2.got(), 1)
}

func TestPostRetriedWithRetrySafeResendsBody(t *testing.T) {
	mt := httpmock.NewMockTransport()
	br := &bodyRecorder{failFor: 2}
	mt.RegisterResponder(http.MethodPost, apiURL, br.respond)
	rec := &sleepRecorder{}
	ctx := transport.WithRetrySafe(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL, bytes.NewReader([]byte(postBody)))
	require.NoError(t, err)

	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "done", readBody(t, resp))
	assert.Equal(t, []string{postBody, postBody, postBody}, br.got(), "every try carries the whole body")
	assert.Len(t, rec.Waits(), 2)
}

func TestWithoutRetryWinsOverRetrySafe(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method string
		ctx    context.Context
	}{
		{"GET", http.MethodGet, transport.WithoutRetry(context.Background())},
		{"retry-safe POST marked after", http.MethodPost, transport.WithoutRetry(transport.WithRetrySafe(context.Background()))},
		{"retry-safe POST marked before", http.MethodPost, transport.WithRetrySafe(transport.WithoutRetry(context.Background()))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			br := &bodyRecorder{failFor: 1}
			mt.RegisterResponder(tc.method, apiURL, br.respond)
			rec := &sleepRecorder{}
			req, err := http.NewRequestWithContext(tc.ctx, tc.method, apiURL, bytes.NewReader([]byte(postBody)))
			require.NoError(t, err)

			resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Do(req)
			require.NoError(t, err)
			assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
			assert.Len(t, br.got(), 1, "sent once")
			assert.Empty(t, rec.Waits())
		})
	}
}

func TestRetrySafePostWithoutGetBodyIsNotRetried(t *testing.T) {
	mt := httpmock.NewMockTransport()
	br := &bodyRecorder{failFor: 1}
	mt.RegisterResponder(http.MethodPost, apiURL, br.respond)
	rec := &sleepRecorder{}
	ctx := transport.WithRetrySafe(context.Background())
	// A body that cannot be replayed.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL, io.NopCloser(strings.NewReader(postBody)))
	require.NoError(t, err)
	require.Nil(t, req.GetBody)

	resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, []string{postBody}, br.got(), "never resend a consumed body")
	assert.Empty(t, rec.Waits())
}

func TestIdempotentMethodsWithBodyAreRetried(t *testing.T) {
	for _, m := range []string{http.MethodPut, http.MethodDelete} {
		mt := httpmock.NewMockTransport()
		br := &bodyRecorder{failFor: 1}
		mt.RegisterResponder(m, apiURL, br.respond)
		rec := &sleepRecorder{}
		req, err := http.NewRequest(m, apiURL, strings.NewReader(postBody))
		require.NoError(t, err)
		resp, err := retryClient(mt, transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}).Do(req)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, m)
		assert.Equal(t, []string{postBody, postBody}, br.got(), m)
	}
}

func TestCancelStopsBackoffAtOnce(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503, "Retry-After", "30")}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	// Default policy, real sleep.
	client := &http.Client{Transport: transport.New(transport.Config{Base: mt})}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL, nil)
	require.NoError(t, err)

	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		resp, err := client.Do(req)
		done <- result{resp, err}
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()

	select {
	case r := <-done:
		assert.Nil(t, r.resp)
		require.Error(t, r.err)
		assert.ErrorIs(t, r.err, context.Canceled)
		assert.Less(t, time.Since(start), time.Second)
	case <-time.After(time.Second):
		t.Fatal("the call did not return within 1s of cancellation")
	}
	assert.EqualValues(t, 1, sr.calls.Load())
}

func TestDeadlineStopsBackoff(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503, "Retry-After", "30")}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	client := &http.Client{Transport: transport.New(transport.Config{Base: mt})}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL, nil)
	require.NoError(t, err)
	start := time.Now()
	_, err = client.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second)
}

func TestSleepHookErrorEndsRetries(t *testing.T) {
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503), status(200)}}
	mt.RegisterResponder(http.MethodGet, apiURL, sr.respond)
	stop := errors.New("stop")
	p := transport.RetryPolicy{MaxRetries: 3, Sleep: func(context.Context, time.Duration) error { return stop }}
	_, err := retryClient(mt, p).Get(apiURL)
	require.ErrorIs(t, err, stop)
	assert.EqualValues(t, 1, sr.calls.Load())
}

func TestDefaultRetry(t *testing.T) {
	d := transport.DefaultRetry()
	assert.Equal(t, 3, d.MaxRetries)
	assert.Equal(t, 500*time.Millisecond, d.BaseDelay)
	assert.Equal(t, 30*time.Second, d.MaxDelay)
	assert.Equal(t, 2*time.Minute, d.MaxRetryAfter)
}
