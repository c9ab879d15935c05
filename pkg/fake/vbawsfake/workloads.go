package vbawsfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
// DynamoDB, FSx, Redshift): its backup policies, its resources and its
// restore points. A policy start records a session; when it ends Succeeded,
// every resource the policy covers gets a restore point.
type workload struct {
	f     *Fake
	label string // EC2, RDS, ...
	// resFilter is the query parameter that names a resource in the
	// policy and restore point lists (VirtualMachineId, RdsId, ...);
	// rpResKey the member of a restore point that holds it; itemsKey the
	// member of a policy (of its selectedItems, unless flat) that lists
	// resource IDs.
	resFilter, rpResKey, itemsKey string
	// newPoint makes the restore point a backup of res creates.
	newPoint func(res doc, policyID uuid.UUID, at time.Time) doc
	shape

	mu        sync.Mutex
	policies  map[uuid.UUID]*policyState
	porder    []uuid.UUID
	resources []doc
	points    map[uuid.UUID]doc
	rporder   []uuid.UUID
	usn       int64
}

// shape is what sets the two generations of workloads in the API apart:
// EC2, RDS, EFS and DynamoDB (classic) answer and refuse one way, FSx and
// Redshift (flatShape) another.
type shape struct {
	// flat: a policy lists the IDs of its resources in itemsKey and covers
	// exactly those; otherwise it covers those of its selectedItems (or of
	// its regions), less its excludedItems. The resources of a flat
	// workload say isProtected, the others protectionStatus.
	flat      bool
	statusKey string // the policy member with the status of its last session
	links     string // where the policies are, for their self links ("" for none)
	// backupKind and restoreKind are the types of the sessions.
	backupKind, restoreKind string
	toggled, stopped        int      // the statuses of an enable or disable and of a stop
	busy                    apiError // a start of a running policy, or its delete unless deleteRunning
	idle                    apiError // a stop of a policy that is not running
	missing                 apiError // a policy naming a resource that does not exist
	deleteRunning           bool
}

// apiError is an error answer: its status and error code.
type apiError struct {
	status int
	code   string
}

func (e apiError) write(w http.ResponseWriter, r *http.Request, msg string) {
	veeamfake.WriteError(w, r, e.status, e.code, msg)
}

var classic = shape{statusKey: "lastPolicySessionStatus", backupKind: "Policy", restoreKind: "RestoreTask",
	toggled: http.StatusOK, stopped: http.StatusAccepted,
	busy: apiError{http.StatusConflict, "UnknownError"}, idle: apiError{http.StatusBadRequest, "UnexpectedContent"},
	missing: apiError{http.StatusBadRequest, "UnexpectedContent"}}

// flatShape is the shape of the FSx and Redshift workloads, named name in
// session types and served under /api/v1/<path>.
func flatShape(name, path string) shape {
	return shape{flat: true, statusKey: "lastSessionStatus", links: "/api/v1/" + path + "/policies/",
		backupKind: name + "Policy", restoreKind: name + "Restore", toggled: http.StatusNoContent, stopped: http.StatusNoContent,
		busy: apiError{http.StatusBadRequest, "AccessDenied"}, idle: apiError{http.StatusBadRequest, "AccessDenied"},
		missing: apiError{http.StatusNotFound, "NotFound"}, deleteRunning: true}
}

type policyState struct {
	doc      doc
	starting bool
	running  uuid.UUID
}

func newWorkload(f *Fake, label, resFilter, rpResKey, itemsKey string, sh shape, newPoint func(doc, uuid.UUID, time.Time) doc) *workload {
	return &workload{f: f, label: label, resFilter: resFilter, rpResKey: rpResKey, itemsKey: itemsKey, shape: sh,
		newPoint: newPoint, policies: map[uuid.UUID]*policyState{}, points: map[uuid.UUID]doc{}}
}

// handlers returns the workload's handlers by operation id; ids gives the
// operation ids of the workload (an empty one is not served).
func (wl *workload) handlers(ids workloadOps) map[string]fake.HandlerFunc {
	m := map[string]fake.HandlerFunc{
		ids.list: wl.listPolicies, ids.create: wl.createPolicy, ids.get: wl.getPolicy, ids.update: wl.updatePolicy,
		ids.delete: wl.deletePolicy, ids.start: wl.startPolicy, ids.stop: wl.stopPolicy,
		ids.enable: wl.enablePolicy(true), ids.disable: wl.enablePolicy(false),
		ids.resList: wl.listResources, ids.resGet: wl.getResource, ids.rpList: wl.listPoints, ids.rpGet: wl.getPoint,
	}
	delete(m, "")
	return m
}

type workloadOps struct {
	list, create, get, update, delete, start, stop, enable, disable string
	resList, resGet, rpList, rpGet                                  string
}

// namedOps are the operation ids of a workload named after n (Rds, Efs,
// DynamoDb, Fsx, Redshift).
func namedOps(n string) workloadOps {
	return workloadOps{list: n + "PoliciesGetAll", create: "Create" + n + "Policy", get: n + "PoliciesGetOneById", update: "Update" + n + "Policy",
		delete: "Delete" + n + "Policy", start: "Start" + n + "Policy", stop: "Stop" + n + "Policy", enable: "Enable" + n + "Policy", disable: "Disable" + n + "Policy",
		resList: n + "GetAll", resGet: n + "GetOneById", rpList: n + "RestorePointsGetAll", rpGet: n + "RestorePointsGetOneById"}
}

func str(d doc, key string) string {
	s, _ := d[key].(string)
	return s
}

// strs returns the strings of the list member key of d.
func strs(d doc, key string) []string {
	list, _ := d[key].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
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

// nameTakenLocked reports whether a resource has the name, in any case.
func (wl *workload) nameTakenLocked(name string) bool {
	return slices.ContainsFunc(wl.resources, func(d doc) bool { return strings.EqualFold(str(d, "name"), name) })
}

// resourceRegion reads the region of a resource: its region or location
// member, or (flat workloads) its regionName.
func resourceRegion(d doc) (id, name string) {
	loc, _ := d["region"].(doc)
	if loc == nil {
		loc, _ = d["location"].(doc)
	}
	if loc == nil {
		return "", str(d, "regionName")
	}
	return str(loc, "id"), str(loc, "name")
}

// listed returns the resource IDs a policy or spec lists under key
// (selectedItems or excludedItems).
func (wl *workload) listed(p doc, key string) []string {
	if !wl.flat {
		items, _ := p[key].(doc)
		return strs(items, wl.itemsKey)
	}
	if key == "selectedItems" {
		return strs(p, wl.itemsKey)
	}
	return nil
}

// coveredLocked lists the resources a policy protects: the selected ones,
// or every resource of its regions, less the excluded ones.
func (wl *workload) coveredLocked(p doc) []doc {
	regionIDs := strs(p, "regionIds")
	selectedOnly := wl.flat || str(p, "backupType") == string(vbawsapi.PolicySelectionTypesSelectedItems)
	selected, excluded := wl.listed(p, "selectedItems"), wl.listed(p, "excludedItems")
	var out []doc
	for _, d := range wl.resources {
		id := str(d, "id")
		rid, _ := resourceRegion(d)
		switch {
		case slices.Contains(excluded, id):
		case selectedOnly:
			if slices.Contains(selected, id) {
				out = append(out, d)
			}
		case len(regionIDs) == 0 || slices.Contains(regionIDs, rid):
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
	protected := wl.protectedLocked(str(d, "id"))
	switch {
	case wl.flat:
		out["isProtected"] = protected
	case protected:
		out["protectionStatus"] = string(vbawsapi.VirtualMachineProtectionStatusesProtected)
	default:
		out["protectionStatus"] = string(vbawsapi.VirtualMachineProtectionStatusesUnprotected)
	}
	return out
}

// queryMismatch reports whether a query parameter is given and differs
// from got.
func queryMismatch(q url.Values, name, got string) bool {
	return q.Get(name) != "" && q.Get(name) != got
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
			queryMismatch(q, "RegionId", rid),
			queryMismatch(q, "ResourceAwsAccountId", str(d, "resourceAwsAccountId")),
			queryMismatch(q, "ProtectionStatus", str(v, "protectionStatus")),
			queryMismatch(q, "IsProtected", strconv.FormatBool(v["isProtected"] == true)),
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
	writeTypedPage(w, r, all, "Offset", "Limit")
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
			queryMismatch(q, "IsEnabled", strconv.FormatBool(p["isEnabled"] == true)),
			len(q["LastPolicySessionStatus"]) > 0 && !slices.Contains(q["LastPolicySessionStatus"], str(p, wl.statusKey)),
			q.Get(wl.resFilter) != "" && !slices.ContainsFunc(wl.coveredLocked(p), func(d doc) bool { return str(d, "id") == q.Get(wl.resFilter) }):
			continue
		}
		all = append(all, clone(p))
	}
	wl.mu.Unlock()
	sortDocs(all, q["Sort"])
	writePage(w, r, all)
}

// sortDocs sorts by Sort values such as nameAsc or priorityDesc, the first
// the main order: strings in any case, numbers, and times as times.
func sortDocs(all []doc, sorts []string) {
	for _, s := range slices.Backward(sorts) {
		key, desc := strings.TrimSuffix(strings.TrimSuffix(s, "Asc"), "Desc"), strings.HasSuffix(s, "Desc")
		if _, ok := firstOf(all)["size"]; key == "size" && !ok {
			key = "backupSizeBytes"
		}
		slices.SortStableFunc(all, func(a, b doc) int {
			c := compareValues(a[key], b[key])
			if desc {
				return -c
			}
			return c
		})
	}
}

func firstOf(all []doc) doc {
	if len(all) == 0 {
		return nil
	}
	return all[0]
}

func compareValues(a, b any) int {
	as, aok := a.(string)
	bs, bok := b.(string)
	if !aok && !bok {
		return cmp.Compare(num(a), num(b))
	}
	if at, err := time.Parse(time.RFC3339Nano, as); err == nil {
		if bt, err := time.Parse(time.RFC3339Nano, bs); err == nil {
			return at.Compare(bt)
		}
	}
	return strings.Compare(strings.ToLower(as), strings.ToLower(bs))
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

// checkSpecLocked refuses what the appliance would: a duplicate name, or
// regions and resources it does not know.
func (wl *workload) checkSpecLocked(w http.ResponseWriter, r *http.Request, spec doc, self uuid.UUID) bool {
	name := strings.TrimSpace(str(spec, "name"))
	if name == "" {
		badRequest(w, r, "the policy name is empty")
		return false
	}
	for _, id := range wl.porder {
		if id != self && strings.EqualFold(str(wl.policies[id].doc, "name"), name) {
			badRequest(w, r, fmt.Sprintf("a %s backup policy named %q exists already", wl.label, name))
			return false
		}
	}
	for _, s := range strs(spec, "regionIds") {
		if _, ok := regionByID(s); !ok {
			badRequest(w, r, "unknown AWS Region "+s)
			return false
		}
	}
	for _, key := range []string{"selectedItems", "excludedItems"} {
		for _, s := range wl.listed(spec, key) {
			if wl.resourceLocked(s) == nil {
				wl.missing.write(w, r, fmt.Sprintf("%s: no %s resource %s", key, wl.label, s))
				return false
			}
		}
	}
	if !wl.flat && str(spec, "backupType") == string(vbawsapi.PolicySelectionTypesSelectedItems) {
		items, _ := spec["selectedItems"].(doc)
		if len(wl.listed(spec, "selectedItems")) == 0 && len(strs(items, "tagIds")) == 0 {
			badRequest(w, r, "a SelectedItems policy selects nothing")
			return false
		}
	}
	return true
}

// policyFromSpec is the policy a spec makes: its members, with those the
// appliance owns kept from prev (nil for a new policy). A spec's isEnabled
// wins; a new policy is enabled otherwise.
func (wl *workload) policyFromSpec(spec doc, id uuid.UUID, prev doc) doc {
	p := clone(spec)
	owned := doc{"id": id.String(), "isEnabled": true, "priority": len(wl.porder) + 1, "createdBy": "admin",
		wl.statusKey: string(vbawsapi.SessionStatusNeverExecuted)}
	if wl.links != "" {
		owned["_links"] = []doc{{"rel": "self", "href": wl.links + id.String(), "method": string(vbawsapi.LinkMethodGET)}}
	}
	for k, v := range owned {
		if old, ok := prev[k]; ok {
			v = old
		}
		if _, given := p[k]; !given || k != "isEnabled" {
			p[k] = v
		}
	}
	if wl.flat {
		list, _ := p[wl.itemsKey].([]any)
		p[wl.itemsKey] = orEmpty(list)
	}
	if prev != nil {
		p["modifiedBy"] = "admin"
	}
	p["usn"] = wl.nextUSN()
	return p
}

// addPolicyLocked stores a policy made from spec and returns its ID.
func (wl *workload) addPolicyLocked(spec doc) uuid.UUID {
	id := uuid.New()
	wl.policies[id] = &policyState{doc: wl.policyFromSpec(spec, id, nil)}
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
	p.doc = wl.policyFromSpec(spec, id, p.doc)
	veeamfake.WriteJSON(w, http.StatusOK, p.doc)
}

func (p *policyState) busy() bool { return p.running != uuid.Nil || p.starting }

func (wl *workload) deletePolicy(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	id, p, ok := wl.policyByPath(w, r, in)
	if !ok {
		return
	}
	if p.busy() && !wl.deleteRunning {
		wl.busy.write(w, r, "the policy "+id.String()+" is running; stop it first")
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
			w.WriteHeader(wl.toggled)
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
	if p.busy() {
		wl.mu.Unlock()
		wl.busy.write(w, r, "the policy "+id.String()+" has already started")
		return
	}
	p.starting = true
	covered := wl.coveredLocked(p.doc)
	wl.mu.Unlock()
	// The session log calls back with its own lock held; the workload is
	// never locked while the log is called.
	link := wl.f.log.startWith(wl.backupKind, sessionOpts{policyID: id, items: sessionItems(covered),
		onStart: func(sid uuid.UUID) {
			wl.mu.Lock()
			p.starting, p.running = false, sid
			p.doc[wl.statusKey] = string(vbawsapi.SessionStatusRunning)
			wl.mu.Unlock()
		},
		onEnd: func(sid uuid.UUID, status vbawsapi.SessionStatus) { wl.backupEnded(id, sid, status, covered) },
	})
	veeamfake.WriteJSON(w, http.StatusAccepted, link)
}

// sessionItems are the items of a session that processes the resources.
func sessionItems(resources []doc) []sessionItem {
	items := make([]sessionItem, 0, len(resources))
	for _, d := range resources {
		_, region := resourceRegion(d)
		items = append(items, sessionItem{id: uuid.MustParse(str(d, "id")), name: str(d, "name"), region: region})
	}
	return items
}

func (wl *workload) backupEnded(policyID, sid uuid.UUID, status vbawsapi.SessionStatus, covered []doc) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	if p, ok := wl.policies[policyID]; ok && p.running == sid {
		p.running = uuid.Nil
		p.doc[wl.statusKey] = string(status)
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
	if _, stopped := wl.f.log.stop(sid); !stopped {
		wl.idle.write(w, r, "the policy "+id.String()+" is not running")
		return
	}
	w.WriteHeader(wl.stopped)
}

// ---------------------------------------------------------------- restore points

func (wl *workload) listPoints(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	wl.mu.Lock()
	var all []doc
	for _, id := range wl.rporder {
		pt := wl.points[id]
		switch {
		case queryMismatch(q, wl.resFilter, str(pt, wl.rpResKey)),
			queryMismatch(q, "RestorePointAwsAccountId", str(pt, "restorePointAwsAccountId")),
			queryMismatch(q, "ResourceAwsAccountId", str(pt, "restorePointAwsAccountId")):
			continue
		}
		all = append(all, clone(pt))
	}
	wl.mu.Unlock()
	sortDocs(all, q["Sort"])
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

// restoreRules are what a restore handler checks and does beyond starting
// its session.
type restoreRules struct {
	// target names what a restore with the body restores, "" for the
	// original resource.
	target func(body, pt doc) []string
	// check says why a body is refused ("" when it is not).
	check func(body doc) string
	// creates: a restore to a new name adds a resource of that name when
	// its session succeeds (one with the name already is refused).
	creates bool
}

// restore starts a restore session from the restore point of the path.
func (wl *workload) restore(rr restoreRules) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		var body doc
		if !decodeBody(w, r, in, &body) {
			return
		}
		pt, ok := wl.pointByPath(w, r, in)
		if !ok {
			return
		}
		if rr.check != nil {
			if why := rr.check(body); why != "" {
				badRequest(w, r, why)
				return
			}
		}
		created := rr.target(body, pt)
		names := slices.Clone(created)
		wl.mu.Lock()
		src := wl.resourceLocked(str(pt, wl.rpResKey))
		for i, name := range names {
			switch {
			case name == "" && src != nil:
				names[i] = str(src, "name")
			case name != "" && rr.creates && wl.nameTakenLocked(name):
				wl.mu.Unlock()
				badRequest(w, r, "a resource named "+name+" already exists")
				return
			}
		}
		wl.mu.Unlock()
		_, region := resourceRegion(resourceOrPoint(src, pt))
		o := sessionOpts{restore: true}
		for _, name := range names {
			o.items = append(o.items, sessionItem{name: name, region: region})
		}
		if rr.creates {
			o.onEnd = func(_ uuid.UUID, status vbawsapi.SessionStatus) {
				if status == vbawsapi.SessionStatusSucceeded {
					wl.restoredAs(src, pt, created)
				}
			}
		}
		veeamfake.WriteJSON(w, http.StatusAccepted, wl.f.log.startWith(wl.restoreKind, o))
	}
}

// resourceOrPoint is src, or (when the resource is gone) the restore
// point, for the region of a restore.
func resourceOrPoint(src, pt doc) doc {
	if src != nil {
		return src
	}
	return doc{"regionName": str(pt, "regionName")}
}

// restoredAs adds the resources a restore of pt created under new names:
// copies of the source resource, or of what the point says of it.
func (wl *workload) restoredAs(src, pt doc, names []string) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	for _, name := range names {
		if name == "" {
			continue
		}
		d := src
		if d == nil {
			d = doc{"regionName": str(pt, "regionName"), "awsAccountId": str(pt, "restorePointAwsAccountId")}
		}
		d = clone(d)
		d["id"], d["name"], d["awsResourceId"] = uuid.NewString(), name, name
		wl.resources = append(wl.resources, d)
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
		if name := nameOf(body); name != "" && wl.nameTakenLocked(name) {
			msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError,
				Message: fmt.Sprintf("a %s resource named %q exists already", wl.label, name), ContextID: ptr(uuid.MustParse(str(pt, "id")))})
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
