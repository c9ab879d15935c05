package vbemfake

import (
	"net/http"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		return map[string]fake.HandlerFunc{
			"GetBackups":                     f.listBackups,
			"GetBackup":                      f.getBackup,
			"GetBackupBackupFiles":           f.backupFiles,
			"GetBackupRestorePoints":         f.backupPoints,
			"GetBackupChildBackups":          f.childBackups,
			"GetBackupFiles":                 f.listFiles,
			"GetBackupFile":                  f.getFile,
			"GetBackupFileRestorePoints":     f.filePoints,
			"GetBackupFileVmRestorePoints":   f.fileVMPoints,
			"GetRestorePoints":               f.listPoints,
			"GetRestorePoint":                f.getPoint,
			"GetRestorePointVmRestorePoints": f.pointVMPoints,
			"GetRestorePointBackupFiles":     f.pointFiles,
			"GetVmRestorePoints":             f.listVMPoints,
			"GetVmRestorePoint":              f.getVMPoint,
			"RestoreVmRestorePoint":          f.restoreVM,
			"GetRestoreSessions":             f.listRestores,
			"GetRestoreSession":              f.getRestore,
			"GetHierarchyRoots":              f.listRoots,
			"GetHierarchyRoot":               f.getRoot,
			"GetLookupService":               f.lookupSvc,
			"Lookup":                         f.lookup,
			"GetRepositories":                f.listRepos,
			"GetRepository":                  f.getRepo,
			"GetRepositoryBackups":           f.repoBackups,
			"GetManagedServers":              f.listManaged,
			"GetManagedServer":               f.getManaged,
		}
	})
}

func (st *bkState) repo(id string) *bkRepo {
	for _, r := range st.repos {
		if r.id == id {
			return r
		}
	}
	return nil
}

// answer writes a reference list built under f.mu.
func (f *Fake) answer(w http.ResponseWriter, in *fake.Input, build func() []vbemapi.EntityReference) {
	f.mu.Lock()
	list := build()
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, refs(list))
}

// find looks an item of the path parameter up under f.mu and answers it,
// or answers 404.
func find[T any](f *Fake, w http.ResponseWriter, r *http.Request, in *fake.Input, param, what string, list func(*bkState) []T, id func(T) string, answer func(T) any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, it := range list(f.bkLocked()) {
		if id(it) == in.PathParams[param] {
			in.Respond(w, http.StatusOK, answer(it))
			return
		}
	}
	WriteError(w, r, http.StatusNotFound, "NotFound", what+" not found")
}

func backupPath(id string) string  { return "/api/backups/" + id }
func filePath(id string) string    { return "/api/backupFiles/" + id }
func pointPath(id string) string   { return "/api/restorePoints/" + id }
func vmPointPath(id string) string { return "/api/vmRestorePoints/" + id }
func repoPath(id string) string    { return "/api/repositories/" + id }

func backupRef(r *http.Request, b *bkBackup) vbemapi.EntityReference {
	return ref(r, "Backup", backupPath(b.id), b.id, b.name, link(r, "Up", repoPath(b.repo), "RepositoryReference"))
}

func backupModel(r *http.Request, b *bkBackup, entity bool) vbemapi.Backup {
	href, _, suffix := entityHref(r, backupPath(b.id), entity)
	m := vbemapi.Backup{Name: to.Ptr(b.name), UID: to.Ptr("urn:veeam:Backup:" + b.id), Href: href, Type: to.Ptr("Backup" + suffix),
		Links: []vbemapi.Link{link(r, "Up", repoPath(b.repo), "RepositoryReference"), link(r, "Up", bsPath(b.server), "BackupServerReference"),
			link(r, "Down", backupPath(b.id)+"/backupFiles", "BackupFileReferenceList"), link(r, "Down", backupPath(b.id)+"/restorePoints", "RestorePointReferenceList")}}
	if entity {
		m.Platform, m.BackupType = to.Ptr("VMware"), to.Ptr("ParentBackup")
	}
	return m
}

func fileRef(r *http.Request, b *bkFile) vbemapi.EntityReference {
	return ref(r, "BackupFile", filePath(b.id), b.id, b.path[strings.LastIndex(b.path, `\`)+1:], link(r, "Up", backupPath(b.backup), "BackupReference"))
}

func fileModel(r *http.Request, b *bkFile, entity bool) vbemapi.BackupFile {
	href, _, suffix := entityHref(r, filePath(b.id), entity)
	m := vbemapi.BackupFile{Name: to.Ptr(b.path[strings.LastIndex(b.path, `\`)+1:]), UID: to.Ptr("urn:veeam:BackupFile:" + b.id), Href: href, Type: to.Ptr("BackupFile" + suffix),
		Links: []vbemapi.Link{link(r, "Up", backupPath(b.backup), "BackupReference"), link(r, "Down", filePath(b.id)+"/vmRestorePoints", "VmRestorePointReferenceList")}}
	if entity {
		m.FilePath, m.BackupSize, m.DataSize, m.FileType = to.Ptr(b.path), to.Ptr(b.size), to.Ptr(b.size*2), to.Ptr(b.kind)
		m.DeduplicationRatio, m.CompressRatio, m.CreationTimeUtc = to.Ptr(float32(1)), to.Ptr(float32(2)), to.Ptr(b.created)
	}
	return m
}

func pointName(t time.Time) string { return t.Format("Jan _2 2006  3:04PM") }

func pointRef(r *http.Request, p *bkPoint) vbemapi.EntityReference {
	return ref(r, "RestorePoint", pointPath(p.id), p.id, pointName(p.date), link(r, "Up", backupPath(p.backup), "BackupReference"))
}

func pointModel(r *http.Request, p *bkPoint, entity bool) vbemapi.RestorePoint {
	href, _, suffix := entityHref(r, pointPath(p.id), entity)
	m := vbemapi.RestorePoint{Name: to.Ptr(pointName(p.date)), UID: to.Ptr("urn:veeam:RestorePoint:" + p.id), Href: href, Type: to.Ptr("RestorePoint" + suffix),
		Links: []vbemapi.Link{link(r, "Up", backupPath(p.backup), "BackupReference"), link(r, "Down", pointPath(p.id)+"/vmRestorePoints", "VmRestorePointReferenceList")}}
	if entity {
		m.BackupDateUTC = to.Ptr(p.date)
	}
	return m
}

func vmPointName(p *bkVMPoint) string { return p.vm + "@" + p.created.Format("2006-01-02 15:04:05") }

func vmPointRef(r *http.Request, p *bkVMPoint) vbemapi.EntityReference {
	return ref(r, "VmRestorePoint", vmPointPath(p.id), p.id, vmPointName(p), link(r, "Up", pointPath(p.point), "RestorePointReference"))
}

func vmPointModel(r *http.Request, p *bkVMPoint, entity bool) vbemapi.VMRestorePoint {
	href, _, suffix := entityHref(r, vmPointPath(p.id), entity)
	m := vbemapi.VMRestorePoint{Name: to.Ptr(vmPointName(p)), UID: to.Ptr("urn:veeam:VmRestorePoint:" + p.id), Href: href, Type: to.Ptr("VmRestorePoint" + suffix),
		VMDisplayName: to.Ptr(p.vm), Links: []vbemapi.Link{link(r, "Restore", vmPointPath(p.id)+"?action=restore", ""), link(r, "Up", pointPath(p.point), "RestorePointReference"),
			link(r, "Up", filePath(p.file), "BackupFileReference")}}
	if entity {
		algo := "Full"
		if p.kind == "Increment" {
			algo = "Incremental"
		}
		m.CreationTimeUTC, m.VMName, m.Algorithm, m.PointType, m.HierarchyObjRef = to.Ptr(p.created), to.Ptr(p.vm), to.Ptr(algo), to.Ptr(p.kind), to.Ptr(p.ref)
	}
	return m
}

func (f *Fake) listBackups(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, b := range f.bkLocked().backups {
			out = append(out, backupRef(r, b))
		}
		return
	})
}

func backupsOf(st *bkState) []*bkBackup { return st.backups }
func backupID(b *bkBackup) string       { return b.id }

func (f *Fake) getBackup(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "backupId", "backup", backupsOf, backupID, func(b *bkBackup) any { return backupModel(r, b, entityForm(r)) })
}

// children answers the references of the items under the parent of the
// path parameter, or 404 when there is no such parent.
func children[P, C any](f *Fake, w http.ResponseWriter, r *http.Request, in *fake.Input, param, what string, parents func(*bkState) []P, pid func(P) string, kids func(*bkState) []C, under func(C, P) bool, asRef func(C) vbemapi.EntityReference) {
	find(f, w, r, in, param, what, parents, pid, func(p P) any {
		var out []vbemapi.EntityReference
		for _, c := range kids(f.bkLocked()) {
			if under(c, p) {
				out = append(out, asRef(c))
			}
		}
		return refs(out)
	})
}

func filesOf(st *bkState) []*bkFile       { return st.files }
func fileID(b *bkFile) string             { return b.id }
func pointsOf(st *bkState) []*bkPoint     { return st.points }
func pointID(p *bkPoint) string           { return p.id }
func vmPointsOf(st *bkState) []*bkVMPoint { return st.vmPoints }
func vmPointID(p *bkVMPoint) string       { return p.id }

func (f *Fake) backupFiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "backupId", "backup", backupsOf, backupID, filesOf, func(c *bkFile, p *bkBackup) bool { return c.backup == p.id }, func(c *bkFile) vbemapi.EntityReference { return fileRef(r, c) })
}

func (f *Fake) backupPoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "backupId", "backup", backupsOf, backupID, pointsOf, func(c *bkPoint, p *bkBackup) bool { return c.backup == p.id }, func(c *bkPoint) vbemapi.EntityReference { return pointRef(r, c) })
}

// childBackups: the fake keeps no scale-out or per-machine chains, so a
// backup has no children.
func (f *Fake) childBackups(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "backupId", "backup", backupsOf, backupID, backupsOf, func(*bkBackup, *bkBackup) bool { return false }, func(c *bkBackup) vbemapi.EntityReference { return backupRef(r, c) })
}

func (f *Fake) listFiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, b := range f.bkLocked().files {
			out = append(out, fileRef(r, b))
		}
		return
	})
}

func (f *Fake) getFile(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "backupFileId", "backup file", filesOf, fileID, func(b *bkFile) any { return fileModel(r, b, entityForm(r)) })
}

func (f *Fake) filePoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "backupFileId", "backup file", filesOf, fileID, pointsOf, func(c *bkPoint, p *bkFile) bool { return c.file == p.id }, func(c *bkPoint) vbemapi.EntityReference { return pointRef(r, c) })
}

func (f *Fake) fileVMPoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "backupFileId", "backup file", filesOf, fileID, vmPointsOf, func(c *bkVMPoint, p *bkFile) bool { return c.file == p.id }, func(c *bkVMPoint) vbemapi.EntityReference { return vmPointRef(r, c) })
}

func (f *Fake) listPoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, p := range f.bkLocked().points {
			out = append(out, pointRef(r, p))
		}
		return
	})
}

func (f *Fake) getPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "restorePointId", "restore point", pointsOf, pointID, func(p *bkPoint) any { return pointModel(r, p, entityForm(r)) })
}

func (f *Fake) pointVMPoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "restorePointId", "restore point", pointsOf, pointID, vmPointsOf, func(c *bkVMPoint, p *bkPoint) bool { return c.point == p.id }, func(c *bkVMPoint) vbemapi.EntityReference { return vmPointRef(r, c) })
}

func (f *Fake) pointFiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "restorePointId", "restore point", pointsOf, pointID, filesOf, func(c *bkFile, p *bkPoint) bool { return c.id == p.file }, func(c *bkFile) vbemapi.EntityReference { return fileRef(r, c) })
}

func (f *Fake) listVMPoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, p := range f.bkLocked().vmPoints {
			out = append(out, vmPointRef(r, p))
		}
		return
	})
}

func (f *Fake) getVMPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "vmRestorePointId", "VM restore point", vmPointsOf, vmPointID, func(p *bkVMPoint) any { return vmPointModel(r, p, entityForm(r)) })
}

func restorePath(id string) string { return "/api/restoreSessions/" + id }

func (f *Fake) restoreVM(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.RestoreSpec
	if err := decodeBody(r, in, &spec); err != nil {
		WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "cannot read RestoreSpec")
		return
	}
	vs := &spec.VMRestoreSpec
	if to.Value(vs.QuickRollback) && to.Value(vs.KeepOriginalVM) {
		WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "KeepOriginalVM needs QuickRollback=false")
		return
	}
	f.mu.Lock()
	st := f.bkLocked()
	if u := to.Value(vs.HierarchyRootUID); u != "" {
		known := false
		for _, root := range st.roots {
			known = known || strings.EqualFold(u, "urn:veeam:HierarchyRoot:"+root.id)
		}
		if !known {
			f.mu.Unlock()
			WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "unknown hierarchy root "+u)
			return
		}
	}
	var p *bkVMPoint
	for _, o := range st.vmPoints {
		if o.id == in.PathParams["vmRestorePointId"] {
			p = o
		}
	}
	if p == nil {
		f.mu.Unlock()
		WriteError(w, r, http.StatusNotFound, "NotFound", "VM restore point not found")
		return
	}
	vm := p.vm
	if vs.VMRestoreParameters != nil && to.Value(vs.VMRestoreParameters.VMNewName) != "" {
		vm = *vs.VMRestoreParameters.VMNewName
	}
	rs := &bkRestore{id: uuidLike(), vmPoint: p.id, vm: vm, ref: p.ref, created: f.now().UTC().Truncate(time.Millisecond),
		state: vbemapi.RestoreSessionStateWorking, result: vbemapi.RestoreSessionResultNone}
	st.restores = append(st.restores, rs)
	f.mu.Unlock()
	in.Respond(w, http.StatusAccepted, f.StartTask(r, "StartVMRestore", false, restorePath(rs.id)+"?format=Entity"))
}

func restoreRef(r *http.Request, s *bkRestore) vbemapi.EntityReference {
	return ref(r, "RestoreSession", restorePath(s.id), s.id, s.vm+"@"+s.created.Format("2006-01-02 15:04:05"), link(r, "Related", vmPointPath(s.vmPoint), "VmRestorePointReference"))
}

func restoreModel(r *http.Request, s *bkRestore, entity bool) vbemapi.RestoreSession {
	href, _, suffix := entityHref(r, restorePath(s.id), entity)
	m := vbemapi.RestoreSession{Name: to.Ptr(s.vm + "@" + s.created.Format("2006-01-02 15:04:05")), UID: to.Ptr("urn:veeam:RestoreSession:" + s.id), Href: href,
		Type: to.Ptr("RestoreSession" + suffix), VMDisplayName: to.Ptr(s.vm), Links: []vbemapi.Link{link(r, "Related", vmPointPath(s.vmPoint), "VmRestorePointReference")}}
	if entity {
		m.JobType, m.CreationTimeUTC, m.State, m.Result, m.RestoredObjRef = to.Ptr("FullVmRestore"), to.Ptr(s.created), to.Ptr(s.state), to.Ptr(s.result), to.Ptr(s.ref)
		m.Progress = to.Ptr(int32(0))
		if s.state == vbemapi.RestoreSessionStateStopped {
			m.Progress, m.EndTimeUTC = to.Ptr(int32(100)), to.Ptr(s.end)
		}
	}
	return m
}

// advanceRestoreLocked moves a restore on by one read; it succeeds after
// the configured number of reads.
func (f *Fake) advanceRestoreLocked(s *bkRestore) {
	if s.state == vbemapi.RestoreSessionStateStopped {
		return
	}
	if s.reads++; s.reads >= f.steps {
		s.state, s.result, s.end = vbemapi.RestoreSessionStateStopped, vbemapi.RestoreSessionResultSuccess, f.now().UTC().Truncate(time.Millisecond)
	}
}

func (f *Fake) listRestores(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, s := range f.bkLocked().restores {
			out = append(out, restoreRef(r, s))
		}
		return
	})
}

func (f *Fake) getRestore(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "restoreSessionId", "restore session", func(st *bkState) []*bkRestore { return st.restores }, func(s *bkRestore) string { return s.id },
		func(s *bkRestore) any { f.advanceRestoreLocked(s); return restoreModel(r, s, entityForm(r)) })
}

func rootPath(id string) string { return "/api/hierarchyRoots/" + id }

func (f *Fake) rootModel(r *http.Request, h *bkRoot, entity bool) vbemapi.HierarchyRoot {
	href, _, suffix := entityHref(r, rootPath(h.id), entity)
	m := vbemapi.HierarchyRoot{Name: to.Ptr(h.name), UID: to.Ptr("urn:veeam:HierarchyRoot:" + h.id), Href: href, Type: to.Ptr("HierarchyRoot" + suffix),
		Links: []vbemapi.Link{named(link(r, "Up", bsPath(h.server), "BackupServerReference"), f.serverName(h.server))}}
	if entity {
		m.HierarchyRootID, m.UniqueID, m.HostType = to.Ptr(h.id), to.Ptr(strings.ToUpper(h.id)), to.Ptr(h.hostType)
	}
	return m
}

func (f *Fake) listRoots(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, h := range f.bkLocked().roots {
			out = append(out, ref(r, "HierarchyRoot", rootPath(h.id), h.id, h.name))
		}
		return
	})
}

func (f *Fake) getRoot(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "hierarchyRootId", "hierarchy root", func(st *bkState) []*bkRoot { return st.roots }, func(h *bkRoot) string { return h.id },
		func(h *bkRoot) any { return f.rootModel(r, h, entityForm(r)) })
}

func (f *Fake) lookupSvc(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	l := link(r, "Down", "/api/lookup?host={hostUID}&name={objName}&type={objType}", "HierarchyItemList")
	in.Respond(w, http.StatusOK, vbemapi.LookupSvc{Href: to.Ptr(Href(r, "/api/lookupSvc")), Type: to.Ptr("LookupService"),
		Links: []vbemapi.Link{link(r, "Up", "/api/", "EnterpriseManager"), l}})
}

func (f *Fake) lookup(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	q := r.URL.Query()
	host, name, typ, one := q.Get("host"), q.Get("name"), q.Get("type"), q.Get("hierarchyRef")
	if one == "" && host == "" {
		WriteError(w, r, http.StatusBadRequest, "InvalidQuery", "lookup needs host (with name and type) or hierarchyRef")
		return
	}
	f.mu.Lock()
	items := []vbemapi.HierarchyItem{}
	for _, o := range f.bkLocked().objects {
		ok := strings.EqualFold(o.ref, one)
		if one == "" {
			ok = strings.EqualFold(host, "urn:veeam:HierarchyRoot:"+o.root) && (name == "" || strings.Contains(strings.ToLower(o.name), strings.ToLower(name))) &&
				(typ == "" || strings.EqualFold(typ, o.kind))
		}
		if ok {
			items = append(items, vbemapi.HierarchyItem{Type: to.Ptr("HierarchyItem"), ObjectRef: to.Ptr(o.ref), ObjectType: to.Ptr(o.kind), ObjectName: to.Ptr(o.name)})
		}
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, vbemapi.HierarchyItems{HierarchyItems: items})
}

func repoRef(r *http.Request, p *bkRepo) vbemapi.EntityReference {
	return ref(r, "Repository", repoPath(p.id), p.id, p.name)
}

func (f *Fake) repoModel(r *http.Request, p *bkRepo, entity bool) vbemapi.Repository {
	href, _, suffix := entityHref(r, repoPath(p.id), entity)
	m := vbemapi.Repository{Name: to.Ptr(p.name), UID: to.Ptr("urn:veeam:Repository:" + p.id), Href: href, Type: to.Ptr("Repository" + suffix),
		Links: []vbemapi.Link{named(link(r, "Up", bsPath(p.server), "BackupServerReference"), f.serverName(p.server)), link(r, "Down", repoPath(p.id)+"/backups", "BackupReferenceList")}}
	if entity {
		m.Capacity, m.FreeSpace, m.Kind = to.Ptr(p.capacity), to.Ptr(p.free), to.Ptr(p.kind)
	}
	return m
}

func (f *Fake) listRepos(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, p := range f.bkLocked().repos {
			out = append(out, repoRef(r, p))
		}
		return
	})
}

func reposOf(st *bkState) []*bkRepo { return st.repos }
func repoID(p *bkRepo) string       { return p.id }

func (f *Fake) getRepo(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "repositoryId", "repository", reposOf, repoID, func(p *bkRepo) any { return f.repoModel(r, p, entityForm(r)) })
}

func (f *Fake) repoBackups(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	children(f, w, r, in, "repositoryId", "repository", reposOf, repoID, backupsOf, func(c *bkBackup, p *bkRepo) bool { return c.repo == p.id }, func(c *bkBackup) vbemapi.EntityReference { return backupRef(r, c) })
}

func msPath(id string) string { return "/api/managedServers/" + id }

func (f *Fake) managedModel(r *http.Request, m *bkManaged, entity bool) vbemapi.ManagedServer {
	href, _, suffix := entityHref(r, msPath(m.id), entity)
	out := vbemapi.ManagedServer{Name: to.Ptr(m.name), UID: to.Ptr("urn:veeam:ManagedServer:" + m.id), Href: href, Type: to.Ptr("ManagedServer" + suffix),
		Links: []vbemapi.Link{named(link(r, "Up", bsPath(m.server)+"?format=Entity", "BackupServer"), f.serverName(m.server))}}
	if entity {
		out.Description, out.ManagedServerType = to.Ptr(m.desc), to.Ptr(m.kind)
	}
	return out
}

func (f *Fake) listManaged(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.answer(w, in, func() (out []vbemapi.EntityReference) {
		for _, m := range f.bkLocked().managed {
			out = append(out, ref(r, "ManagedServer", msPath(m.id), m.id, m.name))
		}
		return
	})
}

func (f *Fake) getManaged(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	find(f, w, r, in, "managedServerId", "managed server", func(st *bkState) []*bkManaged { return st.managed }, func(m *bkManaged) string { return m.id },
		func(m *bkManaged) any { return f.managedModel(r, m, entityForm(r)) })
}

func (f *Fake) serverRepos(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.pwServerOr404(w, r, in)
	if s == nil {
		return
	}
	var out []vbemapi.EntityReference
	for _, p := range f.bkLocked().repos {
		if p.server == s.id {
			out = append(out, repoRef(r, p))
		}
	}
	in.Respond(w, http.StatusOK, refs(out))
}

func (f *Fake) serverManaged(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.pwServerOr404(w, r, in)
	if s == nil {
		return
	}
	var out []vbemapi.EntityReference
	for _, m := range f.bkLocked().managed {
		if m.server == s.id {
			out = append(out, ref(r, "ManagedServer", msPath(m.id), m.id, m.name))
		}
	}
	in.Respond(w, http.StatusOK, refs(out))
}
