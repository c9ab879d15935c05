package vbemfake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// Continuous data protection: a CDP policy replicates its VMs (or, for
// VMware Cloud Director, its vApps) all the time, in a session that runs
// while the policy is enabled. The fake seeds a vSphere policy with a
// replica of one VM and a running session, and a VMware Cloud Director
// policy with a replica of a vApp of two VMs. Disabling a policy stops its
// session, enabling it starts a new one; adding a VM to a policy adds it
// to the policy's replica. Failover marks a VM, or every VM of a vApp,
// failed over ([Fake.FailedOver]).

// The seeded CDP objects.
const (
	SeedCdpPolicyID       = "bc933bb6-0cc5-47b6-a1ec-e062b9e29877"
	SeedCdpReplicaID      = "24ae37ad-4d28-4568-8467-98d8770bb722"
	SeedCdpReplicaVMID    = "fc2d6425-e96d-44e7-9d96-b7af5991adb3"
	SeedVAppCdpReplicaID  = "4d408966-827f-4142-811f-90be94c842a9"
	SeedCdpReplicaSession = "6b872a71-51e8-437a-8d45-5c6494b92f3f"
)

const cdpKey = "cdp"

// cdpTimeLayout is how CDP times are written: UTC without a zone.
const cdpTimeLayout = "2006-01-02T15:04:05"

type cdpPolicy struct {
	id, name, server, platform, desc string
	scheduleConfigured, scheduleOn   bool
	disabled                         bool
	includes                         []*bkInclude
}

type cdpVM struct{ id, name, ref string }

type cdpReplica struct {
	id, policy string
	vms        []*cdpVM
	created    time.Time
}

type cdpVApp struct {
	id, policy, name, ref string
	vms                   []*cdpVM
	created               time.Time
}

type cdpTask struct {
	id, session, vm string
	created         time.Time
	size            int64
}

type cdpSession struct {
	id, policy, policyName string
	created, end           time.Time
	tasks                  []*cdpTask
}

func (p *cdpPolicy) ident() (string, string)  { return p.id, p.name }
func (v *cdpVM) ident() (string, string)      { return v.id, v.name }
func (r *cdpReplica) ident() (string, string) { return r.id, r.policy }
func (v *cdpVApp) ident() (string, string)    { return v.id, v.name }
func (s *cdpSession) ident() (string, string) {
	return s.id, s.policyName + "@" + s.created.Format(stampName)
}
func (t *cdpTask) ident() (string, string) { return t.id, t.vm + "@" + t.created.Format(stampName) }

type cdpState struct {
	policies []*cdpPolicy
	replicas []*cdpReplica
	vapps    []*cdpVApp
	sessions []*cdpSession
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		since := time.Date(2025, 8, 14, 0, 0, 0, 0, time.UTC)
		vmRef := "urn:VMware:Vm:" + SeedHierarchyRoot + ".vm-19"
		st := &cdpState{
			policies: []*cdpPolicy{
				{id: SeedCdpPolicyID, name: "CDP Policy 1", server: SeedBackupServer2ID, platform: "VMware", desc: "Created by TECH\\Administrator", scheduleConfigured: true, scheduleOn: true,
					includes: []*bkInclude{{id: "460ab29f-c659-4f50-955d-643a370b3744", ref: vmRef, name: "virt03-vm01"}}},
				{id: "8846d24b-d12f-4b7a-94e2-8c78241b841e", name: "CDP Policy Cloud Director", server: SeedBackupServer2ID, platform: "vCloud", scheduleConfigured: true, scheduleOn: true},
			},
			replicas: []*cdpReplica{{id: SeedCdpReplicaID, policy: SeedCdpPolicyID, created: since, vms: []*cdpVM{{id: SeedCdpReplicaVMID, name: "virt03-vm01", ref: vmRef}}}},
			vapps: []*cdpVApp{{id: SeedVAppCdpReplicaID, policy: "8846d24b-d12f-4b7a-94e2-8c78241b841e", name: "vApp02", created: since,
				ref: "urn:vCloud:Vapp:" + SeedHierarchyRoot + ".urn:vcloud:vapp:1b86c2dd-d85c-4f03-b05e-841562425c8b",
				vms: []*cdpVM{{id: "a5127596-0076-4cae-9144-ecec955b045a", name: "vApp02-kAd4", ref: "urn:VMware:Vm:" + SeedHierarchyRoot + ".vm-4216"},
					{id: "6f6b3a9d-30a9-498c-bf3b-4ec1893f7e7a", name: "vm02-DlmR", ref: "urn:VMware:Vm:" + SeedHierarchyRoot + ".vm-4220"}}}},
			sessions: []*cdpSession{{id: SeedCdpReplicaSession, policy: SeedCdpPolicyID, policyName: "CDP Policy 1", created: since,
				tasks: []*cdpTask{{id: "2ec4d35f-b5d8-4cb3-9d11-12e1d5792625", session: SeedCdpReplicaSession, vm: "virt03-vm01", created: since, size: 16 << 30}}}},
		}
		f.state[cdpKey] = st
		policies, replicas, vapps, sessions, tasks := f.cdpPolicies(), f.cdpReplicas(), f.cdpVApps(), f.cdpSessions(), f.cdpTasks()
		includes := func(p *cdpPolicy) []*bkInclude { return p.includes }
		replicaVMs := func(r *cdpReplica) []*cdpVM { return r.vms }
		vappVMs := func(v *cdpVApp) []*cdpVM { return v.vms }
		return map[string]fake.HandlerFunc{
			"GetCdpPolicies": policies.list(),
			"GetCdpPolicy":   policies.get(f.cdpPolicyModel),
			"EditCdpPolicy":  f.editCdpPolicy,
			"CdpPolicyAction": policies.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cdpPolicy) {
				f.setCdpPolicyEnabledLocked(p, r.URL.Query().Get("action") == "enable")
				f.accept(w, r, in, "UpdateCdpPolicy", false, cdpPolicyPath(p.id)+"?format=Entity")
			}),
			"GetCdpPolicyReplicaSessions": under(policies, sessions, func(s *cdpSession, p *cdpPolicy) bool { return s.policy == p.id }),
			"GetCdpPolicyIncludes": policies.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cdpPolicy) {
				list := vbemapi.ObjectInJobList{ObjectInJobs: []vbemapi.ObjectInJob{}}
				for _, inc := range p.includes {
					list.ObjectInJobs = append(list.ObjectInJobs, cdpIncludeModel(r, p, inc))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"AddCdpPolicyInclude": f.addCdpInclude,
			"GetCdpPolicyInclude": withSub(policies, includes, "includeId", "the object in the policy", func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cdpPolicy, _ int, inc *bkInclude) {
				in.Respond(w, http.StatusOK, cdpIncludeModel(r, p, inc))
			}),
			"DeleteCdpPolicyInclude": withSub(policies, includes, "includeId", "the object in the policy", func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cdpPolicy, i int, inc *bkInclude) {
				p.includes = slices.Delete(p.includes, i, i+1)
				for _, rp := range st.replicas {
					if rp.policy == p.id {
						rp.vms = slices.DeleteFunc(rp.vms, func(v *cdpVM) bool { return strings.EqualFold(v.ref, inc.ref) })
					}
				}
				f.accept(w, r, in, "UpdateCdpPolicy", false, "")
			}),
			"GetCdpReplicas":   replicas.list(),
			"GetCdpReplica":    replicas.get(f.cdpReplicaModel),
			"GetCdpReplicaVms": replicas.with(f.cdpReplicaVMRefs),
			"GetCdpReplicaVm": withSub(replicas, replicaVMs, "cdpReplicaVmId", "VM of the CDP replica", func(w http.ResponseWriter, r *http.Request, in *fake.Input, rp *cdpReplica, _ int, vm *cdpVM) {
				in.Respond(w, http.StatusOK, f.cdpReplicaVMModel(r, rp, vm, entityForm(r)))
			}),
			"CdpReplicaVmAction": withSub(replicas, replicaVMs, "cdpReplicaVmId", "VM of the CDP replica", func(w http.ResponseWriter, r *http.Request, in *fake.Input, rp *cdpReplica, _ int, vm *cdpVM) {
				f.cdpAction(w, r, in, rp.created, []*cdpVM{vm})
			}),
			"GetVAppCdpReplicas":   vapps.list(),
			"GetVAppCdpReplica":    vapps.get(f.cdpVAppModel),
			"GetVAppCdpReplicaVms": vapps.with(f.cdpVAppVMRefs),
			"GetVAppCdpReplicaVm": withSub(vapps, vappVMs, "vAppCdpReplicaVmId", "VM of the vApp", func(w http.ResponseWriter, r *http.Request, in *fake.Input, v *cdpVApp, _ int, vm *cdpVM) {
				in.Respond(w, http.StatusOK, f.cdpVAppVMModel(r, v, vm, entityForm(r)))
			}),
			"VAppCdpReplicaAction": vapps.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, v *cdpVApp) {
				f.cdpAction(w, r, in, v.created, v.vms)
			}),
			"GetCdpReplicaSessions":            sessions.list(),
			"GetCdpReplicaSession":             sessions.get(f.cdpSessionModel),
			"GetCdpReplicaSessionTaskSessions": under(sessions, tasks, func(t *cdpTask, s *cdpSession) bool { return t.session == s.id }),
			"GetCdpReplicaTaskSessions":        tasks.list(),
			"GetCdpReplicaTaskSession":         tasks.get(f.cdpTaskModel),
		}
	})
}

func (f *Fake) cdpLocked() *cdpState { return f.state[cdpKey].(*cdpState) }

func cdpPolicyPath(id string) string { return "/api/cdpPolicies/" + id }

func (f *Fake) cdpPolicies() coll[*cdpPolicy] {
	return coll[*cdpPolicy]{f: f, kind: "CdpPolicy", base: "/api/cdpPolicies/", param: "cdpPolicyId", what: "CDP policy",
		items: func() []*cdpPolicy { return f.cdpLocked().policies },
		up:    func(r *http.Request, p *cdpPolicy) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, p.server)} }}
}

func (f *Fake) cdpReplicas() coll[*cdpReplica] {
	return coll[*cdpReplica]{f: f, kind: "CdpReplica", base: "/api/cdpReplicas/", param: "cdpReplicaId", what: "CDP replica",
		items: func() []*cdpReplica { return f.cdpLocked().replicas }}
}

func (f *Fake) cdpVApps() coll[*cdpVApp] {
	return coll[*cdpVApp]{f: f, kind: "VAppCdpReplica", base: "/api/cdpReplica/vApps/", param: "vAppCdpReplicaId", what: "vApp CDP replica",
		items: func() []*cdpVApp { return f.cdpLocked().vapps }}
}

func (f *Fake) cdpSessions() coll[*cdpSession] {
	return coll[*cdpSession]{f: f, kind: "CdpReplicaSession", base: "/api/cdpReplicaSessions/", param: "cdpReplicaSessionId", what: "CDP replication session",
		items: func() []*cdpSession { return f.cdpLocked().sessions }}
}

func (f *Fake) cdpTasks() coll[*cdpTask] {
	return coll[*cdpTask]{f: f, kind: "CdpReplicaTaskSession", base: "/api/cdpReplicaTaskSessions/", param: "cdpReplicaTaskSessionId", what: "CDP replication task session",
		items: func() []*cdpTask {
			var out []*cdpTask
			for _, s := range f.cdpLocked().sessions {
				out = append(out, s.tasks...)
			}
			return out
		}}
}

// policyNameLocked names a policy by its id.
func (f *Fake) policyNameLocked(id string) string {
	if p, ok := f.cdpPolicies().find(id); ok {
		return p.name
	}
	return id
}

func (f *Fake) cdpPolicyModel(r *http.Request, p *cdpPolicy, entity bool) any {
	path := cdpPolicyPath(p.id)
	m := vbemapi.CdpPolicy{Name: to.Ptr(p.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "CdpPolicy", path, p.id, entity)
	m.Links = append(m.Links, f.serverUp(r, p.server))
	if !entity {
		return m
	}
	m.Links = append(m.Links, named(link(r, "Edit", path, "CdpPolicyReference"), p.name), link(r, "Down", path+"/includes", "ObjectInJobList"),
		link(r, "Create", path+"/includes", "ObjectInJob"), link(r, "Down", path+"/cdpReplicaSessions", "CdpReplicaSessionReferenceList"))
	if p.disabled {
		m.Links = append(m.Links, link(r, "Enable", path+"?action=enable", ""))
	} else {
		m.Links = append(m.Links, link(r, "Disable", path+"?action=disable", ""))
	}
	m.PolicyType, m.Platform, m.Description = to.Ptr("CdpReplica"), to.Ptr(p.platform), to.Ptr(p.desc)
	m.ScheduleConfigured, m.ScheduleEnabled = to.Ptr(p.scheduleConfigured), to.Ptr(p.scheduleOn && !p.disabled)
	if p.scheduleConfigured && p.scheduleOn && !p.disabled {
		m.NextRun = to.Ptr(f.now().UTC().Truncate(time.Minute).Add(time.Minute))
	}
	return m
}

func (f *Fake) editCdpPolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CdpPolicy
	if !readBody(w, r, in, &spec, "CdpPolicy") {
		return
	}
	f.cdpPolicies().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cdpPolicy) {
		if spec.Description != nil {
			p.desc = *spec.Description
		}
		if spec.ScheduleConfigured != nil {
			p.scheduleConfigured = *spec.ScheduleConfigured
		}
		if spec.ScheduleEnabled != nil {
			p.scheduleOn = *spec.ScheduleEnabled
		}
		f.accept(w, r, in, "EditCdpPolicy", false, cdpPolicyPath(p.id)+"?format=Entity")
	})(w, r, in)
}

// setCdpPolicyEnabledLocked enables or disables a policy: disabling stops
// its running session, enabling starts a new one (with a task per VM of
// its replicas).
func (f *Fake) setCdpPolicyEnabledLocked(p *cdpPolicy, enable bool) {
	st := f.cdpLocked()
	now := f.now().UTC().Truncate(time.Millisecond)
	if !enable {
		if !p.disabled {
			for _, s := range st.sessions {
				if s.policy == p.id && s.end.IsZero() {
					s.end = now
				}
			}
		}
		p.disabled = true
		return
	}
	if !p.disabled {
		return
	}
	p.disabled = false
	s := &cdpSession{id: uuidLike(), policy: p.id, policyName: p.name, created: now}
	for _, rp := range st.replicas {
		if rp.policy != p.id {
			continue
		}
		for _, vm := range rp.vms {
			s.tasks = append(s.tasks, &cdpTask{id: uuidLike(), session: s.id, vm: vm.name, created: now})
		}
	}
	st.sessions = append(st.sessions, s)
}

func cdpIncludeModel(r *http.Request, p *cdpPolicy, inc *bkInclude) vbemapi.ObjectInJob {
	path := cdpPolicyPath(p.id) + "/includes/" + inc.id
	return vbemapi.ObjectInJob{Href: to.Ptr(Href(r, path)), Type: to.Ptr("ObjectInJob"),
		Links:         []vbemapi.Link{link(r, "Delete", path, ""), named(link(r, "Up", cdpPolicyPath(p.id)+"?format=Entity", "CdpPolicy"), p.name)},
		ObjectInJobID: to.Ptr(inc.id), HierarchyObjRef: to.Ptr(inc.ref), Name: to.Ptr(inc.name), DisplayName: to.Ptr(inc.name), Order: to.Ptr(inc.order)}
}

// addCdpInclude adds a VM to a policy and to the policy's replica.
func (f *Fake) addCdpInclude(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateObjectInJobSpec
	if err := decodeBody(r, in, &spec); err != nil || !strings.HasPrefix(spec.HierarchyObjRef, "urn:") {
		badRequest(w, r, "CreateObjectInJobSpec needs a HierarchyObjRef (urn:<Platform>:<Type>:<root>.<ref>)")
		return
	}
	f.cdpPolicies().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cdpPolicy) {
		if slices.ContainsFunc(p.includes, func(i *bkInclude) bool { return strings.EqualFold(i.ref, spec.HierarchyObjRef) }) {
			WriteError(w, r, http.StatusBadRequest, "AlreadyExists", "the object is already in the policy")
			return
		}
		name := to.Value(spec.HierarchyObjName)
		if name == "" {
			name = spec.HierarchyObjRef[strings.LastIndex(spec.HierarchyObjRef, ".")+1:]
		}
		inc := &bkInclude{id: uuidLike(), ref: spec.HierarchyObjRef, name: name, order: to.Value(spec.Order)}
		p.includes = append(p.includes, inc)
		st := f.cdpLocked()
		var rp *cdpReplica
		for _, o := range st.replicas {
			if o.policy == p.id {
				rp = o
			}
		}
		if rp == nil && p.platform == "VMware" {
			rp = &cdpReplica{id: uuidLike(), policy: p.id, created: f.now().UTC().Truncate(time.Second)}
			st.replicas = append(st.replicas, rp)
		}
		if rp != nil {
			rp.vms = append(rp.vms, &cdpVM{id: uuidLike(), name: name, ref: spec.HierarchyObjRef})
		}
		f.accept(w, r, in, "UpdateCdpPolicy", false, cdpPolicyPath(p.id)+"/includes/"+inc.id)
	})(w, r, in)
}

func (f *Fake) cdpReplicaModel(r *http.Request, rp *cdpReplica, entity bool) any {
	path := "/api/cdpReplicas/" + rp.id
	name := f.policyNameLocked(rp.policy)
	m := vbemapi.CdpReplica{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "CdpReplica", path, rp.id, entity)
	if entity {
		m.Links = append(m.Links, link(r, "Down", path+"/vms", "CdpReplicaVmReferenceList"), named(link(r, "Up", cdpPolicyPath(rp.policy), "CdpPolicyReference"), name))
		m.BackupServer, m.PolicyUID, m.PolicyName = to.Ptr(SeedBackupServer2Name), to.Ptr(rp.policy), to.Ptr(name)
	}
	return m
}

func (f *Fake) cdpReplicaVMRefs(w http.ResponseWriter, r *http.Request, in *fake.Input, rp *cdpReplica) {
	list := vbemapi.EntityReferences{Refs: []vbemapi.EntityReference{}}
	for _, vm := range rp.vms {
		list.Refs = append(list.Refs, ref(r, "CdpReplicaVm", "/api/cdpReplicas/"+rp.id+"/vms/"+vm.id, vm.id, vm.name))
	}
	in.Respond(w, http.StatusOK, list)
}

func (f *Fake) cdpReplicaVMModel(r *http.Request, rp *cdpReplica, vm *cdpVM, entity bool) vbemapi.CdpReplicaVM {
	path := "/api/cdpReplicas/" + rp.id + "/vms/" + vm.id
	m := vbemapi.CdpReplicaVM{Name: to.Ptr(vm.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "CdpReplicaVm", path, vm.id, entity)
	if entity {
		m.Links = append(m.Links, link(r, "Intervals", path+"?action=intervals", ""), link(r, "Up", "/api/cdpReplicas/"+rp.id, "CdpReplicaReference"))
		if !f.replLocked().failedOver[vm.name] {
			m.Links = append(m.Links, link(r, "Failover", path+"?action=failover", ""))
		}
		m.VMRef, m.ReplicaUID, m.BackupServer = to.Ptr(vm.ref), to.Ptr(rp.id), to.Ptr(SeedBackupServer2Name)
		m.PolicyUID, m.PolicyName, m.RepositoryName = to.Ptr(rp.policy), to.Ptr(f.policyNameLocked(rp.policy)), to.Ptr("Backup Volume 01")
	}
	return m
}

func (f *Fake) cdpVAppModel(r *http.Request, v *cdpVApp, entity bool) any {
	path := "/api/cdpReplica/vApps/" + v.id
	m := vbemapi.VAppCdpReplica{Name: to.Ptr(v.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "VAppCdpReplica", path, v.id, entity)
	if entity {
		m.Links = append(m.Links, link(r, "Down", path+"/vms", "VAppCdpReplicaVmReferenceList"), link(r, "Intervals", path+"?action=intervals", ""))
		if !f.allFailedOverLocked(v.vms) {
			m.Links = append(m.Links, link(r, "Failover", path+"?action=failover", ""))
		}
		m.VAppRef, m.ReplicaUID, m.BackupServer = to.Ptr(v.ref), to.Ptr(v.id), to.Ptr(SeedBackupServer2Name)
		m.PolicyUID, m.PolicyName = to.Ptr(v.policy), to.Ptr(f.policyNameLocked(v.policy))
	}
	return m
}

func (f *Fake) cdpVAppVMRefs(w http.ResponseWriter, r *http.Request, in *fake.Input, v *cdpVApp) {
	list := vbemapi.EntityReferences{Refs: []vbemapi.EntityReference{}}
	for _, vm := range v.vms {
		list.Refs = append(list.Refs, ref(r, "VAppCdpReplicaVm", "/api/cdpReplica/vApps/"+v.id+"/vms/"+vm.id, vm.id, vm.name))
	}
	in.Respond(w, http.StatusOK, list)
}

func (f *Fake) cdpVAppVMModel(r *http.Request, v *cdpVApp, vm *cdpVM, entity bool) vbemapi.VAppCdpReplicaVM {
	m := vbemapi.VAppCdpReplicaVM{Name: to.Ptr(vm.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "VAppCdpReplicaVm", "/api/cdpReplica/vApps/"+v.id+"/vms/"+vm.id, vm.id, entity)
	if entity {
		m.Links = append(m.Links, named(link(r, "Up", "/api/cdpReplica/vApps/"+v.id, "VAppCdpReplicaReference"), v.name))
		m.ReplicaUID, m.VMRef = to.Ptr(v.id), to.Ptr(vm.ref)
	}
	return m
}

func (f *Fake) allFailedOverLocked(vms []*cdpVM) bool {
	for _, vm := range vms {
		if !f.replLocked().failedOver[vm.name] {
			return false
		}
	}
	return len(vms) > 0
}

// cdpAction answers the failover or the intervals of the VMs of a replica
// (one VM, or those of a vApp) replicated since since.
func (f *Fake) cdpAction(w http.ResponseWriter, r *http.Request, in *fake.Input, since time.Time, vms []*cdpVM) {
	if r.URL.Query().Get("action") == "intervals" {
		var spec vbemapi.CdpReplicaIntervalsSpec
		if !readBody(w, r, in, &spec, "CdpReplicaIntervalsSpec") {
			return
		}
		start, err1 := time.Parse(cdpTimeLayout, spec.StartDate)
		end, err2 := time.Parse(cdpTimeLayout, spec.EndDate)
		if err1 != nil || err2 != nil || !start.Before(end) {
			badRequest(w, r, "StartDate and EndDate must be times ("+cdpTimeLayout+"), StartDate before EndDate")
			return
		}
		in.Respond(w, http.StatusOK, cdpIntervals(start, end, since, f.now().UTC()))
		return
	}
	var spec vbemapi.CdpFailoverStartSpec
	if !readBody(w, r, in, &spec, "CdpFailoverStartSpec") {
		return
	}
	if !spec.RestoreCurrent && !spec.RestoreCurrentVss && to.Value(spec.RestoreAtInterval) == "" && to.Value(spec.RestoreAtPointInTime) == "" {
		badRequest(w, r, "say what to fail over to: RestoreCurrent, RestoreCurrentVss, RestoreAtInterval or RestoreAtPointInTime")
		return
	}
	if f.allFailedOverLocked(vms) {
		f.accept(w, r, in, "StartFailover", true, "")
		return
	}
	for _, vm := range vms {
		f.replLocked().failedOver[vm.name] = true
	}
	f.accept(w, r, in, "StartFailover", false, "")
}

// cdpIntervals is what a replica replicated since since (till now) can be
// restored to within [start, end]: one interval at an RPO of 15 seconds,
// and a long-term restore point at each full hour of it.
func cdpIntervals(start, end, since, now time.Time) vbemapi.CdpReplicaIntervals {
	out := vbemapi.CdpReplicaIntervals{StartDate: to.Ptr(start.Format(cdpTimeLayout)), EndDate: to.Ptr(end.Format(cdpTimeLayout)),
		Intervals: []vbemapi.CdpReplicaInterval{}, RestorePoints: []vbemapi.CdpReplicaRestorePoint{}}
	from, until := maxTime(start, since), minTime(end, now)
	if from.Before(until) {
		out.Intervals = append(out.Intervals, vbemapi.CdpReplicaInterval{StartDate: to.Ptr(from.Format(cdpTimeLayout)), EndDate: to.Ptr(until.Format(cdpTimeLayout)),
			Rpo: to.Ptr(int32(15)), IntervalType: to.Ptr("RestoreAvailable")})
		for h := from.Truncate(time.Hour).Add(time.Hour); h.Before(until); h = h.Add(time.Hour) {
			out.RestorePoints = append(out.RestorePoints, vbemapi.CdpReplicaRestorePoint{ID: to.Ptr(uuidLike()), Date: to.Ptr(h.Format(cdpTimeLayout)),
				IsApplicationConsistent: to.Ptr(h.Hour()%4 == 0)})
		}
	}
	out.HasApplicationConsistentState = to.Ptr(slices.ContainsFunc(out.RestorePoints, func(p vbemapi.CdpReplicaRestorePoint) bool { return to.Value(p.IsApplicationConsistent) }))
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (f *Fake) cdpSessionModel(r *http.Request, s *cdpSession, entity bool) any {
	path := "/api/cdpReplicaSessions/" + s.id
	_, name := s.ident()
	m := vbemapi.CdpReplicaSession{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "CdpReplicaSession", path, s.id, entity)
	m.Links = append(m.Links, named(link(r, "Up", cdpPolicyPath(s.policy), "CdpPolicyReference"), s.policyName))
	if !entity {
		return m
	}
	m.Links = append(m.Links, link(r, "Down", path+"/cdpReplicaTaskSessions", "CdpReplicaTaskSessionReferenceList"))
	m.PolicyUID, m.PolicyName, m.PolicyType = to.Ptr("urn:veeam:CdpPolicy:"+s.policy), to.Ptr(s.policyName), to.Ptr("CdpReplica")
	m.CreationTimeUTC, m.State, m.Result, m.Progress = to.Ptr(s.created), to.Ptr("Working"), to.Ptr("None"), to.Ptr(int32(0))
	m.FailureMessage, m.IsRetry = to.Ptr(""), to.Ptr(false)
	if !s.end.IsZero() {
		m.EndTimeUTC, m.State, m.Result, m.Progress = to.Ptr(s.end), to.Ptr("Stopped"), to.Ptr("Success"), to.Ptr(int32(100))
	}
	return m
}

func (f *Fake) cdpTaskModel(r *http.Request, t *cdpTask, entity bool) any {
	_, name := t.ident()
	m := vbemapi.CdpReplicaTaskSession{Name: to.Ptr(name), VMDisplayName: to.Ptr(t.vm)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "CdpReplicaTaskSession", "/api/cdpReplicaTaskSessions/"+t.id, t.id, entity)
	m.Links = append(m.Links, link(r, "Up", "/api/cdpReplicaSessions/"+t.session, "CdpReplicaSessionReference"))
	if entity {
		m.PolicySessionUID, m.CreationTimeUTC, m.State, m.Result = to.Ptr("urn:veeam:CdpReplicaSession:"+t.session), to.Ptr(t.created), to.Ptr("InProgress"), to.Ptr("Success")
		if s, ok := f.cdpSessions().find(t.session); ok && !s.end.IsZero() {
			m.State, m.EndTimeUTC = to.Ptr("Completed"), to.Ptr(s.end)
		}
		m.TotalSize = to.Ptr(t.size)
	}
	return m
}
