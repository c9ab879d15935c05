package auth

import (
	"context"
	"errors"
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
	// value's lifetime. Default 2 minutes.
	RefreshAhead time.Duration
	// ExpiryDelta treats a value as expired this long before its expiry, so
	// a request does not leave with a credential about to lapse. Default 10s.
	ExpiryDelta time.Duration
	// IdleTimeout, when set, treats a value unused for this long as expired
	// (servers such as Enterprise Manager end idle sessions).
	IdleTimeout time.Duration
	// AcquireTimeout bounds one acquisition, which runs detached from the
	// caller's context so one caller giving up does not fail the others.
	// Default 2 minutes.
	AcquireTimeout time.Duration
	// FailureBackoff is how long after a failed background refresh no new
	// one starts. Default 10s.
	FailureBackoff time.Duration
	// Now replaces time.Now in tests.
	Now func() time.Time
}

// ErrCleared is returned to callers waiting on an acquisition that was
// overtaken by Clear (a logout).
var ErrCleared = errors.New("auth: credential cleared while it was being acquired")

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
	lastUsed    time.Time
	gen         uint64 // bumped for each new value
	epoch       uint64 // bumped by Clear
	flight      *flight[T]
	failedAt    time.Time
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
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Cache[T]{acquire: acquire, opts: opts}
}

// Get returns a usable value and its generation (to pass to Invalidate),
// acquiring one if needed. Callers that arrive while an acquisition is in
// flight wait for it, or for ctx.
func (c *Cache[T]) Get(ctx context.Context) (T, uint64, error) {
	c.mu.Lock()
	now := c.opts.Now()
	if c.validLocked(now) {
		v, g := c.cur, c.gen
		c.lastUsed = now
		if c.flight == nil && c.dueLocked(now) && now.Sub(c.failedAt) >= c.opts.FailureBackoff {
			c.startLocked(ctx)
		}
		c.mu.Unlock()
		return v, g, nil
	}
	f := c.flight
	if f == nil || f.epoch != c.epoch {
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
	c.mu.Unlock()
}

func (c *Cache[T]) validLocked(now time.Time) bool {
	if !c.usable {
		return false
	}
	if !c.expiry.IsZero() && !now.Before(c.expiry.Add(-c.opts.ExpiryDelta)) {
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
	ahead := c.opts.RefreshAhead
	if life := c.expiry.Sub(c.obtained); life/5 < ahead {
		ahead = life / 5
	}
	return !now.Before(c.expiry.Add(-ahead))
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
			c.failedAt = now
		case epoch != c.epoch:
			f.err = ErrCleared
		default:
			c.gen++
			c.cur, c.have, c.usable = v, true, true
			c.obtained, c.expiry, c.lastUsed = now, exp, now
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
