package vbemfake

import (
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// enterpriseRoles are the security roles of Enterprise Manager, by id.
var enterpriseRoles = []struct{ id, name string }{
	{"5b5a4b3c-2d1e-4f0a-9b8c-7d6e5f4a3b21", "Portal Administrator"},
	{"d19a3d33-cb77-4ffe-94e6-001432483a4e", "Portal User"},
	{"c11c0c38-ba8b-49c7-bf70-fc2058fff1e2", "VM Restore Operator"},
	{"f84a8b62-49b8-4d0c-b25b-92321b52bab6", "File Restore Operator"},
	{"f83e4c81-0815-452f-9377-9d573dd9d481", "Exchange Restore Operator"},
	{"0c2e6f1a-8b3d-4c5e-a7f9-1d2b3c4e5f60", "Oracle Restore Operator"},
	{"9a7b5c3d-1e2f-4a6b-8c0d-e1f2a3b4c5d6", "SQL Restore Operator"},
}

const roleURN = "urn:veeam:EnterpriseRole:"

func roleName(id string) string {
	for _, r := range enterpriseRoles {
		if r.id == id {
			return r.name
		}
	}
	return ""
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		return map[string]fake.HandlerFunc{
			"GetSecurityRoles":  f.listRoles,
			"GetSecurityRole":   f.getRole,
			"GetAccountRoles":   f.listAccountRoles,
			"AssignAccountRole": f.assignRole,
			"GetAccountRole":    f.getAccountRole,
			"RemoveAccountRole": f.removeRole,
		}
	})
}

func (f *Fake) listRoles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	refs := make([]vbemapi.EntityReference, 0, len(enterpriseRoles))
	for _, role := range enterpriseRoles {
		refs = append(refs, entityRef(r, "EnterpriseRole", "/api/security/roles/"+role.id, role.name, role.id))
	}
	in.Respond(w, http.StatusOK, vbemapi.EnterpriseRoleReferences{Refs: refs})
}

func (f *Fake) getRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id := in.PathParams["roleId"]
	name := roleName(id)
	if name == "" {
		WriteError(w, r, http.StatusNotFound, "NotFound", "security role not found")
		return
	}
	m := vbemapi.EnterpriseRole{Name: to.Ptr(name), UID: to.Ptr(roleURN + id)}
	m.Href, m.Type, m.Links = refForm(r, "EnterpriseRole", "/api/security/roles/"+id, id)
	in.Respond(w, http.StatusOK, m)
}

func accountRoleModel(r *http.Request, accountID, roleID string) vbemapi.EnterpriseAccountInRole {
	p := accountPath(accountID) + "/roles/" + roleID
	return vbemapi.EnterpriseAccountInRole{Href: to.Ptr(Href(r, p)), Type: to.Ptr("EnterpriseAccountInRole"),
		Links: []vbemapi.Link{link(r, "Delete", p, "")}, RoleName: to.Ptr(roleName(roleID))}
}

// accountLocked finds an account by the accountId path parameter.
func (f *Fake) accountLocked(in *fake.Input) *account {
	_, a := f.accountsLocked().find(in.PathParams["accountId"])
	return a
}

func (f *Fake) listAccountRoles(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.accountLocked(in)
	if a == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "account not found")
		return
	}
	out := vbemapi.EnterpriseAccountInRoleList{}
	for _, uid := range a.roles {
		out.EnterpriseAccountInRoles = append(out.EnterpriseAccountInRoles, accountRoleModel(r, a.id, strings.TrimPrefix(uid, roleURN)))
	}
	in.Respond(w, http.StatusOK, out)
}

func (f *Fake) assignRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.EnterpriseAccountInRoleCreateSpec
	if err := decodeBody(r, in, &spec); err != nil {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "cannot read the role")
		return
	}
	id := strings.TrimPrefix(spec.EnterpriseRoleUID, roleURN)
	if !strings.HasPrefix(spec.EnterpriseRoleUID, roleURN) || roleName(id) == "" {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "EnterpriseRoleUid names no security role")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.accountLocked(in)
	if a == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "account not found")
		return
	}
	for _, uid := range a.roles {
		if uid == roleURN+id {
			WriteError(w, r, http.StatusBadRequest, "BadRequest", "the account already holds the role "+roleName(id))
			return
		}
	}
	a.roles = append(a.roles, roleURN+id)
	w.Header().Set("Location", Href(r, accountPath(a.id)+"/roles/"+id))
	in.Respond(w, http.StatusCreated, nil)
}

func (f *Fake) getAccountRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.accountLocked(in)
	id := in.PathParams["roleId"]
	if a == nil || !holds(a, id) {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the account does not hold that role")
		return
	}
	in.Respond(w, http.StatusOK, accountRoleModel(r, a.id, id))
}

func holds(a *account, roleID string) bool {
	for _, uid := range a.roles {
		if uid == roleURN+roleID {
			return true
		}
	}
	return false
}

func (f *Fake) removeRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.accountLocked(in)
	id := in.PathParams["roleId"]
	if a == nil || !holds(a, id) {
		WriteError(w, r, http.StatusNotFound, "NotFound", "the account does not hold that role")
		return
	}
	if len(a.roles) == 1 {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "the last role of an account cannot be removed")
		return
	}
	for i, uid := range a.roles {
		if uid == roleURN+id {
			a.roles = append(a.roles[:i], a.roles[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
