package ibmfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

// Protection policies, protection groups and their runs are kept per tenant
// as JSON objects. A group refers to a policy of its tenant; a policy in use
// by groups cannot be deleted. A run starts Accepted and moves on at every
// read of the group's runs: Accepted, Running, then its final state:
// Succeeded, or Failed when the group's name contains "fail", or
// SucceededWithWarning when it contains "warn". Pause holds it, Resume lets
// it go on, Cancel makes it Canceling, then Canceled.

// pgClusterID and pgIncarnation make the ids the service gives policies and
// groups: clusterId:clusterIncarnationId:n.
const (
	pgClusterID   = "7103287453312567"
	pgIncarnation = "1732015312446"
)

type pgRun struct {
	m      map[string]any // the ProtectionGroupRun
	status string         // of localBackupInfo
	// percent is how far the local backup has got while it runs; events
	// are its progress events (progress.go).
	percent float32
	events  []map[string]any
}

type pgTenant struct {
	policies    map[string]map[string]any
	policyOrder []string
	groups      map[string]map[string]any
	groupOrder  []string
	runs        map[string][]*pgRun // group id -> runs, oldest first
}

type pgStore struct {
	f       *Fake
	tenants map[string]*pgTenant
	nextID  int64
	lastUs  int64
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		s := &pgStore{f: f, tenants: map[string]*pgTenant{}, nextID: 100}
		f.state["policiesGroups"] = s
		return map[string]fake.HandlerFunc{
			"getProtectionPolicies":             s.listPolicies,
			"createProtectionPolicy":            s.createPolicy,
			"getProtectionPolicyByID":           s.getPolicy,
			"updateProtectionPolicy":            s.updatePolicy,
			"deleteProtectionPolicy":            s.deletePolicy,
			"getProtectionGroups":               s.listGroups,
			"createProtectionGroup":             s.createGroup,
			"getProtectionGroupByID":            s.getGroup,
			"updateProtectionGroup":             s.updateGroup,
			"deleteProtectionGroup":             s.deleteGroup,
			"getProtectionGroupRuns":            s.listRuns,
			"createProtectionGroupRun":          s.createRun,
			"updateProtectionGroupRun":          s.updateRuns,
			"performActionOnProtectionGroupRun": s.runAction,
			"getObjectSnapshots":                s.objectSnapshots,
			"getRestorePointsInTimeRange":       s.restorePoints,
			"searchProtectedObjects":            s.protectedObjects,
		}
	})
}

func (f *Fake) pgStore() *pgStore {
	s, _ := f.state["policiesGroups"].(*pgStore)
	return s
}

// SeedPolicies stores n protection policies for tenant, each the spec's
// ProtectionPolicyResponse example with its own id and name (seed-policy-000,
// ...). It is meant for benchmarks and demos.
func (f *Fake) SeedPolicies(tenant string, n int) {
	var example map[string]any
	if sc, ok := f.Doc().Components.Schemas["ProtectionPolicyResponse"]; ok && sc.Value != nil {
		if b, err := json.Marshal(sc.Value.Example); err == nil {
			_ = json.Unmarshal(b, &example)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.pgStore()
	t := s.tenant(tenant)
	for i := range n {
		p := pgClone(example)
		if p == nil {
			p = map[string]any{"backupPolicy": map[string]any{}}
		}
		id := s.newID()
		p["id"] = id
		p["name"] = fmt.Sprintf("seed-policy-%03d", len(t.policies))
		p["numProtectionGroups"] = 0
		p["numProtectedObjects"] = 0
		p["lastModificationTimeUsecs"] = time.Now().UnixMicro() + int64(i)
		t.policies[id] = p
		t.policyOrder = append(t.policyOrder, id)
	}
}

// PolicyCount returns how many protection policies tenant has.
func (f *Fake) PolicyCount(tenant string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.pgStore().tenants[tenant]; ok {
		return len(t.policies)
	}
	return 0
}

func (s *pgStore) tenant(id string) *pgTenant {
	t, ok := s.tenants[id]
	if !ok {
		t = &pgTenant{policies: map[string]map[string]any{}, groups: map[string]map[string]any{}, runs: map[string][]*pgRun{}}
		s.tenants[id] = t
	}
	return t
}

func (s *pgStore) newID() string {
	s.nextID++
	return pgClusterID + ":" + pgIncarnation + ":" + strconv.FormatInt(s.nextID, 10)
}

// nowUsecs is the current time in microseconds, strictly increasing.
func (s *pgStore) nowUsecs() int64 {
	us := time.Now().UnixMicro()
	if us <= s.lastUs {
		us = s.lastUs + 1
	}
	s.lastUs = us
	return us
}

// locked takes the fake's lock and returns the caller's tenant store.
func (s *pgStore) locked(in *fake.Input) *pgTenant {
	s.f.mu.Lock()
	tenant, _ := in.Principal.(string)
	return s.tenant(tenant)
}

func (s *pgStore) unlock() { s.f.mu.Unlock() }

func pgClone(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

func pgBody(w http.ResponseWriter, r *http.Request, in *fake.Input) (map[string]any, bool) {
	var m map[string]any
	if err := json.Unmarshal(in.Body, &m); err != nil || m == nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return nil, false
	}
	return m, true
}

// pgList splits a form, explode=false array parameter.
func pgList(r *http.Request, name string) []string {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func pgBool(r *http.Request, name string) (val, set bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, false
	}
	b, _ := strconv.ParseBool(v)
	return b, true
}

func pgMatches(filter []string, v any) bool {
	if len(filter) == 0 {
		return true
	}
	s, _ := v.(string)
	return slices.Contains(filter, s)
}

// --- policies ---

func (t *pgTenant) policyNameTaken(name, except string) bool {
	for id, p := range t.policies {
		if id != except && p["name"] == name {
			return true
		}
	}
	return false
}

// policyView is a policy with its live protection stats.
func (t *pgTenant) policyView(id string) map[string]any {
	p := pgClone(t.policies[id])
	groups, objects := 0, int64(0)
	for _, g := range t.groups {
		if g["policyId"] == id {
			groups++
			objects += pgNum(g["numProtectedObjects"])
		}
	}
	p["numProtectionGroups"] = groups
	p["numProtectedObjects"] = objects
	return p
}

func (s *pgStore) listPolicies(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	ids, names := pgList(r, "ids"), pgList(r, "policyNames")
	out := make([]map[string]any, 0, len(t.policyOrder))
	for _, id := range t.policyOrder {
		p := t.policies[id]
		if pgMatches(ids, p["id"]) && pgMatches(names, p["name"]) {
			out = append(out, t.policyView(id))
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"policies": out})
}

func (s *pgStore) createPolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	m, ok := pgBody(w, r, in)
	if !ok {
		return
	}
	t := s.locked(in)
	defer s.unlock()
	name, _ := m["name"].(string)
	if name == "" {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "the policy needs a name")
		return
	}
	if t.policyNameTaken(name, "") {
		WriteError(w, r, http.StatusConflict, "AlreadyExists", "a protection policy named "+name+" already exists")
		return
	}
	id := s.newID()
	m["id"] = id
	if _, ok := m["version"]; !ok {
		m["version"] = 1
	}
	m["isUsable"] = true
	m["isReplicated"] = false
	m["lastModificationTimeUsecs"] = s.nowUsecs()
	t.policies[id] = m
	t.policyOrder = append(t.policyOrder, id)
	WriteJSON(w, http.StatusCreated, t.policyView(id))
}

func (s *pgStore) findPolicy(w http.ResponseWriter, r *http.Request, t *pgTenant, in *fake.Input) (string, bool) {
	id := in.PathParams["id"]
	if _, ok := t.policies[id]; !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "protection policy with id "+id+" not found")
		return id, false
	}
	return id, true
}

func (s *pgStore) getPolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	if id, ok := s.findPolicy(w, r, t, in); ok {
		WriteJSON(w, http.StatusOK, t.policyView(id))
	}
}

func (s *pgStore) updatePolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	m, ok := pgBody(w, r, in)
	if !ok {
		return
	}
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findPolicy(w, r, t, in)
	if !ok {
		return
	}
	prev := t.policies[id]
	// IBM rejects an update whose lastModificationTimeUsecs is not the
	// policy's current one (a stale read); without it the update goes through.
	if ts, ok := m["lastModificationTimeUsecs"]; ok {
		if pgNum(ts) != pgNum(prev["lastModificationTimeUsecs"]) {
			WriteError(w, r, http.StatusConflict, "StaleUpdate", "the protection policy changed since lastModificationTimeUsecs")
			return
		}
	}
	name, _ := m["name"].(string)
	if t.policyNameTaken(name, id) {
		WriteError(w, r, http.StatusConflict, "AlreadyExists", "a protection policy named "+name+" already exists")
		return
	}
	m["id"] = id
	if _, ok := m["version"]; !ok {
		m["version"] = prev["version"]
	}
	m["isUsable"] = true
	m["isReplicated"] = false
	m["lastModificationTimeUsecs"] = s.nowUsecs()
	t.policies[id] = m
	WriteJSON(w, http.StatusOK, t.policyView(id))
}

func (s *pgStore) deletePolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findPolicy(w, r, t, in)
	if !ok {
		return
	}
	for _, gid := range t.groupOrder {
		if t.groups[gid]["policyId"] == id {
			WriteError(w, r, http.StatusConflict, "PolicyInUse", "protection policy "+id+" is used by protection group "+gid)
			return
		}
	}
	delete(t.policies, id)
	t.policyOrder = slices.DeleteFunc(t.policyOrder, func(o string) bool { return o == id })
	w.WriteHeader(http.StatusNoContent)
}

// --- groups ---

// countObjects counts the objects a group's environment params name.
func countObjects(g map[string]any) int64 { return int64(len(groupObjects(g))) }

func (t *pgTenant) groupNameTaken(name, except string) bool {
	for id, g := range t.groups {
		if id != except && g["name"] == name {
			return true
		}
	}
	return false
}

// groupView is a group as the service answers it, with its last run when
// lastRun is set.
func (t *pgTenant) groupView(id string, lastRun bool) map[string]any {
	g := pgClone(t.groups[id])
	if runs := t.runs[id]; lastRun && len(runs) > 0 {
		g["lastRun"] = pgClone(runs[len(runs)-1].m)
	}
	return g
}

// checkGroup validates a group body against the tenant's state.
func (s *pgStore) checkGroup(w http.ResponseWriter, r *http.Request, t *pgTenant, m map[string]any, except string) bool {
	name, _ := m["name"].(string)
	policy, _ := m["policyId"].(string)
	switch {
	case name == "":
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "the protection group needs a name")
	case t.policies[policy] == nil:
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "protection policy "+policy+" does not exist")
	case m["abortInBlackouts"] == true && m["pauseInBlackouts"] == true:
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "abortInBlackouts and pauseInBlackouts cannot both be true")
	case t.groupNameTaken(name, except):
		WriteError(w, r, http.StatusConflict, "AlreadyExists", "a protection group named "+name+" already exists")
	default:
		return true
	}
	return false
}

func (s *pgStore) listGroups(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	ids, names, policies, envs := pgList(r, "ids"), pgList(r, "names"), pgList(r, "policyIds"), pgList(r, "environments")
	paused, pausedSet := pgBool(r, "isPaused")
	active, activeSet := pgBool(r, "isActive")
	deleted, _ := pgBool(r, "isDeleted")
	lastRun, _ := pgBool(r, "includeLastRunInfo")
	out := make([]map[string]any, 0, len(t.groupOrder))
	for _, id := range t.groupOrder {
		g := t.groups[id]
		switch {
		case deleted: // deleted groups are not kept
			continue
		case !pgMatches(ids, g["id"]), !pgMatches(names, g["name"]), !pgMatches(policies, g["policyId"]), !pgMatches(envs, g["environment"]):
			continue
		case pausedSet && g["isPaused"] != paused, activeSet && g["isActive"] != active:
			continue
		}
		out = append(out, t.groupView(id, lastRun))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"protectionGroups": out})
}

func (s *pgStore) createGroup(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	m, ok := pgBody(w, r, in)
	if !ok {
		return
	}
	t := s.locked(in)
	defer s.unlock()
	if !s.checkGroup(w, r, t, m, "") {
		return
	}
	id := s.newID()
	s.fillGroup(m, id)
	t.groups[id] = m
	t.groupOrder = append(t.groupOrder, id)
	WriteJSON(w, http.StatusCreated, t.groupView(id, false))
}

// fillGroup adds what the service owns to a group body.
func (s *pgStore) fillGroup(m map[string]any, id string) {
	m["id"] = id
	m["clusterId"] = pgClusterID
	m["isActive"] = true
	m["isDeleted"] = false
	if _, ok := m["isPaused"]; !ok {
		m["isPaused"] = false
	}
	if _, ok := m["priority"]; !ok {
		m["priority"] = "kMedium"
	}
	if _, ok := m["qosPolicy"]; !ok {
		m["qosPolicy"] = "kBackupHDD"
	}
	m["isProtectOnce"] = false
	m["numProtectedObjects"] = countObjects(m)
	m["lastModifiedTimestampUsecs"] = s.nowUsecs()
}

func (s *pgStore) findGroup(w http.ResponseWriter, r *http.Request, t *pgTenant, in *fake.Input) (string, bool) {
	id := in.PathParams["id"]
	if _, ok := t.groups[id]; !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "protection group with id "+id+" not found")
		return id, false
	}
	return id, true
}

func (s *pgStore) getGroup(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	lastRun, _ := pgBool(r, "includeLastRunInfo")
	if id, ok := s.findGroup(w, r, t, in); ok {
		WriteJSON(w, http.StatusOK, t.groupView(id, lastRun))
	}
}

func (s *pgStore) updateGroup(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	m, ok := pgBody(w, r, in)
	if !ok {
		return
	}
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findGroup(w, r, t, in)
	if !ok {
		return
	}
	prev := t.groups[id]
	if ts, ok := m["lastModifiedTimestampUsecs"]; ok {
		if pgNum(ts) != pgNum(prev["lastModifiedTimestampUsecs"]) {
			WriteError(w, r, http.StatusConflict, "StaleUpdate", "the protection group changed since lastModifiedTimestampUsecs")
			return
		}
	}
	if !s.checkGroup(w, r, t, m, id) {
		return
	}
	s.fillGroup(m, id)
	m["isActive"] = prev["isActive"]
	t.groups[id] = m
	WriteJSON(w, http.StatusOK, t.groupView(id, false))
}

func (s *pgStore) deleteGroup(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findGroup(w, r, t, in)
	if !ok {
		return
	}
	delete(t.groups, id)
	delete(t.runs, id)
	t.groupOrder = slices.DeleteFunc(t.groupOrder, func(o string) bool { return o == id })
	w.WriteHeader(http.StatusNoContent)
}

// --- runs ---

func pgTerminal(status string) bool {
	switch status {
	case "Succeeded", "SucceededWithWarning", "Failed", "Canceled", "Skipped", "Missed":
		return true
	}
	return false
}

// setStatus moves a run to status and keeps its summary consistent.
func (s *pgStore) setStatus(run *pgRun, status string) {
	run.status = status
	run.events = append(run.events, map[string]any{"message": "The run is " + status + ".", "occuredAtUsecs": s.nowUsecs()})
	info, _ := run.m["localBackupInfo"].(map[string]any)
	info["status"] = status
	if !pgTerminal(status) {
		return
	}
	info["endTimeUsecs"] = s.nowUsecs()
	objects, _ := run.m["objects"].([]any)
	n := int64(len(objects))
	switch status {
	case "Succeeded", "SucceededWithWarning":
		info["successfulObjectsCount"] = n
		run.m["hasLocalSnapshot"] = true
		info["localSnapshotStats"] = map[string]any{"logicalSizeBytes": 21474836480, "bytesWritten": 104857600, "bytesRead": 209715200}
		if status == "SucceededWithWarning" {
			info["messages"] = []string{"the fake warned about this run as its group's name asked"}
		}
	case "Failed":
		info["failedObjectsCount"] = n
		info["messages"] = []string{"the fake failed this run as its group's name asked"}
	default:
		info["cancelledObjectsCount"] = n
	}
}

// outcome is the final state of a run that was not canceled, which the
// name of its group chooses.
func outcome(run *pgRun) string {
	name, _ := run.m["protectionGroupName"].(string)
	switch name = strings.ToLower(name); {
	case strings.Contains(name, "fail"):
		return "Failed"
	case strings.Contains(name, "warn"):
		return "SucceededWithWarning"
	}
	return "Succeeded"
}

// advance moves a run one step on, as a read of the runs shows time passing.
func (s *pgStore) advance(run *pgRun) {
	switch run.status {
	case "Accepted":
		s.setStatus(run, "Running")
	case "Running":
		s.setStatus(run, outcome(run))
	case "Canceling":
		s.setStatus(run, "Canceled")
	}
}

var pgRunTypes = map[string]string{"kIncremental": "kRegular"}

func (s *pgStore) listRuns(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findGroup(w, r, t, in)
	if !ok {
		return
	}
	q := r.URL.Query()
	runID := q.Get("runId")
	statuses := pgList(r, "localBackupRunStatus")
	var types []string
	for _, rt := range pgList(r, "runTypes") {
		if m, ok := pgRunTypes[rt]; ok {
			rt = m
		}
		types = append(types, rt)
	}
	if slices.Contains(types, "kAll") {
		types = nil
	}
	limit := int64(100)
	if v, err := strconv.ParseInt(q.Get("numRuns"), 10, 64); err == nil && v > 0 {
		limit = v
	}
	start, hasStart := pgInt(q.Get("startTimeUsecs"))
	end, hasEnd := pgInt(q.Get("endTimeUsecs"))
	runs := t.runs[id]
	out := make([]map[string]any, 0, len(runs))
	total := int64(0)
	for i := len(runs) - 1; i >= 0; i-- { // newest first
		run := runs[i]
		info, _ := run.m["localBackupInfo"].(map[string]any)
		st := pgNum(info["startTimeUsecs"])
		switch {
		case runID != "" && run.m["id"] != runID,
			!pgMatches(statuses, run.status), !pgMatches(types, info["runType"]),
			hasStart && st < start, hasEnd && st > end:
			continue
		}
		total++
		if int64(len(out)) < limit {
			out = append(out, pgClone(run.m))
		}
	}
	body := map[string]any{"runs": out}
	if hasStart || hasEnd {
		body["totalRuns"] = total
	}
	WriteJSON(w, http.StatusOK, body)
	for _, run := range runs {
		s.advance(run)
	}
}

// pgNum reads a number stored from JSON (float64) or by the fake (int, int64).
func pgNum(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case int:
		return int64(n)
	case int64:
		return n
	}
	return 0
}

func pgInt(v string) (int64, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

func (s *pgStore) createRun(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	m, ok := pgBody(w, r, in)
	if !ok {
		return
	}
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findGroup(w, r, t, in)
	if !ok {
		return
	}
	g := t.groups[id]
	if g["isActive"] != true {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "protection group "+id+" is not active")
		return
	}
	for _, run := range t.runs[id] {
		if !pgTerminal(run.status) {
			WriteError(w, r, http.StatusConflict, "RunInProgress", "protection group "+id+" already has run "+run.m["id"].(string)+" in progress")
			return
		}
	}
	instance := int64(len(t.runs[id]) + 1)
	start := s.nowUsecs()
	env, _ := g["environment"].(string)
	objects := runObjects(g)
	run := &pgRun{status: "Accepted", m: map[string]any{
		"id":                        fmt.Sprintf("%d:%d", instance, start),
		"protectionGroupInstanceId": instance,
		"protectionGroupId":         id,
		"protectionGroupName":       g["name"],
		"isReplicationRun":          false,
		"isLocalSnapshotsDeleted":   false,
		"objects":                   objects,
		"localBackupInfo": map[string]any{
			"runType": m["runType"], "isSlaViolated": false, "startTimeUsecs": start, "status": "Accepted",
			"successfulObjectsCount": int64(0), "skippedObjectsCount": int64(0), "failedObjectsCount": int64(0),
			"cancelledObjectsCount": int64(0), "localTaskId": strconv.FormatInt(start%100000, 10),
			"progressTaskId": runTaskPath(id, instance, start),
		},
		"onLegalHold":      false,
		"hasLocalSnapshot": false,
		"environment":      env,
	}}
	run.events = []map[string]any{{"message": "The run is Accepted.", "occuredAtUsecs": start}}
	t.runs[id] = append(t.runs[id], run)
	WriteJSON(w, http.StatusAccepted, map[string]any{"protectionGroupId": id})
}

func (t *pgTenant) findRun(group, runID string) *pgRun {
	for _, run := range t.runs[group] {
		if run.m["id"] == runID {
			return run
		}
	}
	return nil
}

type pgRunUpdate struct {
	RunID               string         `json:"runId"`
	LocalSnapshotConfig map[string]any `json:"localSnapshotConfig"`
}

func (s *pgStore) updateRuns(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req struct {
		Params []pgRunUpdate `json:"updateProtectionGroupRunParams"`
	}
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findGroup(w, r, t, in)
	if !ok {
		return
	}
	okIDs, failed := []string{}, []map[string]any{}
	fail := func(runID, msg string) { failed = append(failed, map[string]any{"runId": runID, "errorMessage": msg}) }
	for _, p := range req.Params {
		run := t.findRun(id, p.RunID)
		switch {
		case run == nil:
			fail(p.RunID, "Run not found.")
			continue
		case run.m["hasLocalSnapshot"] != true:
			fail(p.RunID, "Run has no local snapshot.")
			continue
		}
		if c := p.LocalSnapshotConfig; c != nil {
			if hold, ok := c["enableLegalHold"].(bool); ok {
				run.m["onLegalHold"] = hold
			}
			if lock, ok := c["dataLock"].(string); ok {
				run.m["localBackupInfo"].(map[string]any)["dataLock"] = lock
			}
			if c["deleteSnapshot"] == true {
				if run.m["onLegalHold"] == true {
					fail(p.RunID, "Run is on legal hold.")
					continue
				}
				run.m["isLocalSnapshotsDeleted"] = true
				run.m["hasLocalSnapshot"] = false
			}
		}
		okIDs = append(okIDs, p.RunID)
	}
	WriteJSON(w, http.StatusMultiStatus, map[string]any{"successfulRunIds": okIDs, "failedRuns": failed})
}

type pgRunRef struct {
	RunID string `json:"runId"`
}

func (s *pgStore) runAction(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req struct {
		Action string     `json:"action"`
		Pause  []pgRunRef `json:"pauseParams"`
		Resume []pgRunRef `json:"resumeParams"`
		Cancel []pgRunRef `json:"cancelParams"`
	}
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findGroup(w, r, t, in)
	if !ok {
		return
	}
	refs := map[string][]pgRunRef{"Pause": req.Pause, "Resume": req.Resume, "Cancel": req.Cancel}[req.Action]
	if len(refs) == 0 {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", req.Action+" names no runs")
		return
	}
	if req.Action == "Cancel" {
		// Cancel answers no per-run error: refuse the whole request.
		for _, ref := range refs {
			run := t.findRun(id, ref.RunID)
			if run == nil {
				WriteError(w, r, http.StatusNotFound, "NotFound", "run "+ref.RunID+" of protection group "+id+" not found")
				return
			}
			if pgTerminal(run.status) {
				WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "run "+ref.RunID+" has already finished")
				return
			}
		}
		out := []map[string]any{}
		for _, ref := range refs {
			run := t.findRun(id, ref.RunID)
			if run.status != "Canceling" {
				s.setStatus(run, "Canceling")
			}
			out = append(out, map[string]any{"runId": ref.RunID})
		}
		WriteJSON(w, http.StatusAccepted, map[string]any{"action": "Cancel", "cancelParams": out})
		return
	}
	out := []map[string]any{}
	for _, ref := range refs {
		item := map[string]any{"runId": ref.RunID}
		run := t.findRun(id, ref.RunID)
		switch {
		case run == nil:
			item["error"] = "run not found"
		case req.Action == "Pause" && (run.status == "Accepted" || run.status == "Running"):
			s.setStatus(run, "Paused")
		case req.Action == "Resume" && run.status == "Paused":
			s.setStatus(run, "Running")
		default:
			item["error"] = "cannot " + strings.ToLower(req.Action) + " a run that is " + run.status
		}
		out = append(out, item)
	}
	key := map[string]string{"Pause": "pauseParams", "Resume": "resumeParams"}[req.Action]
	WriteJSON(w, http.StatusAccepted, map[string]any{"action": req.Action, key: out})
}
