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

// Recoveries keep state per tenant: created by createRecovery and
// createDownloadFilesAndFoldersRecovery, listed and read back. A recovery
// starts Accepted and moves one step on every read (get, or list):
// Running, then its final state, which its name chooses: Succeeded, or
// Failed when it contains "fail", SucceededWithWarning when it contains
// "warn", or Canceling and then Canceled when it contains "cancel". Only a
// Succeeded recovery can be downloaded.
//
// cancelRecoveryByID makes a recovery that has not ended Canceling, and
// the next read Canceled; a recovery that has ended is refused with 400.
//
// Object and indexed file search answer a fixed catalogue of
// SearchCatalogSize objects and files, in pages of the request's count
// (default 10) chained by paginationCookie.

// SearchCatalogSize is how many objects searchObjects and how many files
// searchIndexedObjects (objectType Files) know.
const SearchCatalogSize = 25

const defaultSearchPage = 10

type recoveryStore struct {
	f       *Fake
	next    int
	tenants map[string]*tenantRecoveries
}

type tenantRecoveries struct {
	items map[string]map[string]any
	order []string
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		s := &recoveryStore{f: f, tenants: map[string]*tenantRecoveries{}}
		f.state["recoveries"] = s
		return map[string]fake.HandlerFunc{
			"getRecoveries":                         s.list,
			"createRecovery":                        s.create,
			"createDownloadFilesAndFoldersRecovery": s.createDownload,
			"getRecoveryByID":                       s.get,
			"cancelRecoveryByID":                    s.cancel,
			"searchObjects":                         searchObjects,
			"searchIndexedObjects":                  searchIndexedObjects,
		}
	})
}

func principalTenant(in *fake.Input) string {
	t, _ := in.Principal.(string)
	return t
}

// of returns the recoveries of a tenant; f.mu must be held.
func (s *recoveryStore) of(tenant string) *tenantRecoveries {
	t, ok := s.tenants[tenant]
	if !ok {
		t = &tenantRecoveries{items: map[string]map[string]any{}}
		s.tenants[tenant] = t
	}
	return t
}

// advanceRecovery moves a recovery one step towards its final state; f.mu must be
// held.
func advanceRecovery(m map[string]any) {
	switch m["status"] {
	case "Accepted":
		m["status"] = "Running"
		setFileStatus(m, "CopyInProgress")
	case "Running":
		name, _ := m["name"].(string)
		switch name = strings.ToLower(name); {
		case strings.Contains(name, "fail"):
			m["status"] = "Failed"
			m["messages"] = []string{"the fake failed this recovery as its name asked"}
		case strings.Contains(name, "warn"):
			m["status"] = "SucceededWithWarning"
			m["messages"] = []string{"the fake warned about this recovery as its name asked"}
		case strings.Contains(name, "cancel"):
			m["status"] = "Canceling"
			return
		default:
			m["status"] = "Succeeded"
			setFileStatus(m, "Finished")
		}
		m["endTimeUsecs"] = time.Now().UnixMicro()
	case "Canceling":
		m["status"] = "Canceled"
		m["endTimeUsecs"] = time.Now().UnixMicro()
	}
}

// setFileStatus sets the status of every file and folder a physical or
// Kubernetes file recovery names, as the service reports its progress per
// file.
func setFileStatus(m map[string]any, status string) {
	for _, env := range []string{"physicalParams", "kubernetesParams"} {
		p, _ := m[env].(map[string]any)
		params, _ := p["recoverFileAndFolderParams"].(map[string]any)
		files, _ := params["filesAndFolders"].([]any)
		for _, f := range files {
			if file, ok := f.(map[string]any); ok {
				file["status"] = status
			}
		}
	}
}

// copyRecovery copies a stored recovery for a response.
func copyRecovery(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *recoveryStore) add(w http.ResponseWriter, in *fake.Input, m map[string]any) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.next++
	id := fmt.Sprintf("4875622911238:1697040000000:%d", s.next)
	m["id"] = id
	m["status"] = "Accepted"
	m["startTimeUsecs"] = time.Now().UnixMicro()
	m["isParentRecovery"] = false
	m["canTearDown"] = false
	m["creationInfo"] = map[string]any{"userName": "fake-user"}
	t := s.of(principalTenant(in))
	t.items[id] = m
	t.order = append(t.order, id)
	WriteJSON(w, http.StatusCreated, copyRecovery(m))
}

func (s *recoveryStore) create(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req map[string]any
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	m := map[string]any{"name": req["name"], "snapshotEnvironment": req["snapshotEnvironment"]}
	// The request and the recovery share these parameter schemas.
	for _, k := range []string{"physicalParams", "mssqlParams", "kubernetesParams"} {
		if v, ok := req[k]; ok {
			m[k] = v
		}
	}
	setFileStatus(m, "NotStarted")
	switch req["snapshotEnvironment"] {
	case "kSQL":
		m["recoveryAction"] = "RecoverApps"
	case "kKubernetes":
		m["recoveryAction"] = "RecoverNamespaces"
	default:
		m["recoveryAction"] = "RecoverFiles"
	}
	if p, ok := req["physicalParams"].(map[string]any); ok {
		if a, ok := p["recoveryAction"].(string); ok && a != "" {
			m["recoveryAction"] = a
		}
	}
	s.add(w, in, m)
}

func (s *recoveryStore) createDownload(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req map[string]any
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	m := map[string]any{"name": req["name"], "snapshotEnvironment": "kPhysical", "recoveryAction": "DownloadFilesAndFolders"}
	if p, ok := req["parentRecoveryId"].(string); ok && p != "" {
		m["parentRecoveryId"] = p
	}
	s.add(w, in, m)
}

func (s *recoveryStore) get(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	m, ok := s.of(principalTenant(in)).items[in.PathParams["id"]]
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "recovery "+in.PathParams["id"]+" not found")
		return
	}
	advanceRecovery(m)
	WriteJSON(w, http.StatusOK, copyRecovery(m))
}

func (s *recoveryStore) cancel(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	id := in.PathParams["id"]
	m, ok := s.of(principalTenant(in)).items[id]
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "recovery "+id+" not found")
		return
	}
	switch st, _ := m["status"].(string); st {
	case "Accepted", "Running", "OnHold", "Paused":
		m["status"] = "Canceling"
	case "Canceling":
	default:
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "recovery "+id+" has already ended ("+st+") and cannot be canceled")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// recoveryQuery reads an array query parameter, whether exploded or not.
func recoveryQuery(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, s := range strings.Split(v, ",") {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (s *recoveryStore) list(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	ids := recoveryQuery(r, "ids")
	statuses := recoveryQuery(r, "status")
	actions := recoveryQuery(r, "recoveryActions")
	envs := recoveryQuery(r, "snapshotEnvironments")
	match := func(want []string, v any) bool {
		s, _ := v.(string)
		return len(want) == 0 || slices.Contains(want, s)
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	t := s.of(principalTenant(in))
	out := []map[string]any{}
	for _, id := range t.order {
		m := t.items[id]
		advanceRecovery(m)
		if match(ids, m["id"]) && match(statuses, m["status"]) && match(actions, m["recoveryAction"]) &&
			match(envs, m["snapshotEnvironment"]) {
			out = append(out, copyRecovery(m))
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"recoveries": out})
}

// recovery returns a recovery of a tenant, or writes 404; it takes f.mu.
func (s *recoveryStore) recovery(w http.ResponseWriter, r *http.Request, in *fake.Input) (map[string]any, bool) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	m, ok := s.of(principalTenant(in)).items[in.PathParams["id"]]
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "recovery "+in.PathParams["id"]+" not found")
		return nil, false
	}
	return copyRecovery(m), true
}

// searchPage cuts one page of n items at the position a cookie names. Cookies are
// "page-<offset>".
func searchPage(cookie string, count int64, n int) (from, to int, next string, err error) {
	if cookie != "" {
		off, ok := strings.CutPrefix(cookie, "page-")
		v, perr := strconv.Atoi(off)
		if !ok || perr != nil || v < 0 || v > n {
			return 0, 0, "", fmt.Errorf("unknown pagination cookie %q", cookie)
		}
		from = v
	}
	if count <= 0 {
		count = defaultSearchPage
	}
	to = min(from+int(min(count, int64(n))), n)
	if to < n {
		next = "page-" + strconv.Itoa(to)
	}
	return from, to, next, nil
}

func searchObjects(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	var count int64
	if c := q.Get("count"); c != "" {
		v, err := strconv.ParseInt(c, 10, 64)
		if err != nil || v < 1 {
			WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "count must be a positive integer")
			return
		}
		count = v
	}
	search := strings.ToLower(q.Get("searchString"))
	objects := []map[string]any{}
	for i := 1; i <= SearchCatalogSize; i++ {
		name := fmt.Sprintf("object-%02d", i)
		if search != "" && !strings.Contains(name, search) {
			continue
		}
		objects = append(objects, map[string]any{
			"id": i, "name": name, "environment": "kPhysical", "objectType": "kHost",
			"sourceId": 1, "sourceName": "physical-source", "logicalSizeBytes": int64(i) << 20,
		})
	}
	from, to, next, err := searchPage(q.Get("paginationCookie"), count, len(objects))
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	body := map[string]any{"objects": objects[from:to], "count": to - from}
	if next != "" {
		body["paginationCookie"] = next
	}
	WriteJSON(w, http.StatusOK, body)
}

func searchIndexedObjects(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req struct {
		ObjectType       string `json:"objectType"`
		Count            int64  `json:"count"`
		PaginationCookie string `json:"paginationCookie"`
		FileParams       struct {
			SearchString string `json:"searchString"`
		} `json:"fileParams"`
	}
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	if req.Count < 0 {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "count must be positive")
		return
	}
	files := []map[string]any{}
	if req.ObjectType == "Files" {
		search := strings.ToLower(req.FileParams.SearchString)
		for i := 1; i <= SearchCatalogSize; i++ {
			name := fmt.Sprintf("file-%02d.txt", i)
			if search != "" && !strings.Contains(name, search) {
				continue
			}
			files = append(files, map[string]any{
				"name": name, "path": "/data/" + name, "type": "File",
				"protectionGroupId": "4875622911238:1697040000000:1", "protectionGroupName": "fake-group",
			})
		}
	}
	from, to, next, err := searchPage(req.PaginationCookie, req.Count, len(files))
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	body := map[string]any{"objectType": req.ObjectType, "count": to - from}
	if req.ObjectType == "Files" {
		body["files"] = files[from:to]
	}
	if next != "" {
		body["paginationCookie"] = next
	}
	WriteJSON(w, http.StatusOK, body)
}
