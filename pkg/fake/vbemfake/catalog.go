package vbemfake

import (
	"net/http"
	"net/url"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// SeedCatalogVM is a VM of the guest file catalog; its restore points are
// SeedCatalogPoint1ID (older) and SeedCatalogPoint2ID.
const (
	SeedCatalogVM       = "srv04"
	SeedCatalogPoint1ID = "7caf66d5-f700-442c-9aa9-8867f031377f"
	SeedCatalogPoint2ID = "1bd3ebf0-34fa-40f6-bc4c-c9bacdba8c0a"
)

type catalogPoint struct {
	id     string
	date   time.Time
	fs     *guestFS
	browse int // how many browse sessions were opened
}

type catalogVM struct {
	name   string
	points []*catalogPoint
}

func (f *Fake) catalogLocked() []*catalogVM {
	st := f.flrLocked()
	if st.catalog == nil {
		st.catalog = []*catalogVM{
			{name: SeedCatalogVM, points: []*catalogPoint{
				{id: SeedCatalogPoint1ID, date: time.Date(2014, 10, 19, 7, 34, 0, 0, time.UTC), fs: newGuestFS(map[string]int64{"C:/Users/ann/plan.docx": 1200})},
				{id: SeedCatalogPoint2ID, date: time.Date(2014, 10, 20, 7, 34, 0, 0, time.UTC), fs: newGuestFS(map[string]int64{
					"C:/Users/ann/plan.docx": 1500, "C:/Users/ann/notes.txt": 80, "C:/Users/bob/todo.txt": 40})}}},
			{name: "exch01", points: []*catalogPoint{
				{id: "5c8f3b77-2d61-4f0e-9a54-3f1d2e6b7c80", date: time.Date(2014, 10, 20, 5, 0, 0, 0, time.UTC), fs: newGuestFS(map[string]int64{"D:/Exchange/mailbox.edb": 1 << 30})}}},
		}
	}
	return st.catalog
}

func (f *Fake) catalogPointLocked(in *fake.Input) (*catalogVM, *catalogPoint) {
	for _, vm := range f.catalogLocked() {
		if vm.name != in.PathParams["vmName"] {
			continue
		}
		if id, ok := in.PathParams["restorePointId"]; ok {
			for _, p := range vm.points {
				if p.id == id {
					return vm, p
				}
			}
			return vm, nil
		}
		return vm, nil
	}
	return nil, nil
}

func catalogVMPath(name string) string { return "/api/catalog/vms/" + url.PathEscape(name) }

func catalogPointPath(vm string, id string) string {
	return catalogVMPath(vm) + "/vmRestorePoints/" + id
}

func (f *Fake) listCatalogVMs(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	refs := []vbemapi.EntityReference{}
	for _, vm := range f.catalogLocked() {
		refs = append(refs, entityRef(r, "CatalogVm", catalogVMPath(vm.name), vm.name, vm.name))
	}
	in.Respond(w, http.StatusOK, vbemapi.CatalogVMs{Refs: refs})
}

func (f *Fake) getCatalogVM(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vm, _ := f.catalogPointLocked(in)
	if vm == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the catalog has no such VM")
		return
	}
	p := catalogVMPath(vm.name)
	m := vbemapi.CatalogVM{Name: to.Ptr(vm.name), UID: to.Ptr("urn:veeam:CatalogVm:" + vm.name)}
	if r.URL.Query().Get("format") != "Entity" {
		m.Href, m.Type = to.Ptr(Href(r, p)), to.Ptr("CatalogVmReference")
		m.Links = []vbemapi.Link{link(r, "Alternate", p+"?format=Entity", "CatalogVm")}
	} else {
		m.Href, m.Type, m.VMDisplayName = to.Ptr(Href(r, p+"?format=Entity")), to.Ptr("CatalogVm"), to.Ptr(vm.name)
		m.Links = []vbemapi.Link{link(r, "Down", p+"/vmRestorePoints", "CatalogVmRestorePointReferenceList")}
	}
	in.Respond(w, http.StatusOK, m)
}

func (f *Fake) listCatalogPoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vm, _ := f.catalogPointLocked(in)
	if vm == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the catalog has no such VM")
		return
	}
	refs := []vbemapi.EntityReference{}
	for _, p := range vm.points {
		refs = append(refs, entityRef(r, "CatalogVmRestorePoint", catalogPointPath(vm.name, p.id), p.date.Format("1/2/2006 3:04:05 PM"), p.id))
	}
	in.Respond(w, http.StatusOK, vbemapi.CatalogVMRestorePoints{Refs: refs})
}

func (f *Fake) getCatalogPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vm, p := f.catalogPointLocked(in)
	if p == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the catalog has no such restore point")
		return
	}
	path := catalogPointPath(vm.name, p.id)
	m := vbemapi.CatalogVMRestorePoint{Name: to.Ptr(p.date.Format("1/2/2006 3:04:05 PM")), UID: to.Ptr("urn:veeam:CatalogVmRestorePoint:" + p.id)}
	if r.URL.Query().Get("format") != "Entity" {
		m.Href, m.Type = to.Ptr(Href(r, path)), to.Ptr("CatalogVmRestorePointReference")
		m.Links = []vbemapi.Link{link(r, "Alternate", path+"?format=Entity", "CatalogVmRestorePoint")}
	} else {
		m.Href, m.Type, m.BackupDateUTC = to.Ptr(Href(r, path+"?format=Entity")), to.Ptr("CatalogVmRestorePoint"), to.Ptr(p.date)
		m.Links = []vbemapi.Link{link(r, "Down", path+"/guestfs", "FileSystemEntry"), link(r, "Browse", path+"?action=browse", "")}
	}
	in.Respond(w, http.StatusOK, m)
}

func (f *Fake) browseCatalogPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	vm, p := f.catalogPointLocked(in)
	if p != nil {
		p.browse++
	}
	f.mu.Unlock()
	if p == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the catalog has no such restore point")
		return
	}
	in.Respond(w, http.StatusOK, f.StartTask(r, "BrowseCatalogVmRestorePoint", false, catalogPointPath(vm.name, p.id)+"/guestfs"))
}

// CatalogBrowses reports how many browse sessions were opened on a catalog
// restore point.
func (f *Fake) CatalogBrowses(pointID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, vm := range f.catalogLocked() {
		for _, p := range vm.points {
			if p.id == pointID {
				return p.browse
			}
		}
	}
	return 0
}

func (f *Fake) catalogGuestFS(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vm, p := f.catalogPointLocked(in)
	if p == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the catalog has no such restore point")
		return
	}
	base := catalogPointPath(vm.name, p.id) + "/guestfs"
	e := vbemapi.FileSystemEntry{Href: to.Ptr(Href(r, base)), Type: to.Ptr("FileSystemEntry")}
	for _, root := range p.fs.roots() {
		e.Links = append(e.Links, link(r, "Down", base+"/"+escapeGuest(root)+"?action=listAll", "FileSystemEntries"))
	}
	in.Respond(w, http.StatusOK, e)
}

func (f *Fake) browseCatalogGuestFS(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vm, p := f.catalogPointLocked(in)
	if p == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the catalog has no such restore point")
		return
	}
	out, ok := listing(r, in, p.fs, catalogPointPath(vm.name, p.id)+"/guestfs", guestPath(in))
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "no such folder in the indexed guest files")
		return
	}
	in.Respond(w, http.StatusOK, out)
}

func (f *Fake) restoreCatalogFile(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	vm, p := f.catalogPointLocked(in)
	if p == nil {
		f.mu.Unlock()
		WriteError(w, r, http.StatusNotFound, "NotFound", "the catalog has no such restore point")
		return
	}
	path := guestPath(in)
	rec, status, msg := fileRestore(r, in, p.fs, p.id, path)
	if status == 0 {
		f.flrLocked().restores = append(f.flrLocked().restores, rec)
	}
	base := catalogPointPath(vm.name, p.id) + "/guestfs/" + escapeGuest(path)
	f.mu.Unlock()
	if status != 0 {
		WriteError(w, r, status, http.StatusText(status), msg)
		return
	}
	in.Respond(w, http.StatusAccepted, f.StartTask(r, "FileRestoreFromCatalog", false, base))
}

// entityRef is the reference form of an entity in a list.
func entityRef(r *http.Request, kind, path, name, id string) vbemapi.EntityReference {
	return vbemapi.EntityReference{UID: to.Ptr("urn:veeam:" + kind + ":" + id), Name: to.Ptr(name), Href: to.Ptr(Href(r, path)),
		Type: to.Ptr(kind + "Reference"), Links: []vbemapi.Link{link(r, "Alternate", path+"?format=Entity", kind)}}
}
