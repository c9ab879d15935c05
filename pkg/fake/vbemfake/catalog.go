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

func (vm *catalogVM) ident() (string, string)   { return vm.name, vm.name }
func (p *catalogPoint) ident() (string, string) { return p.id, p.date.Format("1/2/2006 3:04:05 PM") }

func (f *Fake) catalogVMs() coll[*catalogVM] {
	return coll[*catalogVM]{f: f, kind: "CatalogVm", base: "/api/catalog/vms/", param: "vmName", what: "catalog VM", items: f.catalogLocked}
}

// catalogPoints is the collection of the restore points of one VM.
func (f *Fake) catalogPoints(vm *catalogVM) coll[*catalogPoint] {
	return coll[*catalogPoint]{f: f, kind: "CatalogVmRestorePoint", base: catalogVMPath(vm.name) + "/vmRestorePoints/", param: "restorePointId",
		what: "catalog restore point", items: func() []*catalogPoint { return vm.points }}
}

// withCatalogPoint runs do on the catalog restore point of the path, under
// f.mu, or answers 404.
func (f *Fake) withCatalogPoint(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM, p *catalogPoint)) fake.HandlerFunc {
	return withSub(f.catalogVMs(), func(vm *catalogVM) []*catalogPoint { return vm.points }, "restorePointId", "catalog restore point",
		func(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM, _ int, p *catalogPoint) {
			do(w, r, in, vm, p)
		})
}

func catalogVMPath(name string) string { return "/api/catalog/vms/" + url.PathEscape(name) }

func catalogPointPath(vm string, id string) string {
	return catalogVMPath(vm) + "/vmRestorePoints/" + id
}

func catalogVMModel(r *http.Request, vm *catalogVM, entity bool) any {
	p := catalogVMPath(vm.name)
	m := vbemapi.CatalogVM{Name: to.Ptr(vm.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "CatalogVm", p, vm.name, entity)
	if entity {
		m.VMDisplayName = to.Ptr(vm.name)
		m.Links = []vbemapi.Link{link(r, "Down", p+"/vmRestorePoints", "CatalogVmRestorePointReferenceList")}
	}
	return m
}

func (f *Fake) getCatalogPoint(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM, p *catalogPoint) {
	path := catalogPointPath(vm.name, p.id)
	_, name := p.ident()
	m := vbemapi.CatalogVMRestorePoint{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "CatalogVmRestorePoint", path, p.id, entityForm(r))
	if entityForm(r) {
		m.BackupDateUTC = to.Ptr(p.date)
		m.Links = []vbemapi.Link{link(r, "Down", path+"/guestfs", "FileSystemEntry"), link(r, "Browse", path+"?action=browse", "")}
	}
	in.Respond(w, http.StatusOK, m)
}

func (f *Fake) browseCatalogPoint(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM, p *catalogPoint) {
	p.browse++
	f.accept(w, r, in, "BrowseCatalogVmRestorePoint", false, catalogPointPath(vm.name, p.id)+"/guestfs")
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

func (f *Fake) catalogGuestFS(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM, p *catalogPoint) {
	base := catalogPointPath(vm.name, p.id) + "/guestfs"
	e := vbemapi.FileSystemEntry{Href: to.Ptr(Href(r, base)), Type: to.Ptr("FileSystemEntry")}
	for _, root := range p.fs.roots() {
		e.Links = append(e.Links, link(r, "Down", base+"/"+escapeGuest(root)+"?action=listAll", "FileSystemEntries"))
	}
	in.Respond(w, http.StatusOK, e)
}

func (f *Fake) browseCatalogGuestFS(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM, p *catalogPoint) {
	f.browse(w, r, in, p.fs, catalogPointPath(vm.name, p.id)+"/guestfs")
}

func (f *Fake) restoreCatalogFile(w http.ResponseWriter, r *http.Request, in *fake.Input, vm *catalogVM, p *catalogPoint) {
	f.restoreGuestFile(w, r, in, p.fs, p.id, catalogPointPath(vm.name, p.id)+"/guestfs", "FileRestoreFromCatalog")
}
