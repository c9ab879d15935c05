package auth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/auth"
)

// A Get that arrives after Clear, while an acquisition started before the
// Clear is still running, starts its own acquisition instead of sharing the
// outdated one.
func TestCacheGetAfterClearDoesNotJoinOutdatedAcquisition(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	c := auth.NewCache(func(_ context.Context, _ string, have bool) (string, time.Time, error) {
		n := calls.Add(1)
		if n == 1 {
			<-release
			return "old", time.Time{}, nil
		}
		assert.False(t, have, "after Clear there is no previous value")
		return "new", time.Time{}, nil
	}, auth.CacheOptions{})

	first := make(chan error, 1)
	go func() {
		_, _, err := c.Get(context.Background())
		first <- err
	}()
	require.Eventually(t, func() bool { return calls.Load() == 1 }, time.Second, time.Millisecond)
	c.Clear()

	v, _, err := c.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "new", v)
	close(release)
	assert.True(t, errors.Is(<-first, auth.ErrCleared), "the caller of the overtaken acquisition learns it was cleared")
	v, _, err = c.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "new", v, "the overtaken acquisition does not replace the newer value")
	assert.EqualValues(t, 2, calls.Load())
}

func TestAbsurdTokenLifetimeDoesNotExpireAtOnce(t *testing.T) {
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"access_token":"a","expires_in":9223372036854775807}`))}, nil
	})
	tok, err := auth.Password("u", "p").GetToken(context.Background(),
		auth.TokenRequest{Product: "vbaws", Endpoint: "https://h", HTTPClient: &http.Client{Transport: rt}})
	require.NoError(t, err)
	assert.True(t, tok.Valid(), "expiry %s", tok.Expiry)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
