package vbgc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/poll"
)

// ErrSessionFailed matches the error Wait returns for a session that ended
// as Failed or Canceled.
var ErrSessionFailed = errors.New("vbgc: session did not succeed")

// SessionError is returned by Wait when the session ended badly; it carries
// the final session.
type SessionError struct {
	Session vbgcapi.SessionInfoItemModel
}

func (e *SessionError) Error() string {
	msg := fmt.Sprintf("vbgc: session %s (%s) ended %s", e.Session.ID, e.Session.SessionType, e.Session.Result)
	if e.Session.Message != nil && *e.Session.Message != "" {
		msg += ": " + *e.Session.Message
	}
	return msg
}

// Is matches ErrSessionFailed.
func (e *SessionError) Is(target error) bool { return target == ErrSessionFailed }

// Final reports whether a session has ended: it is Stopped, or it already
// has a result.
func Final(s vbgcapi.SessionInfoItemModel) bool {
	return s.Status == vbgcapi.ESessionStatusStopped || (s.Result != "" && s.Result != vbgcapi.ESessionResultNone)
}

// Failed reports whether an ended session failed or was canceled.
func Failed(s vbgcapi.SessionInfoItemModel) bool {
	return s.Result == vbgcapi.ESessionResultFailed || s.Result == vbgcapi.ESessionResultCanceled
}

// waitPacing is the default pacing of Wait: a session of the appliance
// takes seconds to minutes, so the first pause is a second and later ones
// grow to 15s.
var waitPacing = poll.Defaults{Interval: time.Second, MaxInterval: 15 * time.Second}

// Wait polls a session until it has ended, with growing pauses, and returns
// it. A session whose result is Failed or Canceled is returned with a
// *SessionError; Warning counts as done. ctx bounds the whole wait. opts
// (nil for the defaults: 1s growing to 15s) set the pacing; its OnPoll sees
// every state read as a *vbgcapi.SessionInfoItemModel.
func (s *SessionsService) Wait(ctx context.Context, id uuid.UUID, opts *poll.Options) (*vbgcapi.SessionInfoItemModel, error) {
	session, err := poll.Until(ctx, "session "+id.String(), opts, waitPacing,
		func(ctx context.Context) (*vbgcapi.SessionInfoItemModel, bool, error) {
			session, err := s.Get(ctx, id)
			if err != nil {
				return nil, false, err
			}
			return session, Final(*session), nil
		})
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil, fmt.Errorf("vbgc: %w", err)
		}
		return nil, err
	}
	if Failed(*session) {
		return session, &SessionError{Session: *session}
	}
	return session, nil
}
