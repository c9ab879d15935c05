package ibmbr

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// ErrRecoveryFailed is matched (errors.Is) by the *RecoveryError of a
// recovery that failed, was canceled, skipped or missed.
var ErrRecoveryFailed = errors.New("ibmbr: recovery failed")

// ErrRecoveryCanceled is matched (errors.Is) by the *RecoveryError of a
// recovery that was canceled (Cancel, or on the service); it matches
// ErrRecoveryFailed too.
var ErrRecoveryCanceled = errors.New("ibmbr: recovery canceled")

// Wait polls recovery id (Get), at once and then with growing pauses (opts
// may be nil; opts.OnPoll sees each *ibmbrapi.Recovery read), until its
// status is final, and returns it. Succeeded and SucceededWithWarning are
// success; a recovery that Failed, was Canceled, Skipped or Missed is
// returned with a *RecoveryError (errors.Is(err, ErrRecoveryFailed); a
// canceled one, after Cancel for instance, matches ErrRecoveryCanceled). ctx
// bounds the whole wait: when it ends, Wait returns the last recovery read
// and an error that matches ctx.Err().
func (s *RecoveriesService) Wait(ctx context.Context, id string, opts *poll.Options) (*ibmbrapi.Recovery, error) {
	var last *ibmbrapi.Recovery // what a failed read returns
	rec, err := poll.Until(ctx, "recovery "+id, opts, waitDefaults, func(ctx context.Context) (*ibmbrapi.Recovery, bool, error) {
		r, err := s.Get(ctx, id)
		if err != nil {
			return last, false, err
		}
		last = r
		done, _ := final(string(to.Value(r.Status)))
		return r, done, nil
	})
	if err != nil {
		return rec, wrapWait(ctx, err)
	}
	if _, ok := final(string(to.Value(rec.Status))); !ok {
		return rec, &RecoveryError{Recovery: *rec}
	}
	return rec, nil
}

// RecoveryError is the error of Wait for a recovery that ended without
// success. It matches ErrRecoveryFailed.
type RecoveryError struct {
	// Recovery is the recovery as last read, with its status and messages.
	Recovery ibmbrapi.Recovery
}

func (e *RecoveryError) Error() string {
	r := e.Recovery
	msg := fmt.Sprintf("ibmbr: recovery %s (%s) ended %s", to.Value(r.ID), to.Value(r.Name), to.Value(r.Status))
	if len(r.Messages) > 0 {
		msg += ": " + strings.Join(r.Messages, "; ")
	}
	return msg
}

// Is matches ErrRecoveryFailed, and ErrRecoveryCanceled for a canceled
// recovery.
func (e *RecoveryError) Is(target error) bool {
	return target == ErrRecoveryFailed || (target == ErrRecoveryCanceled && to.Value(e.Recovery.Status) == ibmbrapi.RecoveryStatusCanceled)
}
