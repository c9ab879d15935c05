package vbemfake

import (
	"net/http"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// VMware Cloud Director vApps: the restore of a whole vApp from a vApp
// restore point, and vApp replica points with their failover. The fake
// seeds no vApp replica; AddVAppReplica adds one.

const vappKey = "vapps"

// vappReplicaPoint is a restore point of a vApp replica: the points of its
// VMs are VM replica points of the same replica.
type vappReplicaPoint struct {
	id, replica, vapp string
	vms               []*replicaPoint
	created           time.Time
}

func (p *vappReplicaPoint) ident() (string, string) {
	return p.id, p.vapp + "@" + p.created.Format(stampName)
}

type vappState struct{ points []*vappReplicaPoint }

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[vappKey] = &vappState{}
		points := f.vappReplicaPoints()
		return map[string]fake.HandlerFunc{
			"RestoreVAppRestorePoint":  f.restoreVApp,
			"GetVAppReplicaPoints":     points.list(),
			"GetVAppReplicaPoint":      points.get(f.vappReplicaPointModel),
			"FailoverVAppReplicaPoint": points.with(f.failoverVApp),
		}
	})
}

func (f *Fake) vappLocked() *vappState { return f.state[vappKey].(*vappState) }

func (f *Fake) vappReplicaPoints() coll[*vappReplicaPoint] {
	return coll[*vappReplicaPoint]{f: f, kind: "VAppReplicaPoint", base: "/api/vAppReplicaPoints/", param: "vAppReplicaPointId", what: "vApp replica point",
		items: func() []*vappReplicaPoint { return f.vappLocked().points },
		up:    upTo("Up", "ReplicaReference", func(p *vappReplicaPoint) string { return "/api/replicas/" + p.replica })}
}

// AddVAppReplica adds a replica of a vApp, named name, with one point of
// the vApp that holds one VM replica point per VM. It returns the ids of
// the replica and of the vApp replica point.
func (f *Fake) AddVAppReplica(name, vapp string, vms ...string) (replicaID, vappPointID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now().UTC().Truncate(time.Second)
	rp := &replica{id: uuidLike(), name: name}
	p := &vappReplicaPoint{id: uuidLike(), replica: rp.id, vapp: vapp, created: now}
	for _, vm := range vms {
		pt := &replicaPoint{id: uuidLike(), vm: vm, created: now, full: true}
		rp.points = append(rp.points, pt)
		p.vms = append(p.vms, pt)
	}
	st := f.replLocked()
	st.replicas = append(st.replicas, rp)
	f.vappLocked().points = append(f.vappLocked().points, p)
	return rp.id, p.id
}

func (f *Fake) vappReplicaPointModel(r *http.Request, p *vappReplicaPoint, entity bool) any {
	path := "/api/vAppReplicaPoints/" + p.id
	_, name := p.ident()
	m := vbemapi.VAppReplicaPoint{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "VAppReplicaPoint", path, p.id, entity)
	if !entity {
		return m
	}
	if !f.vappFailedOverLocked(p) {
		m.Links = append(m.Links, link(r, "Failover", path+"?action=failover", ""))
	}
	m.Links = append(m.Links, link(r, "Up", "/api/replicas/"+p.replica, "ReplicaReference"))
	for _, vm := range p.vms {
		_, vmName := vm.ident()
		m.Links = append(m.Links, named(link(r, "Down", "/api/vmReplicaPoints/"+vm.id, "VmReplicaPointReference"), vmName))
	}
	m.VAppDisplayName, m.VAppName, m.CreationTimeUTC = to.Ptr(p.vapp), to.Ptr(p.vapp), to.Ptr(p.created)
	m.Algorithm, m.PointType = to.Ptr("Full"), to.Ptr("Snapshot")
	return m
}

// vappFailedOverLocked says whether every VM of the vApp is failed over.
func (f *Fake) vappFailedOverLocked(p *vappReplicaPoint) bool {
	for _, vm := range p.vms {
		if !f.replLocked().failedOver[vm.vm] {
			return false
		}
	}
	return len(p.vms) > 0
}

// failoverVApp fails every VM of the vApp over, in one failover session.
func (f *Fake) failoverVApp(w http.ResponseWriter, r *http.Request, in *fake.Input, p *vappReplicaPoint) {
	if f.vappFailedOverLocked(p) {
		badRequest(w, r, "the vApp "+p.vapp+" is already failed over")
		return
	}
	st := f.replLocked()
	now := f.now().UTC()
	js := st.addJobSessionLocked(now, "Failover "+p.vapp)
	for _, vm := range p.vms {
		st.failedOver[vm.vm] = true
		st.addSessionLocked(now, vm.vm, js)
	}
	f.accept(w, r, in, "StartReplicaFailover", false, "/api/replicaSessions/"+js.id+"?format=Entity")
}

// restoreVApp starts the restore of a vApp: a restore session of the vApp
// under its new name. The VMs the spec names must be VMs of the point.
func (f *Fake) restoreVApp(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.VAppRestoreSpec
	if !readBody(w, r, in, &spec, "RestoreSpec") {
		return
	}
	vs := spec.VCloudVAppRestoreSpec
	f.vapps().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *bkVAppPoint) {
		st := f.bkLocked()
		if _, ok := f.roots().find(strings.TrimPrefix(vs.HierarchyRootUID, "urn:veeam:HierarchyRoot:")); !ok {
			badRequest(w, r, "unknown hierarchy root "+vs.HierarchyRootUID)
			return
		}
		if !strings.HasPrefix(vs.OrgVdcRef, "urn:vCloud:OrgVdc:") {
			badRequest(w, r, "OrgVdcRef must reference an OrgVdc (urn:vCloud:OrgVdc:...)")
			return
		}
		var own *bkVMPoint
		for _, vp := range st.vmPoints {
			if vp.vapp == p.id {
				own = vp
			}
		}
		for _, vm := range vs.VMsRestoreParameters {
			id := strings.TrimPrefix(vm.VMRestorePointUID, "urn:veeam:VmRestorePoint:")
			if vp, ok := f.vmPoints().find(id); !ok || vp.vapp != p.id {
				badRequest(w, r, vm.VMRestorePointUID+" is no VM restore point of the vApp "+p.vapp)
				return
			}
		}
		if own == nil {
			badRequest(w, r, "the vApp restore point has no VM restore point")
			return
		}
		name := p.vapp
		if n := to.Value(vs.VAppNewName); n != "" {
			name = n
		}
		rs := &bkRestore{id: uuidLike(), vmPoint: own.id, vm: name, ref: own.ref, created: f.now().UTC().Truncate(time.Millisecond),
			state: vbemapi.RestoreSessionStateWorking, result: vbemapi.RestoreSessionResultNone}
		st.restores = append(st.restores, rs)
		f.accept(w, r, in, "StartvAppRestore", false, restorePath(rs.id)+"?format=Entity")
	})(w, r, in)
}
