package vbemfake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

type secRole struct{ id, name string }

func (r *secRole) ident() (string, string) { return r.id, r.name }

// enterpriseRoles are the security roles of Enterprise Manager, by id.
var enterpriseRoles = []*secRole{
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

func (f *Fake) roles() coll[*secRole] {
	return coll[*secRole]{f: f, kind: "EnterpriseRole", base: "/api/security/roles/", param: "roleId", what: "security role",
		items: func() []*secRole { return enterpriseRoles }}
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		return map[string]fake.HandlerFunc{
			"GetSecurityRoles": f.roles().list(),
			"GetSecurityRole": f.roles().get(func(r *http.Request, role *secRole, entity bool) any {
				m := vbemapi.EnterpriseRole{Name: to.Ptr(role.name)}
				m.Href, m.UID, m.Type, m.Links = formOf(r, "EnterpriseRole", "/api/security/roles/"+role.id, role.id, entity)
				return m
			}),
			"GetAccountRoles":   f.accounts().with(f.listAccountRoles),
			"AssignAccountRole": f.assignRole,
			"GetAccountRole": f.withAccountRole(func(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account, _ int) {
				in.Respond(w, http.StatusOK, accountRoleModel(r, a.id, in.PathParams["roleId"]))
			}),
			"RemoveAccountRole": f.withAccountRole(func(w http.ResponseWriter, r *http.Request, _ *fake.Input, a *account, i int) {
				if len(a.roles) == 1 {
					badRequest(w, r, "the last role of an account cannot be removed")
					return
				}
				a.roles = slices.Delete(a.roles, i, i+1)
				w.WriteHeader(http.StatusNoContent)
			}),
		}
	})
}

func accountRoleModel(r *http.Request, accountID, roleID string) vbemapi.EnterpriseAccountInRole {
	p := accountPath(accountID) + "/roles/" + roleID
	return vbemapi.EnterpriseAccountInRole{Href: to.Ptr(Href(r, p)), Type: to.Ptr("EnterpriseAccountInRole"),
		Links: []vbemapi.Link{link(r, "Delete", p, "")}, RoleName: to.Ptr(roleName(roleID))}
}

// withAccountRole runs do on the account of the path and the index of the
// role of the path among its roles, under f.mu, or answers 404.
func (f *Fake) withAccountRole(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account, i int)) fake.HandlerFunc {
	return f.accounts().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account) {
		i := slices.Index(a.roles, roleURN+in.PathParams["roleId"])
		if i < 0 {
			WriteError(w, r, http.StatusNotFound, "NotFound", "the account does not hold that role")
			return
		}
		do(w, r, in, a, i)
	})
}

func (f *Fake) listAccountRoles(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account) {
	out := vbemapi.EnterpriseAccountInRoleList{}
	for _, uid := range a.roles {
		out.EnterpriseAccountInRoles = append(out.EnterpriseAccountInRoles, accountRoleModel(r, a.id, strings.TrimPrefix(uid, roleURN)))
	}
	in.Respond(w, http.StatusOK, out)
}

func (f *Fake) assignRole(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.EnterpriseAccountInRoleCreateSpec
	if err := decodeBody(r, in, &spec); err != nil {
		badRequest(w, r, "cannot read the role")
		return
	}
	id := strings.TrimPrefix(spec.EnterpriseRoleUID, roleURN)
	if !strings.HasPrefix(spec.EnterpriseRoleUID, roleURN) || roleName(id) == "" {
		badRequest(w, r, "EnterpriseRoleUid names no security role")
		return
	}
	f.accounts().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account) {
		if slices.Contains(a.roles, roleURN+id) {
			badRequest(w, r, "the account already holds the role "+roleName(id))
			return
		}
		a.roles = append(a.roles, roleURN+id)
		w.Header().Set("Location", Href(r, accountPath(a.id)+"/roles/"+id))
		in.Respond(w, http.StatusCreated, nil)
	})(w, r, in)
}
