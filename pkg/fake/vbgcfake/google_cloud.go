package vbgcfake

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The Google Cloud look-ups read what Google Cloud holds, which the fake
// keeps as a small catalog: the regions of Regions and their zones, the
// machine types and Cloud SQL machine types of each zone, a regional Spanner
// instance configuration per region, the Cloud KMS keys of each project
// (AddCMEK) and the folder tree of the organization (AddCloudFolder). A
// project look-up answers 404 for a project not added to the configuration
// database (through CloudInfrastructure or Projects), and for a region or
// zone the catalog does not have; the Spanner configurations need a service
// account that accesses the project. Subfolders says whether each subfolder
// is added to the configuration database.

// Region is a Google Cloud region of the fake's catalog.
type Region struct {
	ID, Description string
	// Zones are the zone suffixes ("a", "b").
	Zones []string
}

// Regions is the catalog of regions every fake answers with.
var Regions = []Region{
	{ID: "us-central1", Description: "Iowa", Zones: []string{"a", "b", "c"}},
	{ID: "europe-west1", Description: "Belgium", Zones: []string{"b", "c", "d"}},
	{ID: "asia-northeast1", Description: "Tokyo", Zones: []string{"a", "b"}},
}

// machineType is a Compute Engine machine type of the catalog; regions
// limits it to some regions (all when empty).
type machineType struct {
	name     string
	cpus     int32
	memoryMB int32
	shared   bool
	regions  []string
}

var machineTypes = []machineType{
	{name: "e2-small", cpus: 2, memoryMB: 2048, shared: true},
	{name: "e2-standard-4", cpus: 4, memoryMB: 16384},
	{name: "n2-highmem-8", cpus: 8, memoryMB: 65536, regions: []string{"us-central1"}},
}

// sqlMachineTypes are the Cloud SQL tiers of every zone: CPUs and memory in
// MiB, as their names say.
var sqlMachineTypes = []struct {
	cpus   int32
	memMiB int64
}{{2, 7680}, {4, 15360}}

// cloudFolder is a folder of the organization's tree.
type cloudFolder struct {
	id, name, parent string
}

// googleCloud is the fake's view of Google Cloud beyond the catalog.
type googleCloud struct {
	f       *Fake
	infra   *infrastructure
	cmeks   map[string][]vbgcapi.ProjectCMEKModel // by project
	folders []cloudFolder
}

func init() {
	registrars = append(registrars, googleCloudHandlers)
}

func googleCloudHandlers(f *Fake) map[string]fake.HandlerFunc {
	g := &googleCloud{f: f, cmeks: map[string][]vbgcapi.ProjectCMEKModel{}}
	f.state["GoogleCloud"] = g
	return map[string]fake.HandlerFunc{
		"ProjectsGetRegions":                       g.regions,
		"ProjectsGetRegionZones":                   g.zones,
		"ProjectsGetRegionMachineTypes":            g.regionMachineTypes,
		"ProjectsGetZoneMachineTypes":              g.zoneMachineTypes,
		"ProjectsGetZoneSqlMachineTypes":           g.zoneSQLMachineTypes,
		"ProjectsGetCmeks":                         g.projectCMEKs(false),
		"ProjectsGetRegionCmeks":                   g.projectCMEKs(true),
		"ProjectsGetSpannerInstanceConfigurations": g.spannerConfigurations,
		"CloudInfrastructureGetSubfolders":         g.subfolders,
	}
}

// cloud returns the Google Cloud state; the infrastructure store registers
// in the same New, so it is looked up on first use.
func (f *Fake) cloud() *googleCloud {
	g := f.state["GoogleCloud"].(*googleCloud)
	if g.infra == nil {
		g.infra = f.state["CloudInfrastructure"].(*infrastructure)
	}
	return g
}

// AddCMEK creates a Cloud KMS key (purpose EncryptDecrypt) in a key ring of
// projectID at location (a region), for the CMEK look-ups.
func (f *Fake) AddCMEK(projectID, location, keyRing, name string) vbgcapi.ProjectCMEKModel {
	f.mu.Lock()
	defer f.mu.Unlock()
	enabled, purpose := true, vbgcapi.ProjectCMEKModelPurposeEncryptDecrypt
	k := vbgcapi.ProjectCMEKModel{
		ID:   fmt.Sprintf("projects/%s/locations/%s/keyRings/%s/cryptoKeys/%s", projectID, location, keyRing, name),
		Name: name, KeyRing: &keyRing, Location: &location, ProjectID: &projectID, Purpose: &purpose, IsEnabled: &enabled,
	}
	g := f.cloud()
	g.cmeks[projectID] = append(g.cmeks[projectID], k)
	return k
}

// AddCloudFolder adds a folder to the organization's tree, under parentID
// (a folder number; empty for the organization itself).
func (f *Fake) AddCloudFolder(folderID, name, parentID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.cloud()
	g.folders = append(g.folders, cloudFolder{id: folderID, name: name, parent: parentID})
}

// projectLocked answers 404 unless the project of the path is added.
func (g *googleCloud) projectLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) bool {
	_, ok := g.infra.findLocked(w, r, vbgcapi.ECloudInfrastructureItemTypeProject, in.PathParams["projectId"])
	return ok
}

// project runs read for a project that is added, then pages what it gives.
func project[T any](g *googleCloud, read func(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]T, bool),
	list func(data []T, pg vbgcapi.PaginationModel) any) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		g.f.mu.Lock()
		g.f.cloud()
		var items []T
		ok := g.projectLocked(w, r, in)
		if ok {
			items, ok = read(w, r, in)
		}
		g.f.mu.Unlock()
		if !ok {
			return
		}
		if data, pg, ok := writePage(w, r, items); ok {
			veeamfake.WriteJSON(w, http.StatusOK, list(data, pg))
		}
	}
}

func findRegion(w http.ResponseWriter, r *http.Request, id string) (Region, bool) {
	for _, rg := range Regions {
		if rg.ID == id {
			return rg, true
		}
	}
	veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "Google Cloud has no region "+id)
	return Region{}, false
}

// findZone returns the region of a zone ("us-central1-a").
func findZone(w http.ResponseWriter, r *http.Request, id string) (Region, bool) {
	for _, rg := range Regions {
		for _, z := range rg.Zones {
			if rg.ID+"-"+z == id {
				return rg, true
			}
		}
	}
	veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "Google Cloud has no zone "+id)
	return Region{}, false
}

func (g *googleCloud) regions(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	project(g, func(http.ResponseWriter, *http.Request, *fake.Input) ([]vbgcapi.ProjectRegionModel, bool) {
		out := make([]vbgcapi.ProjectRegionModel, 0, len(Regions))
		for _, rg := range Regions {
			up, desc := vbgcapi.ProjectRegionModelStatusUp, rg.Description
			out = append(out, vbgcapi.ProjectRegionModel{ID: rg.ID, Name: rg.ID, Description: &desc, Status: &up})
		}
		return out, true
	}, func(data []vbgcapi.ProjectRegionModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.ProjectRegionListModel{Data: data, Pagination: pg}
	})(w, r, in)
}

func (g *googleCloud) zones(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	project(g, func(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]vbgcapi.ProjectZoneModel, bool) {
		rg, ok := findRegion(w, r, in.PathParams["regionId"])
		out := make([]vbgcapi.ProjectZoneModel, 0, len(rg.Zones))
		for _, z := range rg.Zones {
			up, region := vbgcapi.ProjectZoneModelStatusUp, rg.ID
			out = append(out, vbgcapi.ProjectZoneModel{ID: rg.ID + "-" + z, Name: rg.ID + "-" + z, RegionID: &region, Status: &up})
		}
		return out, ok
	}, func(data []vbgcapi.ProjectZoneModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.ProjectZoneListModel{Data: data, Pagination: pg}
	})(w, r, in)
}

// machineTypesOf lists the machine types of a region, for zone when it is
// not empty.
func machineTypesOf(region, zone string) []vbgcapi.ProjectMachineTypeModel {
	out := []vbgcapi.ProjectMachineTypeModel{}
	for _, mt := range machineTypes {
		if len(mt.regions) > 0 && !slices.Contains(mt.regions, region) {
			continue
		}
		desc := fmt.Sprintf("%d vCPUs, %d GB RAM", mt.cpus, mt.memoryMB/1024)
		cpus, mem, shared, disks := mt.cpus, mt.memoryMB, mt.shared, int32(128)
		m := vbgcapi.ProjectMachineTypeModel{ID: mt.name, Name: mt.name, Description: &desc, GuestCpus: &cpus, MemoryMB: &mem,
			IsSharedCPU: &shared, MaximumPersistentDisks: &disks}
		if zone != "" {
			z := zone
			m.ZoneID = &z
		}
		out = append(out, m)
	}
	return out
}

func (g *googleCloud) regionMachineTypes(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	project(g, func(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]vbgcapi.ProjectMachineTypeModel, bool) {
		rg, ok := findRegion(w, r, in.PathParams["regionId"])
		return machineTypesOf(rg.ID, ""), ok
	}, machineTypeList)(w, r, in)
}

func (g *googleCloud) zoneMachineTypes(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	project(g, func(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]vbgcapi.ProjectMachineTypeModel, bool) {
		zone := in.PathParams["zoneId"]
		rg, ok := findZone(w, r, zone)
		return machineTypesOf(rg.ID, zone), ok
	}, machineTypeList)(w, r, in)
}

func machineTypeList(data []vbgcapi.ProjectMachineTypeModel, pg vbgcapi.PaginationModel) any {
	return vbgcapi.ProjectMachineTypeListModel{Data: data, Pagination: pg}
}

func (g *googleCloud) zoneSQLMachineTypes(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	project(g, func(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]vbgcapi.ProjectSQLMachineTypeModel, bool) {
		rg, ok := findZone(w, r, in.PathParams["zoneId"])
		out := make([]vbgcapi.ProjectSQLMachineTypeModel, 0, len(sqlMachineTypes))
		for _, t := range sqlMachineTypes {
			name := fmt.Sprintf("db-custom-%d-%d", t.cpus, t.memMiB)
			cpus, ram, disk, region := t.cpus, t.memMiB<<20, int64(3000)<<30, rg.ID
			out = append(out, vbgcapi.ProjectSQLMachineTypeModel{ID: name, Name: name, CPUCount: &cpus, RAMBytes: &ram,
				DiskQuotaBytes: &disk, Region: &region})
		}
		return out, ok
	}, func(data []vbgcapi.ProjectSQLMachineTypeModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.ProjectSQLMachineTypeListModel{Data: data, Pagination: pg}
	})(w, r, in)
}

// projectCMEKs lists the keys of the project, of the region of the path
// when inRegion is set.
func (g *googleCloud) projectCMEKs(inRegion bool) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		project(g, func(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]vbgcapi.ProjectCMEKModel, bool) {
			keys := g.cmeks[in.PathParams["projectId"]]
			if !inRegion {
				return slices.Clone(keys), true
			}
			rg, ok := findRegion(w, r, in.PathParams["regionId"])
			out := []vbgcapi.ProjectCMEKModel{}
			for _, k := range keys {
				if *k.Location == rg.ID {
					out = append(out, k)
				}
			}
			return out, ok
		}, func(data []vbgcapi.ProjectCMEKModel, pg vbgcapi.PaginationModel) any {
			return vbgcapi.ProjectCMEKListModel{Data: data, Pagination: pg}
		})(w, r, in)
	}
}

// spannerConfigurations lists a regional configuration per region, for a
// service account that accesses the project.
func (g *googleCloud) spannerConfigurations(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	project(g, func(w http.ResponseWriter, r *http.Request, in *fake.Input) ([]vbgcapi.ProjectSpannerInstanceConfigurationModel, bool) {
		if _, ok := g.infra.hmacOwnerLocked(w, r, in); !ok {
			return nil, false
		}
		out := make([]vbgcapi.ProjectSpannerInstanceConfigurationModel, 0, len(Regions))
		for _, rg := range Regions {
			name := "regional-" + rg.ID
			display, typ, leader := rg.ID+" ("+rg.Description+")", vbgcapi.ProjectSpannerInstanceConfigurationModelConfigTypeGoogleManaged, true
			out = append(out, vbgcapi.ProjectSpannerInstanceConfigurationModel{
				ID: "projects/" + in.PathParams["projectId"] + "/instanceConfigs/" + name, Name: name, DisplayName: &display,
				ConfigType: &typ, LeaderOptions: []string{rg.ID},
				Replicas: []vbgcapi.ProjectSpannerReplicaModel{{Location: rg.ID, Type: vbgcapi.ProjectSpannerReplicaModelTypeReadWrite, DefaultLeaderLocation: &leader}},
			})
		}
		return out, true
	}, func(data []vbgcapi.ProjectSpannerInstanceConfigurationModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.ProjectSpannerInstanceConfigurationListModel{Data: data, Pagination: pg}
	})(w, r, in)
}

// subfolders lists the folders of the tree under the folder of the path:
// one the tree has, or one added to the configuration database.
func (g *googleCloud) subfolders(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	parent := in.PathParams["folderId"]
	g.f.mu.Lock()
	g.f.cloud()
	known := g.infra.objects.items[infraKey(vbgcapi.ECloudInfrastructureItemTypeFolder, parent)] != nil
	var items []vbgcapi.CloudInfrastructureFolderModel
	for _, fo := range g.folders {
		known = known || fo.id == parent
		if fo.parent != parent {
			continue
		}
		hasSubs := slices.ContainsFunc(g.folders, func(c cloudFolder) bool { return c.parent == fo.id })
		added := g.infra.objects.items[infraKey(vbgcapi.ECloudInfrastructureItemTypeFolder, fo.id)] != nil
		p := parent
		items = append(items, vbgcapi.CloudInfrastructureFolderModel{FolderID: fo.id, Name: fo.name, ParentID: &p,
			HasSubfolders: &hasSubs, IsAdded: &added})
	}
	g.f.mu.Unlock()
	if !known {
		veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "Google Cloud has no folder "+parent)
		return
	}
	if data, pg, ok := writePage(w, r, items); ok {
		veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.CloudInfrastructureFolderListModel{Data: data, Pagination: pg})
	}
}
