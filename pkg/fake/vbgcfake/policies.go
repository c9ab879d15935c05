package vbgcfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The three backup policy families (VM instances, Cloud SQL, Cloud Spanner)
// share one shape on the wire, so one store keeps each of them as JSON
// objects: created from a spec, addressed by id, enabled and disabled,
// prioritized, started (which starts a session) and stopped.
type policyFamily struct {
	f        *Fake
	prefix   string // operation id prefix: Vm, Sql, Spanner
	sessType vbgcapi.ESessionType
	items    map[uuid.UUID]map[string]any
	order    []uuid.UUID
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
		p := &policyFamily{f: f, prefix: prefix, sessType: typ, items: map[uuid.UUID]map[string]any{}, running: map[uuid.UUID]uuid.UUID{}}
		f.state[prefix+"Policies"] = p
		return map[string]fake.HandlerFunc{
			prefix + "PoliciesGetAll":    p.list,
			prefix + "PolicyCreate":      p.create,
			prefix + "PolicyGet":         p.get,
			prefix + "PolicyUpdate":      p.update,
			prefix + "PolicyDelete":      p.delete,
			prefix + "PolicyStart":       p.start,
			prefix + "PolicyStop":        p.stop,
			prefix + "PolicyEnable":      p.enable(true),
			prefix + "PolicyDisable":     p.enable(false),
			prefix + "PolicySetPriority": p.priority,
			prefix + "PolicyGetStatus":   p.status,
			prefix + "PolicyGetSessions": p.sessions,
		}
	}
}

// PolicyCount returns how many policies of a family ("Vm", "Sql",
// "Spanner") the fake holds.
func (f *Fake) PolicyCount(family string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.state[family+"Policies"].(*policyFamily); ok {
		return len(p.items)
	}
	return 0
}

func (p *policyFamily) find(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, map[string]any, bool) {
	id, err := uuid.Parse(in.PathParams["policyId"])
	if err != nil {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "policyId is not a UUID")
		return id, nil, false
	}
	m, ok := p.items[id]
	if !ok {
		veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "the backup policy was not found")
		return id, nil, false
	}
	return id, m, true
}

func (p *policyFamily) list(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	p.f.mu.Lock()
	items := make([]map[string]any, 0, len(p.order))
	for _, id := range p.order {
		items = append(items, p.items[id])
	}
	p.f.mu.Unlock()
	data, pg, err := Page(r, items)
	if err != nil {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", err.Error())
		return
	}
	veeamfake.WriteJSON(w, http.StatusOK, map[string]any{"data": data, "pagination": pg})
}

func (p *policyFamily) nameTaken(name string, except uuid.UUID) bool {
	for id, m := range p.items {
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
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "malformed JSON body")
		return nil, false
	}
	name, _ := m["name"].(string)
	if p.nameTaken(name, id) {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "a policy with this name already exists")
		return nil, false
	}
	m["id"] = id.String()
	if _, ok := m["isEnabled"]; !ok {
		m["isEnabled"] = true
	}
	m["priority"] = len(p.items) + 1
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
	p.items[id] = m
	p.order = append(p.order, id)
	veeamfake.WriteJSON(w, http.StatusCreated, m)
}

func (p *policyFamily) get(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	if _, m, ok := p.find(w, r, in); ok {
		p.refreshLocked(m)
		veeamfake.WriteJSON(w, http.StatusOK, m)
	}
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
	p.items[id] = m
	veeamfake.WriteJSON(w, http.StatusOK, m)
}

func (p *policyFamily) delete(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	id, _, ok := p.find(w, r, in)
	if !ok {
		return
	}
	delete(p.items, id)
	for i, o := range p.order {
		if o == id {
			p.order = append(p.order[:i], p.order[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// refreshLocked carries the result of a finished run into the policy.
func (p *policyFamily) refreshLocked(m map[string]any) {
	id, _ := uuid.Parse(m["id"].(string))
	sid, ok := p.running[id]
	if !ok {
		return
	}
	s := p.f.sessions[sid]
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

func (p *policyFamily) start(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	id, m, ok := p.find(w, r, in)
	if !ok {
		return
	}
	p.refreshLocked(m)
	if enabled, _ := m["isEnabled"].(bool); !enabled {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "the policy is disabled")
		return
	}
	if _, busy := p.running[id]; busy {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "the policy is already running")
		return
	}
	name, _ := m["name"].(string)
	sid := p.f.startSessionLocked(p.sessType, name, &id)
	p.running[id] = sid
	m["state"] = string(vbgcapi.EPolicyRunningStateRunning)
	veeamfake.WriteJSON(w, http.StatusAccepted, vbgcapi.SessionIDModel{SessionID: sid})
}

func (p *policyFamily) stop(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	id, _, ok := p.find(w, r, in)
	if !ok {
		return
	}
	if sid, busy := p.running[id]; busy {
		s := p.f.sessions[sid]
		if s.model.Status != vbgcapi.ESessionStatusStopped {
			now := time.Now().UTC()
			s.model.Status, s.model.Result, s.model.EndTimeUTC = vbgcapi.ESessionStatusStopped, vbgcapi.ESessionResultCanceled, &now
		}
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
	var spec struct {
		Priority int `json:"priority"`
	}
	if err := json.Unmarshal(in.Body, &spec); err != nil {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", "malformed JSON body")
		return
	}
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	if _, m, ok := p.find(w, r, in); ok {
		m["priority"] = spec.Priority
		w.WriteHeader(http.StatusNoContent)
	}
}

func (p *policyFamily) status(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	id, m, ok := p.find(w, r, in)
	if !ok {
		return
	}
	p.refreshLocked(m)
	st := map[string]any{"policyId": id.String(), "isEnabled": m["isEnabled"], "state": m["state"], "lastRunResult": m["lastRunResult"]}
	if t, ok := m["lastRunTime"]; ok {
		st["lastRunTime"] = t
	}
	if sid, busy := p.running[id]; busy {
		st["currentSessionId"] = sid.String()
		st["progressPercent"] = p.f.sessions[sid].model.ProgressPercent
	}
	veeamfake.WriteJSON(w, http.StatusOK, st)
}

func (p *policyFamily) sessions(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	p.f.mu.Lock()
	id, _, ok := p.find(w, r, in)
	var items []vbgcapi.SessionInfoItemModel
	if ok {
		for _, sid := range p.f.order {
			if s := p.f.sessions[sid]; s.model.PolicyID != nil && *s.model.PolicyID == id {
				items = append(items, s.model)
			}
		}
	}
	p.f.mu.Unlock()
	if !ok {
		return
	}
	data, pg, err := Page(r, items)
	if err != nil {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", err.Error())
		return
	}
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.SessionsInfoListModel{Data: data, Pagination: pg})
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
		m["id"], m["name"], m["priority"] = id.String(), fmt.Sprintf("seed-policy-%03d", i+1), len(p.items)+1
		p.items[id] = m
		p.order = append(p.order, id)
	}
	return nil
}
