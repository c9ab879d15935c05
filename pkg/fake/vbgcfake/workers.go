package vbgcfake

import (
	"encoding/json"
	"net/http"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// Workers keep their custom labels, their project, one network
// configuration per region and worker profiles per region (regions without
// their own use the default profiles).
type workers struct {
	f        *Fake
	labels   []vbgcapi.TagModel
	project  vbgcapi.WorkerProjectModel
	configs  *table[uuid.UUID, vbgcapi.WorkerConfigurationModel]
	profiles *table[string, vbgcapi.WorkerProfileModel] // by region
}

// wkRegionNames are the display names the fake knows.
var wkRegionNames = map[string]string{
	"us-central1": "Iowa", "us-east1": "South Carolina", "europe-west1": "Belgium",
	"europe-west3": "Frankfurt", "asia-east1": "Taiwan",
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		name, sa := "Workers", "vbgc-worker@project-workers-118233.iam.gserviceaccount.com"
		wk := &workers{f: f, labels: []vbgcapi.TagModel{},
			project: vbgcapi.WorkerProjectModel{ProjectID: "project-workers-118233", ProjectName: &name, ServiceAccountID: &sa},
			configs: newTable[uuid.UUID, vbgcapi.WorkerConfigurationModel](), profiles: newTable[string, vbgcapi.WorkerProfileModel]()}
		f.state["Workers"] = wk
		return map[string]fake.HandlerFunc{
			"WorkersGetCustomLabels":     readHandler(f, func() vbgcapi.WorkerCustomLabelsModel { return vbgcapi.WorkerCustomLabelsModel{Labels: wk.labels} }),
			"WorkersModifyCustomLabels":  wk.setLabels,
			"WorkersGetProject":          readHandler(f, func() vbgcapi.WorkerProjectModel { return wk.project }),
			"WorkersChangeProject":       wk.changeProject,
			"WorkersGetConfigurations":   listHandler(f, wk.configs.list),
			"WorkersAddConfiguration":    wk.addConfig,
			"WorkersGetConfiguration":    getHandler(f, wk.configs, wk.findConfig()),
			"WorkersModifyConfiguration": wk.modifyConfig,
			"WorkersRemoveConfiguration": deleteHandler(f, wk.configs, wk.findConfig()),
			"WorkersGetProfiles":         listHandler(f, wk.profiles.list),
			"WorkersAddProfiles":         wk.addProfiles,
			"WorkersGetDefaultProfiles":  wk.defaultProfiles,
			"WorkersGetRegionProfiles":   getHandler(f, wk.profiles, wk.findProfiles()),
			"WorkersModifyProfiles":      withItem(f, wk.findProfiles(), wk.modifyProfiles),
			"WorkersRemoveProfiles":      deleteHandler(f, wk.profiles, wk.findProfiles()),
		}
	})
}

// wkDefaultProfiles are the profiles of regions without their own.
func wkDefaultProfiles() vbgcapi.WorkerProfileModel {
	disk, yes := int32(20), true
	return vbgcapi.WorkerProfileModel{IsDefault: &yes, Profiles: []vbgcapi.WorkerProfileItemModel{
		{WorkloadType: vbgcapi.EWorkerWorkloadTypeBackup, MachineType: "e2-standard-4", DiskSizeGB: &disk},
		{WorkloadType: vbgcapi.EWorkerWorkloadTypeArchive, MachineType: "e2-highcpu-8", DiskSizeGB: &disk},
		{WorkloadType: vbgcapi.EWorkerWorkloadTypeRestore, MachineType: "e2-standard-2", DiskSizeGB: &disk},
	}}
}

func (wk *workers) setLabels(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	labels, ok := decodeBody[vbgcapi.WorkerCustomLabelsSpec](w, r, in)
	if !ok {
		return
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if l.Key == "" || seen[l.Key] {
			badRequest(w, r, "label keys must be present and unique")
			return
		}
		seen[l.Key] = true
	}
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	wk.labels = append([]vbgcapi.TagModel{}, labels...)
	w.WriteHeader(http.StatusOK)
}

func (wk *workers) changeProject(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.ConfigurationSpecV2
	if err := json.Unmarshal(in.Body, &spec); err != nil || spec.ProjectID == "" {
		badRequest(w, r, "a projectId is required")
		return
	}
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	wk.project = vbgcapi.WorkerProjectModel{ProjectID: spec.ProjectID, ServiceAccountID: spec.ServiceAccountID}
	veeamfake.WriteJSON(w, http.StatusOK, wk.project)
}

// configFromSpecLocked builds a configuration, refusing a second one for a
// region.
func (wk *workers) configFromSpecLocked(w http.ResponseWriter, r *http.Request, body []byte, id uuid.UUID) (vbgcapi.WorkerConfigurationModel, bool) {
	var spec vbgcapi.WorkerConfigurationSpec
	if err := json.Unmarshal(body, &spec); err != nil {
		badRequest(w, r, "malformed JSON body")
		return vbgcapi.WorkerConfigurationModel{}, false
	}
	for other, c := range wk.configs.items {
		if other != id && c.RegionID == spec.RegionID {
			badRequest(w, r, "a worker configuration for region "+spec.RegionID+" already exists")
			return vbgcapi.WorkerConfigurationModel{}, false
		}
	}
	m := vbgcapi.WorkerConfigurationModel{ID: id, RegionID: spec.RegionID, NetworkProjectID: spec.NetworkProjectID,
		NetworkID: spec.NetworkID, NetworkName: spec.NetworkName, SubnetID: spec.SubnetID, SubnetName: spec.SubnetName,
		NetworkTags: spec.NetworkTags, UsePublicIP: spec.UsePublicIP}
	if n, ok := wkRegionNames[spec.RegionID]; ok {
		m.RegionName = &n
	}
	return m, true
}

func (wk *workers) addConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	m, ok := wk.configFromSpecLocked(w, r, in.Body, uuid.New())
	if !ok {
		return
	}
	wk.configs.put(m.ID, m)
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (wk *workers) findConfig() finder[uuid.UUID] {
	return byUUID(wk.configs, "settingId", "the worker configuration")
}

func (wk *workers) modifyConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	id, ok := wk.findConfig()(w, r, in)
	if !ok {
		return
	}
	m, ok := wk.configFromSpecLocked(w, r, in.Body, id)
	if !ok {
		return
	}
	wk.configs.put(id, m)
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

func wkProfiles(region string, items []vbgcapi.WorkerProfileItemModel) vbgcapi.WorkerProfileModel {
	no := false
	return vbgcapi.WorkerProfileModel{RegionID: &region, IsDefault: &no, Profiles: items}
}

func (wk *workers) addProfiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[vbgcapi.WorkerProfileSpec](w, r, in)
	if !ok {
		return
	}
	if spec.RegionID == "" {
		badRequest(w, r, "a regionId and profiles are required")
		return
	}
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	if _, ok := wk.profiles.get(spec.RegionID); ok {
		badRequest(w, r, "worker profiles for region "+spec.RegionID+" already exist")
		return
	}
	m := wkProfiles(spec.RegionID, spec.Profiles)
	wk.profiles.put(spec.RegionID, m)
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (wk *workers) defaultProfiles(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, wkDefaultProfiles())
}

func (wk *workers) findProfiles() finder[string] {
	return byName(wk.profiles, "regionId", "the worker profiles of the region")
}

func (wk *workers) modifyProfiles(w http.ResponseWriter, _ *http.Request, _ *fake.Input, spec vbgcapi.WorkerProfileModifySpec, region string) {
	m := wkProfiles(region, spec.Profiles)
	wk.profiles.put(region, m)
	veeamfake.WriteJSON(w, http.StatusOK, m)
}
