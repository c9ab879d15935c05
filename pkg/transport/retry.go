package transport

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// RetryPolicy says which failed tries are repeated and how long to wait.
type RetryPolicy struct {
	// MaxRetries is the number of tries after the first; 0 turns retry off.
	MaxRetries int
	// BaseDelay is the first backoff; each retry doubles it, with full
	// jitter, up to MaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxRetryAfter caps a server's Retry-After; a longer demand ends the
	// retries and returns the response.
	MaxRetryAfter time.Duration
	// StatusCodes are retried; nil means 408, 429, 502, 503 and 504.
	StatusCodes []int
	// Sleep replaces the wait in tests; it must honour ctx.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRetry returns the default policy: 3 retries, 500ms doubling to 30s.
func DefaultRetry() RetryPolicy {
	return RetryPolicy{MaxRetries: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second, MaxRetryAfter: 2 * time.Minute}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetry()
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	if p.StatusCodes == nil {
		p.StatusCodes = []int{http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	return p
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type retryLink struct {
	next http.RoundTripper
	p    RetryPolicy
}

func (l *retryLink) RoundTrip(req *http.Request) (*http.Response, error) {
	if !retrySafe(req) {
		return l.next.RoundTrip(req)
	}
	ctx := req.Context()
	cur := req
	for attempt := 0; ; attempt++ {
		resp, err := l.next.RoundTrip(cur)
		if attempt >= l.p.MaxRetries || !l.retryable(resp, err) {
			return resp, err
		}
		wait := l.backoff(attempt)
		if resp != nil {
			if ra, ok := retryAfter(resp, time.Now()); ok {
				if ra > l.p.MaxRetryAfter {
					return resp, nil
				}
				wait = ra
			}
		}
		next, ok := rewind(req)
		if !ok {
			return resp, err
		}
		if resp != nil {
			drain(resp)
		}
		if serr := l.p.Sleep(ctx, wait); serr != nil {
			closeBody(next)
			return nil, serr
		}
		cur = next
	}
}

func (l *retryLink) retryable(resp *http.Response, err error) bool {
	if err != nil {
		return transientNetError(err)
	}
	for _, c := range l.p.StatusCodes {
		if resp.StatusCode == c {
			return true
		}
	}
	return false
}

// backoff is full-jitter exponential backoff: a random wait in
// [0, min(MaxDelay, BaseDelay*2^attempt)].
func (l *retryLink) backoff(attempt int) time.Duration {
	d := l.p.MaxDelay
	if attempt < 30 {
		if e := l.p.BaseDelay << attempt; e > 0 && e < d {
			d = e
		}
	}
	return time.Duration(rand.Int64N(int64(d) + 1)) //nolint:gosec // jitter, not security
}

// transientNetError reports errors worth another try: resets, refused or
// dropped connections and timeouts of a single try, but not a cancelled or
// expired context, nor our own refusals, nor a failed login (whatever its
// cause: repeating the request would repeat the login).
func transientNetError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrInsecureTransport) ||
		errors.Is(err, errAuthenticate) {
		return false
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryAfter parses Retry-After as seconds or an HTTP date.
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
