package vbgc

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// SessionsService covers /api/v1/sessions.
type SessionsService struct{ service }

// List returns one page of sessions.
func (s *SessionsService) List(ctx context.Context, opts *ListOptions) (*vbgcapi.SessionsInfoListModel, error) {
	q, err := opts.encode(s.version)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, q)
}

func (s *SessionsService) list(ctx context.Context, q query) (*vbgcapi.SessionsInfoListModel, error) {
	p := vbgcapi.GetSessionsParams(q)
	resp, err := s.api.GetSessions(ctx, &p)
	return respond.JSON[vbgcapi.SessionsInfoListModel](resp, err, decode)
}

// All iterates over every session matching opts.
func (s *SessionsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[vbgcapi.SessionInfoItemModel, error] {
	return all(ctx, s.version, opts, sessionsPage(s.list))
}

// Get returns one session.
func (s *SessionsService) Get(ctx context.Context, id uuid.UUID) (*vbgcapi.SessionInfoItemModel, error) {
	resp, err := s.api.GetSession(ctx, id, &vbgcapi.GetSessionParams{XAPIVersion: s.version})
	return respond.JSON[vbgcapi.SessionInfoItemModel](resp, err, decode)
}

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

// WaitOptions tune Wait. The zero value polls after 1s, growing by half
// each time up to 15s.
type WaitOptions struct {
	Interval    time.Duration
	MaxInterval time.Duration
	// OnPoll, if set, sees every state read.
	OnPoll func(vbgcapi.SessionInfoItemModel)
}

// Final reports whether a session has ended: it is Stopped, or it already
// has a result.
func Final(s vbgcapi.SessionInfoItemModel) bool {
	return s.Status == vbgcapi.ESessionStatusStopped || (s.Result != "" && s.Result != vbgcapi.ESessionResultNone)
}

// Failed reports whether an ended session failed or was canceled.
func Failed(s vbgcapi.SessionInfoItemModel) bool {
	return s.Result == vbgcapi.ESessionResultFailed || s.Result == vbgcapi.ESessionResultCanceled
}

// Wait polls a session until it has ended, with growing pauses, and returns
// it. A session whose result is Failed or Canceled is returned with a
// *SessionError; Warning counts as done. ctx bounds the whole wait.
func (s *SessionsService) Wait(ctx context.Context, id uuid.UUID, opts *WaitOptions) (*vbgcapi.SessionInfoItemModel, error) {
	o := WaitOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.MaxInterval < o.Interval {
		o.MaxInterval = max(15*time.Second, o.Interval)
	}
	wait := o.Interval
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("vbgc: waiting for session %s: %w", id, ctx.Err())
		case <-timer.C:
		}
		sess, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if o.OnPoll != nil {
			o.OnPoll(*sess)
		}
		if Final(*sess) {
			if Failed(*sess) {
				return sess, &SessionError{Session: *sess}
			}
			return sess, nil
		}
		timer.Reset(wait)
		wait = min(wait+wait/2, o.MaxInterval)
	}
}
