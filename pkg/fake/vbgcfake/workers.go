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
	configs  map[uuid.UUID]vbgcapi.WorkerConfigurationModel
	order    []uuid.UUID
	profiles map[string]vbgcapi.WorkerProfileModel
	regions  []string
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
			configs: map[uuid.UUID]vbgcapi.WorkerConfigurationModel{}, profiles: map[string]vbgcapi.WorkerProfileModel{}}
		f.state["Workers"] = wk
		return map[string]fake.HandlerFunc{
			"WorkersGetCustomLabels":     wk.getLabels,
			"WorkersModifyCustomLabels":  wk.setLabels,
			"WorkersGetProject":          wk.getProject,
			"WorkersChangeProject":       wk.changeProject,
			"WorkersGetConfigurations":   wk.listConfigs,
			"WorkersAddConfiguration":    wk.addConfig,
			"WorkersGetConfiguration":    wk.getConfig,
			"WorkersModifyConfiguration": wk.modifyConfig,
			"WorkersRemoveConfiguration": wk.removeConfig,
			"WorkersGetProfiles":         wk.listProfiles,
			"WorkersAddProfiles":         wk.addProfiles,
			"WorkersGetDefaultProfiles":  wk.defaultProfiles,
			"WorkersGetRegionProfiles":   wk.getProfiles,
			"WorkersModifyProfiles":      wk.modifyProfiles,
			"WorkersRemoveProfiles":      wk.removeProfiles,
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

func wkBad(w http.ResponseWriter, r *http.Request, msg string) {
	veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", msg)
}

func wkPage[T any](w http.ResponseWriter, r *http.Request, items []T, wrap func([]T, vbgcapi.PaginationModel) any) {
	if data, pg, ok := writePage(w, r, items); ok {
		veeamfake.WriteJSON(w, http.StatusOK, wrap(data, pg))
	}
}

func (wk *workers) getLabels(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.WorkerCustomLabelsModel{Labels: wk.labels})
}

func (wk *workers) setLabels(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var labels vbgcapi.WorkerCustomLabelsSpec
	if err := json.Unmarshal(in.Body, &labels); err != nil {
		wkBad(w, r, "malformed JSON body")
		return
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if l.Key == "" || seen[l.Key] {
			wkBad(w, r, "label keys must be present and unique")
			return
		}
		seen[l.Key] = true
	}
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	wk.labels = append([]vbgcapi.TagModel{}, labels...)
	w.WriteHeader(http.StatusOK)
}

func (wk *workers) getProject(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, wk.project)
}

func (wk *workers) changeProject(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.ConfigurationSpecV2
	if err := json.Unmarshal(in.Body, &spec); err != nil || spec.ProjectID == "" {
		wkBad(w, r, "a projectId is required")
		return
	}
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	wk.project = vbgcapi.WorkerProjectModel{ProjectID: spec.ProjectID, ServiceAccountID: spec.ServiceAccountID}
	veeamfake.WriteJSON(w, http.StatusOK, wk.project)
}

func (wk *workers) listConfigs(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	wk.f.mu.Lock()
	items := make([]vbgcapi.WorkerConfigurationModel, 0, len(wk.order))
	for _, id := range wk.order {
		items = append(items, wk.configs[id])
	}
	wk.f.mu.Unlock()
	wkPage(w, r, items, func(d []vbgcapi.WorkerConfigurationModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.WorkerConfigurationListModel{Data: d, Pagination: pg}
	})
}

// configFromSpecLocked builds a configuration, refusing a second one for a
// region.
func (wk *workers) configFromSpecLocked(w http.ResponseWriter, r *http.Request, body []byte, id uuid.UUID) (vbgcapi.WorkerConfigurationModel, bool) {
	var spec vbgcapi.WorkerConfigurationSpec
	if err := json.Unmarshal(body, &spec); err != nil {
		wkBad(w, r, "malformed JSON body")
		return vbgcapi.WorkerConfigurationModel{}, false
	}
	for other, c := range wk.configs {
		if other != id && c.RegionID == spec.RegionID {
			wkBad(w, r, "a worker configuration for region "+spec.RegionID+" already exists")
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
	wk.configs[m.ID] = m
	wk.order = append(wk.order, m.ID)
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (wk *workers) findConfigLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, bool) {
	id, err := uuid.Parse(in.PathParams["settingId"])
	if err != nil {
		wkBad(w, r, "settingId is not a UUID")
		return id, false
	}
	if _, ok := wk.configs[id]; !ok {
		veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "the worker configuration was not found")
		return id, false
	}
	return id, true
}

func (wk *workers) getConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	if id, ok := wk.findConfigLocked(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, wk.configs[id])
	}
}

func (wk *workers) modifyConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	id, ok := wk.findConfigLocked(w, r, in)
	if !ok {
		return
	}
	m, ok := wk.configFromSpecLocked(w, r, in.Body, id)
	if !ok {
		return
	}
	wk.configs[id] = m
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

func (wk *workers) removeConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	id, ok := wk.findConfigLocked(w, r, in)
	if !ok {
		return
	}
	delete(wk.configs, id)
	for i, o := range wk.order {
		if o == id {
			wk.order = append(wk.order[:i], wk.order[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (wk *workers) listProfiles(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	wk.f.mu.Lock()
	items := make([]vbgcapi.WorkerProfileModel, 0, len(wk.regions))
	for _, region := range wk.regions {
		items = append(items, wk.profiles[region])
	}
	wk.f.mu.Unlock()
	wkPage(w, r, items, func(d []vbgcapi.WorkerProfileModel, pg vbgcapi.PaginationModel) any {
		return vbgcapi.WorkerProfileListModel{Data: d, Pagination: pg}
	})
}

func wkProfiles(region string, items []vbgcapi.WorkerProfileItemModel) vbgcapi.WorkerProfileModel {
	no := false
	return vbgcapi.WorkerProfileModel{RegionID: &region, IsDefault: &no, Profiles: items}
}

func (wk *workers) addProfiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.WorkerProfileSpec
	if err := json.Unmarshal(in.Body, &spec); err != nil || spec.RegionID == "" {
		wkBad(w, r, "a regionId and profiles are required")
		return
	}
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	if _, ok := wk.profiles[spec.RegionID]; ok {
		wkBad(w, r, "worker profiles for region "+spec.RegionID+" already exist")
		return
	}
	m := wkProfiles(spec.RegionID, spec.Profiles)
	wk.profiles[spec.RegionID] = m
	wk.regions = append(wk.regions, spec.RegionID)
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (wk *workers) defaultProfiles(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	veeamfake.WriteJSON(w, http.StatusOK, wkDefaultProfiles())
}

func (wk *workers) findProfilesLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) (string, bool) {
	region := in.PathParams["regionId"]
	if _, ok := wk.profiles[region]; !ok {
		veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "no worker profiles for region "+region)
		return region, false
	}
	return region, true
}

func (wk *workers) getProfiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	if region, ok := wk.findProfilesLocked(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, wk.profiles[region])
	}
}

func (wk *workers) modifyProfiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.WorkerProfileModifySpec
	if err := json.Unmarshal(in.Body, &spec); err != nil {
		wkBad(w, r, "malformed JSON body")
		return
	}
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	region, ok := wk.findProfilesLocked(w, r, in)
	if !ok {
		return
	}
	m := wkProfiles(region, spec.Profiles)
	wk.profiles[region] = m
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

func (wk *workers) removeProfiles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wk.f.mu.Lock()
	defer wk.f.mu.Unlock()
	region, ok := wk.findProfilesLocked(w, r, in)
	if !ok {
		return
	}
	delete(wk.profiles, region)
	for i, o := range wk.regions {
		if o == region {
			wk.regions = append(wk.regions[:i], wk.regions[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
