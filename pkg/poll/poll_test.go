package poll_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/poll"
)

func TestUntilPollsUntilDoneWithGrowingPauses(t *testing.T) {
	var at []time.Time
	var seen []any
	state, err := poll.Until(context.Background(), "job", &poll.Options{
		Interval: 10 * time.Millisecond, MaxInterval: 20 * time.Millisecond,
		OnPoll: func(s any) { seen = append(seen, s) },
	}, poll.Defaults{}, func(context.Context) (int, bool, error) {
		at = append(at, time.Now())
		return len(at), len(at) == 4, nil
	})
	require.NoError(t, err)
	assert.Equal(t, 4, state)
	assert.Equal(t, []any{1, 2, 3, 4}, seen)
	// Pauses: 10ms, 15ms, then capped at 20ms.
	for i, min := range []time.Duration{10, 15, 20} {
		assert.GreaterOrEqual(t, at[i+1].Sub(at[i]), min*time.Millisecond, "pause %d", i)
	}
}

func TestUntilStopsOnErrorWithItsState(t *testing.T) {
	boom := errors.New("failed")
	state, err := poll.Until(context.Background(), "job", nil, poll.Defaults{Interval: time.Millisecond},
		func(context.Context) (string, bool, error) { return "Failed", true, boom })
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "Failed", state)
}

func TestUntilHonoursContextDuringAPause(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	state, err := poll.Until(ctx, "session 42", nil, poll.Defaults{Interval: time.Hour},
		func(context.Context) (string, bool, error) { return "Running", false, nil })
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "session 42")
	assert.Equal(t, "Running", state, "the last state read comes back with the error")
	assert.Less(t, time.Since(start), time.Second)
}
