package vbawsfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// doc is a resource as the API shows it. The workloads keep their
// policies, resources and restore points as JSON objects: the engine
// checks every answer against the spec, and one implementation serves the
// four workloads whose schemas differ in their members only.
type doc = map[string]any

// region is an AWS Region the fake knows.
type region struct {
	id   uuid.UUID
	name string
}

// The AWS Regions of the seeded resources.
var (
	regionUSEast1 = region{uuid.MustParse("5a2bd2b7-6f4b-4b9b-8f3c-8a3c0a4f2b11"), "us-east-1"}
	regionEUWest1 = region{uuid.MustParse("7c1e9d55-0b0e-4d7a-9a51-3f3f1f0b6c22"), "eu-west-1"}
	regions       = []region{regionUSEast1, regionEUWest1}
)

func regionByID(id string) (region, bool) {
	for _, r := range regions {
		if r.id.String() == id {
			return r, true
		}
	}
	return region{}, false
}

// workload is the state of one kind of protected resource (EC2, RDS, EFS,
// DynamoDB): its backup policies, its resources and its restore points.
type workload struct {
	f     *Fake
	label string // EC2, RDS, ...
	// resFilter is the query parameter that names a resource in the
	// policy and restore point lists (VirtualMachineId, RdsId, ...);
	// rpResKey the member of a restore point that holds it; itemsKey the
	// member of selectedItems that lists resource IDs.
	resFilter, rpResKey, itemsKey string
	timeKey                       string // restore point member with its creation time
	// newPoint makes the restore point a backup of res creates.
	newPoint func(res doc, policyID uuid.UUID, at time.Time) doc

	mu        sync.Mutex
	policies  map[uuid.UUID]*policyState
	porder    []uuid.UUID
	resources []doc
	points    map[uuid.UUID]doc
	rporder   []uuid.UUID
	usn       int64
}

type policyState struct {
	doc      doc
	starting bool
	running  uuid.UUID
}

func newWorkload(f *Fake, label, resFilter, rpResKey, itemsKey, timeKey string, newPoint func(doc, uuid.UUID, time.Time) doc) *workload {
	return &workload{f: f, label: label, resFilter: resFilter, rpResKey: rpResKey, itemsKey: itemsKey, timeKey: timeKey,
		newPoint: newPoint, policies: map[uuid.UUID]*policyState{}, points: map[uuid.UUID]doc{}}
}

// handlers returns the workload's handlers by operation id; ids gives the
// operation ids of the workload.
func (wl *workload) handlers(ids workloadOps) map[string]fake.HandlerFunc {
	m := map[string]fake.HandlerFunc{
		ids.list: wl.listPolicies, ids.create: wl.createPolicy, ids.get: wl.getPolicy, ids.update: wl.updatePolicy,
		ids.delete: wl.deletePolicy, ids.start: wl.startPolicy, ids.stop: wl.stopPolicy,
		ids.enable: wl.enablePolicy(true), ids.disable: wl.enablePolicy(false),
		ids.resList: wl.listResources, ids.resGet: wl.getResource, ids.rpList: wl.listPoints, ids.rpGet: wl.getPoint,
	}
	return m
}

type workloadOps struct {
	list, create, get, update, delete, start, stop, enable, disable string
	resList, resGet, rpList, rpGet                                  string
}

func str(d doc, key string) string {
	s, _ := d[key].(string)
	return s
}

func clone(d doc) doc {
	b, _ := json.Marshal(d)
	var out doc
	_ = json.Unmarshal(b, &out)
	return out
}

func (wl *workload) nextUSN() int64 {
	wl.usn++
	return wl.usn
}

// ---------------------------------------------------------------- resources

// addResource stores a resource; it must have id, name and a region.
func (wl *workload) addResource(d doc) {
	wl.mu.Lock()
	wl.resources = append(wl.resources, d)
	wl.mu.Unlock()
}

func (wl *workload) resourceLocked(id string) doc {
	for _, d := range wl.resources {
		if str(d, "id") == id {
			return d
		}
	}
	return nil
}

func resourceRegion(d doc) (id, name string) {
	loc, _ := d["region"].(doc)
	if loc == nil {
		loc, _ = d["location"].(doc)
	}
	return str(loc, "id"), str(loc, "name")
}

// coveredLocked lists the resources a policy protects: the selected ones,
// or every resource of its regions, less the excluded ones.
func (wl *workload) coveredLocked(p doc) []doc {
	ids := func(key string) []string {
		items, _ := p[key].(doc)
		list, _ := items[wl.itemsKey].([]any)
		out := make([]string, 0, len(list))
		for _, v := range list {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	var regionIDs []string
	if list, ok := p["regionIds"].([]any); ok {
		for _, v := range list {
			if s, ok := v.(string); ok {
				regionIDs = append(regionIDs, s)
			}
		}
	}
	selected, excluded := ids("selectedItems"), ids("excludedItems")
	var out []doc
	for _, d := range wl.resources {
		id := str(d, "id")
		if slices.Contains(excluded, id) {
			continue
		}
		if str(p, "backupType") == string(vbawsapi.PolicySelectionTypesSelectedItems) {
			if slices.Contains(selected, id) {
				out = append(out, d)
			}
			continue
		}
		if rid, _ := resourceRegion(d); len(regionIDs) == 0 || slices.Contains(regionIDs, rid) {
			out = append(out, d)
		}
	}
	return out
}

// protectedLocked reports whether an enabled policy protects a resource.
func (wl *workload) protectedLocked(id string) bool {
	for _, pid := range wl.porder {
		p := wl.policies[pid].doc
		if p["isEnabled"] != true {
			continue
		}
		for _, d := range wl.coveredLocked(p) {
			if str(d, "id") == id {
				return true
			}
		}
	}
	return false
}

func (wl *workload) viewResourceLocked(d doc) doc {
	out := clone(d)
	out["protectionStatus"] = string(vbawsapi.VirtualMachineProtectionStatusesUnprotected)
	if wl.protectedLocked(str(d, "id")) {
		out["protectionStatus"] = string(vbawsapi.VirtualMachineProtectionStatusesProtected)
	}
	return out
}

func (wl *workload) listResources(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	wl.mu.Lock()
	var all []doc
	for _, d := range wl.resources {
		v := wl.viewResourceLocked(d)
		rid, _ := resourceRegion(d)
		switch {
		case !matches(str(d, "name"), q.Get("SearchPattern")),
			q.Get("RegionId") != "" && rid != q.Get("RegionId"),
			q.Get("ResourceAwsAccountId") != "" && str(d, "resourceAwsAccountId") != q.Get("ResourceAwsAccountId"),
			q.Get("ProtectionStatus") != "" && str(v, "protectionStatus") != q.Get("ProtectionStatus"),
			len(q["EngineType"]) > 0 && !slices.Contains(q["EngineType"], str(d, "engine")):
			continue
		}
		all = append(all, v)
	}
	wl.mu.Unlock()
	writePage(w, r, all)
}

func (wl *workload) getResource(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, ok := wl.f.pathID(w, r, in, firstParam(in))
	if !ok {
		return
	}
	wl.mu.Lock()
	d := wl.resourceLocked(id.String())
	var v doc
	if d != nil {
		v = wl.viewResourceLocked(d)
	}
	wl.mu.Unlock()
	if d == nil {
		wl.f.notFound(w, r, "the "+wl.label+" resource "+id.String())
		return
	}
	veeamfake.WriteJSON(w, http.StatusOK, v)
}

// firstParam is the name of the only path parameter of an operation.
func firstParam(in *fake.Input) string {
	for k := range in.PathParams {
		return k
	}
	return ""
}

func writePage(w http.ResponseWriter, r *http.Request, all []doc) {
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, doc{"results": orEmpty(page), "totalCount": len(all)})
}

// ---------------------------------------------------------------- policies

func (wl *workload) policyByPath(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, *policyState, bool) {
	id, ok := wl.f.pathID(w, r, in, "policyId")
	if !ok {
		return id, nil, false
	}
	p, ok := wl.policies[id]
	if !ok {
		wl.f.notFound(w, r, "the "+wl.label+" backup policy "+id.String())
	}
	return id, p, ok
}

func (wl *workload) listPolicies(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	wl.mu.Lock()
	var all []doc
	for _, id := range wl.porder {
		p := wl.policies[id].doc
		switch {
		case !matches(str(p, "name"), q.Get("SearchPattern")),
			q.Get("IsEnabled") != "" && strconv.FormatBool(p["isEnabled"] == true) != q.Get("IsEnabled"),
			len(q["LastPolicySessionStatus"]) > 0 && !slices.Contains(q["LastPolicySessionStatus"], str(p, "lastPolicySessionStatus")),
			q.Get(wl.resFilter) != "" && !slices.ContainsFunc(wl.coveredLocked(p), func(d doc) bool { return str(d, "id") == q.Get(wl.resFilter) }):
			continue
		}
		all = append(all, clone(p))
	}
	wl.mu.Unlock()
	for _, s := range slices.Backward(q["Sort"]) {
		sortDocs(all, s)
	}
	writePage(w, r, all)
}

// sortDocs sorts by a Sort value such as nameAsc or priorityDesc.
func sortDocs(all []doc, s string) {
	key, desc := strings.TrimSuffix(strings.TrimSuffix(s, "Asc"), "Desc"), strings.HasSuffix(s, "Desc")
	if key == "size" {
		key = "backupSizeBytes"
	}
	slices.SortStableFunc(all, func(a, b doc) int {
		var c int
		switch av := a[key].(type) {
		case string:
			c = strings.Compare(strings.ToLower(av), strings.ToLower(str(b, key)))
		case float64, int, int64:
			c = compareNum(num(a[key]), num(b[key]))
		}
		if desc {
			return -c
		}
		return c
	})
}

func num(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return 0
}

func compareNum(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// checkSpecLocked refuses what the appliance would: a duplicate name, or
// regions and resources it does not know.
func (wl *workload) checkSpecLocked(w http.ResponseWriter, r *http.Request, spec doc, self uuid.UUID) bool {
	name := strings.TrimSpace(str(spec, "name"))
	if name == "" {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "the policy name is empty")
		return false
	}
	for _, id := range wl.porder {
		if id != self && strings.EqualFold(str(wl.policies[id].doc, "name"), name) {
			veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", fmt.Sprintf("a %s backup policy named %q exists already", wl.label, name))
			return false
		}
	}
	if list, ok := spec["regionIds"].([]any); ok {
		for _, v := range list {
			if s, _ := v.(string); s != "" {
				if _, ok := regionByID(s); !ok {
					veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "unknown AWS Region "+s)
					return false
				}
			}
		}
	}
	for _, key := range []string{"selectedItems", "excludedItems"} {
		items, _ := spec[key].(doc)
		list, _ := items[wl.itemsKey].([]any)
		for _, v := range list {
			if s, _ := v.(string); wl.resourceLocked(s) == nil {
				veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", fmt.Sprintf("%s: no %s resource %v", key, wl.label, v))
				return false
			}
		}
	}
	if str(spec, "backupType") == string(vbawsapi.PolicySelectionTypesSelectedItems) {
		items, _ := spec["selectedItems"].(doc)
		if list, _ := items[wl.itemsKey].([]any); len(list) == 0 {
			if tags, _ := items["tagIds"].([]any); len(tags) == 0 {
				veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "a SelectedItems policy selects nothing")
				return false
			}
		}
	}
	return true
}

// AddPolicy stores a policy (spec as JSON-like members) for a seed or a
// test and returns its ID.
func (wl *workload) addPolicyLocked(spec doc) uuid.UUID {
	id := uuid.New()
	p := clone(spec)
	p["id"] = id.String()
	p["isEnabled"] = true
	p["priority"] = len(wl.porder) + 1
	p["createdBy"] = "admin"
	p["lastPolicySessionStatus"] = string(vbawsapi.SessionStatusNeverExecuted)
	p["usn"] = wl.nextUSN()
	wl.policies[id] = &policyState{doc: p}
	wl.porder = append(wl.porder, id)
	return id
}

func (wl *workload) createPolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec doc
	if !decodeBody(w, r, in, &spec) {
		return
	}
	wl.mu.Lock()
	defer wl.mu.Unlock()
	if !wl.checkSpecLocked(w, r, spec, uuid.Nil) {
		return
	}
	id := wl.addPolicyLocked(spec)
	veeamfake.WriteJSON(w, http.StatusCreated, wl.policies[id].doc)
}

func (wl *workload) getPolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	if _, p, ok := wl.policyByPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, p.doc)
	}
}

func (wl *workload) updatePolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec doc
	if !decodeBody(w, r, in, &spec) {
		return
	}
	wl.mu.Lock()
	defer wl.mu.Unlock()
	id, p, ok := wl.policyByPath(w, r, in)
	if !ok || !wl.checkSpecLocked(w, r, spec, id) {
		return
	}
	next := clone(spec)
	for _, k := range []string{"id", "isEnabled", "priority", "createdBy", "lastPolicySessionStatus"} {
		if v, ok := p.doc[k]; ok {
			next[k] = v
		}
	}
	next["modifiedBy"] = "admin"
	next["usn"] = wl.nextUSN()
	p.doc = next
	veeamfake.WriteJSON(w, http.StatusOK, next)
}

func (wl *workload) deletePolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	id, p, ok := wl.policyByPath(w, r, in)
	if !ok {
		return
	}
	if p.running != uuid.Nil || p.starting {
		veeamfake.WriteError(w, r, http.StatusConflict, "UnknownError", "the policy "+id.String()+" is running; stop it first")
		return
	}
	delete(wl.policies, id)
	wl.porder = slices.DeleteFunc(wl.porder, func(x uuid.UUID) bool { return x == id })
	w.WriteHeader(http.StatusNoContent)
}

func (wl *workload) enablePolicy(enabled bool) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		wl.mu.Lock()
		defer wl.mu.Unlock()
		if _, p, ok := wl.policyByPath(w, r, in); ok {
			p.doc["isEnabled"] = enabled
			p.doc["usn"] = wl.nextUSN()
			w.WriteHeader(http.StatusOK)
		}
	}
}

// startPolicy runs a backup session; when it succeeds every resource the
// policy covers gets a restore point.
func (wl *workload) startPolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.mu.Lock()
	id, p, ok := wl.policyByPath(w, r, in)
	if !ok {
		wl.mu.Unlock()
		return
	}
	if p.running != uuid.Nil || p.starting {
		wl.mu.Unlock()
		veeamfake.WriteError(w, r, http.StatusConflict, "UnknownError", "the policy "+id.String()+" has already started")
		return
	}
	p.starting = true
	covered := wl.coveredLocked(p.doc)
	items := make([]sessionItem, 0, len(covered))
	for _, d := range covered {
		_, rname := resourceRegion(d)
		items = append(items, sessionItem{id: uuid.MustParse(str(d, "id")), name: str(d, "name"), region: rname})
	}
	wl.mu.Unlock()
	// The session log calls back with its own lock held; the workload is
	// never locked while the log is called.
	link := wl.f.log.startWith("Policy", sessionOpts{policyID: id, items: items,
		onStart: func(sid uuid.UUID) {
			wl.mu.Lock()
			p.starting, p.running = false, sid
			p.doc["lastPolicySessionStatus"] = string(vbawsapi.SessionStatusRunning)
			wl.mu.Unlock()
		},
		onEnd: func(sid uuid.UUID, status vbawsapi.SessionStatus) { wl.backupEnded(id, sid, status, covered) },
	})
	veeamfake.WriteJSON(w, http.StatusAccepted, link)
}

func (wl *workload) backupEnded(policyID, sid uuid.UUID, status vbawsapi.SessionStatus, covered []doc) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	if p, ok := wl.policies[policyID]; ok && p.running == sid {
		p.running = uuid.Nil
		p.doc["lastPolicySessionStatus"] = string(status)
		p.doc["usn"] = wl.nextUSN()
	}
	if status != vbawsapi.SessionStatusSucceeded {
		return
	}
	now := time.Now().UTC()
	for _, d := range covered {
		wl.addPointLocked(wl.newPoint(d, policyID, now))
	}
}

func (wl *workload) addPointLocked(pt doc) {
	id := uuid.MustParse(str(pt, "id"))
	wl.points[id] = pt
	wl.rporder = append(wl.rporder, id)
}

func (wl *workload) stopPolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.mu.Lock()
	id, p, ok := wl.policyByPath(w, r, in)
	var sid uuid.UUID
	if ok {
		sid = p.running
	}
	wl.mu.Unlock()
	if !ok {
		return
	}
	if sid == uuid.Nil {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "the policy "+id.String()+" is not running")
		return
	}
	if _, stopped := wl.f.log.stop(sid); !stopped {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "the policy "+id.String()+" is not running")
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// ---------------------------------------------------------------- restore points

func (wl *workload) listPoints(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	wl.mu.Lock()
	var all []doc
	for _, id := range wl.rporder {
		pt := wl.points[id]
		switch {
		case q.Get(wl.resFilter) != "" && str(pt, wl.rpResKey) != q.Get(wl.resFilter),
			q.Get("RestorePointAwsAccountId") != "" && str(pt, "restorePointAwsAccountId") != q.Get("RestorePointAwsAccountId"):
			continue
		}
		all = append(all, clone(pt))
	}
	wl.mu.Unlock()
	for _, s := range slices.Backward(q["Sort"]) {
		sortDocs(all, s)
	}
	writePage(w, r, all)
}

func (wl *workload) pointByPath(w http.ResponseWriter, r *http.Request, in *fake.Input) (doc, bool) {
	id, ok := wl.f.pathID(w, r, in, "restorePointId")
	if !ok {
		return nil, false
	}
	wl.mu.Lock()
	pt, ok := wl.points[id]
	if ok {
		pt = clone(pt)
	}
	wl.mu.Unlock()
	if !ok {
		wl.f.notFound(w, r, "the "+wl.label+" restore point "+id.String())
	}
	return pt, ok
}

func (wl *workload) getPoint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	if pt, ok := wl.pointByPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, pt)
	}
}

// restore starts a restore session from the restore point of the path;
// target names what it restores (from the body), or "" for the original.
func (wl *workload) restore(target func(body doc, pt doc) []string) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		var body doc
		if !decodeBody(w, r, in, &body) {
			return
		}
		pt, ok := wl.pointByPath(w, r, in)
		if !ok {
			return
		}
		wl.mu.Lock()
		res := wl.resourceLocked(str(pt, wl.rpResKey))
		wl.mu.Unlock()
		var rname string
		if res != nil {
			_, rname = resourceRegion(res)
		}
		var items []sessionItem
		for _, name := range target(body, pt) {
			if name == "" && res != nil {
				name = str(res, "name")
			}
			items = append(items, sessionItem{name: name, region: rname})
		}
		link := wl.f.log.startWith("RestoreTask", sessionOpts{items: items, restore: true})
		veeamfake.WriteJSON(w, http.StatusAccepted, link)
	}
}

// validate answers the messages a restore with the body would raise:
// restoring under the name of an existing resource is an error.
func (wl *workload) validate(nameOf func(body doc) string) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		var body doc
		if !decodeBody(w, r, in, &body) {
			return
		}
		pt, ok := wl.pointByPath(w, r, in)
		if !ok {
			return
		}
		msgs := []vbawsapi.ValidationMessage{}
		wl.mu.Lock()
		if name := nameOf(body); name != "" {
			for _, d := range wl.resources {
				if strings.EqualFold(str(d, "name"), name) {
					msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError,
						Message: fmt.Sprintf("a %s resource named %q exists already", wl.label, name), ContextID: ptr(uuid.MustParse(str(pt, "id")))})
				}
			}
		}
		if wl.resourceLocked(str(pt, wl.rpResKey)) == nil {
			msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityWarning,
				Message: "the source resource no longer exists; restore to a new location"})
		}
		wl.mu.Unlock()
		veeamfake.WriteJSON(w, http.StatusOK, msgs)
	}
}

// startFlr mounts a restore point: a file-level recovery session that runs
// until it is stopped.
func (wl *workload) startFlr(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body doc
	if !decodeBody(w, r, in, &body) {
		return
	}
	if _, ok := wl.pointByPath(w, r, in); !ok {
		return
	}
	link := wl.f.log.startWith("FLRTask", sessionOpts{sticky: true})
	veeamfake.WriteJSON(w, http.StatusAccepted, vbawsapi.StartFlrResponse{SessionID: link.SessionID,
		URL: "https://" + r.Host + "/flr/" + link.SessionID.String(), Links: link.Links})
}
