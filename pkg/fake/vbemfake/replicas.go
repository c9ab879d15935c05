package vbemfake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// Seeded replication state: SeedReplicaID (SQL Replication) holds two
// points of the VM sql02, the newest SeedVMReplicaPointID; a second replica
// holds one point of dc01. SeedFailoverPlanID fails both VMs over;
// SeedExternalRepositoryID holds two backups.
const (
	SeedReplicaID            = "fe4d9334-8801-440c-9994-5a16181d7fb0"
	SeedVMReplicaPointID     = "9b414afe-e957-4d40-a144-7d02de9a041c"
	SeedFailoverPlanID       = "ae01e36f-32a3-4095-95fa-09a2af744009"
	SeedExternalRepositoryID = "06ff6c99-f457-4fd3-87da-4d00291d3eae"
	// SeedReplicaSessionID is the first run of SQL Replication.
	SeedReplicaSessionID = "53d58f4f-3976-47b7-aec4-3d29a963b0e5"
)

const replKey = "replicas"

type replicaPoint struct {
	id, vm  string
	created time.Time
	full    bool
}

type replica struct {
	id, name string
	points   []*replicaPoint
}

type replSession struct {
	id, vm, job, reason, jobSess string
	created, ended               time.Time
	result                       vbemapi.ReplicaTaskSessionResult
	size                         int64
}

type failoverPlan struct {
	id, name, description string
	vms                   []string
	started               bool
}

type extRepo struct {
	id, name, path, description string
	server                      string // the backup server it is added to
	used, capacity              int64
	backups                     []string
}

// replJobSession is a run of a replication job (or a failover): Working
// until it has been read a few times, then Stopped.
type replJobSession struct {
	id, job, jobType string
	created, end     time.Time
	result           vbemapi.ReplicaJobSessionResult
	reads            int
}

type replState struct {
	jobSessions []*replJobSession
	replicas    []*replica
	failedOver  map[string]bool // VM name -> failed over
	sessions    []*replSession
	plans       []*failoverPlan
	repos       []*extRepo
	next        int
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		day := time.Date(2024, 5, 1, 22, 0, 0, 0, time.UTC)
		f.state[replKey] = &replState{
			replicas: []*replica{
				{id: SeedReplicaID, name: "SQL Replication", points: []*replicaPoint{
					{id: "3d6f8a10-6b2c-4c55-9a1e-1f2e3d4c5b6a", vm: "sql02", created: day, full: true},
					{id: SeedVMReplicaPointID, vm: "sql02", created: day.Add(24 * time.Hour)}}},
				{id: "51b7c0de-0f6a-4d8e-8c9a-7e6f5d4c3b2a", name: "DC Replication", points: []*replicaPoint{
					{id: "8e2a4c6b-1d3f-4e5a-9b7c-0d1e2f3a4b5c", vm: "dc01", created: day.Add(24 * time.Hour), full: true}}},
			},
			failedOver: map[string]bool{},
			jobSessions: []*replJobSession{
				{id: SeedReplicaSessionID, job: "SQL Replication", jobType: "Replica", created: day, end: day.Add(2 * time.Minute), result: vbemapi.ReplicaJobSessionResultSuccess},
				{id: "5b7d1f3e-2c4a-4e6b-8d0f-1a3c5e7f9b2d", job: "SQL Replication", jobType: "Replica", created: day.Add(24 * time.Hour), end: day.Add(24*time.Hour + time.Minute), result: vbemapi.ReplicaJobSessionResultSuccess},
				{id: "0bcf5a1e-866c-4b40-8bc3-ce64753b9a6b", job: "DC Replication", jobType: "Replica", created: day.Add(24 * time.Hour), end: day.Add(24*time.Hour + 3*time.Minute), result: vbemapi.ReplicaJobSessionResultFailed},
			},
			sessions: []*replSession{
				{id: "809564f0-d2e7-4ee2-af2f-06d385138be2", jobSess: SeedReplicaSessionID, vm: "sql02", job: "SQL Replication", created: day, ended: day.Add(2 * time.Minute),
					result: vbemapi.ReplicaTaskSessionResultSuccess, size: 512 << 20},
				{id: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", jobSess: "5b7d1f3e-2c4a-4e6b-8d0f-1a3c5e7f9b2d", vm: "sql02", job: "SQL Replication", created: day.Add(24 * time.Hour),
					ended: day.Add(24*time.Hour + time.Minute), result: vbemapi.ReplicaTaskSessionResultSuccess, size: 64 << 20},
				{id: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", jobSess: "0bcf5a1e-866c-4b40-8bc3-ce64753b9a6b", vm: "dc01", job: "DC Replication", created: day.Add(24 * time.Hour),
					ended: day.Add(24*time.Hour + 3*time.Minute), result: vbemapi.ReplicaTaskSessionResultFailed, reason: "Snapshot creation failed", size: 0},
			},
			plans: []*failoverPlan{{id: SeedFailoverPlanID, name: "SQL Failover Plan", description: "Fails the SQL tier over", vms: []string{"sql02", "dc01"}}},
			repos: []*extRepo{{id: SeedExternalRepositoryID, name: "Backups Vol2", path: "backups-bucket/vol2", description: "Offsite copies", server: SeedBackupServer2ID,
				used: 100 << 30, capacity: 1 << 40, backups: []string{"AWS policy", "Azure policy"}}},
		}
		replicas, points, sessions, plans, repos := f.replicas(), f.replicaPoints(), f.replSessions(), f.plans(), f.extRepos()
		jobSessions := f.replJobSessions()
		return map[string]fake.HandlerFunc{
			"GetReplicaSessions": jobSessions.list(),
			"GetReplicaSession": jobSessions.get(func(r *http.Request, s *replJobSession, entity bool) any {
				f.advanceReplJobLocked(s)
				return replJobModel(r, s, entity)
			}),
			"GetReplicaSessionTaskSessions": under(jobSessions, sessions, func(t *replSession, s *replJobSession) bool { return t.jobSess == s.id }),
			"GetReplicas":                   replicas.list(),
			"GetReplica":                    replicas.get(replicaModel),
			"GetReplicaVmReplicaPoints":     under(replicas, points, func(p *replicaPoint, rp *replica) bool { return slices.Contains(rp.points, p) }),
			"GetVmReplicaPoints":            points.list(),
			"GetVmReplicaPoint":             points.get(f.replicaPointModel),
			"PostVmReplicaPointAction":      points.with(f.failoverPoint),
			"GetReplicaTaskSessions":        sessions.list(),
			"GetReplicaTaskSession":         sessions.get(replSessionModel),
			"GetFailoverPlans":              plans.list(),
			"GetFailoverPlan":               plans.get(planModel),
			"EditFailoverPlan":              f.editPlan,
			"PostFailoverPlanAction":        f.planAction,
			"GetExternalRepositories":       repos.list(),
			"GetExternalRepository":         repos.get(extRepoModel),
			"GetExternalRepositoryBackups": repos.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, e *extRepo) {
				list := []vbemapi.EntityReference{}
				for i, b := range e.backups {
					id := fmt.Sprintf("%s-%d", e.id[:8], i+1)
					list = append(list, ref(r, "Backup", backupPath(id), id, b))
				}
				in.Respond(w, http.StatusOK, vbemapi.EntityReferences{Refs: list})
			}),
		}
	})
}

func (f *Fake) replLocked() *replState { return f.state[replKey].(*replState) }

func (rp *replica) ident() (string, string) { return rp.id, rp.name }
func (p *replicaPoint) ident() (string, string) {
	return p.id, p.vm + "@" + p.created.Format(stampName)
}
func (s *replSession) ident() (string, string)  { return s.id, s.vm + "@" + s.created.Format(stampName) }
func (p *failoverPlan) ident() (string, string) { return p.id, p.name }
func (e *extRepo) ident() (string, string)      { return e.id, e.name }

func (f *Fake) replicas() coll[*replica] {
	return coll[*replica]{f: f, kind: "Replica", base: "/api/replicas/", param: "replicaId", what: "replica", items: func() []*replica { return f.replLocked().replicas }}
}

func (f *Fake) replicaPoints() coll[*replicaPoint] {
	return coll[*replicaPoint]{f: f, kind: "VmReplicaPoint", base: "/api/vmReplicaPoints/", param: "vmReplicaPointId", what: "VM replica point",
		items: func() []*replicaPoint {
			var out []*replicaPoint
			for _, rp := range f.replLocked().replicas {
				out = append(out, rp.points...)
			}
			return out
		}}
}

func (f *Fake) replSessions() coll[*replSession] {
	return coll[*replSession]{f: f, kind: "ReplicaTaskSession", base: "/api/replicaTaskSessions/", param: "replicaTaskSessionId", what: "replication task session",
		items: func() []*replSession { return f.replLocked().sessions }}
}

func (f *Fake) plans() coll[*failoverPlan] {
	return coll[*failoverPlan]{f: f, kind: "FailoverPlan", base: "/api/failoverPlans/", param: "failoverPlanId", what: "failover plan", items: func() []*failoverPlan { return f.replLocked().plans }}
}

func (f *Fake) extRepos() coll[*extRepo] {
	return coll[*extRepo]{f: f, kind: "ExternalRepository", base: "/api/externalRepositories/", param: "externalRepositoryId", what: "external repository",
		items: func() []*extRepo { return f.replLocked().repos }}
}

// formOf fills in the Href, UID, Type and (for a reference) the Alternate
// link of an item.
func formOf(r *http.Request, kind, path, id string, entity bool) (href, uid, typ *string, links []vbemapi.Link) {
	href, uid, typ = form(r, kind, path, id, entity)
	if !entity {
		links = []vbemapi.Link{alternate(r, kind, path)}
	}
	return href, uid, typ, links
}

func replicaModel(r *http.Request, rp *replica, entity bool) any {
	p := "/api/replicas/" + rp.id
	m := vbemapi.Replica{Name: to.Ptr(rp.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "Replica", p, rp.id, entity)
	if entity {
		m.Platform = to.Ptr(vbemapi.ReplicaPlatformVMware)
		m.Links = []vbemapi.Link{link(r, "Down", p+"/vmReplicaPoints", "VmReplicaPointReferenceList")}
	}
	return m
}

func (f *Fake) replicaPointModel(r *http.Request, p *replicaPoint, entity bool) any {
	path := "/api/vmReplicaPoints/" + p.id
	_, name := p.ident()
	m := vbemapi.VMReplicaPoint{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "VmReplicaPoint", path, p.id, entity)
	if entity {
		m.VMDisplayName, m.VMName, m.CreationTimeUTC = to.Ptr(p.vm), to.Ptr(p.vm), to.Ptr(p.created)
		m.Algorithm, m.PointType = to.Ptr(vbemapi.VMReplicaPointAlgorithmIncrement), to.Ptr(vbemapi.VMReplicaPointPointTypeSnapshot)
		if p.full {
			m.Algorithm, m.PointType = to.Ptr(vbemapi.VMReplicaPointAlgorithmFull), to.Ptr(vbemapi.VMReplicaPointPointTypeFull)
		}
		if !f.replLocked().failedOver[p.vm] {
			m.Links = append(m.Links, link(r, "Failover", path+"?action=failover", ""))
		}
		m.Links = append(m.Links, link(r, "Down", path+"/mounts", "VmReplicaPointMountList"))
	}
	return m
}

// addJobSessionLocked records a running failover job session.
func (st *replState) addJobSessionLocked(now time.Time, job string) *replJobSession {
	st.next++
	s := &replJobSession{id: fmt.Sprintf("00000000-0000-4000-a000-%012d", st.next), job: job, jobType: "Failover", created: now, result: vbemapi.ReplicaJobSessionResultNone}
	st.jobSessions = append(st.jobSessions, s)
	return s
}

// addSessionLocked records the session of one VM within the job session
// js and returns its path.
func (st *replState) addSessionLocked(now time.Time, vm string, js *replJobSession) string {
	st.next++
	s := &replSession{id: fmt.Sprintf("00000000-0000-4000-9000-%012d", st.next), vm: vm, job: js.job, jobSess: js.id, created: now, ended: now,
		result: vbemapi.ReplicaTaskSessionResultSuccess}
	st.sessions = append(st.sessions, s)
	return "/api/replicaTaskSessions/" + s.id
}

func (f *Fake) failoverPoint(w http.ResponseWriter, r *http.Request, in *fake.Input, p *replicaPoint) {
	st := f.replLocked()
	if st.failedOver[p.vm] {
		badRequest(w, r, "the VM "+p.vm+" is already failed over")
		return
	}
	st.failedOver[p.vm] = true
	now := f.now().UTC()
	related := st.addSessionLocked(now, p.vm, st.addJobSessionLocked(now, "Failover "+p.vm))
	f.accept(w, r, in, "StartReplicaFailover", false, related)
}

// FailedOver reports whether the fake holds a VM as failed over.
func (f *Fake) FailedOver(vm string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.replLocked().failedOver[vm]
}

func replSessionModel(r *http.Request, s *replSession, entity bool) any {
	_, name := s.ident()
	m := vbemapi.ReplicaTaskSession{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "ReplicaTaskSession", "/api/replicaTaskSessions/"+s.id, s.id, entity)
	if entity {
		m.VMDisplayName, m.JobSessionUID = to.Ptr(s.vm), to.Ptr("urn:veeam:ReplicaJobSession:"+s.jobSess)
		m.CreationTimeUTC, m.EndTimeUTC = to.Ptr(s.created), to.Ptr(s.ended)
		m.State, m.Result, m.Reason, m.TotalSize = to.Ptr(vbemapi.ReplicaTaskSessionStateCompleted), to.Ptr(s.result), to.Ptr(s.reason), to.Ptr(s.size)
	}
	return m
}

func planModel(r *http.Request, p *failoverPlan, entity bool) any {
	path := "/api/failoverPlans/" + p.id
	m := vbemapi.FailoverPlan{Name: to.Ptr(p.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "FailoverPlan", path, p.id, entity)
	if entity {
		m.Description = to.Ptr(p.description)
		vms := make([]vbemapi.FailoveredVM, len(p.vms))
		for i, vm := range p.vms {
			vms[i] = vbemapi.FailoveredVM{Name: to.Ptr(vm), DisplayName: to.Ptr(vm), Order: to.Ptr(int32(i + 1))} //nolint:gosec // small
		}
		m.FailoverPlanInfo = &vbemapi.FailoverPlanInfo{Includes: &vbemapi.FailoveredVMList{FailoveredVMs: vms}}
		m.Links = []vbemapi.Link{link(r, "Edit", path, "")}
		if p.started {
			m.Links = append(m.Links, link(r, "Undo", path+"?action=undo", ""))
		} else {
			m.Links = append(m.Links, link(r, "Start", path+"?action=start", ""))
		}
	}
	return m
}

func (f *Fake) editPlan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.FailoverPlan
	if err := decodeBody(r, in, &body); err != nil {
		badRequest(w, r, "cannot read the failover plan")
		return
	}
	f.plans().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *failoverPlan) {
		if body.Description != nil {
			p.description = *body.Description
		}
		f.accept(w, r, in, "EditFailoverPlan", false, "/api/failoverPlans/"+p.id+"?format=Entity")
	})(w, r, in)
}

func (f *Fake) planAction(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	action := r.URL.Query().Get("action")
	if action == "start" && len(in.Body) > 0 {
		var spec vbemapi.FailoverPlanManagementSpec
		if err := decodeBody(r, in, &spec); err != nil {
			badRequest(w, r, "cannot read the failover plan management spec")
			return
		}
	}
	f.plans().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *failoverPlan) {
		if (action == "start") == p.started {
			state := "is not started"
			if p.started {
				state = "is already started"
			}
			badRequest(w, r, "the failover plan "+state)
			return
		}
		st := f.replLocked()
		p.started = action == "start"
		op := "StartFailoverPlan"
		if !p.started {
			op = "UndoFailoverPlan"
		}
		now := f.now().UTC()
		js := st.addJobSessionLocked(now, p.name)
		for _, vm := range p.vms {
			st.failedOver[vm] = p.started
			st.addSessionLocked(now, vm, js)
		}
		f.accept(w, r, in, op, false, "/api/failoverPlans/"+p.id+"?format=Entity")
	})(w, r, in)
}

func extRepoModel(r *http.Request, e *extRepo, entity bool) any {
	path := "/api/externalRepositories/" + e.id
	m := vbemapi.ExternalRepository{Name: to.Ptr(e.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "ExternalRepository", path, e.id, entity)
	if entity {
		m.RepositoryType = to.Ptr(vbemapi.ExternalRepositoryRepositoryTypeAmazonS3External)
		m.Path, m.UsedSpace, m.Description = to.Ptr(e.path), to.Ptr(e.used), to.Ptr(e.description)
		m.Links = []vbemapi.Link{link(r, "Down", path+"/backups", "BackupReferenceList")}
	}
	return m
}

func (s *replJobSession) ident() (string, string) {
	return s.id, s.job + "@" + s.created.Format(stampName)
}

func (f *Fake) replJobSessions() coll[*replJobSession] {
	return coll[*replJobSession]{f: f, kind: "ReplicaJobSession", base: "/api/replicaSessions/", param: "replicaSessionId", what: "replication job session",
		items: func() []*replJobSession { return f.replLocked().jobSessions }}
}

// advanceReplJobLocked moves a running replication job session on by one
// read; it succeeds after the configured number of reads.
func (f *Fake) advanceReplJobLocked(s *replJobSession) {
	if !s.end.IsZero() {
		return
	}
	if s.reads++; s.reads >= f.steps {
		s.end, s.result = f.now().UTC().Truncate(time.Millisecond), vbemapi.ReplicaJobSessionResultSuccess
	}
}

func replJobModel(r *http.Request, s *replJobSession, entity bool) vbemapi.ReplicaJobSession {
	p := "/api/replicaSessions/" + s.id
	_, name := s.ident()
	m := vbemapi.ReplicaJobSession{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "ReplicaJobSession", p, s.id, entity)
	m.Links = append(m.Links, link(r, "Down", p+"/replicaTaskSessions", "ReplicaTaskSessionReferenceList"))
	if !entity {
		return m
	}
	m.JobUID = to.Ptr("urn:veeam:Job:" + strings.ToLower(strings.ReplaceAll(s.job, " ", "-")))
	m.JobName, m.JobType, m.CreationTimeUTC, m.IsRetry = to.Ptr(s.job), to.Ptr(s.jobType), to.Ptr(s.created), to.Ptr(false)
	m.State, m.Result, m.Progress = to.Ptr(vbemapi.ReplicaJobSessionStateWorking), to.Ptr(vbemapi.ReplicaJobSessionResultNone), to.Ptr(int32(50))
	if !s.end.IsZero() {
		m.State, m.Result, m.Progress, m.EndTimeUTC = to.Ptr(vbemapi.ReplicaJobSessionStateStopped), to.Ptr(s.result), to.Ptr(int32(100)), to.Ptr(s.end)
	}
	return m
}
