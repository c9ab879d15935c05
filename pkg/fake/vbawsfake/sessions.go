package vbawsfake

import (
	"net/http"
	"slices"
	"strconv"
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
	sessionOpts
	logs      []vbawsapi.LogItem
	protected []vbawsapi.ProtectedItem
	restored  []vbawsapi.RestoredItem
	// deleted are the restore points a retention session removed (or
	// failed to remove), set when it ends.
	deleted []vbawsapi.RetentionJobDeletedRestorePoint
}

// sessionOpts are what a session of a policy or a restore knows of itself.
type sessionOpts struct {
	policyID uuid.UUID
	// items are the resources the session processes: what a backup
	// session lists as protected and a restore session as restored.
	items   []sessionItem
	restore bool
	// vmID is the EC2 instance a session works on when it is not among
	// its items (a removal of its restore points), for the VmId filter.
	vmID uuid.UUID
	// sticky sessions (file-level recovery) run until they are stopped.
	sticky bool
	// onStart runs when the session is recorded, onEnd when it ends, both
	// with the session log locked (they may lock a workload, never the log).
	onStart func(id uuid.UUID)
	onEnd   func(id uuid.UUID, status vbawsapi.SessionStatus)
}

type sessionItem struct {
	id           uuid.UUID
	name, region string
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
func (l *sessionLog) start(kind string) vbawsapi.SessionLink { return l.startWith(kind, sessionOpts{}) }

// startWith records a new Running session of kind with its options and
// returns its link.
func (l *sessionLog) startWith(kind string, o sessionOpts) vbawsapi.SessionLink {
	id := uuid.New()
	now := time.Now().UTC()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.usn++
	st := &sessionState{reason: l.failNext, sessionOpts: o, s: vbawsapi.Session{
		ID: id, Type: kind, Status: vbawsapi.SessionStatusRunning, Result: ptr(vbawsapi.SessionResultRunning),
		ExecutionStartTime: &now, Usn: ptr(l.usn),
		Links:    []vbawsapi.Link{{Rel: "self", Href: "/api/v1/sessions/" + id.String(), Method: vbawsapi.LinkMethodGET}},
		Embedded: embeddedLinks(id, kind, o),
	}}
	if o.sticky {
		st.reason = "" // FailNextSession is for the next session that ends by itself
	} else {
		l.failNext = ""
	}
	st.logs = append(st.logs, vbawsapi.LogItem{LogTime: now, Status: vbawsapi.SessionLogStatusRunning, Message: ptr(kind + " session started"), ExecutionStartTime: &now})
	l.byID[id] = st
	l.order = append(l.order, id)
	if o.onStart != nil {
		o.onStart(id)
	}
	return vbawsapi.SessionLink{SessionID: id, Links: st.s.Links}
}

// read returns the session as it is now, moving it on by one read.
func (l *sessionLog) read(st *sessionState) vbawsapi.Session {
	st.reads++
	if st.s.Status == vbawsapi.SessionStatusRunning && !st.sticky && st.reads > l.runningReads {
		if st.reason != "" {
			l.finish(st, vbawsapi.SessionStatusFailed, vbawsapi.SessionResultFailed, st.reason)
		} else {
			l.finish(st, vbawsapi.SessionStatusSucceeded, vbawsapi.SessionResultSuccess, "")
		}
	}
	return st.s
}

// finish ends a running session: its times, status, log record and items,
// then its onEnd.
func (l *sessionLog) finish(st *sessionState, status vbawsapi.SessionStatus, result vbawsapi.SessionResult, reason string) {
	end := time.Now().UTC()
	st.s.ExecutionStopTime = &end
	st.s.ExecutionDuration = ptr(end.Sub(*st.s.ExecutionStartTime).Milliseconds())
	st.s.Status, st.s.Result = status, ptr(result)
	if reason != "" {
		st.s.Reason = ptr(reason)
	}
	l.usn++
	st.s.Usn = ptr(l.usn)
	itemStatus, logStatus := vbawsapi.SessionItemsStatusesSucceeded, vbawsapi.SessionLogStatusSuccess
	switch status {
	case vbawsapi.SessionStatusFailed:
		itemStatus, logStatus = vbawsapi.SessionItemsStatusesFailed, vbawsapi.SessionLogStatusError
	case vbawsapi.SessionStatusCanceled:
		itemStatus, logStatus = vbawsapi.SessionItemsStatusesFailed, vbawsapi.SessionLogStatusCanceled
	}
	for _, it := range st.items {
		st.logs = append(st.logs, vbawsapi.LogItem{LogTime: end, Status: logStatus, Message: ptr("Processed " + it.name)})
		if st.restore {
			st.restored = append(st.restored, vbawsapi.RestoredItem{Name: it.name, Status: ptr(itemStatus), RegionName: ptr(it.region)})
		} else {
			st.protected = append(st.protected, vbawsapi.ProtectedItem{ID: it.id, Name: it.name, Status: ptr(itemStatus), Region: ptr(it.region)})
		}
	}
	msg := st.s.Type + " session ended " + string(status)
	if reason != "" {
		msg += ": " + reason
	}
	st.logs = append(st.logs, vbawsapi.LogItem{LogTime: end, Status: logStatus, Message: &msg, ExecutionStartTime: st.s.ExecutionStartTime, ExecutionDuration: st.s.ExecutionDuration})
	if st.onEnd != nil {
		st.onEnd(st.s.ID, status)
	}
}

// stop ends a running session: Canceled, or Succeeded for a file-level
// recovery session (stopping is how it ends). found is false for an unknown
// session, stopped false for one that has ended already.
func (l *sessionLog) stop(id uuid.UUID) (found, stopped bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.byID[id]
	if !ok {
		return false, false
	}
	if st.s.Status != vbawsapi.SessionStatusRunning {
		return true, false
	}
	if st.sticky {
		l.finish(st, vbawsapi.SessionStatusSucceeded, vbawsapi.SessionResultSuccess, "")
	} else {
		l.finish(st, vbawsapi.SessionStatusCanceled, vbawsapi.SessionResultCancelled, "stopped by the user")
	}
	return true, true
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
		st := f.log.byID[id]
		s := st.s
		switch {
		case q.Get("PolicyId") != "" && st.policyID.String() != q.Get("PolicyId"),
			len(q["Status"]) > 0 && !slices.Contains(q["Status"], string(s.Status)),
			len(q["Types"]) > 0 && !slices.Contains(q["Types"], s.Type),
			!from.IsZero() && s.ExecutionStartTime.Before(from),
			!to.IsZero() && s.ExecutionStartTime.After(to),
			q.Get("Usn") != "" && q.Get("Usn") != strconv.FormatInt(valueOf(s.Usn), 10),
			q.Get("VmId") != "" && !st.processes(q.Get("VmId")):
			continue
		}
		all = append(all, s)
	}
	f.log.mu.Unlock()
	sortSessions(all, q["Sort"])
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.SessionsPage{Results: orEmpty(page), TotalCount: int32(len(all))}) //nolint:gosec // small
}

func ptr[T any](v T) *T { return &v }

// sessionByPath finds the session of the path parameter name and runs fn
// on it with the log locked; it answers 404 for an unknown one.
func (f *Fake) sessionByPath(w http.ResponseWriter, r *http.Request, in *fake.Input, name string, fn func(st *sessionState)) bool {
	id, ok := f.pathID(w, r, in, name)
	if !ok {
		return false
	}
	f.log.mu.Lock()
	st, ok := f.log.byID[id]
	if ok {
		fn(st)
	}
	f.log.mu.Unlock()
	if !ok {
		f.notFound(w, r, "the session "+id.String())
	}
	return ok
}

func (f *Fake) sessionLogRecords(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var out vbawsapi.SessionLog
	if f.sessionByPath(w, r, in, "sessionId", func(st *sessionState) {
		out = vbawsapi.SessionLog{SessionID: st.s.ID, Log: append([]vbawsapi.LogItem{}, st.logs...)}
	}) {
		veeamfake.WriteJSON(w, http.StatusOK, out)
	}
}

func (f *Fake) stopSession(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, ok := f.pathID(w, r, in, "sessionId")
	if !ok {
		return
	}
	found, stopped := f.log.stop(id)
	switch {
	case !found:
		f.notFound(w, r, "the session "+id.String())
	case !stopped:
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "the session "+id.String()+" is not running")
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

func (f *Fake) protectedItems(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var all []vbawsapi.ProtectedItem
	if !f.sessionByPath(w, r, in, "backupSessionId", func(st *sessionState) {
		for _, it := range st.protected {
			if matches(it.Name, r.URL.Query().Get("SearchPattern")) {
				all = append(all, it)
			}
		}
	}) {
		return
	}
	sortProtectedItems(all, r.URL.Query()["Sort"])
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.ProtectedItemsPage{Results: orEmpty(page), TotalCount: int32(len(all))}) //nolint:gosec // small
}

func (f *Fake) restoredItems(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var all []vbawsapi.RestoredItem
	if !f.sessionByPath(w, r, in, "restoreSessionId", func(st *sessionState) {
		for _, it := range st.restored {
			if matches(it.Name, r.URL.Query().Get("SearchPattern")) {
				all = append(all, it)
			}
		}
	}) {
		return
	}
	sortRestoredItems(all, r.URL.Query()["Sort"])
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.RestoredItemsPage{Results: orEmpty(page), TotalCount: int32(len(all))}) //nolint:gosec // small
}
