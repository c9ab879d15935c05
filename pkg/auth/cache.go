package auth

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// AcquireFunc obtains a fresh value. prev is the last value the cache held
// (possibly expired or invalidated) and havePrev says whether there is one,
// so an implementation can use a refresh grant before a full login. It
// returns the value and when it expires; a zero time means it does not
// expire on its own.
type AcquireFunc[T any] func(ctx context.Context, prev T, havePrev bool) (T, time.Time, error)

// CacheOptions tune a Cache. The zero value is usable.
type CacheOptions struct {
	// RefreshAhead is how long before expiry a background refresh starts
	// while callers keep the current value. It is capped at a fifth of the
	// value's lifetime. Each value moves its refresh point earlier by a
	// random part of up to half as much again, so that clients started
	// together do not all refresh at the same instant. Default 2 minutes.
	RefreshAhead time.Duration
	// ExpiryDelta treats a value as expired this long before its expiry, so
	// a request does not leave with a credential about to lapse. It is
	// capped at a tenth of the value's lifetime, so a short-lived value is
	// still used. Default 10s.
	ExpiryDelta time.Duration
	// IdleTimeout, when set, treats a value unused for this long as expired
	// (servers such as Enterprise Manager end idle sessions).
	IdleTimeout time.Duration
	// AcquireTimeout bounds one acquisition, which runs detached from the
	// caller's context so one caller giving up does not fail the others.
	// Default 2 minutes.
	AcquireTimeout time.Duration
	// FailureBackoff is how long after a failed acquisition no new one
	// starts; it doubles with each further failure in a row, up to
	// MaxFailureBackoff. Meanwhile Get returns the failure (as a
	// *BackoffError) without a request, or, after a failed background
	// refresh, the still valid value. A success, Clear or Invalidate ends
	// it. Default 10s.
	FailureBackoff time.Duration
	// MaxFailureBackoff caps the growing FailureBackoff. Default 2 minutes.
	MaxFailureBackoff time.Duration
	// Now replaces time.Now in tests.
	Now func() time.Time
	// Rand replaces the random source of the refresh-ahead jitter in tests;
	// it returns a number in [0, 1).
	Rand func() float64
}

// ErrCleared is returned to callers waiting on an acquisition that was
// overtaken by Clear (a logout).
var ErrCleared = errors.New("auth: credential cleared while it was being acquired")

// BackoffError is what Get returns, without trying, while the last failed
// acquisition is in its backoff (CacheOptions.FailureBackoff). It unwraps to
// that failure, so errors.Is finds, say, apierr.ErrInvalidCredentials.
type BackoffError struct {
	// Err is the failure of the last acquisition.
	Err error
	// Until is when the next acquisition may start.
	Until time.Time

	left time.Duration
}

// Error says when the next attempt may start, and why the last one failed.
func (e *BackoffError) Error() string {
	left := e.left.Round(time.Millisecond)
	if left >= time.Second {
		left = left.Round(time.Second)
	}
	return fmt.Sprintf("auth: the last credential acquisition failed; next attempt in %s: %v", left, e.Err)
}

// Unwrap returns the failure of the last acquisition.
func (e *BackoffError) Unwrap() error { return e.Err }

// Cache holds one expiring credential for any number of goroutines. At most
// one acquisition is in flight; a value near expiry is refreshed in the
// background while callers go on using it; waits honour ctx.
type Cache[T any] struct {
	acquire AcquireFunc[T]
	opts    CacheOptions

	mu          sync.Mutex
	cur         T
	have        bool // cur holds a value (maybe expired or invalidated)
	usable      bool // cur may be handed out until expiry
	obtained    time.Time
	expiry      time.Time
	jitter      float64 // in [0, 1): how much earlier than RefreshAhead cur refreshes
	lastUsed    time.Time
	gen         uint64 // bumped for each new value
	epoch       uint64 // bumped by Clear
	flight      *flight[T]
	failures    int       // failed acquisitions in a row
	lastErr     error     // the last of them
	retryAt     time.Time // no acquisition starts before this
	acquisition int
}

type flight[T any] struct {
	done  chan struct{}
	val   T
	gen   uint64
	err   error
	epoch uint64
}

// NewCache returns a cache that fills itself with acquire.
func NewCache[T any](acquire AcquireFunc[T], opts CacheOptions) *Cache[T] {
	if opts.RefreshAhead <= 0 {
		opts.RefreshAhead = 2 * time.Minute
	}
	if opts.ExpiryDelta <= 0 {
		opts.ExpiryDelta = 10 * time.Second
	}
	if opts.AcquireTimeout <= 0 {
		opts.AcquireTimeout = 2 * time.Minute
	}
	if opts.FailureBackoff <= 0 {
		opts.FailureBackoff = 10 * time.Second
	}
	if opts.MaxFailureBackoff <= 0 {
		opts.MaxFailureBackoff = 2 * time.Minute
	}
	if opts.MaxFailureBackoff < opts.FailureBackoff {
		opts.MaxFailureBackoff = opts.FailureBackoff
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	return &Cache[T]{acquire: acquire, opts: opts}
}

// Get returns a usable value and its generation (to pass to Invalidate),
// acquiring one if needed. Callers that arrive while an acquisition is in
// flight wait for it, or for ctx. Within the backoff after a failed
// acquisition, Get returns that failure as a *BackoffError at once.
func (c *Cache[T]) Get(ctx context.Context) (T, uint64, error) {
	c.mu.Lock()
	now := c.opts.Now()
	if c.validLocked(now) {
		v, g := c.cur, c.gen
		c.lastUsed = now
		if c.flight == nil && c.dueLocked(now) && !now.Before(c.retryAt) {
			c.startLocked(ctx)
		}
		c.mu.Unlock()
		return v, g, nil
	}
	f := c.flight
	if f == nil || f.epoch != c.epoch {
		if c.lastErr != nil && now.Before(c.retryAt) {
			// Another login now would most likely fail the same way, and
			// every caller would send one.
			err := &BackoffError{Err: c.lastErr, Until: c.retryAt, left: c.retryAt.Sub(now)}
			c.mu.Unlock()
			var zero T
			return zero, 0, err
		}
		// No acquisition, or one that a Clear overtook: start afresh.
		f = c.startLocked(ctx)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		if f.err == nil {
			c.mu.Lock()
			c.lastUsed = c.opts.Now()
			c.mu.Unlock()
		}
		return f.val, f.gen, f.err
	case <-ctx.Done():
		var zero T
		return zero, 0, ctx.Err()
	}
}

// Invalidate marks the value of generation gen unusable, typically after the
// server answered 401 to it. A later generation is left alone, so many
// requests failing with the same old value cause one acquisition.
func (c *Cache[T]) Invalidate(gen uint64) {
	c.mu.Lock()
	if c.gen == gen {
		c.usable = false
		c.resetFailuresLocked()
	}
	c.mu.Unlock()
}

// Peek returns the current value, if the cache holds one, without acquiring.
func (c *Cache[T]) Peek() (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cur, c.have
}

// Clear forgets the value entirely (after a logout); the next Get acquires
// from scratch, without a refresh grant.
func (c *Cache[T]) Clear() {
	c.mu.Lock()
	var zero T
	c.cur, c.have, c.usable = zero, false, false
	c.epoch++
	c.resetFailuresLocked()
	c.mu.Unlock()
}

func (c *Cache[T]) validLocked(now time.Time) bool {
	if !c.usable {
		return false
	}
	// A lifetime shorter than ExpiryDelta must not make the value expired
	// on arrival, which would mean a login on every call.
	delta := min(c.opts.ExpiryDelta, c.expiry.Sub(c.obtained)/10)
	if !c.expiry.IsZero() && !now.Before(c.expiry.Add(-delta)) {
		return false
	}
	if c.opts.IdleTimeout > 0 && now.Sub(c.lastUsed) >= c.opts.IdleTimeout {
		return false
	}
	return true
}

func (c *Cache[T]) dueLocked(now time.Time) bool {
	if c.expiry.IsZero() {
		return false
	}
	ahead := min(c.opts.RefreshAhead, c.expiry.Sub(c.obtained)/5)
	// Up to half as much again, drawn once per value: many clients that
	// logged in together then refresh at different instants.
	ahead += time.Duration(float64(ahead/2) * c.jitter)
	return !now.Before(c.expiry.Add(-ahead))
}

// failedLocked records a failed acquisition and starts its backoff, which
// doubles with each failure in a row.
func (c *Cache[T]) failedLocked(now time.Time, err error) {
	c.failures++
	backoff := c.opts.FailureBackoff
	for i := 1; i < c.failures && backoff < c.opts.MaxFailureBackoff; i++ {
		backoff *= 2
	}
	c.lastErr, c.retryAt = err, now.Add(min(backoff, c.opts.MaxFailureBackoff))
}

func (c *Cache[T]) resetFailuresLocked() {
	c.failures, c.lastErr, c.retryAt = 0, nil, time.Time{}
}

func (c *Cache[T]) startLocked(ctx context.Context) *flight[T] {
	f := &flight[T]{done: make(chan struct{}), epoch: c.epoch}
	c.flight = f
	c.acquisition++
	prev, havePrev, epoch := c.cur, c.have, c.epoch
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.AcquireTimeout)
	go func() {
		defer cancel()
		v, exp, err := c.acquire(actx, prev, havePrev)
		c.mu.Lock()
		now := c.opts.Now()
		switch {
		case err != nil:
			f.err = err
			if epoch == c.epoch {
				c.failedLocked(now, err)
			}
		case epoch != c.epoch:
			f.err = ErrCleared
		default:
			if !exp.After(now) {
				// Already past on arrival: the server's clock is not ours.
				// The value is used until the server answers 401.
				exp = time.Time{}
			}
			c.gen++
			c.cur, c.have, c.usable = v, true, true
			c.obtained, c.expiry, c.lastUsed = now, exp, now
			c.jitter = min(max(c.opts.Rand(), 0), 1)
			c.resetFailuresLocked()
			f.val, f.gen = v, c.gen
		}
		if c.flight == f {
			c.flight = nil
		}
		c.mu.Unlock()
		close(f.done)
	}()
	return f
}
