package vbemfake

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// Cloud Connect Replication as the service provider sees it: the replicas
// of tenants with the restore points of their VMs, the cloud failover plans
// tenants configured, and the sessions that run them.
//
// Starting a plan fails each VM of the plan over to its latest point (or
// the latest before StartDate): the VM replica is then in the Failover
// state, which every point of the VM shows, until the plan is undone. Start
// and test record a cloud failover session, Working until it has been read
// a few times (WithTaskSteps), then Stopped with Success.

// The seeded replication of SeedCloudTenantID: the replica
// SeedCloudReplicaID of the VMs srv38 and srv40 (two points each, the
// newest of srv38 SeedCloudVMReplicaPointID), a Hyper-V replica of
// dc-hv, and the plan SeedCloudFailoverPlanID that fails srv38 and then
// srv40 over.
const (
	SeedCloudReplicaID        = "8393c284-c953-403f-a9b9-cff63e0c6815"
	SeedCloudReplicaName      = "ABC Company Servers Replication"
	SeedCloudVMReplicaPointID = "93081441-6e3c-4584-b47a-08dc1ce24f84"
	SeedCloudFailoverPlanID   = "e7ca6822-a87f-443d-8aae-8005970543bf"
	SeedCloudFailoverPlanName = "ABC Company Failover Plan"
	// SeedCloudFailoverPlanVMID is the include of srv38 in the plan.
	SeedCloudFailoverPlanVMID = "231a6e3e-09e6-4641-9322-40898fcb966a"
)

const cfKey = "cloudfailover"

type cfState struct {
	replicas   []*cfReplica
	plans      []*cfPlan
	sessions   []*cfSession
	failedOver map[string]bool // replica id + "/" + VM name
}

type cfReplica struct {
	id, name, tenant, server, platform string
	points                             []*cfPoint
}

type cfPoint struct {
	id, replica, vm, kind string
	created               time.Time
}

type cfPlan struct {
	id, name, desc, tenant, server string
	pre, post                      string
	preOn, postOn                  bool
	vms                            []cfPlanVM
	started                        bool
	failed                         []string // the keys of failedOver the start set
}

type cfPlanVM struct{ id, name string }

type cfSession struct {
	id, name, server string
	created, end     time.Time
	tasks            []cfTask
	reads            int
}

type cfTask struct {
	vm    string
	point *cfPoint
}

func (p *cfReplica) ident() (string, string) { return p.id, p.name }
func (p *cfPoint) ident() (string, string)   { return p.id, p.vm + "@" + p.created.Format(stampName) }
func (p *cfPlan) ident() (string, string)    { return p.id, p.name }
func (s *cfSession) ident() (string, string) { return s.id, s.name }
func (v cfPlanVM) ident() (string, string)   { return v.id, v.name }

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		day := time.Date(2024, 6, 20, 20, 0, 0, 0, time.UTC)
		pt := func(id, vm, kind string, at time.Time) *cfPoint {
			return &cfPoint{id: id, replica: SeedCloudReplicaID, vm: vm, kind: kind, created: at}
		}
		hv := &cfReplica{id: "6b2b42d5-3850-421c-93c1-e063f12a2ead", name: "ABC Company CRM Replication", tenant: SeedCloudTenantID, server: SeedBackupServer2ID,
			platform: "HyperV", points: []*cfPoint{{id: "61ad8531-045d-421a-9ba6-d220b5f80b64", replica: "6b2b42d5-3850-421c-93c1-e063f12a2ead", vm: "dc-hv", kind: "Full", created: day}}}
		f.state[cfKey] = &cfState{
			replicas: []*cfReplica{{id: SeedCloudReplicaID, name: SeedCloudReplicaName, tenant: SeedCloudTenantID, server: SeedBackupServer2ID, platform: "VMware",
				points: []*cfPoint{pt("c1beab6b-2b18-47f1-9e71-354ab8a49fc2", "srv38", "Full", day), pt(SeedCloudVMReplicaPointID, "srv38", "Snapshot", day.Add(24*time.Hour)),
					pt("796cbc20-c2be-4acf-bc1a-4e1e32d7df46", "srv40", "Full", day.Add(time.Hour)), pt("0a34420d-f193-4207-b8aa-5a7e583e888c", "srv40", "Snapshot", day.Add(25*time.Hour))}},
				hv},
			plans: []*cfPlan{{id: SeedCloudFailoverPlanID, name: SeedCloudFailoverPlanName, desc: "Cloud failover plan for ABC Company full site failover",
				tenant: SeedCloudTenantID, server: SeedBackupServer2ID,
				vms: []cfPlanVM{{SeedCloudFailoverPlanVMID, "srv38"}, {"096a7d0a-c92a-4da4-9302-4416b2fe929f", "srv40"}}}},
			failedOver: map[string]bool{},
		}
		replicas, points, plans, sessions := f.cfReplicas(), f.cfPoints(), f.cfPlans(), f.cfSessions()
		return map[string]fake.HandlerFunc{
			"GetCloudReplicas":               replicas.list(),
			"GetCloudReplica":                replicas.get(func(r *http.Request, p *cfReplica, entity bool) any { return f.cloudReplicaModel(r, p, entity) }),
			"GetCloudReplicaVmReplicaPoints": under(replicas, points, func(p *cfPoint, rp *cfReplica) bool { return p.replica == rp.id }),
			"GetCloudVmReplicaPoints":        points.list(),
			"GetCloudVmReplicaPoint":         points.get(func(r *http.Request, p *cfPoint, entity bool) any { return f.cloudPointModel(r, p, entity) }),
			"GetCloudFailoverPlans":          plans.list(),
			"GetCloudFailoverPlan":           plans.get(func(r *http.Request, p *cfPlan, entity bool) any { return f.cloudPlanModel(r, p, entity) }),
			"EditCloudFailoverPlan":          f.editCloudPlan,
			"PostCloudFailoverPlanAction":    f.cloudPlanAction,
			"DeleteCloudFailoverPlan": plans.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cfPlan) {
				if p.started {
					badRequest(w, r, "the VMs of the cloud failover plan "+p.name+" are failed over; undo the failover first")
					return
				}
				st := f.cfLocked()
				st.plans = slices.DeleteFunc(st.plans, func(o *cfPlan) bool { return o == p })
				f.accept(w, r, in, "DeleteCloudFailoverPlan", false, "")
			}),
			"GetCloudFailoverPlanIncludes": plans.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cfPlan) {
				in.Respond(w, http.StatusOK, cloudPlanVMs(r, p))
			}),
			"GetCloudFailoverPlanInclude": withSub(plans, func(p *cfPlan) []cfPlanVM { return p.vms }, "includeId", "VM of the cloud failover plan",
				func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cfPlan, i int, v cfPlanVM) {
					in.Respond(w, http.StatusOK, cloudPlanVM(r, p, i, v))
				}),
			"GetCloudFailoverSessions": sessions.list(),
			"GetCloudFailoverSession": sessions.get(func(r *http.Request, s *cfSession, entity bool) any {
				f.advanceCloudSessionLocked(s)
				return f.cloudSessionModel(r, s, entity)
			}),
		}
	})
}

func (f *Fake) cfLocked() *cfState { return f.state[cfKey].(*cfState) }

func (f *Fake) cfReplicas() coll[*cfReplica] {
	return coll[*cfReplica]{f: f, kind: "CloudReplica", base: "/api/cloud/replicas/", param: "cloudReplicaId", what: "cloud replica",
		items: func() []*cfReplica { return f.cfLocked().replicas },
		up:    func(r *http.Request, p *cfReplica) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, p.server)} }}
}

func (f *Fake) cfPoints() coll[*cfPoint] {
	return coll[*cfPoint]{f: f, kind: "CloudVmReplicaPoint", base: "/api/cloud/vmReplicaPoints/", param: "cloudVmReplicaPointId", what: "cloud VM replica point",
		items: func() []*cfPoint {
			var out []*cfPoint
			for _, rp := range f.cfLocked().replicas {
				out = append(out, rp.points...)
			}
			return out
		},
		up: func(r *http.Request, p *cfPoint) []vbemapi.Link {
			return []vbemapi.Link{f.serverUp(r, f.cfReplicaOf(p).server)}
		}}
}

func (f *Fake) cfPlans() coll[*cfPlan] {
	return coll[*cfPlan]{f: f, kind: "CloudFailoverPlan", base: "/api/cloud/cloudFailoverPlans/", param: "cloudFailoverPlanId", what: "cloud failover plan",
		items: func() []*cfPlan { return f.cfLocked().plans },
		up:    func(r *http.Request, p *cfPlan) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, p.server)} }}
}

func (f *Fake) cfSessions() coll[*cfSession] {
	return coll[*cfSession]{f: f, kind: "CloudFailoverSession", base: "/api/cloud/failoverSessions/", param: "cloudFailoverSessionId", what: "cloud failover session",
		items: func() []*cfSession { return f.cfLocked().sessions },
		up:    func(r *http.Request, s *cfSession) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, s.server)} }}
}

// cfReplicaOf is the replica of a point; f.mu held.
func (f *Fake) cfReplicaOf(p *cfPoint) *cfReplica {
	for _, rp := range f.cfLocked().replicas {
		if rp.id == p.replica {
			return rp
		}
	}
	return &cfReplica{}
}

// CloudVMFailedOver reports whether the fake holds the VM vm of the cloud
// replica replicaID as failed over.
func (f *Fake) CloudVMFailedOver(replicaID, vm string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfLocked().failedOver[replicaID+"/"+vm]
}

func (f *Fake) cloudReplicaModel(r *http.Request, p *cfReplica, entity bool) vbemapi.CloudReplica {
	path := "/api/cloud/replicas/" + p.id
	m := vbemapi.CloudReplica{Name: to.Ptr(p.name)}
	m.Href, m.UID, m.Type = form(r, "CloudReplica", path, p.id, entity)
	m.Links = []vbemapi.Link{f.serverUp(r, p.server)}
	if !entity {
		m.Links = append(m.Links, named(alternate(r, "CloudReplica", path), p.name))
		return m
	}
	m.Links = append(m.Links, named(link(r, "Alternate", path, "CloudReplicaReference"), p.name),
		link(r, "Down", path+"/vmReplicaPoints", "CloudVmReplicaPointReferenceList"))
	m.Platform = to.Ptr(vbemapi.CloudReplicaPlatform(p.platform))
	return m
}

func (f *Fake) cloudPointModel(r *http.Request, p *cfPoint, entity bool) vbemapi.CloudVMReplicaPoint {
	path := "/api/cloud/vmReplicaPoints/" + p.id
	_, name := p.ident()
	rp := f.cfReplicaOf(p)
	m := vbemapi.CloudVMReplicaPoint{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type = form(r, "CloudVmReplicaPoint", path, p.id, entity)
	m.Links = []vbemapi.Link{f.serverUp(r, rp.server)}
	if !entity {
		m.Links = append(m.Links, named(alternate(r, "CloudVmReplicaPoint", path), name))
		return m
	}
	m.VMDisplayName = to.Ptr(p.vm)
	m.Links = append(m.Links, named(link(r, "Up", "/api/cloud/replicas/"+rp.id, "CloudReplicaReference"), rp.name),
		named(link(r, "Alternate", path, "CloudVmReplicaPointReference"), name))
	m.CreationTimeUTC, m.PointType = to.Ptr(p.created), to.Ptr(vbemapi.CloudVMReplicaPointPointType(p.kind))
	m.State = to.Ptr(vbemapi.CloudVMReplicaPointStateReady)
	if f.cfLocked().failedOver[p.replica+"/"+p.vm] {
		m.State = to.Ptr(vbemapi.CloudVMReplicaPointStateFailover)
	}
	return m
}

func cloudPlanPath(id string) string { return "/api/cloud/cloudFailoverPlans/" + id }

func cloudPlanVM(r *http.Request, p *cfPlan, i int, v cfPlanVM) vbemapi.CloudFailoveredVM {
	return vbemapi.CloudFailoveredVM{Href: to.Ptr(Href(r, cloudPlanPath(p.id)+"/includes/"+v.id)), Type: to.Ptr("CloudFailoveredVm"),
		FailoverPlanVMId: to.Ptr(v.id), Name: to.Ptr(v.name), Order: to.Ptr(int32(i))} //nolint:gosec // a handful of VMs
}

func cloudPlanVMs(r *http.Request, p *cfPlan) vbemapi.CloudFailoveredVMs {
	list := vbemapi.CloudFailoveredVMs{CloudFailoveredVMs: []vbemapi.CloudFailoveredVM{}}
	for i, v := range p.vms {
		list.CloudFailoveredVMs = append(list.CloudFailoveredVMs, cloudPlanVM(r, p, i, v))
	}
	return list
}

func (f *Fake) cloudPlanModel(r *http.Request, p *cfPlan, entity bool) vbemapi.CloudFailoverPlan {
	path := cloudPlanPath(p.id)
	m := vbemapi.CloudFailoverPlan{Name: to.Ptr(p.name)}
	m.Href, m.UID, m.Type = form(r, "CloudFailoverPlan", path, p.id, entity)
	m.Links = []vbemapi.Link{f.serverUp(r, p.server)}
	if !entity {
		m.Links = append(m.Links, named(alternate(r, "CloudFailoverPlan", path), p.name))
		return m
	}
	m.Links = append(m.Links, named(link(r, "Alternate", path, "CloudFailoverPlanReference"), p.name), named(link(r, "Edit", path, "CloudFailoverPlanReference"), p.name))
	if p.started {
		m.Links = append(m.Links, link(r, "Undo", path+"?action=undo", ""))
	} else {
		m.Links = append(m.Links, link(r, "Start", path+"?action=start", ""), link(r, "Test", path+"?action=test", ""),
			named(link(r, "Delete", path, "CloudFailoverPlanReference"), p.name))
	}
	m.TenantUID = to.Ptr(urnOf("CloudTenant", p.tenant))
	if t, ok := f.ccTenants().find(p.tenant); ok {
		m.TenantName = to.Ptr(t.name)
	}
	m.Description = to.Ptr(p.desc)
	m.CloudFailoverPlanOptions = &vbemapi.CloudFailoverPlanOptions{PostFailoverPlanCommandEnabled: to.Ptr(p.postOn), PostFailoverPlanCommand: to.Ptr(p.post),
		PreFailoverPlanCommandEnabled: to.Ptr(p.preOn), PreFailoverPlanCommand: to.Ptr(p.pre)}
	vms := cloudPlanVMs(r, p)
	m.CloudFailoverPlanInfo = &vbemapi.CloudFailoverPlanInfo{Includes: &vms}
	return m
}

func (f *Fake) editCloudPlan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.CloudFailoverPlan
	if !readBody(w, r, in, &body, "CloudFailoverPlan") {
		return
	}
	f.cfPlans().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cfPlan) {
		if o := body.CloudFailoverPlanOptions; o != nil {
			pre, post, preOn, postOn := p.pre, p.post, p.preOn, p.postOn
			setIfGiven(&pre, o.PreFailoverPlanCommand)
			setIfGiven(&post, o.PostFailoverPlanCommand)
			setIfGiven(&preOn, o.PreFailoverPlanCommandEnabled)
			setIfGiven(&postOn, o.PostFailoverPlanCommandEnabled)
			switch {
			case preOn && pre == "":
				badRequest(w, r, "an enabled pre-failover script needs PreFailoverPlanCommand")
				return
			case postOn && post == "":
				badRequest(w, r, "an enabled post-failover script needs PostFailoverPlanCommand")
				return
			}
			p.pre, p.post, p.preOn, p.postOn = pre, post, preOn, postOn
		}
		f.accept(w, r, in, "UpdateFailoverPlan", false, cloudPlanPath(p.id)+"?format=Entity")
	})(w, r, in)
}

// pointFor picks the point a VM of a plan of tenant fails over to: its
// newest, or its newest created before at when at is not zero; f.mu held.
func (f *Fake) pointFor(tenant, vm string, at time.Time) *cfPoint {
	var best *cfPoint
	for _, rp := range f.cfLocked().replicas {
		if rp.tenant != tenant {
			continue
		}
		for _, p := range rp.points {
			if p.vm != vm || (!at.IsZero() && p.created.After(at)) {
				continue
			}
			if best == nil || p.created.After(best.created) {
				best = p
			}
		}
	}
	return best
}

func (f *Fake) cloudPlanAction(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	action := r.URL.Query().Get("action")
	var spec vbemapi.CloudFailoverPlanManagementSpec
	if action == "start" {
		if len(in.Body) == 0 {
			badRequest(w, r, "starting a cloud failover plan needs a CloudFailoverPlanManagementSpec with StartNow or StartDate")
			return
		}
		if !readBody(w, r, in, &spec, "CloudFailoverPlanManagementSpec") {
			return
		}
	}
	f.cfPlans().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cfPlan) {
		st := f.cfLocked()
		switch action {
		case "undo":
			if !p.started {
				badRequest(w, r, "the VMs of the cloud failover plan "+p.name+" are not failed over")
				return
			}
			for _, k := range p.failed {
				delete(st.failedOver, k)
			}
			p.started, p.failed = false, nil
			f.accept(w, r, in, "UndoCloudFailoverPlan", false, cloudPlanPath(p.id)+"?format=Entity")
			return
		case "start":
			if p.started {
				badRequest(w, r, "the VMs of the cloud failover plan "+p.name+" are already failed over")
				return
			}
		}
		var at time.Time
		if action == "start" && !to.Value(spec.StartNow) {
			if spec.StartDate == nil {
				badRequest(w, r, "send StartNow=true or a StartDate")
				return
			}
			at = *spec.StartDate
		}
		s := &cfSession{id: uuidLike(), name: p.name, server: p.server, created: f.now().UTC().Truncate(time.Millisecond)}
		for _, v := range p.vms {
			pt := f.pointFor(p.tenant, v.name, at)
			if pt == nil {
				badRequest(w, r, fmt.Sprintf("the VM %s of the plan has no restore point before %s", v.name, at.Format(time.RFC3339)))
				return
			}
			if action == "start" && st.failedOver[pt.replica+"/"+v.name] {
				badRequest(w, r, "the VM "+v.name+" is already failed over")
				return
			}
			s.tasks = append(s.tasks, cfTask{vm: v.name, point: pt})
		}
		if action == "start" {
			for _, t := range s.tasks {
				k := t.point.replica + "/" + t.vm
				st.failedOver[k] = true
				p.failed = append(p.failed, k)
			}
			p.started = true
		}
		st.sessions = append(st.sessions, s)
		f.accept(w, r, in, "StartCloudFailoverPlan", false, "/api/cloud/failoverSessions/"+s.id+"?format=Entity")
	})(w, r, in)
}

// advanceCloudSessionLocked moves a running session on by one read; it
// succeeds after the configured number of reads.
func (f *Fake) advanceCloudSessionLocked(s *cfSession) {
	if !s.end.IsZero() {
		return
	}
	if s.reads++; s.reads >= f.steps {
		s.end = f.now().UTC().Truncate(time.Millisecond)
	}
}

func (f *Fake) cloudSessionModel(r *http.Request, s *cfSession, entity bool) vbemapi.CloudFailoverSession {
	path := "/api/cloud/failoverSessions/" + s.id
	m := vbemapi.CloudFailoverSession{Name: to.Ptr(s.name)}
	m.Href, m.UID, m.Type = form(r, "CloudFailoverSession", path, s.id, entity)
	m.Links = []vbemapi.Link{f.serverUp(r, s.server)}
	if !entity {
		m.Links = append(m.Links, named(alternate(r, "CloudFailoverSession", path), s.name))
		return m
	}
	m.Links = append(m.Links, named(link(r, "Alternate", path, "CloudFailoverSessionReference"), s.name))
	done := !s.end.IsZero()
	m.JobType, m.CreationTimeUTC = to.Ptr("FailoverPlan"), to.Ptr(s.created)
	m.State, m.Result, m.Progress = to.Ptr(vbemapi.CloudFailoverSessionStateWorking), to.Ptr(vbemapi.CloudFailoverSessionResultNone), to.Ptr[int32](0)
	if done {
		m.EndTimeUTC, m.State, m.Result, m.Progress = to.Ptr(s.end), to.Ptr(vbemapi.CloudFailoverSessionStateStopped), to.Ptr(vbemapi.CloudFailoverSessionResultSuccess), to.Ptr[int32](100)
	}
	tasks := &vbemapi.CloudFailoverTaskSessionList{}
	for _, t := range s.tasks {
		_, name := t.point.ident()
		ts := vbemapi.CloudFailoverTaskSession{VMName: to.Ptr(t.vm), CreationTimeUTC: to.Ptr(s.created),
			VMReplicaPointLink: to.Ptr(named(link(r, "Related", "/api/cloud/vmReplicaPoints/"+t.point.id, "CloudVmReplicaPointReference"), name)),
			State:              to.Ptr(vbemapi.CloudFailoverTaskSessionStateWorking), Result: to.Ptr(vbemapi.CloudFailoverTaskSessionResultNone), Progress: to.Ptr[int32](0)}
		if done {
			ts.EndTimeUTC, ts.State, ts.Result, ts.Progress = to.Ptr(s.end), to.Ptr(vbemapi.CloudFailoverTaskSessionStateStopped), to.Ptr(vbemapi.CloudFailoverTaskSessionResultSuccess), to.Ptr[int32](100)
		}
		tasks.CloudFailoverTasks = append(tasks.CloudFailoverTasks, ts)
	}
	m.CloudFailoverTasks = tasks
	return m
}
