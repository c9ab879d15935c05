package auth_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
)

// A value whose whole lifetime is shorter than ExpiryDelta used to count as
// expired on arrival, so every Get logged in again.
func TestCacheShortLivedValueIsReused(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, 5*time.Second)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, ExpiryDelta: 10 * time.Second})
	for range 5 {
		v, _ := mustGet(t, c)
		assert.Equal(t, "v1", v)
	}
	assert.Equal(t, 1, c.Acquisitions(), "a 5s value is used although ExpiryDelta is 10s")

	// The margin shrinks with the lifetime but does not vanish.
	clock.Advance(4 * time.Second)
	v, _ := mustGet(t, c)
	assert.Equal(t, "v1", v)
	clock.Advance(800 * time.Millisecond)
	v, _ = mustGet(t, c)
	assert.Equal(t, "v2", v, "within a tenth of the lifetime of expiry the value is not sent")
}

// An expiry already past when the value arrives (the server's clock is ahead
// of ours) says nothing usable: the value is kept until the server refuses
// it.
func TestCacheExpiryPastOnArrivalIsUnknown(t *testing.T) {
	clock := newClock()
	n := 0
	c := auth.NewCache(func(context.Context, string, bool) (string, time.Time, error) {
		n++
		return fmt.Sprintf("v%d", n), clock.Now().Add(-time.Hour), nil
	}, auth.CacheOptions{Now: clock.Now})
	for range 5 {
		v, _ := mustGet(t, c)
		assert.Equal(t, "v1", v)
		clock.Advance(time.Minute)
	}
	assert.Equal(t, 1, c.Acquisitions())

	_, g := mustGet(t, c)
	c.Invalidate(g) // the server's 401
	v, _ := mustGet(t, c)
	assert.Equal(t, "v2", v)
	assert.Equal(t, 2, c.Acquisitions())
}

func TestCacheFailedAcquisitionBacksOff(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, time.Hour)
	refused := &apierr.Error{StatusCode: 401, Code: "AccessDenied", Err: apierr.ErrInvalidCredentials}
	a.setFail(refused)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, FailureBackoff: 10 * time.Second})
	ctx := context.Background()

	_, _, err := c.Get(ctx)
	require.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.Equal(t, 1, c.Acquisitions())

	// Within the backoff: the same failure, at once, without a login.
	for range 5 {
		clock.Advance(time.Second)
		_, _, err = c.Get(ctx)
		require.Error(t, err)
		assert.ErrorIs(t, err, apierr.ErrInvalidCredentials, "the original failure is still matched")
		var ae *apierr.Error
		require.ErrorAs(t, err, &ae)
		assert.Same(t, refused, ae)
	}
	assert.Equal(t, 1, c.Acquisitions(), "no login during the backoff")

	// After 10s one new attempt; it fails, and the backoff doubles.
	clock.Advance(5 * time.Second)
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.Equal(t, 2, c.Acquisitions())
	clock.Advance(19 * time.Second)
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.Equal(t, 2, c.Acquisitions(), "19s after the second failure")
	clock.Advance(time.Second)
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.Equal(t, 3, c.Acquisitions(), "20s after the second failure")

	// A success resets it: the next failure waits 10s again.
	a.setFail(nil)
	clock.Advance(40 * time.Second)
	_, g, err := c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, c.Acquisitions())
	a.setFail(refused)
	c.Invalidate(g)
	_, _, err = c.Get(ctx)
	require.Error(t, err)
	assert.Equal(t, 5, c.Acquisitions())
	clock.Advance(10 * time.Second)
	_, _, err = c.Get(ctx)
	require.Error(t, err)
	assert.Equal(t, 6, c.Acquisitions())
}

func TestCacheFailureBackoffIsCappedAndSaysSo(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, time.Hour)
	boom := errors.New("token endpoint down")
	a.setFail(boom)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, FailureBackoff: 10 * time.Second, MaxFailureBackoff: 30 * time.Second})
	ctx := context.Background()

	failedAt := clock.Now()
	_, _, err := c.Get(ctx)
	require.ErrorIs(t, err, boom)
	var be *auth.BackoffError
	assert.False(t, errors.As(err, &be), "the failure itself is returned as it is")

	clock.Advance(3 * time.Second)
	_, _, err = c.Get(ctx)
	require.ErrorAs(t, err, &be)
	assert.Same(t, boom, be.Err)
	assert.Equal(t, failedAt.Add(10*time.Second), be.Until)
	assert.Equal(t, "auth: the last credential acquisition failed; next attempt in 7s: token endpoint down", err.Error())

	// 10s, 20s, then 30s and no more (not 40s).
	for i, wait := range []time.Duration{7 * time.Second, 20 * time.Second, 30 * time.Second, 30 * time.Second} {
		clock.Advance(wait - time.Millisecond)
		_, _, err = c.Get(ctx)
		require.ErrorAs(t, err, &be)
		assert.Equal(t, i+1, c.Acquisitions(), "before the backoff ends")
		clock.Advance(time.Millisecond)
		_, _, err = c.Get(ctx)
		require.ErrorIs(t, err, boom)
		assert.Equal(t, i+2, c.Acquisitions(), "when the backoff ends")
	}
}

func TestCacheClearAndInvalidateEndTheBackoff(t *testing.T) {
	clock := newClock()
	a := newAcquirer(clock, time.Hour)
	c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now})
	ctx := context.Background()
	_, g, err := c.Get(ctx)
	require.NoError(t, err)

	boom := errors.New("token endpoint down")
	a.setFail(boom)
	c.Invalidate(g)
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, boom)
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 2, c.Acquisitions(), "in backoff")

	// Clear (a logout) forgets the failure with the value.
	c.Clear()
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 3, c.Acquisitions(), "Clear ends the backoff")

	// So does invalidating the current generation.
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 3, c.Acquisitions())
	c.Invalidate(g + 100) // a generation the cache never had: ignored
	_, _, err = c.Get(ctx)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 3, c.Acquisitions())
	c.Invalidate(g)
	a.setFail(nil)
	v, _, err := c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "v2", v)
	assert.Equal(t, 4, c.Acquisitions())
}

// Clients started together must not refresh together: with the default
// random source the refresh-ahead points of values of the same lifetime
// differ. Life 100s and RefreshAhead 20s put them between 70s and 80s, so
// each of 30 caches is due at 75s with probability one half.
func TestCacheRefreshAheadIsJittered(t *testing.T) {
	dueAt75 := 0
	for range 30 {
		clock := newClock()
		a := newAcquirer(clock, 100*time.Second)
		c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, RefreshAhead: 20 * time.Second, ExpiryDelta: time.Second})
		mustGet(t, c)
		clock.Advance(69 * time.Second)
		mustGet(t, c)
		require.Equal(t, 1, c.Acquisitions(), "never earlier than 1.5*RefreshAhead before expiry")
		clock.Advance(6 * time.Second)
		mustGet(t, c)
		if c.Acquisitions() == 2 {
			dueAt75++
		}
		clock.Advance(5 * time.Second)
		mustGet(t, c)
		require.Equal(t, 2, c.Acquisitions(), "always by RefreshAhead before expiry")
	}
	assert.Positive(t, dueAt75, "some refresh before 75s")
	assert.Less(t, dueAt75, 30, "some refresh after 75s")
}

func TestCacheRefreshAheadJitterBounds(t *testing.T) {
	for _, tc := range []struct {
		r             float64
		notDue, isDue time.Duration
	}{
		{0, 79 * time.Second, 80 * time.Second},
		{0.5, 74 * time.Second, 75 * time.Second},
		{0.999, 70 * time.Second, 71 * time.Second},
	} {
		clock := newClock()
		start := clock.Now()
		a := newAcquirer(clock, 100*time.Second)
		c := auth.NewCache(a.acquire, auth.CacheOptions{Now: clock.Now, RefreshAhead: 20 * time.Second, ExpiryDelta: time.Second,
			Rand: func() float64 { return tc.r }})
		mustGet(t, c)
		clock.Advance(start.Add(tc.notDue).Sub(clock.Now()))
		mustGet(t, c)
		assert.Equal(t, 1, c.Acquisitions(), "rand %v: not due at %v", tc.r, tc.notDue)
		clock.Advance(start.Add(tc.isDue).Sub(clock.Now()))
		mustGet(t, c)
		assert.Equal(t, 2, c.Acquisitions(), "rand %v: due at %v", tc.r, tc.isDue)
	}
}
