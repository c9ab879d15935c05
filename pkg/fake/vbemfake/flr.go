package vbemfake

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// SeedVMRestorePointID is the VM restore point (of the VM exch01) whose
// guest disks the fake can mount.
const SeedVMRestorePointID = "fb87163e-687d-4006-96c9-0451b5423b85"

const flrKey = "flr"

// guestFile is a file of the fake's guest file system.
type guestFile struct {
	size  int64
	owner string
}

// guestFS is a guest file system: the folders by path and the files by
// path, with / as the separator and volumes such as C: at the root.
type guestFS struct {
	dirs  map[string]bool
	files map[string]guestFile
}

func newGuestFS(files map[string]int64) *guestFS {
	g := &guestFS{dirs: map[string]bool{}, files: map[string]guestFile{}}
	for p, size := range files {
		g.files[p] = guestFile{size: size, owner: `TECH\svc-files`}
		for d := parentDir(p); d != ""; d = parentDir(d) {
			g.dirs[d] = true
		}
	}
	return g
}

func parentDir(p string) string {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// roots are the volumes (folders without a parent).
func (g *guestFS) roots() []string {
	var out []string
	for d := range g.dirs {
		if !strings.Contains(d, "/") {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// children lists the sub-folders and files of dir, sorted.
func (g *guestFS) children(dir string) (dirs, files []string) {
	for d := range g.dirs {
		if parentDir(d) == dir && strings.Contains(d, "/") {
			dirs = append(dirs, d)
		}
	}
	for f := range g.files {
		if parentDir(f) == dir {
			files = append(files, f)
		}
	}
	sort.Strings(dirs)
	sort.Strings(files)
	return dirs, files
}

type flrMount struct {
	id, point, taskID string
	replica           bool
	osKind            string
}

// RestoredFile is a file restore the fake was asked for: the restore point,
// the guest path, and whether it was for download or overwrote the original.
type RestoredFile struct {
	Point, Path string
	Download    bool
	Overwrite   bool
}

type flrState struct {
	points   map[string]*guestFS // restore point id -> its guest files
	mounts   []*flrMount
	nextID   int
	restores []RestoredFile
	catalog  []*catalogVM
}

func seedGuestFS() *guestFS {
	return newGuestFS(map[string]int64{
		"C:/Shares/report.docx":         18432,
		"C:/Shares/Finance/budget.xlsx": 52224,
		"C:/Shares/Finance/q1.pdf":      90112,
		"C:/Windows/win.ini":            92,
		"D:/Exchange/mailbox.edb":       1 << 30,
	})
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		st := &flrState{points: map[string]*guestFS{SeedVMRestorePointID: seedGuestFS()}}
		f.state[flrKey] = st
		restore, replica := map[string]fake.HandlerFunc{}, map[string]fake.HandlerFunc{}
		restore["GetVmRestorePointMounts"], restore["CreateVmRestorePointMount"], restore["GetVmRestorePointMount"], restore["DeleteVmRestorePointMount"],
			restore["BrowseVmRestorePointMount"], restore["RestoreVmRestorePointMountFile"] = f.mountHandlers(false)
		replica["GetVmReplicaPointMounts"], replica["CreateVmReplicaPointMount"], replica["GetVmReplicaPointMount"], replica["DeleteVmReplicaPointMount"],
			replica["BrowseVmReplicaPointMount"], replica["RestoreVmReplicaPointMountFile"] = f.mountHandlers(true)
		maps.Copy(restore, replica)
		maps.Copy(restore, map[string]fake.HandlerFunc{
			"GetCatalogVms": f.catalogVMs().list(),
			"GetCatalogVm":  f.catalogVMs().get(catalogVMModel),
			"GetCatalogVmRestorePoints": f.catalogVMs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM) {
				in.Respond(w, http.StatusOK, f.catalogPoints(vm).refs(r, nil))
			}),
			"GetCatalogVmRestorePoint":    f.withCatalogPoint(f.getCatalogPoint),
			"BrowseCatalogVmRestorePoint": f.withCatalogPoint(f.browseCatalogPoint),
			"GetCatalogGuestFs":           f.withCatalogPoint(f.catalogGuestFS),
			"BrowseCatalogGuestFs":        f.withCatalogPoint(f.browseCatalogGuestFS),
			"RestoreCatalogGuestFile":     f.withCatalogPoint(f.restoreCatalogFile),
		})
		return restore
	})
}

func (f *Fake) flrLocked() *flrState { return f.state[flrKey].(*flrState) }

// RestoredFiles lists the file restores the fake was asked for, in order.
func (f *Fake) RestoredFiles() []RestoredFile {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]RestoredFile(nil), f.flrLocked().restores...)
}

// ServeHTTP serves the fake. A guest file path ({filepath}) is one path
// parameter that holds slashes, escaped (%2F) or not; the router matches
// one segment per parameter, so the path is passed on as a single segment
// and the handlers turn it back.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(r.URL.EscapedPath(), "/")
	cut := 0
	for i := 0; i+1 < len(segs); i++ {
		if (segs[i] == "mounts" && i+2 < len(segs)) || segs[i] == "guestfs" {
			cut = i + 1
			if segs[i] == "mounts" {
				cut = i + 2
			}
			break
		}
	}
	if cut > 0 && cut < len(segs) && len(segs)-cut > 0 {
		parts := make([]string, 0, len(segs)-cut)
		for _, s := range segs[cut:] {
			u, err := url.PathUnescape(s)
			if err != nil {
				u = s
			}
			parts = append(parts, u)
		}
		joined := strings.Join(parts, "/")
		if strings.Contains(joined, "/") {
			r2 := r.Clone(r.Context())
			u := *r.URL
			head := make([]string, 0, cut)
			for _, s := range segs[:cut] {
				d, _ := url.PathUnescape(s)
				head = append(head, d)
			}
			u.Path = strings.Join(head, "/") + "/" + strings.ReplaceAll(joined, "/", pathSep)
			u.RawPath = ""
			r2.URL = &u
			r = r2
		}
	}
	f.Engine.ServeHTTP(w, r)
}

// pathSep stands for / inside a guest path while the request is routed.
const pathSep = "\u2044"

// guestPath returns the {filepath} parameter with its slashes, without
// leading or trailing ones.
func guestPath(in *fake.Input) string {
	v := in.PathParams["filepath"]
	if u, err := url.PathUnescape(v); err == nil {
		v = u
	}
	return strings.Trim(strings.ReplaceAll(v, pathSep, "/"), "/")
}

func pointBase(replica bool) string {
	if replica {
		return "/api/vmReplicaPoints/"
	}
	return "/api/vmRestorePoints/"
}

func pointParam(replica bool) string {
	if replica {
		return "vmReplicaPointId"
	}
	return "vmRestorePointId"
}

func mountKind(replica bool) string {
	if replica {
		return "VmReplicaPointMount"
	}
	return "VmRestorePointMount"
}

// pointFSLocked returns the guest files of a restore point, or nil.
func (f *Fake) pointFSLocked(point string, replica bool) *guestFS {
	if replica {
		if _, ok := f.replicaPoints().find(point); !ok {
			return nil
		}
		st := f.flrLocked()
		if st.points[point] == nil {
			st.points[point] = seedGuestFS()
		}
		return st.points[point]
	}
	return f.flrLocked().points[point]
}

// mountReadyLocked says whether the task that made the mount has finished
// successfully (a mount appears when its task finishes; a removed task
// leaves it as it was).
func (f *Fake) mountReadyLocked(m *flrMount) bool {
	t, ok := f.tasks[m.taskID]
	if !ok {
		return true
	}
	return *t.model.State == vbemapi.TaskStateFinished && !t.fail
}

func (f *Fake) findMountLocked(point, id string, replica bool) *flrMount {
	for _, m := range f.flrLocked().mounts {
		if m.point == point && m.id == id && m.replica == replica && f.mountReadyLocked(m) {
			return m
		}
	}
	return nil
}

func mountPath(m *flrMount) string { return pointBase(m.replica) + m.point + "/mounts/" + m.id }

// escapeGuest escapes a guest path for a URL, slashes included.
func escapeGuest(p string) string { return url.PathEscape(p) }

// mountModel is a mount of a VM restore point (a mount of a replica point
// has the same members).
func (f *Fake) mountModel(r *http.Request, m *flrMount) vbemapi.VMRestorePointMount {
	p := mountPath(m)
	roots := &vbemapi.FlrDirectoryEntryList{}
	for _, v := range f.pointFSLocked(m.point, m.replica).roots() {
		roots.DirectoryEntries = append(roots.DirectoryEntries, vbemapi.FlrDirectoryEntry{Href: to.Ptr(Href(r, p+"/"+escapeGuest(v))),
			Type: to.Ptr("DirectoryEntry"), Path: to.Ptr(v), Name: to.Ptr(v)})
	}
	return vbemapi.VMRestorePointMount{Href: to.Ptr(Href(r, p)), Type: to.Ptr(mountKind(m.replica)), Links: []vbemapi.Link{link(r, "Delete", p, mountKind(m.replica))}, FSRoots: roots}
}

// respondMounts answers mounts as the list of their kind.
func respondMounts(w http.ResponseWriter, in *fake.Input, replica bool, mounts []vbemapi.VMRestorePointMount) {
	if !replica {
		in.Respond(w, http.StatusOK, vbemapi.VMRestorePointMounts{VMRestorePointMounts: mounts})
		return
	}
	repl := make([]vbemapi.VMReplicaPointMount, len(mounts))
	for i, m := range mounts {
		repl[i] = vbemapi.VMReplicaPointMount(m)
	}
	in.Respond(w, http.StatusOK, vbemapi.VMReplicaPointMounts{VMReplicaPointMounts: repl})
}

// withPoint runs do on the point of the path and its guest files, under
// f.mu, or answers 404.
func (f *Fake) withPoint(replica bool, do func(w http.ResponseWriter, r *http.Request, in *fake.Input, point string)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		point := in.PathParams[pointParam(replica)]
		if f.pointFSLocked(point, replica) == nil {
			notFound(w, r, "restore point")
			return
		}
		do(w, r, in, point)
	}
}

// withMount runs do on the ready mount of the path, under f.mu, or
// answers 404.
func (f *Fake) withMount(replica bool, do func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		m := f.findMountLocked(in.PathParams[pointParam(replica)], in.PathParams["mountId"], replica)
		if m == nil {
			notFound(w, r, "mount")
			return
		}
		do(w, r, in, m)
	}
}

// mountHandlers are the handlers of the mounts of VM restore points, or
// of VM replica points.
func (f *Fake) mountHandlers(replica bool) (list, create, get, del, browse, restore fake.HandlerFunc) {
	list = f.withPoint(replica, func(w http.ResponseWriter, r *http.Request, in *fake.Input, point string) {
		var out []vbemapi.VMRestorePointMount
		for _, m := range f.flrLocked().mounts {
			if m.point == point && m.replica == replica && f.mountReadyLocked(m) {
				out = append(out, f.mountModel(r, m))
			}
		}
		respondMounts(w, in, replica, out)
	})
	create = func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		var spec vbemapi.FileLevelMountSpec
		if len(in.Body) > 0 && decodeBody(r, in, &spec) != nil {
			badRequest(w, r, "cannot read the mount spec")
			return
		}
		f.withPoint(replica, func(w http.ResponseWriter, r *http.Request, in *fake.Input, point string) {
			st := f.flrLocked()
			st.nextID++
			m := &flrMount{id: strconv.Itoa(st.nextID), point: point, replica: replica, osKind: "Windows"}
			if spec.OsKind != nil {
				m.osKind = string(*spec.OsKind)
			}
			t := f.startTaskLocked(r, "StartFileRestore", false, mountPath(m))
			m.taskID = *t.TaskID
			st.mounts = append(st.mounts, m)
			in.Respond(w, http.StatusAccepted, t)
		})(w, r, in)
	}
	get = f.withMount(replica, func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount) {
		if replica {
			in.Respond(w, http.StatusOK, vbemapi.VMReplicaPointMount(f.mountModel(r, m)))
			return
		}
		in.Respond(w, http.StatusOK, f.mountModel(r, m))
	})
	del = f.withMount(replica, func(w http.ResponseWriter, _ *http.Request, _ *fake.Input, m *flrMount) {
		st := f.flrLocked()
		st.mounts = slices.DeleteFunc(st.mounts, func(o *flrMount) bool { return o == m })
		w.WriteHeader(http.StatusNoContent)
	})
	browse = f.withMount(replica, func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount) {
		f.browse(w, r, in, f.pointFSLocked(m.point, replica), mountPath(m))
	})
	restore = f.withMount(replica, func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount) {
		f.restoreGuestFile(w, r, in, f.pointFSLocked(m.point, replica), m.point, mountPath(m), "FileRestoreFromMountPoint")
	})
	return list, create, get, del, browse, restore
}

// listing answers one page of a guest folder; base is the URL path of
// the folder's parent resource (a mount or a catalog restore point's
// guestfs).
func listing(r *http.Request, in *fake.Input, g *guestFS, base, dir string) (vbemapi.FileSystemEntries, bool) {
	if !g.dirs[dir] {
		return vbemapi.FileSystemEntries{}, false
	}
	q := r.URL.Query()
	action := q.Get("action")
	if action == "" {
		action = "listAll"
	}
	dirs, files := g.children(dir)
	type entry struct {
		path string
		dir  bool
	}
	var all []entry
	if action != "listFiles" {
		for _, d := range dirs {
			all = append(all, entry{d, true})
		}
	}
	if action != "listDirs" {
		for _, fl := range files {
			all = append(all, entry{fl, false})
		}
	}
	size, page := len(all), 1
	if v, err := strconv.Atoi(q.Get("pageSize")); err == nil && v > 0 {
		size = v
	}
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	if size == 0 {
		size = 100
	}
	pages := (len(all) + size - 1) / size
	pages = max(pages, 1)
	lo := min((page-1)*size, len(all))
	hi := min(lo+size, len(all))
	self := base + "/" + escapeGuest(dir)
	out := vbemapi.FileSystemEntries{Href: to.Ptr(Href(r, self+"?action="+action+"&pageSize="+strconv.Itoa(size)+"&page="+strconv.Itoa(page))),
		Type: to.Ptr("FileSystemEntries"), Files: &vbemapi.FlrFileEntryList{}, Directories: &vbemapi.FlrDirectoryEntryList{}}
	if parent := parentDir(dir); parent != "" {
		out.Links = append(out.Links, link(r, "Up", base+"/"+escapeGuest(parent), "FileSystemEntries"))
	}
	for _, e := range all[lo:hi] {
		name := e.path[strings.LastIndex(e.path, "/")+1:]
		href := base + "/" + escapeGuest(e.path)
		if e.dir {
			out.Directories.DirectoryEntries = append(out.Directories.DirectoryEntries, vbemapi.FlrDirectoryEntry{Href: to.Ptr(Href(r, href)),
				Type: to.Ptr("DirectoryEntry"), Path: to.Ptr(e.path), Name: to.Ptr(name)})
			continue
		}
		gf := g.files[e.path]
		out.Files.FileEntries = append(out.Files.FileEntries, vbemapi.FlrFileEntry{Href: to.Ptr(Href(r, href)), Type: to.Ptr("FileEntry"),
			Path: to.Ptr(e.path), Name: to.Ptr(name), Size: to.Ptr(gf.size), Owner: to.Ptr(gf.owner),
			ModifiedDateUTC: to.Ptr(time.Date(2024, 5, 2, 10, 15, 0, 0, time.UTC)),
			Actions:         []vbemapi.Link{link(r, "Restore", href+"?action=restore", "")}})
	}
	pi := &vbemapi.FlrPagingInfo{PageNum: to.Ptr(int32(page)), PageSize: to.Ptr(int32(size)), PagesCount: to.Ptr(int32(pages))} //nolint:gosec // small
	pageLink := func(rel string, n int) vbemapi.Link {
		return link(r, rel, self+"?action="+action+"&pageSize="+strconv.Itoa(size)+"&page="+strconv.Itoa(n), "")
	}
	pi.Links = append(pi.Links, pageLink("First", 1))
	if page > 1 {
		pi.Links = append(pi.Links, pageLink("Previous", page-1))
	}
	if page < pages {
		pi.Links = append(pi.Links, pageLink("Next", page+1))
	}
	pi.Links = append(pi.Links, pageLink("Last", pages))
	out.PagingInfo = pi
	return out, true
}

// browse answers a page of the guest folder of the path; base is the URL
// path of the folder's parent resource.
func (f *Fake) browse(w http.ResponseWriter, r *http.Request, in *fake.Input, g *guestFS, base string) {
	out, ok := listing(r, in, g, base, guestPath(in))
	if !ok {
		notFound(w, r, "guest folder")
		return
	}
	in.Respond(w, http.StatusOK, out)
}

// restoreGuestFile checks a restore request of the guest file of the path
// against g, records it and answers its task (operation op); base is the
// URL path of the guest files. f.mu must be held.
func (f *Fake) restoreGuestFile(w http.ResponseWriter, r *http.Request, in *fake.Input, g *guestFS, point, base, op string) {
	path := guestPath(in)
	var spec vbemapi.FileRestoreSpec
	if decodeBody(r, in, &spec) != nil {
		badRequest(w, r, "cannot read the file restore spec")
		return
	}
	if (spec.ToOriginalLocation == nil) == (spec.ForDirectDownload == nil) {
		badRequest(w, r, "send exactly one of ToOriginalLocation and ForDirectDownload")
		return
	}
	if _, isFile := g.files[path]; !isFile && !g.dirs[path] {
		notFound(w, r, fmt.Sprintf("guest file or folder %q", path))
		return
	}
	rec := RestoredFile{Point: point, Path: path, Download: spec.ForDirectDownload != nil}
	if o := spec.ToOriginalLocation; o != nil && o.Overwrite != nil {
		rec.Overwrite = *o.Overwrite
	}
	f.flrLocked().restores = append(f.flrLocked().restores, rec)
	f.accept(w, r, in, op, false, base+"/"+escapeGuest(path))
}
