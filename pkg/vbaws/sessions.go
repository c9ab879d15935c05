package vbaws

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/poll"
)

// ErrSessionFailed matches the error of Sessions.Wait for a session that
// ended Failed or Canceled.
var ErrSessionFailed = errors.New("vbaws: session failed")

// SessionError is the error of Sessions.Wait for a session that failed or
// was canceled. It matches ErrSessionFailed.
type SessionError struct {
	Session vbawsapi.Session
}

func (e *SessionError) Error() string {
	msg := fmt.Sprintf("vbaws: session %s (%s) ended %s", e.Session.ID, e.Session.Type, e.Session.Status)
	if e.Session.Reason != nil && *e.Session.Reason != "" {
		msg += ": " + *e.Session.Reason
	}
	return msg
}

// Is matches ErrSessionFailed.
func (e *SessionError) Is(target error) bool { return target == ErrSessionFailed }

// SessionEnded reports whether a session has ended (it is neither Running
// nor waiting to run).
func SessionEnded(s vbawsapi.Session) bool {
	return s.Status != vbawsapi.SessionStatusRunning && s.Status != vbawsapi.SessionStatusNeverExecuted
}

// Wait polls a session, such as the one Organizations.Add, Rescan or
// TestConfiguration returned in its SessionLink, until it has ended, with
// growing pauses (1s, then half as long again each time, up to 15s unless
// opts say otherwise), and returns it. A session that ended Failed or
// Canceled comes with a *SessionError; Warning counts as done. ctx bounds
// the whole wait.
func (s *SessionsService) Wait(ctx context.Context, id uuid.UUID, opts *poll.Options) (*vbawsapi.Session, error) {
	return poll.Until(ctx, "vbaws session "+id.String(), opts, poll.Defaults{Interval: time.Second, MaxInterval: 15 * time.Second},
		func(ctx context.Context) (*vbawsapi.Session, bool, error) {
			sess, err := s.Get(ctx, id)
			if err != nil {
				return nil, false, err
			}
			if !SessionEnded(*sess) {
				return sess, false, nil
			}
			if sess.Status == vbawsapi.SessionStatusFailed || sess.Status == vbawsapi.SessionStatusCanceled {
				return sess, true, &SessionError{Session: *sess}
			}
			return sess, true, nil
		})
}
