package vbemfake

import (
	"fmt"
	"net/http"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// WAN accelerators and the system sessions of Enterprise Manager. The
// fake seeds a WAN accelerator on each backup server and one finished
// data collection; each collection from a backup server
// (BackupServers.Collect) adds a CollectJob session.

// SeedWANAcceleratorID is the WAN accelerator of SeedBackupServer2ID.
const SeedWANAcceleratorID = "55bd11af-696d-4224-ae9c-0917c851177c"

const infraKey = "infra"

type wanAccelerator struct {
	id, name, server, desc, version, cache string
	capacity                               int64
	port, conns                            int32
	highBandwidth                          bool
}

func (a *wanAccelerator) ident() (string, string) { return a.id, a.name }

type systemSession struct {
	id, kind, state, result, message string
	created, end                     time.Time
}

func (s *systemSession) ident() (string, string) {
	return s.id, systemSessionName(s.kind) + " @" + s.created.Format("2006-01-02 15:04:05.000000")
}

// systemSessionName is how a session type reads in session names:
// CollectJob is "Collect Job".
func systemSessionName(kind string) string {
	out := make([]rune, 0, len(kind)+4)
	for i, c := range kind {
		if i > 0 && c >= 'A' && c <= 'Z' {
			out = append(out, ' ')
		}
		out = append(out, c)
	}
	return string(out)
}

type infraState struct {
	wan      []*wanAccelerator
	sessions []*systemSession
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		seeded := time.Date(2025, 8, 14, 12, 31, 30, 0, time.UTC)
		f.state[infraKey] = &infraState{
			wan: []*wanAccelerator{
				{id: SeedWANAcceleratorID, name: "172.16.13.45", server: SeedBackupServer2ID, desc: "WAN Accelerator in Columbus", version: "13.0.1.1071",
					cache: `C:\VeeamWAN`, capacity: 100, port: 6165, conns: 5},
				{id: "d6af7637-de80-4a10-94cc-a2acec188931", name: "172.16.14.20", server: SeedBackupServer1ID, desc: "Target WAN accelerator",
					version: "13.0.1.1071", cache: `D:\VeeamWAN`, capacity: 400, port: 6165, conns: 5, highBandwidth: true},
			},
			sessions: []*systemSession{{id: "00057ade-8f1a-4b54-a265-391441981e25", kind: "CollectJob", state: "CompletedSuccessfully", result: "Success",
				created: seeded, end: seeded.Add(18 * time.Second)}},
		}
		wan, sessions := f.wanAccelerators(), f.systemSessions()
		return map[string]fake.HandlerFunc{
			"GetWanAccelerators": wan.list(),
			"GetWanAccelerator":  wan.get(f.wanModel),
			"GetSystemSessions": func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
				f.mu.Lock()
				defer f.mu.Unlock()
				list := vbemapi.SystemSessions{SystemSessions: []vbemapi.SystemSession{}}
				for _, s := range f.infraLocked().sessions {
					list.SystemSessions = append(list.SystemSessions, systemSessionModel(r, s, false))
				}
				in.Respond(w, http.StatusOK, list)
			},
			"GetSystemSession": sessions.get(func(r *http.Request, s *systemSession, entity bool) any { return systemSessionModel(r, s, entity) }),
		}
	})
}

func (f *Fake) infraLocked() *infraState { return f.state[infraKey].(*infraState) }

func (f *Fake) wanAccelerators() coll[*wanAccelerator] {
	return coll[*wanAccelerator]{f: f, kind: "WanAccelerator", base: "/api/wanAccelerators/", param: "wanAcceleratorId", what: "WAN accelerator",
		items: func() []*wanAccelerator { return f.infraLocked().wan },
		up: func(r *http.Request, a *wanAccelerator) []vbemapi.Link {
			return []vbemapi.Link{f.serverUp(r, a.server)}
		}}
}

func (f *Fake) systemSessions() coll[*systemSession] {
	return coll[*systemSession]{f: f, kind: "SystemSession", base: "/api/systemSessions/", param: "systemSessionId", what: "system session",
		items: func() []*systemSession { return f.infraLocked().sessions }}
}

func (f *Fake) wanModel(r *http.Request, a *wanAccelerator, entity bool) any {
	path := "/api/wanAccelerators/" + a.id
	m := vbemapi.WanAccelerator{Name: to.Ptr(a.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "WanAccelerator", path, a.id, entity)
	m.Links = append(m.Links, f.serverUp(r, a.server))
	if entity {
		m.Description, m.OutOfDate, m.Version, m.Capacity = to.Ptr(a.desc), to.Ptr(false), to.Ptr(a.version), to.Ptr(a.capacity)
		m.TrafficPort, m.ConnectionsCount, m.CachePath, m.HighBandwidthModeEnabled = to.Ptr(a.port), to.Ptr(a.conns), to.Ptr(a.cache), to.Ptr(a.highBandwidth)
	}
	return m
}

func systemSessionModel(r *http.Request, s *systemSession, entity bool) vbemapi.SystemSession {
	path := "/api/systemSessions/" + s.id
	_, name := s.ident()
	m := vbemapi.SystemSession{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "SystemSession", path, s.id, entity)
	m.Links = append(m.Links, named(link(r, "Down", path+"/events", "SystemSessionEvents"), "Events"))
	if entity {
		m.SessionType, m.CreationTimeUTC, m.State = to.Ptr(s.kind), to.Ptr(s.created), to.Ptr(s.state)
		if !s.end.IsZero() {
			m.EndTimeUTC = to.Ptr(s.end)
		}
		m.Result = &vbemapi.SystemSessionResult{Result: to.Ptr(s.result), Message: to.Ptr(s.message), IsCanceled: to.Ptr(false)}
	}
	return m
}

// addSystemSessionLocked records a finished system session of the given
// type (CollectJob, ...) about what, and returns it.
func (f *Fake) addSystemSessionLocked(kind, what string) *systemSession {
	now := f.now().UTC().Truncate(time.Microsecond)
	s := &systemSession{id: uuidLike(), kind: kind, state: "CompletedSuccessfully", result: "Success", created: now, end: now,
		message: fmt.Sprintf("Collected data from %s", what)}
	st := f.infraLocked()
	st.sessions = append(st.sessions, s)
	return s
}
