package vbgcfake

import (
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// VM instances, Cloud Spanner instances and their restore points. The fake
// starts with one VM instance and one Spanner instance (those of the spec's
// examples); AddVMInstance and AddSpannerInstance add more. Restore points
// come from two places: manual snapshots (VmInstancesTakeSnapshot), and
// policy runs: when a VM, Cloud SQL or Spanner policy session has ended with
// Success or Warning, every instance its spec selects (by id) gets a
// snapshot restore point of that policy, and a backup one too when the
// policy has backups enabled. Restores and file-level recovery start
// sessions; a file-level recovery session serves a small file tree of the
// restore point until it is stopped.
type workloads struct {
	f         *Fake
	vms       *table[string, vbgcapi.VMInstanceModel]
	vmPoints  []vbgcapi.VMRestorePointModel
	spanners  *table[string, vbgcapi.SpannerInstanceModel]
	spPoints  []vbgcapi.SpannerRestorePointModel
	harvested map[uuid.UUID]bool   // policy sessions already turned into restore points
	flr       map[uuid.UUID]string // file-level recovery session -> instance name
	restores  map[uuid.UUID]uuid.UUID
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		wl := &workloads{f: f, vms: newTable[string, vbgcapi.VMInstanceModel](), spanners: newTable[string, vbgcapi.SpannerInstanceModel](),
			harvested: map[uuid.UUID]bool{}, flr: map[uuid.UUID]string{}, restores: map[uuid.UUID]uuid.UUID{}}
		res, loc, locID, typ := "dept-gc475akr1", "asia-northeast3-a", "1587a0d3-f27a-436e-b0cb-fe2d82a85767", "e2-medium"
		wl.vms.put("7876786467083982093", vbgcapi.VMInstanceModel{ID: "7876786467083982093", ResourceID: &res, Name: "dept-gc475akr1",
			LocationID: &locID, LocationName: &loc, ProjectID: "project-backup-252812", InstanceType: &typ})
		cfg, pu := "regional-europe-west1", int32(100)
		wl.spanners.put("5517834112098765432", vbgcapi.SpannerInstanceModel{ID: "5517834112098765432", Name: "ledger", ProjectID: "project-backup-252812",
			Configuration: &cfg, ProcessingUnits: &pu, Databases: []string{"accounts"}})
		f.state["Workloads"] = wl
		return map[string]fake.HandlerFunc{
			"VmInstancesGetAll":              listHandler(f, wl.vms.list),
			"VmInstancesGet":                 getHandler(f, wl.vms, wl.findVM()),
			"VmInstancesGetRestorePoints":    pointsHandler(wl, wl.findVM(), &wl.vmPoints, func(p vbgcapi.VMRestorePointModel) string { return p.InstanceID }),
			"VmInstancesTakeSnapshot":        withItem(f, wl.findVM(), wl.takeSnapshot),
			"VmInstancesRescan":              f.rescan("VM instances rescan"),
			"VmRestorePointsGet":             wl.getVMPoint,
			"VmRestorePointsDelete":          wl.deleteVMPoint,
			"VmRestorePointsRestoreInstance": wl.restoreInstance,
			"VmRestorePointsRestoreDisks":    withItem(f, wl.findVMPointLocked, wl.restoreDisks),
			"VmRestorePointsStartFlr":        withItem(f, wl.findVMPointLocked, wl.startFlr),
			"FlrBrowse":                      wl.browse,
			"FlrStop":                        wl.stopFlr,
			"SqlRestorePointsRestore":        wl.restoreSQL,
			"SpannerInstancesGetAll":         listHandler(f, wl.spanners.list),
			"SpannerInstancesGetRestorePoints": pointsHandler(wl, byName(wl.spanners, "instanceId", "the Cloud Spanner instance"), &wl.spPoints,
				func(p vbgcapi.SpannerRestorePointModel) string { return p.InstanceID }),
			"SpannerRestorePointsRestore": wl.restoreSpanner,
		}
	})
}

// AddVMInstance adds (or replaces, by id) a discovered VM instance.
func (f *Fake) AddVMInstance(m vbgcapi.VMInstanceModel) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state["Workloads"].(*workloads).vms.put(m.ID, m)
}

// AddSpannerInstance adds (or replaces, by id) a discovered Cloud Spanner
// instance.
func (f *Fake) AddSpannerInstance(m vbgcapi.SpannerInstanceModel) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state["Workloads"].(*workloads).spanners.put(m.ID, m)
}

// RestoreCount returns how many restores (of any kind) were started.
func (f *Fake) RestoreCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.state["Workloads"].(*workloads).restores)
}

// harvestLocked turns the policy sessions that ended well into restore
// points of the instances their policies select.
func (wl *workloads) harvestLocked() {
	for _, sid := range wl.f.sessions.order {
		s := wl.f.sessions.items[sid]
		if wl.harvested[sid] || s.model.PolicyID == nil || s.model.Status != vbgcapi.ESessionStatusStopped {
			continue
		}
		wl.harvested[sid] = true
		if s.model.Result != vbgcapi.ESessionResultSuccess && s.model.Result != vbgcapi.ESessionResultWarning {
			continue
		}
		when := time.Now().UTC()
		if s.model.EndTimeUTC != nil {
			when = *s.model.EndTimeUTC
		}
		for _, family := range []string{"Vm", "Sql", "Spanner"} {
			p, ok := wl.f.state[family+"Policies"].(*policyFamily)
			if !ok {
				continue
			}
			spec, ok := p.items.get(*s.model.PolicyID)
			if !ok || p.sessType != s.model.SessionType {
				continue
			}
			backups, _ := spec["backupOptionsEnabled"].(bool)
			kinds := []vbgcapi.ERestorePointType{vbgcapi.ERestorePointTypeSnapshot}
			if backups {
				kinds = append(kinds, vbgcapi.ERestorePointTypeBackup)
			}
			for _, res := range selectedResources(spec) {
				for _, k := range kinds {
					wl.addPolicyPointLocked(family, res.id, k, *s.model.PolicyID, when)
				}
			}
		}
	}
}

func (wl *workloads) addPolicyPointLocked(family, instanceID string, kind vbgcapi.ERestorePointType, policyID uuid.UUID, when time.Time) {
	pid, manual := policyID, false
	switch family {
	case "Vm":
		if m, ok := wl.vms.get(instanceID); ok {
			name, project := m.Name, m.ProjectID
			wl.vmPoints = append(wl.vmPoints, vbgcapi.VMRestorePointModel{ID: uuid.New(), InstanceID: m.ID, InstanceName: &name,
				ProjectID: &project, CreationTime: when, Type: kind, PolicyID: &pid, IsManual: &manual, Disks: vmDisks(m)})
		}
	case "Spanner":
		if m, ok := wl.spanners.get(instanceID); ok {
			name := m.Name
			wl.spPoints = append(wl.spPoints, vbgcapi.SpannerRestorePointModel{ID: uuid.New(), InstanceID: m.ID, InstanceName: &name,
				CreationTime: when, Type: kind, PolicyID: &pid, Databases: slices.Clone(m.Databases)})
		}
	case "Sql":
		s, ok := wl.f.state["SqlInstances"].(*sqlInstances)
		if !ok {
			return
		}
		if m, ok := s.items.get(instanceID); ok {
			name, project, engine := m.Name, m.ProjectID, m.DatabaseEngineType
			s.points[m.ID] = append(s.points[m.ID], vbgcapi.SQLInstanceRestorePointModel{ID: uuid.New(), InstanceName: &name,
				ProjectID: &project, CreationTime: when, Type: vbgcapi.ESQLInstanceRestorePointType(kind),
				DatabaseEngineType: &engine, PolicyID: &pid, IsManual: &manual})
		}
	}
}

func vmDisks(m vbgcapi.VMInstanceModel) []string {
	return []string{m.Name + "-boot", m.Name + "-data"}
}

func (wl *workloads) findVM() finder[string] { return byName(wl.vms, "instanceId", "the VM instance") }

// pointsHandler lists the restore points (of *points, harvested first)
// of the instance that find resolves; of gives the instance of a point.
func pointsHandler[P any](wl *workloads, find finder[string], points *[]P, of func(P) string) fake.HandlerFunc {
	return subListHandler(wl.f, find, func(id string) []P {
		wl.harvestLocked()
		return slices.DeleteFunc(slices.Clone(*points), func(p P) bool { return of(p) != id })
	})
}

func (wl *workloads) takeSnapshot(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbgcapi.VMInstanceSnapshotSpec, id string) {
	m := wl.vms.items[id]
	location := spec.Location
	if location == nil && m.LocationName != nil {
		zone := *m.LocationName
		location = &zone
	}
	name, project, manual := m.Name, m.ProjectID, true
	wl.vmPoints = append(wl.vmPoints, vbgcapi.VMRestorePointModel{ID: uuid.New(), InstanceID: m.ID, InstanceName: &name,
		ProjectID: &project, CreationTime: time.Now().UTC(), Type: vbgcapi.ERestorePointTypeSnapshot, Location: location,
		IsManual: &manual, Disks: vmDisks(m)})
	wl.f.answerSession(w, http.StatusAccepted, vbgcapi.ESessionTypeManualSnapshot, "Snapshot of "+m.Name, nil)
}

// rescan answers a rescan session named name.
func (f *Fake) rescan(name string) fake.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.answerSession(w, http.StatusAccepted, vbgcapi.ESessionTypeRescan, name, nil)
	}
}

// pointID parses the restorePointId path parameter.
func pointID(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, bool) {
	return uuidParam(w, r, in, "restorePointId")
}

func (wl *workloads) findVMPointLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) (int, bool) {
	id, ok := pointID(w, r, in)
	if !ok {
		return -1, false
	}
	wl.harvestLocked()
	i := slices.IndexFunc(wl.vmPoints, func(p vbgcapi.VMRestorePointModel) bool { return p.ID == id })
	if i < 0 {
		notFound(w, r, "the restore point")
	}
	return i, i >= 0
}

func (wl *workloads) getVMPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.f.mu.Lock()
	defer wl.f.mu.Unlock()
	if i, ok := wl.findVMPointLocked(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, wl.vmPoints[i])
	}
}

func (wl *workloads) deleteVMPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.f.mu.Lock()
	defer wl.f.mu.Unlock()
	if i, ok := wl.findVMPointLocked(w, r, in); ok {
		wl.vmPoints = slices.Delete(wl.vmPoints, i, i+1)
		w.WriteHeader(http.StatusNoContent)
	}
}

// answerRestoreLocked records a restore session of a restore point and
// answers its id.
func (wl *workloads) answerRestoreLocked(w http.ResponseWriter, typ vbgcapi.ESessionType, name string, point uuid.UUID) uuid.UUID {
	sid := wl.f.answerSession(w, http.StatusAccepted, typ, name, nil)
	wl.restores[sid] = point
	return sid
}

func (wl *workloads) restoreInstance(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.VMInstanceRestoreSpec](w, r, in)
	if !ok {
		return
	}
	if spec.Target == vbgcapi.ERestoreTargetNew && (spec.Name == nil || *spec.Name == "") {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "a restore to a new location needs a name")
		return
	}
	wl.f.mu.Lock()
	defer wl.f.mu.Unlock()
	i, ok := wl.findVMPointLocked(w, r, in)
	if !ok {
		return
	}
	p := wl.vmPoints[i]
	src := wl.vms.items[p.InstanceID]
	if spec.Target == vbgcapi.ERestoreTargetNew {
		// The restored instance shows up as a new discovered instance.
		m := src
		m.ID = newNumericID()
		m.Name = *spec.Name
		m.ResourceID = spec.Name
		if spec.ProjectID != nil {
			m.ProjectID = *spec.ProjectID
		}
		if spec.ZoneID != nil {
			m.LocationName = spec.ZoneID
		}
		if spec.MachineType != nil {
			m.InstanceType = spec.MachineType
		}
		wl.vms.put(m.ID, m)
	}
	wl.answerRestoreLocked(w, vbgcapi.ESessionTypeRestore, "Restore of "+src.Name, p.ID)
}

// newNumericID returns an id shaped like those of Compute Engine (19
// digits).
func newNumericID() string {
	u := uuid.New()
	var n uint64
	for _, b := range u[:8] {
		n = n<<8 | uint64(b)
	}
	return strconv.FormatUint(n%9e18+1e18, 10)
}

func (wl *workloads) restoreDisks(w http.ResponseWriter, r *http.Request, _ *fake.Input, spec vbgcapi.VMDisksRestoreSpec, i int) {
	p := wl.vmPoints[i]
	for _, d := range spec.Disks {
		if !slices.Contains(p.Disks, d) {
			veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "the restore point has no disk "+d)
			return
		}
	}
	wl.answerRestoreLocked(w, vbgcapi.ESessionTypeRestore, "Disk restore of "+p.InstanceID, p.ID)
}

func (wl *workloads) startFlr(w http.ResponseWriter, _ *http.Request, _ *fake.Input, _ vbgcapi.FlrStartSpec, i int) {
	p := wl.vmPoints[i]
	name := p.InstanceID
	if p.InstanceName != nil {
		name = *p.InstanceName
	}
	sid := wl.answerRestoreLocked(w, vbgcapi.ESessionTypeFileLevelRestore, "File-level recovery of "+name, p.ID)
	wl.flr[sid] = name
}

// flrTree is the file tree every mounted restore point shows: folders map
// to their children ("/" is the root).
var flrTree = map[string][]string{
	"/":          {"etc/", "home/", "var/"},
	"/etc":       {"hostname", "fstab", "nginx/"},
	"/etc/nginx": {"nginx.conf"},
	"/home":      {"app/"},
	"/home/app":  {"config.yaml", "data.db"},
	"/var":       {"log/"},
	"/var/log":   {"syslog"},
}

func (wl *workloads) flrSessionLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, bool) {
	id, ok := uuidParam(w, r, in, "sessionId")
	if !ok {
		return id, false
	}
	if _, ok := wl.flr[id]; !ok {
		veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "no file-level recovery session is mounted with this id")
		return id, false
	}
	return id, true
}

func (wl *workloads) browse(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.f.mu.Lock()
	_, ok := wl.flrSessionLocked(w, r, in)
	wl.f.mu.Unlock()
	if !ok {
		return
	}
	dir := path.Clean("/" + r.URL.Query().Get("path"))
	children, ok := flrTree[dir]
	if !ok {
		veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "no folder "+dir+" in the restore point")
		return
	}
	items := make([]vbgcapi.FlrItemModel, 0, len(children))
	for _, c := range children {
		typ, name := vbgcapi.EFlrItemTypeFile, c
		if strings.HasSuffix(c, "/") {
			typ, name = vbgcapi.EFlrItemTypeFolder, strings.TrimSuffix(c, "/")
		}
		it := vbgcapi.FlrItemModel{Name: name, Path: path.Join(dir, name), Type: typ}
		if typ == vbgcapi.EFlrItemTypeFile {
			size := int64(len(name) * 512)
			it.SizeBytes = &size
		}
		items = append(items, it)
	}
	writeList(w, r, items)
}

func (wl *workloads) stopFlr(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.f.mu.Lock()
	defer wl.f.mu.Unlock()
	id, ok := wl.flrSessionLocked(w, r, in)
	if !ok {
		return
	}
	delete(wl.flr, id)
	wl.f.sessions.items[id].endLocked(vbgcapi.ESessionResultSuccess)
	w.WriteHeader(http.StatusNoContent)
}

func (wl *workloads) restoreSQL(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.SQLInstanceRestoreSpec](w, r, in)
	if !ok {
		return
	}
	if spec.Target == vbgcapi.ERestoreTargetNew && (spec.Name == nil || *spec.Name == "") {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "a restore to a new instance needs a name")
		return
	}
	id, ok := pointID(w, r, in)
	if !ok {
		return
	}
	wl.f.mu.Lock()
	defer wl.f.mu.Unlock()
	wl.harvestLocked()
	s, _ := wl.f.state["SqlInstances"].(*sqlInstances)
	for _, instID := range s.items.order {
		for _, p := range s.points[instID] {
			if p.ID != id {
				continue
			}
			src := s.items.items[instID]
			if spec.Target == vbgcapi.ERestoreTargetNew {
				m := src
				m.ID, m.Name = newNumericID(), *spec.Name
				if spec.ProjectID != nil {
					m.ProjectID = *spec.ProjectID
				}
				if spec.RegionID != nil {
					m.RegionID = spec.RegionID
				}
				s.addLocked(m)
			}
			wl.answerRestoreLocked(w, vbgcapi.ESessionTypeRestore, "Restore of "+src.Name, id)
			return
		}
	}
	notFound(w, r, "the restore point")
}

func (wl *workloads) restoreSpanner(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.SpannerInstanceRestoreSpec](w, r, in)
	if !ok {
		return
	}
	id, ok := pointID(w, r, in)
	if !ok {
		return
	}
	wl.f.mu.Lock()
	defer wl.f.mu.Unlock()
	wl.harvestLocked()
	i := slices.IndexFunc(wl.spPoints, func(p vbgcapi.SpannerRestorePointModel) bool { return p.ID == id })
	if i < 0 {
		notFound(w, r, "the restore point")
		return
	}
	p := wl.spPoints[i]
	for _, d := range spec.Databases {
		if !slices.Contains(p.Databases, d) {
			veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "the restore point has no database "+d)
			return
		}
	}
	target := p.InstanceID
	if spec.TargetInstanceID != nil {
		target = *spec.TargetInstanceID
	}
	m, ok := lookup(w, r, wl.spanners, target, "the target Cloud Spanner instance")
	if !ok {
		return
	}
	suffix := ""
	if spec.Suffix != nil {
		suffix = *spec.Suffix
	}
	for _, d := range spec.Databases {
		if name := d + suffix; !slices.Contains(m.Databases, name) {
			m.Databases = append(m.Databases, name)
		}
	}
	wl.spanners.put(target, m)
	wl.answerRestoreLocked(w, vbgcapi.ESessionTypeRestore, "Restore of "+p.InstanceID, p.ID)
}
