package auth_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
)

// acquisition records one call of the acquire function.
type acquisition struct {
	prev     string
	havePrev bool
	ctx      context.Context
}

// acquirer is a scripted AcquireFunc[string]: value n is "v<n>", valid for
// life (zero: no expiry). When gated, each call waits for a release.
type acquirer struct {
	clock *fakeClock
	life  time.Duration

	mu      sync.Mutex
	calls   []acquisition
	n       int
	fail    error
	gate    chan struct{}
	started chan acquisition
}

func newAcquirer(clock *fakeClock, life time.Duration) *acquirer {
	return &acquirer{clock: clock, life: life, started: make(chan acquisition, 100)}
}

func (a *acquirer) acquire(ctx context.Context, prev string, havePrev bool) (string, time.Time, error) {
	call := acquisition{prev: prev, havePrev: havePrev, ctx: ctx}
	a.mu.Lock()
	a.calls = append(a.calls, call)
	gate := a.gate
	a.mu.Unlock()
	a.started <- call
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return "", time.Time{}, ctx.Err()
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail != nil {
		return "", time.Time{}, a.fail
	}
	a.n++
	var exp time.Time
	if a.life > 0 {
		exp = a.clock.Now().Add(a.life)
	}
	return fmt.Sprintf("v%d", a.n), exp, nil
}

func (a *acquirer) setGate(g chan struct{}) {
	a.mu.Lock()
	a.gate = g
	a.mu.Unlock()
}

func (a *acquirer) setFail(err error) {
	a.mu.Lock()
	a.fail = err
	a.mu.Unlock()
}

func (a *acquirer) history() []acquisition {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]acquisition(nil), a.calls...)
}

func waitStarted(t *testing.T, a *acquirer) acquisition {
	t.Helper()
	select {
	case c := <-a.started:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("acquisition did not start")
		return acquisition{}
	}
}

func mustGet(t *testing.T, c *auth.Cache[string]) (string, uint64) {
	t.Helper()
	// Bounded, so a broken cache fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, g, err := c.Get(ctx)
	require.NoError(t, err)
	return v, g
}

func TestCacheAcquiresOnceAndReuses(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, time.Hour)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})

	_, ok := c.Peek()
	assert.False(t, ok)
	v, g := mustGet(t, c)
	assert.Equal(t, "v1", v)
	assert.Equal(t, uint64(1), g)
	for range 5 {
		clock.Advance(time.Minute)
		v2, g2 := mustGet(t, c)
		assert.Equal(t, "v1", v2)
		assert.Equal(t, g, g2)
	}
	assert.Equal(t, 1, c.Acquisitions())
	p, ok := c.Peek()
	assert.True(t, ok)
	assert.Equal(t, "v1", p)
	first := a.history()[0]
	assert.False(t, first.havePrev)
	assert.Equal(t, "", first.prev)
}

func TestCacheExpiryDelta(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 100*time.Second)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, ExpiryDelta: 10 * time.Second, RefreshAhead: time.Nanosecond})
	mustGet(t, c)
	clock.Advance(89 * time.Second)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v1", v, "still valid 11s before expiry")
	assert.Equal(t, 1, c.Acquisitions())

	clock.Advance(time.Second) // 10s before expiry: counts as expired
	v, g := mustGet(t, c)
	assert.Equal(t, "v2", v, "an expired value is never handed out")
	assert.Equal(t, uint64(2), g)
	assert.Equal(t, 2, c.Acquisitions())
	last := a.history()[1]
	assert.True(t, last.havePrev)
	assert.Equal(t, "v1", last.prev, "the expired value is passed as prev for a refresh grant")
}

func TestCacheEarlyRefreshInBackground(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 100*time.Second)
	// Rand 0: no jitter, the refresh point is exactly RefreshAhead early.
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, RefreshAhead: 30 * time.Second, ExpiryDelta: 10 * time.Second,
		Rand: func() float64 { return 0 }})
	mustGet(t, c)
	waitStarted(t, a)

	// RefreshAhead is capped at a fifth of the 100s lifetime: at 75s nothing
	// happens yet, although 30s ahead would be due.
	clock.Advance(75 * time.Second)
	v, g := mustGet(t, c)
	assert.Equal(t, "v1", v)
	assert.Equal(t, 1, c.Acquisitions(), "not due before 80s")

	// At 85s the refresh is due (but the value is valid until 90s).
	gate := make(chan struct{})
	a.setGate(gate)
	clock.Advance(10 * time.Second)
	start := time.Now()
	v, g2 := mustGet(t, c)
	assert.Less(t, time.Since(start), time.Second, "Get does not wait for the background refresh")
	assert.Equal(t, "v1", v, "the current value is returned while the refresh runs")
	assert.Equal(t, g, g2)
	call := waitStarted(t, a)
	assert.True(t, call.havePrev)
	assert.Equal(t, "v1", call.prev)
	assert.Equal(t, 2, c.Acquisitions())

	// More callers meanwhile: still the old value, no second refresh.
	for range 10 {
		v, _ = mustGet(t, c)
		assert.Equal(t, "v1", v)
	}
	assert.Equal(t, 2, c.Acquisitions())

	close(gate)
	require.Eventually(t, func() bool { p, _ := c.Peek(); return p == "v2" }, 5*time.Second, time.Millisecond)
	v, g3 := mustGet(t, c)
	assert.Equal(t, "v2", v)
	assert.Equal(t, g+1, g3)
	assert.Equal(t, 2, c.Acquisitions())
}

func TestCacheFailedBackgroundRefreshBacksOff(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 100*time.Second)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, RefreshAhead: 20 * time.Second,
		ExpiryDelta: time.Second, FailureBackoff: 5 * time.Second})
	mustGet(t, c)
	waitStarted(t, a)

	a.setFail(errors.New("token endpoint down"))
	clock.Advance(81 * time.Second)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v1", v)
	waitStarted(t, a)
	// For a bounded while, keep calling Get: once the failed refresh is
	// over, a Get within FailureBackoff must not start another one.
	for end := time.Now().Add(100 * time.Millisecond); time.Now().Before(end); {
		v, _ := mustGet(t, c)
		require.Equal(t, "v1", v, "a failed background refresh keeps the old value")
		require.Equal(t, 2, c.Acquisitions(), "no new refresh within FailureBackoff")
		runtime.Gosched()
	}

	a.setFail(nil)
	clock.Advance(5 * time.Second)
	v, _ = mustGet(t, c)
	assert.Equal(t, "v1", v)
	assert.Equal(t, 3, c.Acquisitions(), "after the backoff a refresh starts again")
	require.Eventually(t, func() bool { p, _ := c.Peek(); return p == "v2" }, 5*time.Second, time.Millisecond)
}

func TestCacheInvalidate(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 0)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})
	_, g1 := mustGet(t, c)

	c.Invalidate(g1)
	v, g2 := mustGet(t, c)
	assert.Equal(t, "v2", v)
	assert.Equal(t, g1+1, g2)
	assert.Equal(t, 2, c.Acquisitions())
	h := a.history()
	assert.True(t, h[1].havePrev)
	assert.Equal(t, "v1", h[1].prev)

	// A late 401 for the old generation leaves the new value alone.
	c.Invalidate(g1)
	c.Invalidate(g1 + 100)
	v, g3 := mustGet(t, c)
	assert.Equal(t, "v2", v)
	assert.Equal(t, g2, g3)
	assert.Equal(t, 2, c.Acquisitions())
}

func TestCacheManyInvalidationsOfOneGenerationCauseOneAcquisition(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 0)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})
	_, g1 := mustGet(t, c)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			c.Invalidate(g1)
			v, _, err := c.Get(context.Background())
			assert.NoError(t, err)
			assert.Equal(t, "v2", v)
		})
	}
	wg.Wait()
	assert.Equal(t, 2, c.Acquisitions())
}

func TestCacheGetHonoursContextWhileWaiting(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 0)
	gate := make(chan struct{})
	a.setGate(gate)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := c.Get(ctx)
		errc <- err
	}()
	call := waitStarted(t, a)
	cancel()
	select {
	case err := <-errc:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(time.Second):
		t.Fatal("Get did not return after its context was cancelled")
	}
	// The acquisition runs on, detached from the caller that gave up.
	assert.NoError(t, call.ctx.Err())

	// A deadline works the same way.
	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer dcancel()
	_, _, err := c.Get(dctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	close(gate)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v1", v, "later callers get the result of that acquisition")
	assert.Equal(t, 1, c.Acquisitions())
}

func TestCacheAcquireTimeout(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 0)
	a.setGate(make(chan struct{})) // never released
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, AcquireTimeout: 30 * time.Millisecond})
	start := time.Now()
	_, _, err := c.Get(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
	call := a.history()[0]
	_, hasDeadline := call.ctx.Deadline()
	assert.True(t, hasDeadline)
}

func TestCacheAcquireErrorIsSharedAndNotCached(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 0)
	boom := errors.New("boom")
	a.setFail(boom)
	gate := make(chan struct{})
	a.setGate(gate)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})

	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, _, errs[i] = c.Get(context.Background()) })
	}
	waitStarted(t, a)
	close(gate)
	wg.Wait()
	for _, err := range errs {
		assert.ErrorIs(t, err, boom, "every caller sees the failure")
	}
	_, ok := c.Peek()
	assert.False(t, ok, "a failure stores nothing")

	// A foreground Get after a failure tries again once the failure
	// backoff (10s by default) is over.
	n := c.Acquisitions()
	a.setFail(nil)
	a.setGate(nil)
	clock.Advance(10 * time.Second)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v1", v)
	assert.Equal(t, n+1, c.Acquisitions())
}

func TestCacheSingleFlightUnderLoad(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, time.Hour)
	gate := make(chan struct{})
	a.setGate(gate)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})
	var wg sync.WaitGroup
	var ok atomic.Int32
	for range 100 {
		wg.Go(func() {
			v, g, err := c.Get(context.Background())
			if err == nil && v == "v1" && g == 1 {
				ok.Add(1)
			}
		})
	}
	waitStarted(t, a)
	close(gate)
	wg.Wait()
	assert.EqualValues(t, 100, ok.Load())
	assert.Equal(t, 1, c.Acquisitions())
}

func TestCacheClear(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, time.Hour)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})
	_, g1 := mustGet(t, c)
	c.Invalidate(g1)
	mustGet(t, c) // v2, with prev v1

	c.Clear()
	_, ok := c.Peek()
	assert.False(t, ok)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v3", v)
	h := a.history()
	require.Len(t, h, 3)
	assert.True(t, h[1].havePrev)
	assert.False(t, h[2].havePrev, "after Clear there is no previous value")
	assert.Equal(t, "", h[2].prev)
}

func TestCacheClearDuringAcquisition(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, time.Hour)
	gate := make(chan struct{})
	a.setGate(gate)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})
	errc := make(chan error, 1)
	go func() {
		_, _, err := c.Get(context.Background())
		errc <- err
	}()
	waitStarted(t, a)
	c.Clear() // a logout while a login is under way
	close(gate)
	select {
	case err := <-errc:
		assert.ErrorIs(t, err, auth.ErrCleared)
	case <-time.After(5 * time.Second):
		t.Fatal("waiter not released")
	}
	_, ok := c.Peek()
	assert.False(t, ok, "the overtaken value is not stored")

	a.setGate(nil)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v2", v)
	assert.False(t, a.history()[1].havePrev)
}

func TestCacheIdleTimeout(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 0) // never expires on its own
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, IdleTimeout: 5 * time.Minute})
	mustGet(t, c)

	// Use keeps it alive.
	for range 3 {
		clock.Advance(4 * time.Minute)
		v, _ := mustGet(t, c)
		assert.Equal(t, "v1", v)
	}
	assert.Equal(t, 1, c.Acquisitions())

	// Idle for the timeout: treated as expired.
	clock.Advance(5 * time.Minute)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v2", v)
	assert.Equal(t, 2, c.Acquisitions())
	h := a.history()
	assert.True(t, h[1].havePrev)
	assert.Equal(t, "v1", h[1].prev)

	// The fresh value counts as just used.
	clock.Advance(4 * time.Minute)
	v, _ = mustGet(t, c)
	assert.Equal(t, "v2", v)
}

func TestCacheNoExpiryNeverRefreshes(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 0)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})
	mustGet(t, c)
	clock.Advance(10000 * time.Hour)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v1", v)
	assert.Equal(t, 1, c.Acquisitions())
}
