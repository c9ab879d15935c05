package vbgcfake

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The three backup policy families (VM instances, Cloud SQL, Cloud Spanner)
// share one shape on the wire, so one store keeps each of them as JSON
// objects: created from a spec, addressed by id, enabled and disabled,
// prioritized, started (which starts a session) and stopped. A policy's
// schedule is the scheduleOptions of its spec; the resources it protects,
// and those a cost estimate counts, are the instances its spec selects
// (sourceOptions.selectedItems of type Instance, less excludedItems), each
// ResourceSizeGB in size and carrying the result of the policy's last run.
// A permissions script grants the roles the spec's useFor flags ask for (all
// when none is set) in each of its projects.
type policyFamily struct {
	f        *Fake
	prefix   string // operation id prefix: Vm, Sql, Spanner
	sessType vbgcapi.ESessionType
	items    *table[uuid.UUID, map[string]any]
	running  map[uuid.UUID]uuid.UUID // policy -> session
}

func init() {
	registrars = append(registrars,
		policyHandlers("Vm", vbgcapi.ESessionTypePolicyBackup),
		policyHandlers("Sql", vbgcapi.ESessionTypeSQLPolicyBackup),
		policyHandlers("Spanner", vbgcapi.ESessionTypeSpannerBackupPolicy))
}

func policyHandlers(prefix string, typ vbgcapi.ESessionType) func(f *Fake) map[string]fake.HandlerFunc {
	return func(f *Fake) map[string]fake.HandlerFunc {
		p := &policyFamily{f: f, prefix: prefix, sessType: typ, items: newTable[uuid.UUID, map[string]any](), running: map[uuid.UUID]uuid.UUID{}}
		f.state[prefix+"Policies"] = p
		return map[string]fake.HandlerFunc{
			prefix + "PoliciesGetAll":    listHandler(f, p.items.list),
			prefix + "PolicyCreate":      p.create,
			prefix + "PolicyGet":         onItem(f, p.byID(), p.get),
			prefix + "PolicyUpdate":      p.update,
			prefix + "PolicyDelete":      deleteHandler(f, p.items, p.byID()),
			prefix + "PolicyStart":       onItem(f, p.byID(), p.start),
			prefix + "PolicyStop":        onItem(f, p.byID(), p.stop),
			prefix + "PolicyEnable":      p.enable(true),
			prefix + "PolicyDisable":     p.enable(false),
			prefix + "PolicySetPriority": p.priority,
			prefix + "PolicyGetStatus":   onItem(f, p.byID(), p.status),
			prefix + "PolicyGetSessions": subListHandler(f, p.byID(), p.sessionsLocked),

			prefix + "PoliciesCalculateCost":             p.cost(false),
			prefix + "PolicyCalculateCost":               p.cost(true),
			prefix + "PolicyGetSchedule":                 onItem(f, p.byID(), p.schedule),
			prefix + "PolicyGetProtectedResources":       subListHandler(f, p.byID(), p.protectedLocked),
			prefix + "PoliciesGeneratePermissionsScript": p.script,
		}
	}
}

// PolicyCount returns how many policies of a family ("Vm", "Sql",
// "Spanner") the fake holds.
func (f *Fake) PolicyCount(family string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.state[family+"Policies"].(*policyFamily); ok {
		return p.items.len()
	}
	return 0
}

func (p *policyFamily) byID() finder[uuid.UUID] {
	return byUUID(p.items, "policyId", "the backup policy")
}

// find resolves the policyId path parameter to a policy and its id.
func (p *policyFamily) find(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, map[string]any, bool) {
	id, ok := p.byID()(w, r, in)
	return id, p.items.items[id], ok
}

func (p *policyFamily) nameTaken(name string, except uuid.UUID) bool {
	for id, m := range p.items.items {
		if id != except && m["name"] == name {
			return true
		}
	}
	return false
}

// fromSpec builds the stored policy: the spec's members plus what the server
// owns (id, priority, state, counters).
func (p *policyFamily) fromSpec(w http.ResponseWriter, r *http.Request, body []byte, id uuid.UUID, prev map[string]any) (map[string]any, bool) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		badRequest(w, r, "malformed JSON body")
		return nil, false
	}
	name, _ := m["name"].(string)
	if p.nameTaken(name, id) {
		badRequest(w, r, "a policy with this name already exists")
		return nil, false
	}
	m["id"] = id.String()
	if _, ok := m["isEnabled"]; !ok {
		m["isEnabled"] = true
	}
	m["priority"] = p.items.len() + 1
	m["state"] = string(vbgcapi.EPolicyRunningStateIdle)
	m["lastRunResult"] = string(vbgcapi.EPolicyLastResultNeverExecuted)
	m["protectedResourcesCount"] = 0
	for _, k := range []string{"priority", "state", "lastRunResult", "lastRunTime"} {
		if v, ok := prev[k]; ok {
			m[k] = v
		}
	}
	return m, true
}

func (p *policyFamily) create(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	id := uuid.New()
	m, ok := p.fromSpec(w, r, in.Body, id, nil)
	if !ok {
		return
	}
	p.items.put(id, m)
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (p *policyFamily) get(w http.ResponseWriter, _ *http.Request, id uuid.UUID) {
	m := p.items.items[id]
	p.refreshLocked(m)
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

func (p *policyFamily) update(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	id, prev, ok := p.find(w, r, in)
	if !ok {
		return
	}
	m, ok := p.fromSpec(w, r, in.Body, id, prev)
	if !ok {
		return
	}
	p.items.put(id, m)
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

// refreshLocked carries the result of a finished run into the policy.
func (p *policyFamily) refreshLocked(m map[string]any) {
	id, _ := uuid.Parse(m["id"].(string))
	sid, ok := p.running[id]
	if !ok {
		return
	}
	s := p.f.sessions.items[sid]
	if s.model.Status != vbgcapi.ESessionStatusStopped {
		m["state"] = string(vbgcapi.EPolicyRunningStateRunning)
		return
	}
	delete(p.running, id)
	m["state"] = string(vbgcapi.EPolicyRunningStateIdle)
	m["lastRunResult"] = string(s.model.Result)
	if s.model.EndTimeUTC != nil {
		m["lastRunTime"] = s.model.EndTimeUTC.Format(time.RFC3339)
	}
}

func (p *policyFamily) start(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	m := p.items.items[id]
	p.refreshLocked(m)
	if enabled, _ := m["isEnabled"].(bool); !enabled {
		badRequest(w, r, "the policy is disabled")
		return
	}
	if _, busy := p.running[id]; busy {
		badRequest(w, r, "the policy is already running")
		return
	}
	name, _ := m["name"].(string)
	m["state"] = string(vbgcapi.EPolicyRunningStateRunning)
	p.running[id] = p.f.answerSession(w, http.StatusAccepted, p.sessType, name, &id)
}

func (p *policyFamily) stop(w http.ResponseWriter, _ *http.Request, id uuid.UUID) {
	if sid, busy := p.running[id]; busy {
		p.f.sessions.items[sid].endLocked(vbgcapi.ESessionResultCanceled)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (p *policyFamily) enable(on bool) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		p.f.mu.Lock()
		defer p.f.mu.Unlock()
		if _, m, ok := p.find(w, r, in); ok {
			m["isEnabled"] = on
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

func (p *policyFamily) priority(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[struct {
		Priority int `json:"priority"`
	}](w, r, in)
	if !ok {
		return
	}
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	if _, m, ok := p.find(w, r, in); ok {
		m["priority"] = spec.Priority
		w.WriteHeader(http.StatusNoContent)
	}
}

func (p *policyFamily) status(w http.ResponseWriter, _ *http.Request, id uuid.UUID) {
	m := p.items.items[id]
	p.refreshLocked(m)
	st := map[string]any{"policyId": id.String(), "isEnabled": m["isEnabled"], "state": m["state"], "lastRunResult": m["lastRunResult"]}
	if t, ok := m["lastRunTime"]; ok {
		st["lastRunTime"] = t
	}
	if sid, busy := p.running[id]; busy {
		st["currentSessionId"] = sid.String()
		st["progressPercent"] = p.f.sessions.items[sid].model.ProgressPercent
	}
	veeamfake.WriteJSON(w, http.StatusOK, st)
}

// sessionsLocked lists the sessions of the policy id.
func (p *policyFamily) sessionsLocked(id uuid.UUID) []vbgcapi.SessionInfoItemModel {
	return p.f.sessionsLocked(func(s *session) bool { return s.model.PolicyID != nil && *s.model.PolicyID == id })
}

// SeedPolicies stores n VM instance backup policies built from the spec's
// example, named seed-policy-001 and on, so that lists have something to
// page through.
func (f *Fake) SeedPolicies(n int) error {
	ex, err := json.Marshal(f.Doc().Components.Schemas["VmPolicyModel"].Value.Example)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.state["VmPolicies"].(*policyFamily)
	for i := range n {
		var m map[string]any
		if err := json.Unmarshal(ex, &m); err != nil {
			return err
		}
		id := uuid.New()
		m["id"], m["name"], m["priority"] = id.String(), fmt.Sprintf("seed-policy-%03d", i+1), p.items.len()+1
		p.items.put(id, m)
	}
	return nil
}

// ResourceSizeGB is the size the fake gives every protected resource.
const ResourceSizeGB = 100.0

// The monthly prices of cost estimates, in USD per GB: snapshots of every
// resource, and backups when the policy has backupOptionsEnabled.
const (
	SnapshotPricePerGB = 0.026
	BackupPricePerGB   = 0.02
)

// policyResource is an instance a policy selects.
type policyResource struct {
	id, name, project, region string
}

// selectedResources lists the instances a policy or spec selects.
func selectedResources(spec map[string]any) []policyResource {
	src, _ := spec["sourceOptions"].(map[string]any)
	excluded := map[string]bool{}
	for _, it := range anySlice(src["excludedItems"]) {
		if m, ok := it.(map[string]any); ok {
			id, _ := m["id"].(string)
			excluded[id] = true
		}
	}
	var out []policyResource
	for _, it := range anySlice(src["selectedItems"]) {
		m, _ := it.(map[string]any)
		id, _ := m["id"].(string)
		if m["type"] != "Instance" || id == "" || excluded[id] {
			continue
		}
		r := policyResource{id: id}
		r.name, _ = m["name"].(string)
		r.project, _ = m["projectId"].(string)
		r.region, _ = m["regionId"].(string)
		if r.name == "" {
			r.name = id
		}
		out = append(out, r)
	}
	return out
}

func anySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// cents rounds an amount to cents.
func cents(v float64) float64 { return math.Round(v*100) / 100 }

// estimate is the cost estimate of the policy spec body.
func estimate(spec map[string]any) map[string]any {
	backups, _ := spec["backupOptionsEnabled"].(bool)
	var snapTotal, backupTotal float64
	resources := []map[string]any{}
	for _, r := range selectedResources(spec) {
		snap, backup := cents(ResourceSizeGB*SnapshotPricePerGB), 0.0
		if backups {
			backup = cents(ResourceSizeGB * BackupPricePerGB)
		}
		snapTotal += snap
		backupTotal += backup
		resources = append(resources, map[string]any{"resourceId": r.id, "name": r.name, "projectId": r.project, "regionId": r.region,
			"sourceSizeGb": ResourceSizeGB, "snapshotsMonthlyCost": snap, "backupsMonthlyCost": backup, "totalMonthlyCost": cents(snap + backup)})
	}
	return map[string]any{"currency": "USD", "snapshotsMonthlyCost": cents(snapTotal), "backupsMonthlyCost": cents(backupTotal),
		"archiveMonthlyCost": 0.0, "trafficMonthlyCost": 0.0, "apiRequestsMonthlyCost": 0.0,
		"totalMonthlyCost": cents(snapTotal + backupTotal), "resources": resources}
}

// cost estimates a new policy, or (existing) a modification of the policy
// of the path.
func (p *policyFamily) cost(existing bool) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		spec, ok := decodeBody[map[string]any](w, r, in)
		if !ok {
			return
		}
		if existing {
			p.f.mu.Lock()
			_, _, ok := p.find(w, r, in)
			p.f.mu.Unlock()
			if !ok {
				return
			}
		}
		veeamfake.WriteJSON(w, http.StatusOK, estimate(spec))
	}
}

func (p *policyFamily) schedule(w http.ResponseWriter, _ *http.Request, id uuid.UUID) {
	m := p.items.items[id]
	sched, _ := m["scheduleOptions"].(map[string]any)
	if sched == nil {
		sched = map[string]any{}
	}
	veeamfake.WriteJSON(w, http.StatusOK, sched)
}

// protectedLocked lists the resources the policy id protects.
func (p *policyFamily) protectedLocked(id uuid.UUID) []map[string]any {
	m := p.items.items[id]
	var items []map[string]any
	{
		p.refreshLocked(m)
		src, _ := m["sourceOptions"].(map[string]any)
		for _, res := range selectedResources(m) {
			it := map[string]any{"id": uuid.NewSHA1(id, []byte(res.id)).String(), "resourceId": res.id, "name": res.name,
				"sizeGb": ResourceSizeGB, "lastResult": m["lastRunResult"]}
			for k, v := range map[string]string{"projectId": res.project, "regionId": res.region} {
				if v != "" {
					it[k] = v
				}
			}
			if t, ok := m["lastRunTime"]; ok && (m["lastRunResult"] == "Success" || m["lastRunResult"] == "Warning") {
				it["lastSnapshotTime"] = t
				if backups, _ := m["backupOptionsEnabled"].(bool); backups {
					it["lastBackupTime"] = t
				}
			}
			if engine, ok := src["databaseEngineType"]; ok && p.prefix == "Sql" {
				it["databaseEngineType"] = engine
			}
			items = append(items, it)
		}
	}
	return items
}

// policyRoles are the roles a permissions script grants, by family, for
// snapshots, backups and restores.
var policyRoles = map[string][3]string{
	"Vm":      {"roles/compute.storageAdmin", "roles/storage.admin", "roles/compute.instanceAdmin.v1"},
	"Sql":     {"roles/cloudsql.admin", "roles/storage.admin", "roles/cloudsql.admin"},
	"Spanner": {"roles/spanner.backupAdmin", "roles/storage.admin", "roles/spanner.restoreAdmin"},
}

func (p *policyFamily) script(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := decodeBody[struct {
		ServiceAccountID string   `json:"serviceAccountId"`
		Projects         []string `json:"projects"`
		Snapshot         bool     `json:"useForSnapshot"`
		Backup           bool     `json:"useForBackup"`
		Restore          bool     `json:"useForRestore"`
	}](w, r, in)
	if !ok {
		return
	}
	projects := spec.Projects
	if len(projects) == 0 {
		projects = []string{infraAccountProject(spec.ServiceAccountID, "")}
	}
	use := [3]bool{spec.Snapshot, spec.Backup, spec.Restore}
	if use == [3]bool{} {
		use = [3]bool{true, true, true}
	}
	var b strings.Builder
	b.WriteString("#!/bin/bash\n# Grants the permissions Veeam Backup for Google Cloud needs.\n")
	for _, project := range projects {
		var granted []string
		for i, role := range policyRoles[p.prefix] {
			if use[i] && !slices.Contains(granted, role) {
				granted = append(granted, role)
				fmt.Fprintf(&b, "gcloud projects add-iam-policy-binding %s --member=serviceAccount:%s --role=%s\n", project, spec.ServiceAccountID, role)
			}
		}
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}
