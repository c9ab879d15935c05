package vbawsfake

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// workload is the state of one kind of protected AWS resource (FSx file
// systems, Redshift clusters): its resources, backup policies and restore
// points. A policy start records a session; when that session has ended
// Succeeded, each protected resource gets a restore point. A restore to a
// new name adds the new resource once its session has succeeded.
type typedWorkload struct {
	name     string // FSx, Redshift
	resField string // fileSystemIds, clusterIds
	idField  string // fsxId, redshiftId
	idQuery  string // FsxId, RedshiftId

	resources *store[wlResource]
	policies  *store[wlPolicy]
	points    *store[wlPoint]
	backups   map[uuid.UUID]uuid.UUID // backup session -> policy
	restores  map[uuid.UUID]wlRestore // restore session -> what it makes
	usn       int64
}

type wlResource struct {
	id                       uuid.UUID
	awsID, name, region, acc string
}

type wlPolicy struct {
	id          uuid.UUID
	name        string
	description *string
	enabled     bool
	priority    int64
	usn         int64
	resources   []uuid.UUID
	last        *vbawsapi.SessionStatus
	running     uuid.UUID // the session of the latest start
}

type wlPoint struct {
	id, resource, policy uuid.UUID
	created              time.Time
	size                 int64
	account, region      string
}

type wlRestore struct {
	name  string // empty: to the original place
	point uuid.UUID
}

func newTypedWorkload(name, resField, idField, awsPrefix string) *typedWorkload {
	wl := &typedWorkload{name: name, resField: resField, idField: idField, idQuery: strings.ToUpper(idField[:1]) + idField[1:],
		resources: newStore[wlResource](), policies: newStore[wlPolicy](), points: newStore[wlPoint](),
		backups: map[uuid.UUID]uuid.UUID{}, restores: map[uuid.UUID]wlRestore{}}
	for i := range 3 {
		id := uuid.New()
		wl.resources.put(id, wlResource{id: id, awsID: fmt.Sprintf("%s%017x", awsPrefix, i+1), name: fmt.Sprintf("%s-%d", strings.ToLower(name), i+1),
			region: "eu-west-1", acc: "111122223333"})
	}
	first := wl.resources.order[0]
	pid := uuid.New()
	wl.usn++
	wl.policies.put(pid, wlPolicy{id: pid, name: "Daily " + name, enabled: true, priority: 1, usn: wl.usn, resources: []uuid.UUID{first}})
	for i := range 2 {
		id := uuid.New()
		wl.points.put(id, wlPoint{id: id, resource: first, policy: pid, created: time.Now().UTC().Add(-time.Duration(48-24*i) * time.Hour),
			size: int64(1+i) << 30, account: "111122223333", region: "eu-west-1"})
	}
	return wl
}

func (wl *typedWorkload) policyJSON(p *wlPolicy) map[string]any {
	m := map[string]any{"id": p.id, "name": p.name, "isEnabled": p.enabled, "priority": p.priority, "usn": p.usn, wl.resField: orEmpty(p.resources),
		"_links": []vbawsapi.Link{{Rel: "self", Href: "/api/v1/" + strings.ToLower(wl.name) + "/policies/" + p.id.String(), Method: vbawsapi.LinkMethodGET}}}
	if p.description != nil {
		m["description"] = *p.description
	}
	if p.last != nil {
		m["lastSessionStatus"] = *p.last
	}
	return m
}

func (wl *typedWorkload) pointJSON(p *wlPoint) map[string]any {
	return map[string]any{"id": p.id, wl.idField: p.resource, "policyId": p.policy, "creationTimeUtc": p.created, "jobType": "Policy",
		"size": p.size, "restorePointAwsAccountId": p.account, "regionName": p.region}
}

func (wl *typedWorkload) protected(id uuid.UUID) bool {
	for _, p := range wl.policies.byID {
		if slices.Contains(p.resources, id) {
			return true
		}
	}
	return false
}

func (wl *typedWorkload) resourceJSON(r *wlResource) map[string]any {
	return map[string]any{"id": r.id, "awsResourceId": r.awsID, "name": r.name, "regionName": r.region, "awsAccountId": r.acc, "isProtected": wl.protected(r.id)}
}

// settle moves the state on for the sessions that have ended since the last
// look. The caller holds f.mu.
func (f *Fake) settle(wl *typedWorkload) {
	f.log.mu.Lock()
	defer f.log.mu.Unlock()
	for sid, pid := range wl.backups {
		st := f.log.byID[sid]
		if st == nil || st.s.Status == vbawsapi.SessionStatusRunning {
			continue
		}
		delete(wl.backups, sid)
		p, ok := wl.policies.get(pid)
		if !ok {
			continue
		}
		status := st.s.Status
		p.last = &status
		if status != vbawsapi.SessionStatusSucceeded {
			continue
		}
		for _, rid := range p.resources {
			r, ok := wl.resources.get(rid)
			if !ok {
				continue
			}
			id := uuid.New()
			wl.points.put(id, wlPoint{id: id, resource: rid, policy: pid, created: *st.s.ExecutionStopTime, size: 3 << 30, account: r.acc, region: r.region})
		}
	}
	for sid, rs := range wl.restores {
		st := f.log.byID[sid]
		if st == nil || st.s.Status == vbawsapi.SessionStatusRunning {
			continue
		}
		delete(wl.restores, sid)
		pt, ok := wl.points.get(rs.point)
		if st.s.Status != vbawsapi.SessionStatusSucceeded || rs.name == "" || !ok {
			continue
		}
		src, _ := wl.resources.get(pt.resource)
		id := uuid.New()
		r := wlResource{id: id, awsID: rs.name, name: rs.name, region: pt.region, acc: pt.account}
		if src != nil {
			r.region, r.acc = src.region, src.acc
		}
		wl.resources.put(id, r)
	}
}

type policySpecIn struct {
	Name          string      `json:"name"`
	Description   *string     `json:"description"`
	IsEnabled     *bool       `json:"isEnabled"`
	FileSystemIDs []uuid.UUID `json:"fileSystemIds"`
	ClusterIDs    []uuid.UUID `json:"clusterIds"`
}

func (wl *typedWorkload) handlers(f *Fake) map[string]fake.HandlerFunc {
	n := wl.name
	if n == "FSx" {
		n = "Fsx"
	}
	return map[string]fake.HandlerFunc{
		n + "PoliciesGetAll":     func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlListPolicies(wl, w, r) },
		"Create" + n + "Policy":  func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlSavePolicy(wl, w, r, in, false) },
		n + "PoliciesGetOneById": func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlGetPolicy(wl, w, r, in) },
		"Update" + n + "Policy":  func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlSavePolicy(wl, w, r, in, true) },
		"Delete" + n + "Policy":  func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlPolicyAction(wl, w, r, in, "delete") },
		"Start" + n + "Policy":   func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlPolicyAction(wl, w, r, in, "start") },
		"Stop" + n + "Policy":    func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlPolicyAction(wl, w, r, in, "stop") },
		"Enable" + n + "Policy":  func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlPolicyAction(wl, w, r, in, "enable") },
		"Disable" + n + "Policy": func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
			f.wlPolicyAction(wl, w, r, in, "disable")
		},
		n + "GetAll":                  func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlListResources(wl, w, r) },
		n + "RestorePointsGetAll":     func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlListPoints(wl, w, r) },
		n + "RestorePointsGetOneById": func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlGetPoint(wl, w, r, in) },
		"Restore" + n:                 func(w http.ResponseWriter, r *http.Request, in *fake.Input) { f.wlRestore(wl, w, r, in) },
	}
}

func (f *Fake) wlListPolicies(wl *typedWorkload, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.settle(wl)
	res, _ := uuid.Parse(q.Get(wl.idQuery))
	all := wl.policies.list(func(p *wlPolicy) bool {
		switch {
		case !matches(p.name, q.Get("SearchPattern")),
			res != uuid.Nil && !slices.Contains(p.resources, res),
			q.Get("IsEnabled") != "" && fmt.Sprint(p.enabled) != q.Get("IsEnabled"),
			len(q["LastPolicySessionStatus"]) > 0 && (p.last == nil || !slices.Contains(q["LastPolicySessionStatus"], string(*p.last))):
			return false
		}
		return true
	})
	for _, s := range slices.Backward(q["Sort"]) {
		slices.SortStableFunc(all, func(a, b wlPolicy) int {
			var c int
			switch strings.TrimSuffix(strings.TrimSuffix(s, "Asc"), "Desc") {
			case "name":
				c = strings.Compare(a.name, b.name)
			case "usn":
				c = cmp.Compare(a.usn, b.usn)
			default:
				c = cmp.Compare(a.priority, b.priority)
			}
			if strings.HasSuffix(s, "Desc") {
				return -c
			}
			return c
		})
	}
	out := make([]map[string]any, len(all))
	for i := range all {
		out[i] = wl.policyJSON(&all[i])
	}
	f.mu.Unlock()
	writeTypedPage(w, r, out, "Offset", "Limit")
}

func (f *Fake) wlGetPolicy(wl *typedWorkload, w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settle(wl)
	if p, _, ok := byPath(f, w, r, in, wl.policies, "policyId", "the "+wl.name+" backup policy"); ok {
		veeamfake.WriteJSON(w, http.StatusOK, wl.policyJSON(p))
	}
}

func (f *Fake) wlSavePolicy(wl *typedWorkload, w http.ResponseWriter, r *http.Request, in *fake.Input, update bool) {
	var spec policySpecIn
	if !decodeBody(w, r, in, &spec) {
		return
	}
	res := slices.Concat(spec.FileSystemIDs, spec.ClusterIDs)
	f.mu.Lock()
	defer f.mu.Unlock()
	var p *wlPolicy
	id := uuid.New()
	if update {
		var ok bool
		if p, id, ok = byPath(f, w, r, in, wl.policies, "policyId", "the "+wl.name+" backup policy"); !ok {
			return
		}
	}
	for _, o := range wl.policies.byID {
		if o.id != id && strings.EqualFold(o.name, spec.Name) {
			badRequest(w, r, "a "+wl.name+" backup policy with this name already exists")
			return
		}
	}
	for _, rid := range res {
		if _, ok := wl.resources.get(rid); !ok {
			f.notFound(w, r, "the "+wl.name+" resource "+rid.String())
			return
		}
	}
	wl.usn++
	n := wlPolicy{id: id, name: spec.Name, description: spec.Description, enabled: true, priority: int64(len(wl.policies.order) + 1), usn: wl.usn, resources: res}
	status := http.StatusCreated
	if p != nil {
		n.enabled, n.priority, n.last, n.running = p.enabled, p.priority, p.last, p.running
		status = http.StatusOK
	}
	if spec.IsEnabled != nil {
		n.enabled = *spec.IsEnabled
	}
	veeamfake.WriteJSON(w, status, wl.policyJSON(wl.policies.put(id, n)))
}

func (f *Fake) wlPolicyAction(wl *typedWorkload, w http.ResponseWriter, r *http.Request, in *fake.Input, action string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settle(wl)
	p, id, ok := byPath(f, w, r, in, wl.policies, "policyId", "the "+wl.name+" backup policy")
	if !ok {
		return
	}
	_, running := wl.backups[p.running]
	switch action {
	case "delete":
		wl.policies.remove(id)
	case "enable", "disable":
		p.enabled = action == "enable"
		wl.usn++
		p.usn = wl.usn
	case "start":
		if running {
			veeamfake.WriteError(w, r, http.StatusBadRequest, "AccessDenied", "the policy is already running")
			return
		}
		link := f.log.start(wl.name + "Policy")
		wl.backups[link.SessionID] = id
		p.running = link.SessionID
		running := vbawsapi.SessionStatusRunning
		p.last = &running
		veeamfake.WriteJSON(w, http.StatusAccepted, link)
		return
	case "stop":
		if !running {
			veeamfake.WriteError(w, r, http.StatusBadRequest, "AccessDenied", "the policy is not running")
			return
		}
		f.log.cancel(p.running)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) wlListResources(wl *typedWorkload, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.settle(wl)
	all := wl.resources.list(func(x *wlResource) bool {
		return matches(x.name, q.Get("SearchPattern")) && (q.Get("IsProtected") == "" || fmt.Sprint(wl.protected(x.id)) == q.Get("IsProtected"))
	})
	out := make([]map[string]any, len(all))
	for i := range all {
		out[i] = wl.resourceJSON(&all[i])
	}
	f.mu.Unlock()
	writeTypedPage(w, r, out, "Offset", "Limit")
}

func (f *Fake) wlListPoints(wl *typedWorkload, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.settle(wl)
	res, _ := uuid.Parse(q.Get(wl.idQuery))
	all := wl.points.list(func(p *wlPoint) bool {
		return (res == uuid.Nil || p.resource == res) && (q.Get("RestorePointAwsAccountId") == "" || p.account == q.Get("RestorePointAwsAccountId")) &&
			(q.Get("ResourceAwsAccountId") == "" || p.account == q.Get("ResourceAwsAccountId"))
	})
	f.mu.Unlock()
	for _, s := range slices.Backward(q["Sort"]) {
		slices.SortStableFunc(all, func(a, b wlPoint) int {
			var c int
			switch strings.TrimSuffix(strings.TrimSuffix(s, "Asc"), "Desc") {
			case "size":
				c = cmp.Compare(a.size, b.size)
			case "restorePointAwsAccountId":
				c = strings.Compare(a.account, b.account)
			default:
				c = a.created.Compare(b.created)
			}
			if strings.HasSuffix(s, "Desc") {
				return -c
			}
			return c
		})
	}
	out := make([]map[string]any, len(all))
	for i := range all {
		out[i] = wl.pointJSON(&all[i])
	}
	writeTypedPage(w, r, out, "Offset", "Limit")
}

func (f *Fake) wlGetPoint(wl *typedWorkload, w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settle(wl)
	if p, _, ok := byPath(f, w, r, in, wl.points, "restorePointId", "the "+wl.name+" restore point"); ok {
		veeamfake.WriteJSON(w, http.StatusOK, wl.pointJSON(p))
	}
}

type restoreSpecIn struct {
	ToOriginal        bool   `json:"toOriginal"`
	Name              string `json:"name"`
	ClusterIdentifier string `json:"clusterIdentifier"`
}

func (f *Fake) wlRestore(wl *typedWorkload, w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec restoreSpecIn
	if !decodeBody(w, r, in, &spec) {
		return
	}
	target := spec.Name + spec.ClusterIdentifier
	f.mu.Lock()
	defer f.mu.Unlock()
	_, id, ok := byPath(f, w, r, in, wl.points, "restorePointId", "the "+wl.name+" restore point")
	if !ok {
		return
	}
	switch {
	case !spec.ToOriginal && target == "":
		badRequest(w, r, "a restore to a new location needs the name of the new resource")
		return
	case spec.ToOriginal && target != "":
		badRequest(w, r, "a restore to the original location takes no new name")
		return
	}
	for _, x := range wl.resources.byID {
		if target != "" && x.name == target {
			badRequest(w, r, "a resource named "+target+" already exists")
			return
		}
	}
	link := f.log.start(wl.name + "Restore")
	wl.restores[link.SessionID] = wlRestore{name: target, point: id}
	veeamfake.WriteJSON(w, http.StatusAccepted, link)
}

// cancel ends a running session Canceled, as stopping its policy does.
func (l *sessionLog) cancel(id uuid.UUID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.byID[id]
	if !ok || st.s.Status != vbawsapi.SessionStatusRunning {
		return
	}
	end := time.Now().UTC()
	st.s.ExecutionStopTime = &end
	st.s.ExecutionDuration = ptr(end.Sub(*st.s.ExecutionStartTime).Milliseconds())
	st.s.Status, st.s.Result, st.s.Reason = vbawsapi.SessionStatusCanceled, ptr(vbawsapi.SessionResultCancelled), ptr("Stopped by the user.")
	l.usn++
	st.s.Usn = ptr(l.usn)
}
