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
		backups, files, points, vmPoints := f.backups(), f.files(), f.points(), f.vmPoints()
		restores, roots, repos, managed, vapps := f.restores(), f.roots(), f.repos(), f.managed(), f.vapps()
		return map[string]fake.HandlerFunc{
			"GetBackups":             backups.list(),
			"GetBackup":              backups.get(func(r *http.Request, b *bkBackup, entity bool) any { return backupModel(r, b, entity) }),
			"GetBackupBackupFiles":   under(backups, files, func(c *bkFile, p *bkBackup) bool { return c.backup == p.id }),
			"GetBackupRestorePoints": under(backups, points, func(c *bkPoint, p *bkBackup) bool { return c.backup == p.id }),
			// The fake keeps no scale-out or per-machine chains, so a
			// backup has no children.
			"GetBackupChildBackups":              under(backups, backups, func(*bkBackup, *bkBackup) bool { return false }),
			"GetBackupFiles":                     files.list(),
			"GetBackupFile":                      files.get(func(r *http.Request, b *bkFile, entity bool) any { return fileModel(r, b, entity) }),
			"GetBackupFileRestorePoints":         under(files, points, func(c *bkPoint, p *bkFile) bool { return c.file == p.id }),
			"GetBackupFileVmRestorePoints":       under(files, vmPoints, func(c *bkVMPoint, p *bkFile) bool { return c.file == p.id }),
			"GetRestorePoints":                   points.list(),
			"GetRestorePoint":                    points.get(func(r *http.Request, p *bkPoint, entity bool) any { return pointModel(r, p, entity) }),
			"GetRestorePointVmRestorePoints":     under(points, vmPoints, func(c *bkVMPoint, p *bkPoint) bool { return c.point == p.id }),
			"GetRestorePointBackupFiles":         under(points, files, func(c *bkFile, p *bkPoint) bool { return c.id == p.file }),
			"GetVmRestorePoints":                 vmPoints.list(),
			"GetVmRestorePoint":                  vmPoints.get(func(r *http.Request, p *bkVMPoint, entity bool) any { return vmPointModel(r, p, entity) }),
			"RestoreVmRestorePoint":              f.restoreVM,
			"GetVAppRestorePoints":               vapps.list(),
			"GetVAppRestorePoint":                vapps.get(func(r *http.Request, p *bkVAppPoint, entity bool) any { return vappModel(r, p, entity) }),
			"GetVAppRestorePointVmRestorePoints": under(vapps, vmPoints, func(c *bkVMPoint, p *bkVAppPoint) bool { return c.vapp == p.id }),
			"GetRestorePointVAppRestorePoints":   under(points, vapps, func(c *bkVAppPoint, p *bkPoint) bool { return c.point == p.id }),
			"GetRestoreSessions":                 restores.list(),
			"GetRestoreSession": restores.get(func(r *http.Request, s *bkRestore, entity bool) any {
				f.advanceRestoreLocked(s)
				return restoreModel(r, s, entity)
			}),
			"GetHierarchyRoots":    roots.list(),
			"GetHierarchyRoot":     roots.get(func(r *http.Request, h *bkRoot, entity bool) any { return f.rootModel(r, h, entity) }),
			"GetLookupService":     f.lookupSvc,
			"Lookup":               f.lookup,
			"GetRepositories":      repos.list(),
			"GetRepository":        repos.get(func(r *http.Request, p *bkRepo, entity bool) any { return f.repoModel(r, p, entity) }),
			"GetRepositoryBackups": under(repos, backups, func(c *bkBackup, p *bkRepo) bool { return c.repo == p.id }),
			"GetManagedServers":    managed.list(),
			"GetManagedServer":     managed.get(func(r *http.Request, m *bkManaged, entity bool) any { return f.managedModel(r, m, entity) }),
		}
	})
}

func (b *bkBackup) ident() (string, string)  { return b.id, b.name }
func (b *bkFile) ident() (string, string)    { return b.id, b.path[strings.LastIndex(b.path, `\`)+1:] }
func (p *bkPoint) ident() (string, string)   { return p.id, p.date.Format("Jan _2 2006  3:04PM") }
func (p *bkVMPoint) ident() (string, string) { return p.id, p.vm + "@" + p.created.Format(stampName) }
func (p *bkVAppPoint) ident() (string, string) {
	return p.id, p.vapp + "@" + p.created.Format(stampName)
}
func (s *bkRestore) ident() (string, string) { return s.id, s.vm + "@" + s.created.Format(stampName) }
func (h *bkRoot) ident() (string, string)    { return h.id, h.name }
func (p *bkRepo) ident() (string, string)    { return p.id, p.name }
func (m *bkManaged) ident() (string, string) { return m.id, m.name }

// upTo is an up function of a coll: one link of the given type to the
// path that parent gives.
func upTo[T any](rel, typ string, parent func(T) string) func(*http.Request, T) []vbemapi.Link {
	return func(r *http.Request, it T) []vbemapi.Link { return []vbemapi.Link{link(r, rel, parent(it), typ)} }
}

func (f *Fake) backups() coll[*bkBackup] {
	return coll[*bkBackup]{f: f, kind: "Backup", base: "/api/backups/", param: "backupId", what: "backup", items: func() []*bkBackup { return f.bkLocked().backups },
		up: upTo("Up", "RepositoryReference", func(b *bkBackup) string { return repoPath(b.repo) })}
}

func (f *Fake) files() coll[*bkFile] {
	return coll[*bkFile]{f: f, kind: "BackupFile", base: "/api/backupFiles/", param: "backupFileId", what: "backup file", items: func() []*bkFile { return f.bkLocked().files },
		up: upTo("Up", "BackupReference", func(b *bkFile) string { return backupPath(b.backup) })}
}

func (f *Fake) points() coll[*bkPoint] {
	return coll[*bkPoint]{f: f, kind: "RestorePoint", base: "/api/restorePoints/", param: "restorePointId", what: "restore point", items: func() []*bkPoint { return f.bkLocked().points },
		up: upTo("Up", "BackupReference", func(p *bkPoint) string { return backupPath(p.backup) })}
}

func (f *Fake) vmPoints() coll[*bkVMPoint] {
	return coll[*bkVMPoint]{f: f, kind: "VmRestorePoint", base: "/api/vmRestorePoints/", param: "vmRestorePointId", what: "VM restore point",
		items: func() []*bkVMPoint { return f.bkLocked().vmPoints }, up: upTo("Up", "RestorePointReference", func(p *bkVMPoint) string { return pointPath(p.point) })}
}

func (f *Fake) vapps() coll[*bkVAppPoint] {
	return coll[*bkVAppPoint]{f: f, kind: "VAppRestorePoint", base: "/api/vAppRestorePoints/", param: "vAppRestorePointId", what: "vApp restore point",
		items: func() []*bkVAppPoint { return f.bkLocked().vapps }, up: upTo("Up", "RestorePointReference", func(p *bkVAppPoint) string { return pointPath(p.point) })}
}

func vappModel(r *http.Request, p *bkVAppPoint, entity bool) vbemapi.VAppRestorePoint {
	path := "/api/vAppRestorePoints/" + p.id
	_, name := p.ident()
	m := vbemapi.VAppRestorePoint{Name: to.Ptr(name), Links: []vbemapi.Link{link(r, "Up", pointPath(p.point), "RestorePointReference"),
		link(r, "Down", path+"/vmRestorePoints", "VmRestorePointReferenceList")}}
	m.Href, m.UID, m.Type = form(r, "VAppRestorePoint", path, p.id, entity)
	if entity {
		m.VAppDisplayName, m.CreationTimeUTC, m.Algorithm, m.PointType = to.Ptr(p.vapp), to.Ptr(p.created), to.Ptr(p.kind), to.Ptr(p.kind)
	}
	return m
}

func (f *Fake) restores() coll[*bkRestore] {
	return coll[*bkRestore]{f: f, kind: "RestoreSession", base: "/api/restoreSessions/", param: "restoreSessionId", what: "restore session",
		items: func() []*bkRestore { return f.bkLocked().restores }, up: upTo("Related", "VmRestorePointReference", func(s *bkRestore) string { return vmPointPath(s.vmPoint) })}
}

func (f *Fake) roots() coll[*bkRoot] {
	return coll[*bkRoot]{f: f, kind: "HierarchyRoot", base: "/api/hierarchyRoots/", param: "hierarchyRootId", what: "hierarchy root", items: func() []*bkRoot { return f.bkLocked().roots }}
}

func (f *Fake) repos() coll[*bkRepo] {
	return coll[*bkRepo]{f: f, kind: "Repository", base: "/api/repositories/", param: "repositoryId", what: "repository", items: func() []*bkRepo { return f.bkLocked().repos }}
}

func (f *Fake) managed() coll[*bkManaged] {
	return coll[*bkManaged]{f: f, kind: "ManagedServer", base: "/api/managedServers/", param: "managedServerId", what: "managed server", items: func() []*bkManaged { return f.bkLocked().managed }}
}

func backupPath(id string) string  { return "/api/backups/" + id }
func filePath(id string) string    { return "/api/backupFiles/" + id }
func pointPath(id string) string   { return "/api/restorePoints/" + id }
func vmPointPath(id string) string { return "/api/vmRestorePoints/" + id }
func repoPath(id string) string    { return "/api/repositories/" + id }
func restorePath(id string) string { return "/api/restoreSessions/" + id }

func backupModel(r *http.Request, b *bkBackup, entity bool) vbemapi.Backup {
	m := vbemapi.Backup{Name: to.Ptr(b.name), Links: []vbemapi.Link{link(r, "Up", repoPath(b.repo), "RepositoryReference"), link(r, "Up", bsPath(b.server), "BackupServerReference"),
		link(r, "Down", backupPath(b.id)+"/backupFiles", "BackupFileReferenceList"), link(r, "Down", backupPath(b.id)+"/restorePoints", "RestorePointReferenceList")}}
	m.Href, m.UID, m.Type = form(r, "Backup", backupPath(b.id), b.id, entity)
	if entity {
		m.Platform, m.BackupType = to.Ptr("VMware"), to.Ptr("ParentBackup")
	}
	return m
}

func fileModel(r *http.Request, b *bkFile, entity bool) vbemapi.BackupFile {
	_, name := b.ident()
	m := vbemapi.BackupFile{Name: to.Ptr(name), Links: []vbemapi.Link{link(r, "Up", backupPath(b.backup), "BackupReference"), link(r, "Down", filePath(b.id)+"/vmRestorePoints", "VmRestorePointReferenceList")}}
	m.Href, m.UID, m.Type = form(r, "BackupFile", filePath(b.id), b.id, entity)
	if entity {
		m.FilePath, m.BackupSize, m.DataSize, m.FileType = to.Ptr(b.path), to.Ptr(b.size), to.Ptr(b.size*2), to.Ptr(b.kind)
		m.DeduplicationRatio, m.CompressRatio, m.CreationTimeUtc = to.Ptr(float32(1)), to.Ptr(float32(2)), to.Ptr(b.created)
	}
	return m
}

func pointModel(r *http.Request, p *bkPoint, entity bool) vbemapi.RestorePoint {
	_, name := p.ident()
	m := vbemapi.RestorePoint{Name: to.Ptr(name), Links: []vbemapi.Link{link(r, "Up", backupPath(p.backup), "BackupReference"), link(r, "Down", pointPath(p.id)+"/vmRestorePoints", "VmRestorePointReferenceList")}}
	m.Href, m.UID, m.Type = form(r, "RestorePoint", pointPath(p.id), p.id, entity)
	if entity {
		m.BackupDateUTC = to.Ptr(p.date)
	}
	return m
}

func vmPointModel(r *http.Request, p *bkVMPoint, entity bool) vbemapi.VMRestorePoint {
	_, name := p.ident()
	m := vbemapi.VMRestorePoint{Name: to.Ptr(name), VMDisplayName: to.Ptr(p.vm), Links: []vbemapi.Link{link(r, "Restore", vmPointPath(p.id)+"?action=restore", ""),
		link(r, "Up", pointPath(p.point), "RestorePointReference"), link(r, "Up", filePath(p.file), "BackupFileReference")}}
	m.Href, m.UID, m.Type = form(r, "VmRestorePoint", vmPointPath(p.id), p.id, entity)
	if entity {
		algo := "Full"
		if p.kind == "Increment" {
			algo = "Incremental"
		}
		m.CreationTimeUTC, m.VMName, m.Algorithm, m.PointType, m.HierarchyObjRef = to.Ptr(p.created), to.Ptr(p.vm), to.Ptr(algo), to.Ptr(p.kind), to.Ptr(p.ref)
	}
	return m
}

func restoreModel(r *http.Request, s *bkRestore, entity bool) vbemapi.RestoreSession {
	_, name := s.ident()
	m := vbemapi.RestoreSession{Name: to.Ptr(name), VMDisplayName: to.Ptr(s.vm), Links: []vbemapi.Link{link(r, "Related", vmPointPath(s.vmPoint), "VmRestorePointReference")}}
	m.Href, m.UID, m.Type = form(r, "RestoreSession", restorePath(s.id), s.id, entity)
	if entity {
		m.JobType, m.CreationTimeUTC, m.State, m.Result, m.RestoredObjRef = to.Ptr("FullVmRestore"), to.Ptr(s.created), to.Ptr(s.state), to.Ptr(s.result), to.Ptr(s.ref)
		m.Progress = to.Ptr(int32(0))
		if s.state == vbemapi.RestoreSessionStateStopped {
			m.Progress, m.EndTimeUTC = to.Ptr(int32(100)), to.Ptr(s.end)
		}
	}
	return m
}

func (f *Fake) restoreVM(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.RestoreSpec
	if !readBody(w, r, in, &spec, "RestoreSpec") {
		return
	}
	vs := &spec.VMRestoreSpec
	if to.Value(vs.QuickRollback) && to.Value(vs.KeepOriginalVM) {
		WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "KeepOriginalVM needs QuickRollback=false")
		return
	}
	f.vmPoints().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *bkVMPoint) {
		st := f.bkLocked()
		if u := to.Value(vs.HierarchyRootUID); u != "" {
			id, urn := strings.CutPrefix(strings.ToLower(u), "urn:veeam:hierarchyroot:")
			if _, known := f.roots().find(id); !urn || !known {
				WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "unknown hierarchy root "+u)
				return
			}
		}
		vm := p.vm
		if vs.VMRestoreParameters != nil && to.Value(vs.VMRestoreParameters.VMNewName) != "" {
			vm = *vs.VMRestoreParameters.VMNewName
		}
		rs := &bkRestore{id: uuidLike(), vmPoint: p.id, vm: vm, ref: p.ref, created: f.now().UTC().Truncate(time.Millisecond),
			state: vbemapi.RestoreSessionStateWorking, result: vbemapi.RestoreSessionResultNone}
		st.restores = append(st.restores, rs)
		f.accept(w, r, in, "StartVMRestore", false, restorePath(rs.id)+"?format=Entity")
	})(w, r, in)
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

func (f *Fake) rootModel(r *http.Request, h *bkRoot, entity bool) vbemapi.HierarchyRoot {
	m := vbemapi.HierarchyRoot{Name: to.Ptr(h.name), Links: []vbemapi.Link{f.serverUp(r, h.server)}}
	m.Href, m.UID, m.Type = f.roots().form(r, h, entity)
	if entity {
		m.HierarchyRootID, m.UniqueID, m.HostType = to.Ptr(h.id), to.Ptr(strings.ToUpper(h.id)), to.Ptr(h.hostType)
	}
	return m
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

func (f *Fake) repoModel(r *http.Request, p *bkRepo, entity bool) vbemapi.Repository {
	m := vbemapi.Repository{Name: to.Ptr(p.name), Links: []vbemapi.Link{f.serverUp(r, p.server), link(r, "Down", repoPath(p.id)+"/backups", "BackupReferenceList")}}
	m.Href, m.UID, m.Type = f.repos().form(r, p, entity)
	if entity {
		m.Capacity, m.FreeSpace, m.Kind = to.Ptr(p.capacity), to.Ptr(p.free), to.Ptr(p.kind)
	}
	return m
}

func (f *Fake) managedModel(r *http.Request, m *bkManaged, entity bool) vbemapi.ManagedServer {
	out := vbemapi.ManagedServer{Name: to.Ptr(m.name), Links: []vbemapi.Link{named(link(r, "Up", bsPath(m.server)+"?format=Entity", "BackupServer"), f.serverName(m.server))}}
	out.Href, out.UID, out.Type = f.managed().form(r, m, entity)
	if entity {
		out.Description, out.ManagedServerType = to.Ptr(m.desc), to.Ptr(m.kind)
	}
	return out
}
