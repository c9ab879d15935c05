// Package poll waits for long-running work on a server: a Veeam session, an
// Enterprise Manager task, an IBM protection run or recovery. Each product
// says how to read the state and when it is final; this package does the
// waiting, the same way for all of them.
package poll

import (
	"context"
	"fmt"
	"time"
)

// Options tune a wait. The zero value is the product's default pacing.
type Options struct {
	// Interval is the pause after the first poll (the first poll is made at
	// once); each pause after it is half as long again, up to MaxInterval.
	Interval    time.Duration
	MaxInterval time.Duration
	// OnPoll, if set, sees every state read, for progress reports.
	OnPoll func(state any)
}

// Defaults fill the unset fields of Options.
type Defaults struct {
	Interval, MaxInterval time.Duration
}

// StateFunc reads the current state of the work. It reports done when the
// work has ended (successfully or not); a non-nil error ends the wait with
// that error and the state it came with.
type StateFunc[T any] func(ctx context.Context) (state T, done bool, err error)

// Until polls read, with growing pauses, until it reports done or fails, and
// returns the last state. ctx bounds the whole wait: when it ends, Until
// returns at once with the last state read and an error that matches
// ctx.Err() and names what was waited for.
func Until[T any](ctx context.Context, what string, opts *Options, def Defaults, read StateFunc[T]) (T, error) {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Interval <= 0 {
		o.Interval = def.Interval
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.MaxInterval < o.Interval {
		o.MaxInterval = max(def.MaxInterval, o.Interval)
	}
	var last T
	wait := o.Interval
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-timer.C:
		}
		state, done, err := read(ctx)
		if err != nil {
			return state, err
		}
		last = state
		if o.OnPoll != nil {
			o.OnPoll(state)
		}
		if done {
			return state, nil
		}
		timer.Reset(wait)
		wait = min(wait+wait/2, o.MaxInterval)
	}
}
