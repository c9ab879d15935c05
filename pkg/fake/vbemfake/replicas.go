package vbemfake

import (
	"fmt"
	"net/http"
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
	id, vm, job, reason string
	created, ended      time.Time
	result              vbemapi.ReplicaTaskSessionResult
	size                int64
}

type failoverPlan struct {
	id, name, description string
	vms                   []string
	started               bool
}

type extRepo struct {
	id, name, path, description string
	used, capacity              int64
	backups                     []string
}

type replState struct {
	replicas   []*replica
	failedOver map[string]bool // VM name -> failed over
	sessions   []*replSession
	plans      []*failoverPlan
	repos      []*extRepo
	next       int
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
			sessions: []*replSession{
				{id: "809564f0-d2e7-4ee2-af2f-06d385138be2", vm: "sql02", job: "SQL Replication", created: day, ended: day.Add(2 * time.Minute),
					result: vbemapi.ReplicaTaskSessionResultSuccess, size: 512 << 20},
				{id: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", vm: "sql02", job: "SQL Replication", created: day.Add(24 * time.Hour),
					ended: day.Add(24*time.Hour + time.Minute), result: vbemapi.ReplicaTaskSessionResultSuccess, size: 64 << 20},
				{id: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", vm: "dc01", job: "DC Replication", created: day.Add(24 * time.Hour),
					ended: day.Add(24*time.Hour + 3*time.Minute), result: vbemapi.ReplicaTaskSessionResultFailed, reason: "Snapshot creation failed", size: 0},
			},
			plans: []*failoverPlan{{id: SeedFailoverPlanID, name: "SQL Failover Plan", description: "Fails the SQL tier over", vms: []string{"sql02", "dc01"}}},
			repos: []*extRepo{{id: SeedExternalRepositoryID, name: "Backups Vol2", path: "backups-bucket/vol2", description: "Offsite copies",
				used: 100 << 30, capacity: 1 << 40, backups: []string{"AWS policy", "Azure policy"}}},
		}
		return map[string]fake.HandlerFunc{
			"GetReplicas":                  f.listReplicas,
			"GetReplica":                   f.getReplica,
			"GetReplicaVmReplicaPoints":    f.listReplicaPoints,
			"GetVmReplicaPoints":           f.listReplicaPoints,
			"GetVmReplicaPoint":            f.getReplicaPoint,
			"PostVmReplicaPointAction":     f.failoverPoint,
			"GetReplicaTaskSessions":       f.listReplSessions,
			"GetReplicaTaskSession":        f.getReplSession,
			"GetFailoverPlans":             f.listPlans,
			"GetFailoverPlan":              f.getPlan,
			"EditFailoverPlan":             f.editPlan,
			"PostFailoverPlanAction":       f.planAction,
			"GetExternalRepositories":      f.listExtRepos,
			"GetExternalRepository":        f.getExtRepo,
			"GetExternalRepositoryBackups": f.listExtRepoBackups,
		}
	})
}

func (f *Fake) replLocked() *replState { return f.state[replKey].(*replState) }

// replicaPointLocked finds a VM replica point by id.
func (f *Fake) replicaPointLocked(id string) *replicaPoint {
	for _, rp := range f.replLocked().replicas {
		for _, p := range rp.points {
			if p.id == id {
				return p
			}
		}
	}
	return nil
}

func entity(r *http.Request) bool { return r.URL.Query().Get("format") == "Entity" }

// ref fills the attributes of the reference or entity form.
func refForm(r *http.Request, kind, path, id string) (href, typ *string, links []vbemapi.Link) {
	if !entity(r) {
		return to.Ptr(Href(r, path)), to.Ptr(kind + "Reference"), []vbemapi.Link{link(r, "Alternate", path+"?format=Entity", kind)}
	}
	return to.Ptr(Href(r, path+"?format=Entity")), to.Ptr(kind), nil
}

func (f *Fake) listReplicas(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	refs := []vbemapi.EntityReference{}
	for _, rp := range f.replLocked().replicas {
		refs = append(refs, entityRef(r, "Replica", "/api/replicas/"+rp.id, rp.name, rp.id))
	}
	in.Respond(w, http.StatusOK, vbemapi.ReplicaReferences{Refs: refs})
}

func (f *Fake) findReplicaLocked(id string) *replica {
	for _, rp := range f.replLocked().replicas {
		if rp.id == id {
			return rp
		}
	}
	return nil
}

func (f *Fake) getReplica(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rp := f.findReplicaLocked(in.PathParams["replicaId"])
	if rp == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "replica not found")
		return
	}
	p := "/api/replicas/" + rp.id
	m := vbemapi.Replica{Name: to.Ptr(rp.name), UID: to.Ptr("urn:veeam:Replica:" + rp.id)}
	m.Href, m.Type, m.Links = refForm(r, "Replica", p, rp.id)
	if entity(r) {
		m.Platform = to.Ptr(vbemapi.ReplicaPlatformVMware)
		m.Links = []vbemapi.Link{link(r, "Down", p+"/vmReplicaPoints", "VmReplicaPointReferenceList")}
	}
	in.Respond(w, http.StatusOK, m)
}

func replicaPointName(p *replicaPoint) string {
	return p.vm + "@" + p.created.Format("2006-01-02 15:04:05")
}

func (f *Fake) listReplicaPoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	list := f.replLocked().replicas
	if id, ok := in.PathParams["replicaId"]; ok {
		rp := f.findReplicaLocked(id)
		if rp == nil {
			WriteError(w, r, http.StatusNotFound, "NotFound", "replica not found")
			return
		}
		list = []*replica{rp}
	}
	refs := []vbemapi.EntityReference{}
	for _, rp := range list {
		for _, p := range rp.points {
			refs = append(refs, entityRef(r, "VmReplicaPoint", "/api/vmReplicaPoints/"+p.id, replicaPointName(p), p.id))
		}
	}
	in.Respond(w, http.StatusOK, vbemapi.VMReplicaPointReferences{Refs: refs})
}

func (f *Fake) getReplicaPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.replicaPointLocked(in.PathParams["vmReplicaPointId"])
	if p == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "VM replica point not found")
		return
	}
	path := "/api/vmReplicaPoints/" + p.id
	m := vbemapi.VMReplicaPoint{Name: to.Ptr(replicaPointName(p)), UID: to.Ptr("urn:veeam:VmReplicaPoint:" + p.id)}
	m.Href, m.Type, m.Links = refForm(r, "VmReplicaPoint", path, p.id)
	if entity(r) {
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
	in.Respond(w, http.StatusOK, m)
}

// addSessionLocked records the session of one VM and returns its path.
func (st *replState) addSessionLocked(now time.Time, vm, job string) string {
	st.next++
	s := &replSession{id: fmt.Sprintf("00000000-0000-4000-9000-%012d", st.next), vm: vm, job: job, created: now, ended: now,
		result: vbemapi.ReplicaTaskSessionResultSuccess}
	st.sessions = append(st.sessions, s)
	return "/api/replicaTaskSessions/" + s.id
}

func (f *Fake) failoverPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	p := f.replicaPointLocked(in.PathParams["vmReplicaPointId"])
	if p == nil {
		f.mu.Unlock()
		WriteError(w, r, http.StatusNotFound, "NotFound", "VM replica point not found")
		return
	}
	st := f.replLocked()
	if st.failedOver[p.vm] {
		f.mu.Unlock()
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "the VM "+p.vm+" is already failed over")
		return
	}
	st.failedOver[p.vm] = true
	related := st.addSessionLocked(f.now().UTC(), p.vm, "Failover "+p.vm)
	f.mu.Unlock()
	in.Respond(w, http.StatusAccepted, f.StartTask(r, "StartReplicaFailover", false, related))
}

// FailedOver reports whether the fake holds a VM as failed over.
func (f *Fake) FailedOver(vm string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.replLocked().failedOver[vm]
}

func (f *Fake) listReplSessions(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	refs := []vbemapi.EntityReference{}
	for _, s := range f.replLocked().sessions {
		refs = append(refs, entityRef(r, "ReplicaTaskSession", "/api/replicaTaskSessions/"+s.id, s.vm+"@"+s.created.Format("2006-01-02 15:04:05"), s.id))
	}
	in.Respond(w, http.StatusOK, vbemapi.ReplicaTaskSessionReferences{Refs: refs})
}

func (f *Fake) getReplSession(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var s *replSession
	for _, o := range f.replLocked().sessions {
		if o.id == in.PathParams["replicaTaskSessionId"] {
			s = o
		}
	}
	if s == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "replication task session not found")
		return
	}
	m := vbemapi.ReplicaTaskSession{Name: to.Ptr(s.vm + "@" + s.created.Format("2006-01-02 15:04:05")), UID: to.Ptr("urn:veeam:ReplicaTaskSession:" + s.id)}
	m.Href, m.Type, m.Links = refForm(r, "ReplicaTaskSession", "/api/replicaTaskSessions/"+s.id, s.id)
	if entity(r) {
		m.VMDisplayName, m.JobSessionUID = to.Ptr(s.vm), to.Ptr("urn:veeam:ReplicaJobSession:"+strings.ToLower(strings.ReplaceAll(s.job, " ", "-")))
		m.CreationTimeUTC, m.EndTimeUTC = to.Ptr(s.created), to.Ptr(s.ended)
		m.State, m.Result, m.Reason, m.TotalSize = to.Ptr(vbemapi.ReplicaTaskSessionStateCompleted), to.Ptr(s.result), to.Ptr(s.reason), to.Ptr(s.size)
	}
	in.Respond(w, http.StatusOK, m)
}

func (f *Fake) findPlanLocked(id string) *failoverPlan {
	for _, p := range f.replLocked().plans {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (f *Fake) listPlans(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	refs := []vbemapi.EntityReference{}
	for _, p := range f.replLocked().plans {
		refs = append(refs, entityRef(r, "FailoverPlan", "/api/failoverPlans/"+p.id, p.name, p.id))
	}
	in.Respond(w, http.StatusOK, vbemapi.FailoverPlanReferences{Refs: refs})
}

func (f *Fake) getPlan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.findPlanLocked(in.PathParams["failoverPlanId"])
	if p == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "failover plan not found")
		return
	}
	path := "/api/failoverPlans/" + p.id
	m := vbemapi.FailoverPlan{Name: to.Ptr(p.name), UID: to.Ptr("urn:veeam:FailoverPlan:" + p.id)}
	m.Href, m.Type, m.Links = refForm(r, "FailoverPlan", path, p.id)
	if entity(r) {
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
	in.Respond(w, http.StatusOK, m)
}

func (f *Fake) editPlan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.FailoverPlan
	if err := decodeBody(r, in, &body); err != nil {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "cannot read the failover plan")
		return
	}
	f.mu.Lock()
	p := f.findPlanLocked(in.PathParams["failoverPlanId"])
	if p != nil && body.Description != nil {
		p.description = *body.Description
	}
	f.mu.Unlock()
	if p == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "failover plan not found")
		return
	}
	in.Respond(w, http.StatusAccepted, f.StartTask(r, "EditFailoverPlan", false, "/api/failoverPlans/"+p.id+"?format=Entity"))
}

func (f *Fake) planAction(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	action := r.URL.Query().Get("action")
	if action == "start" && len(in.Body) > 0 {
		var spec vbemapi.FailoverPlanManagementSpec
		if err := decodeBody(r, in, &spec); err != nil {
			WriteError(w, r, http.StatusBadRequest, "BadRequest", "cannot read the failover plan management spec")
			return
		}
	}
	f.mu.Lock()
	p := f.findPlanLocked(in.PathParams["failoverPlanId"])
	if p == nil {
		f.mu.Unlock()
		WriteError(w, r, http.StatusNotFound, "NotFound", "failover plan not found")
		return
	}
	if (action == "start") == p.started {
		state := "is not started"
		if p.started {
			state = "is already started"
		}
		f.mu.Unlock()
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "the failover plan "+state)
		return
	}
	st := f.replLocked()
	p.started = action == "start"
	op := "StartFailoverPlan"
	if !p.started {
		op = "UndoFailoverPlan"
	}
	for _, vm := range p.vms {
		st.failedOver[vm] = p.started
		st.addSessionLocked(f.now().UTC(), vm, p.name)
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusAccepted, f.StartTask(r, op, false, "/api/failoverPlans/"+p.id+"?format=Entity"))
}

func (f *Fake) listExtRepos(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	refs := []vbemapi.EntityReference{}
	for _, e := range f.replLocked().repos {
		refs = append(refs, entityRef(r, "ExternalRepository", "/api/externalRepositories/"+e.id, e.name, e.id))
	}
	in.Respond(w, http.StatusOK, vbemapi.ExternalRepositoryReferences{Refs: refs})
}

func (f *Fake) findExtRepoLocked(id string) *extRepo {
	for _, e := range f.replLocked().repos {
		if e.id == id {
			return e
		}
	}
	return nil
}

func (f *Fake) getExtRepo(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.findExtRepoLocked(in.PathParams["externalRepositoryId"])
	if e == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "external repository not found")
		return
	}
	path := "/api/externalRepositories/" + e.id
	m := vbemapi.ExternalRepository{Name: to.Ptr(e.name), UID: to.Ptr("urn:veeam:ExternalRepository:" + e.id)}
	m.Href, m.Type, m.Links = refForm(r, "ExternalRepository", path, e.id)
	if entity(r) {
		m.RepositoryType = to.Ptr(vbemapi.ExternalRepositoryRepositoryTypeAmazonS3External)
		m.Path, m.UsedSpace, m.Description = to.Ptr(e.path), to.Ptr(e.used), to.Ptr(e.description)
		m.Links = []vbemapi.Link{link(r, "Down", path+"/backups", "BackupReferenceList")}
	}
	in.Respond(w, http.StatusOK, m)
}

func (f *Fake) listExtRepoBackups(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.findExtRepoLocked(in.PathParams["externalRepositoryId"])
	if e == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "external repository not found")
		return
	}
	refs := []vbemapi.EntityReference{}
	for i, b := range e.backups {
		id := fmt.Sprintf("%s-%d", e.id[:8], i+1)
		refs = append(refs, entityRef(r, "Backup", "/api/backups/"+id, b, id))
	}
	in.Respond(w, http.StatusOK, vbemapi.ExternalRepositoryBackups{Refs: refs})
}
