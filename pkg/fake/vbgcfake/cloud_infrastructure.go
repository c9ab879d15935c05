package vbgcfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// infrastructure keeps the folders and projects added to the configuration
// database. Cloud Infrastructure and the deprecated Projects operations
// share it: a project added through one is seen by the other. HMAC keys are
// kept per project and service account; the Google Cloud look-ups
// (regions, zones, machine types, keys, subfolders) are in google_cloud.go.
type infrastructure struct {
	f       *Fake
	objects *table[string, *vbgcapi.CloudInfrastructureObjectItemModel] // by infraKey
	numbers int
	hmac    map[string][]vbgcapi.ProjectHmacKeyModel // by project + "/" + service account
}

func init() {
	registrars = append(registrars, infrastructureHandlers)
}

func infrastructureHandlers(f *Fake) map[string]fake.HandlerFunc {
	s := &infrastructure{f: f, objects: newTable[string, *vbgcapi.CloudInfrastructureObjectItemModel](), hmac: map[string][]vbgcapi.ProjectHmacKeyModel{}}
	f.state["CloudInfrastructure"] = s
	folder, project := vbgcapi.ECloudInfrastructureItemTypeFolder, vbgcapi.ECloudInfrastructureItemTypeProject
	return map[string]fake.HandlerFunc{
		"CloudInfrastructureGetAll":                    listHandler(f, objectsLocked(s, nil, derefObject)),
		"CloudInfrastructureAddFolder":                 s.addFolder,
		"CloudInfrastructureGetFolderPermissions":      s.permissions(folder, "folderId"),
		"CloudInfrastructureModifyFolderPermissions":   s.setPermissions(folder, "folderId"),
		"CloudInfrastructureRemoveFolder":              s.remove(folder, "folderId"),
		"CloudInfrastructureAddProject":                s.addProject,
		"CloudInfrastructureGetProjectPermissions":     s.permissions(project, "projectId"),
		"CloudInfrastructureModifyProjectPermissions":  s.setPermissions(project, "projectId"),
		"CloudInfrastructureRemoveProject":             s.remove(project, "projectId"),
		"CloudInfrastructureGeneratePermissionsScript": infraPermissionsScript,
		"ProjectsGetAll":                               listHandler(f, objectsLocked(s, &project, infraProjectModel)),
		"ProjectsAdd":                                  s.addLegacyProject,
		"ProjectsGet":                                  s.getProject,
		"ProjectsModify":                               s.modifyProject,
		"ProjectsRemove":                               s.remove(project, "projectId"),
		"ProjectsGetServiceAccounts": subListHandler(f, s.byProject, func(o *vbgcapi.CloudInfrastructureObjectItemModel) []vbgcapi.ProjectServiceAccountModel {
			return infraProjectModel(o).ServiceAccounts
		}),
		"ProjectsCreateHmacKey":      s.createHMACKey,
		"ProjectsAddExistingHmacKey": s.addExistingHMACKey,
		"ProjectsGetHmacKeys": subListHandler(f, s.hmacOwnerLocked, func(owner string) []vbgcapi.ProjectHmacKeyModel {
			return slices.Clone(s.hmac[owner])
		}),
		"ProjectsGeneratePermissionsScript": infraPermissionsScript,
	}
}

// InfrastructureCount returns how many folders and projects the fake holds.
func (f *Fake) InfrastructureCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.state["CloudInfrastructure"].(*infrastructure); ok {
		return s.objects.len()
	}
	return 0
}

func infraKey(typ vbgcapi.ECloudInfrastructureItemType, cloudID string) string {
	return string(typ) + "/" + cloudID
}

func infraBadBody(w http.ResponseWriter, r *http.Request, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		badRequest(w, r, "malformed JSON body")
		return true
	}
	return false
}

// objectsLocked reads the objects (of type typ, when given) as view shows
// them.
func objectsLocked[T any](s *infrastructure, typ *vbgcapi.ECloudInfrastructureItemType, view func(*vbgcapi.CloudInfrastructureObjectItemModel) T) func() []T {
	return func() []T {
		var out []T
		for _, o := range s.objects.list() {
			if typ == nil || o.Type == *typ {
				out = append(out, view(o))
			}
		}
		return out
	}
}

func derefObject(o *vbgcapi.CloudInfrastructureObjectItemModel) vbgcapi.CloudInfrastructureObjectItemModel {
	return *o
}

// byProject is the finder of the project of the projectId path parameter.
func (s *infrastructure) byProject(w http.ResponseWriter, r *http.Request, in *fake.Input) (*vbgcapi.CloudInfrastructureObjectItemModel, bool) {
	return s.findLocked(w, r, vbgcapi.ECloudInfrastructureItemTypeProject, in.PathParams["projectId"])
}

// findLocked answers 404 when the object is not added.
func (s *infrastructure) findLocked(w http.ResponseWriter, r *http.Request, typ vbgcapi.ECloudInfrastructureItemType, cloudID string) (*vbgcapi.CloudInfrastructureObjectItemModel, bool) {
	o, ok := s.objects.get(infraKey(typ, cloudID))
	if !ok {
		veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound",
			fmt.Sprintf("the %s %s is not added to the configuration database", strings.ToLower(string(typ)), cloudID))
	}
	return o, ok
}

// addLocked stores a new object, refusing one already added.
func (s *infrastructure) addLocked(w http.ResponseWriter, r *http.Request, o *vbgcapi.CloudInfrastructureObjectItemModel) bool {
	key := infraKey(o.Type, o.CloudID)
	if _, dup := s.objects.get(key); dup {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent",
			fmt.Sprintf("the %s %s is already added", strings.ToLower(string(o.Type)), o.CloudID))
		return false
	}
	o.ID = uuid.New()
	s.objects.put(key, o)
	return true
}

func (s *infrastructure) addFolder(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.CloudInfrastructureFolderSpec
	if infraBadBody(w, r, in.Body, &spec) {
		return
	}
	accounts := spec.Accounts
	o := &vbgcapi.CloudInfrastructureObjectItemModel{Type: vbgcapi.ECloudInfrastructureItemTypeFolder, CloudID: spec.FolderID,
		Name: "Folder " + spec.FolderID, IncludeSubfolders: spec.IncludeSubfolders, Accounts: accounts}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if s.addLocked(w, r, o) {
		veeamfake.WriteJSON(w, http.StatusCreated, o)
	}
}

func (s *infrastructure) newProjectLocked(projectID string, accounts []vbgcapi.CloudInfrastructureAccountPermissionsModel) *vbgcapi.CloudInfrastructureObjectItemModel {
	s.numbers++
	number := fmt.Sprintf("%012d", 100000000000+s.numbers)
	return &vbgcapi.CloudInfrastructureObjectItemModel{Type: vbgcapi.ECloudInfrastructureItemTypeProject, CloudID: projectID,
		Name: projectID, ProjectNumber: &number, Accounts: accounts}
}

func (s *infrastructure) addProject(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.CloudInfrastructureProjectSpec
	if infraBadBody(w, r, in.Body, &spec) {
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	o := s.newProjectLocked(spec.ProjectID, spec.Accounts)
	if s.addLocked(w, r, o) {
		veeamfake.WriteJSON(w, http.StatusCreated, o)
	}
}

func infraAccess(o *vbgcapi.CloudInfrastructureObjectItemModel) vbgcapi.CloudInfrastructureObjectAccessModel {
	id, typ, cloudID := o.ID, o.Type, o.CloudID
	m := vbgcapi.CloudInfrastructureObjectAccessModel{ID: &id, Type: &typ, CloudID: &cloudID, Accounts: []vbgcapi.CloudInfrastructureAccountPermissionsModel{}}
	if o.Accounts != nil {
		m.Accounts = o.Accounts
	}
	return m
}

func (s *infrastructure) permissions(typ vbgcapi.ECloudInfrastructureItemType, param string) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		s.f.mu.Lock()
		defer s.f.mu.Unlock()
		if o, ok := s.findLocked(w, r, typ, in.PathParams[param]); ok {
			veeamfake.WriteJSON(w, http.StatusOK, infraAccess(o))
		}
	}
}

func (s *infrastructure) setPermissions(typ vbgcapi.ECloudInfrastructureItemType, param string) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		var spec vbgcapi.CloudInfrastructureObjectAccessSpec
		if infraBadBody(w, r, in.Body, &spec) {
			return
		}
		s.f.mu.Lock()
		defer s.f.mu.Unlock()
		if o, ok := s.findLocked(w, r, typ, in.PathParams[param]); ok {
			accounts := spec.Accounts
			o.Accounts = accounts
			veeamfake.WriteJSON(w, http.StatusOK, infraAccess(o))
		}
	}
}

func (s *infrastructure) remove(typ vbgcapi.ECloudInfrastructureItemType, param string) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		s.f.mu.Lock()
		defer s.f.mu.Unlock()
		cloudID := in.PathParams[param]
		if _, ok := s.findLocked(w, r, typ, cloudID); !ok {
			return
		}
		key := infraKey(typ, cloudID)
		s.objects.remove(key)
		for owner := range s.hmac {
			if strings.HasPrefix(owner, cloudID+"/") && typ == vbgcapi.ECloudInfrastructureItemTypeProject {
				delete(s.hmac, owner)
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// infraPermissionsScript answers with a shell script naming the service account
// and the project or folder of the request.
func infraPermissionsScript(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.DownloadServiceAccountScriptSpec
	if infraBadBody(w, r, in.Body, &spec) {
		return
	}
	scope := "projects"
	target := ""
	switch {
	case spec.FolderID != nil:
		scope, target = "resource-manager folders", *spec.FolderID
	case spec.ProjectID != nil:
		target = *spec.ProjectID
	}
	var b strings.Builder
	b.WriteString("#!/bin/bash\n# Grants the permissions Veeam Backup for Google Cloud needs.\n")
	for _, role := range []struct {
		on   bool
		name string
	}{
		{spec.UseForVMSnapshot || spec.UseForVMBackup || spec.UseForVMRestore, "roles/compute.storageAdmin"},
		{spec.UseForSQLSnapshot || spec.UseForSQLBackup || spec.UseForSQLRestore, "roles/cloudsql.admin"},
		{spec.UseForSpannerSnapshot || spec.UseForSpannerBackup || spec.UseForSpannerRestore, "roles/spanner.backupAdmin"},
		{spec.UseForFlrRto || spec.UseForFlrRtoWorker, "roles/compute.instanceAdmin.v1"},
	} {
		if role.on {
			fmt.Fprintf(&b, "gcloud %s add-iam-policy-binding %s --member=serviceAccount:%s --role=%s\n", scope, target, spec.ServiceAccountID, role.name)
		}
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

// The deprecated Projects operations see the projects of the shared store.

// infraAccountProject is the project that owns a service account, read from its
// email address, or fallback.
func infraAccountProject(email, fallback string) string {
	if _, domain, ok := strings.Cut(email, "@"); ok {
		if p, ok := strings.CutSuffix(domain, ".iam.gserviceaccount.com"); ok && p != "" {
			return p
		}
	}
	return fallback
}

func infraProjectModel(o *vbgcapi.CloudInfrastructureObjectItemModel) vbgcapi.ProjectModel {
	isDefault := false
	accounts := []vbgcapi.ProjectServiceAccountModel{}
	for _, a := range o.Accounts {
		accounts = append(accounts, vbgcapi.ProjectServiceAccountModel{Email: a.ServiceAccountID, Project: infraAccountProject(a.ServiceAccountID, o.CloudID)})
	}
	return vbgcapi.ProjectModel{ID: o.ID, ProjectID: o.CloudID, Name: o.Name, ProjectNumber: o.ProjectNumber, IsDefault: &isDefault, ServiceAccounts: accounts}
}

// infraVMAccounts gives service accounts added through the Projects operations,
// which carry no permissions, the VM instance permissions.
func infraVMAccounts(ids []string, prev []vbgcapi.CloudInfrastructureAccountPermissionsModel) []vbgcapi.CloudInfrastructureAccountPermissionsModel {
	known := map[string]vbgcapi.CloudInfrastructureObjectPermissionsModel{}
	for _, a := range prev {
		known[a.ServiceAccountID] = a.Permissions
	}
	out := make([]vbgcapi.CloudInfrastructureAccountPermissionsModel, 0, len(ids))
	for _, id := range ids {
		p, ok := known[id]
		if !ok {
			p = vbgcapi.CloudInfrastructureObjectPermissionsModel{UseForVMSnapshot: true, UseForVMBackup: true, UseForVMRestore: true}
		}
		out = append(out, vbgcapi.CloudInfrastructureAccountPermissionsModel{ServiceAccountID: id, Permissions: p})
	}
	return out
}

func (s *infrastructure) addLegacyProject(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.ProjectSpec
	if infraBadBody(w, r, in.Body, &spec) {
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	o := s.newProjectLocked(spec.ProjectID, infraVMAccounts(spec.ServiceAccountIDs, nil))
	if s.addLocked(w, r, o) {
		veeamfake.WriteJSON(w, http.StatusCreated, infraProjectModel(o))
	}
}

func (s *infrastructure) getProject(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if o, ok := s.byProject(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, infraProjectModel(o))
	}
}

func (s *infrastructure) modifyProject(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.ProjectUpdateSpec
	if infraBadBody(w, r, in.Body, &spec) {
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if o, ok := s.byProject(w, r, in); ok {
		accounts := infraVMAccounts(spec.ServiceAccountIDs, o.Accounts)
		o.Accounts = accounts
		veeamfake.WriteJSON(w, http.StatusOK, infraProjectModel(o))
	}
}

func (s *infrastructure) hmacOwnerLocked(w http.ResponseWriter, r *http.Request, in *fake.Input) (string, bool) {
	projectID, account := in.PathParams["projectId"], in.PathParams["serviceAccountId"]
	o, ok := s.byProject(w, r, in)
	if !ok {
		return "", false
	}
	for _, a := range o.Accounts {
		if a.ServiceAccountID == account {
			return projectID + "/" + account, true
		}
	}
	veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", "the service account "+account+" does not access the project "+projectID)
	return "", false
}

func (s *infrastructure) storeKeyLocked(w http.ResponseWriter, r *http.Request, in *fake.Input, accessID, secret string) {
	owner, ok := s.hmacOwnerLocked(w, r, in)
	if !ok {
		return
	}
	for _, k := range s.hmac[owner] {
		if k.AccessID == accessID {
			badRequest(w, r, "the HMAC key "+accessID+" is already added")
			return
		}
	}
	id, now, state := uuid.New(), time.Now().UTC().Truncate(time.Second), vbgcapi.ProjectHmacKeyModelStateActive
	projectID := in.PathParams["projectId"]
	k := vbgcapi.ProjectHmacKeyModel{ID: &id, AccessID: accessID, ServiceAccountEmail: in.PathParams["serviceAccountId"],
		ProjectID: &projectID, State: &state, CreationTime: &now}
	s.hmac[owner] = append(s.hmac[owner], k)
	k.Secret = &secret
	veeamfake.WriteJSON(w, http.StatusCreated, k)
}

func (s *infrastructure) createHMACKey(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.ProjectHmacKeyCreateSpec
	if infraBadBody(w, r, in.Body, &spec) {
		return
	}
	raw := strings.ToUpper(strings.ReplaceAll(uuid.NewString(), "-", ""))
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.storeKeyLocked(w, r, in, "GOOG1"+raw, uuid.NewString())
}

func (s *infrastructure) addExistingHMACKey(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbgcapi.ProjectHmacKeyAddExistingSpec
	if infraBadBody(w, r, in.Body, &spec) {
		return
	}
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.storeKeyLocked(w, r, in, spec.AccessID, spec.Secret)
}
