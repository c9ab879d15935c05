package vbawsfake

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// sessionLog holds the sessions the asynchronous operations start. A
// session reads Running for its first runningReads reads, then ends: with
// the outcome FailNextSession set for it, or Succeeded.
type sessionLog struct {
	mu           sync.Mutex
	byID         map[uuid.UUID]*sessionState
	order        []uuid.UUID
	runningReads int
	failNext     string
	usn          int64
}

type sessionState struct {
	s      vbawsapi.Session
	reads  int
	reason string // non-empty: the session fails with this reason
}

// WithSessionReads makes every session read Running n times before it ends
// (default 1), so that waiting for a session can be tested.
func WithSessionReads(n int) Option { return func(c *config) { c.sessionReads = &n } }

// FailNextSession makes the next session an operation starts end Failed
// with reason.
func (f *Fake) FailNextSession(reason string) {
	f.log.mu.Lock()
	f.log.failNext = reason
	f.log.mu.Unlock()
}

// start records a new Running session of kind and returns its link.
func (l *sessionLog) start(kind string) vbawsapi.SessionLink {
	id := uuid.New()
	now := time.Now().UTC()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.usn++
	st := &sessionState{reason: l.failNext, s: vbawsapi.Session{
		ID: id, Type: kind, Status: vbawsapi.SessionStatusRunning, Result: ptr(vbawsapi.SessionResultRunning),
		ExecutionStartTime: &now, Usn: ptr(l.usn),
		Links: []vbawsapi.Link{{Rel: "self", Href: "/api/v1/sessions/" + id.String(), Method: vbawsapi.LinkMethodGET}},
	}}
	l.failNext = ""
	l.byID[id] = st
	l.order = append(l.order, id)
	return vbawsapi.SessionLink{SessionID: id, Links: st.s.Links}
}

// read returns the session as it is now, moving it on by one read.
func (l *sessionLog) read(st *sessionState) vbawsapi.Session {
	st.reads++
	if st.s.Status == vbawsapi.SessionStatusRunning && st.reads > l.runningReads {
		end := time.Now().UTC()
		st.s.ExecutionStopTime = &end
		st.s.ExecutionDuration = ptr(end.Sub(*st.s.ExecutionStartTime).Milliseconds())
		st.s.Status, st.s.Result = vbawsapi.SessionStatusSucceeded, ptr(vbawsapi.SessionResultSuccess)
		if st.reason != "" {
			st.s.Status, st.s.Result, st.s.Reason = vbawsapi.SessionStatusFailed, ptr(vbawsapi.SessionResultFailed), ptr(st.reason)
		}
		l.usn++
		st.s.Usn = ptr(l.usn)
	}
	return st.s
}

func (f *Fake) getSession(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, ok := f.pathID(w, r, in, "sessionId")
	if !ok {
		return
	}
	f.log.mu.Lock()
	st, ok := f.log.byID[id]
	var s vbawsapi.Session
	if ok {
		s = f.log.read(st)
	}
	f.log.mu.Unlock()
	if !ok {
		f.notFound(w, r, "the session "+id.String())
		return
	}
	veeamfake.WriteJSON(w, http.StatusOK, s)
}

func (f *Fake) listSessions(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	from, _ := time.Parse(time.RFC3339, q.Get("FromUtc"))
	to, _ := time.Parse(time.RFC3339, q.Get("ToUtc"))
	f.log.mu.Lock()
	var all []vbawsapi.Session
	for _, id := range f.log.order {
		s := f.log.byID[id].s
		switch {
		case q.Get("Status") != "" && string(s.Status) != q.Get("Status"),
			len(q["Types"]) > 0 && !slices.Contains(q["Types"], s.Type),
			!from.IsZero() && s.ExecutionStartTime.Before(from),
			!to.IsZero() && s.ExecutionStartTime.After(to):
			continue
		}
		all = append(all, s)
	}
	f.log.mu.Unlock()
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.SessionsPage{Results: orEmpty(page), TotalCount: int32(len(all))}) //nolint:gosec // small
}

func ptr[T any](v T) *T { return &v }
