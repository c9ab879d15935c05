package vbemfake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// SeedAccountName is the account every fake starts with; it has one
// processed restore scope.
const SeedAccountName = `CORP\restore-ops`

// SeedAccountID is the id of the seeded account.
const SeedAccountID = "fd4befd6-70c6-4b2f-a068-d1d9a61905a3"

const accountsKey = "accounts"

type acctScope struct {
	id, name, root, platform, objType, state string
}

type account struct {
	id, name    string
	accountType vbemapi.EnterpriseAccountAccountType
	allowAll    bool
	roles       []string
	settings    *vbemapi.EnterpriseAccount // FlrSettings and SQLSettings only
	scopes      []*acctScope
}

type accountsState struct {
	list []*account
	next int
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[accountsKey] = &accountsState{list: []*account{{id: SeedAccountID, name: SeedAccountName,
			accountType: vbemapi.EnterpriseAccountAccountTypeUser, roles: []string{"urn:veeam:EnterpriseRole:f84a8b62-49b8-4d0c-b25b-92321b52bab6"},
			scopes: []*acctScope{{id: "0b1f7a4e-3c1e-4c2b-9a51-7f7c2a9f2d10", name: "Finance", root: "vcenter01.tech.local", platform: "VMware",
				objType: "Folder", state: "Processed"}}}}}
		return map[string]fake.HandlerFunc{
			"GetSecurity":                f.getSecurity,
			"GetAccounts":                f.accounts().list(),
			"PostAccounts":               f.postAccounts,
			"GetAccount":                 f.accounts().get(func(r *http.Request, a *account, entity bool) any { return accountModel(r, a, entity) }),
			"ToggleAccountRestoreScopes": f.accounts().with(f.toggleAccount),
			"DeleteAccount":              f.accounts().with(f.deleteAccount),
			"GetAccountScopes":           f.accounts().with(f.listScopes),
			"CreateAccountScopes":        f.createScopes,
			"GetAccountScope": f.withScope(func(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account, _ int, s *acctScope) {
				in.Respond(w, http.StatusOK, scopeModel(r, a.id, s))
			}),
			"DeleteAccountScope": f.withScope(func(w http.ResponseWriter, _ *http.Request, _ *fake.Input, a *account, i int, _ *acctScope) {
				a.scopes = slices.Delete(a.scopes, i, i+1)
				w.WriteHeader(http.StatusNoContent)
			}),
		}
	})
}

// accountsLocked returns the accounts state; f.mu must be held.
func (f *Fake) accountsLocked() *accountsState { return f.state[accountsKey].(*accountsState) }

// newIDLocked returns a fresh, predictable id.
func (st *accountsState) newIDLocked() string {
	st.next++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", st.next)
}

func accountPath(id string) string { return "/api/security/accounts/" + id }

func scopePath(accountID, scopeID string) string {
	return accountPath(accountID) + "/scopes/" + scopeID
}

// accountModel is the reference form of an account, or the entity with
// entity set. f.mu must be held.
func accountModel(r *http.Request, a *account, entity bool) vbemapi.EnterpriseAccount {
	p := accountPath(a.id)
	m := vbemapi.EnterpriseAccount{Name: to.Ptr(a.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "EnterpriseAccount", p, a.id, entity)
	if !entity {
		return m
	}
	m.Links = []vbemapi.Link{link(r, "Down", p+"/scopes", "EnterpriseAccountHierarchyScopeList"), link(r, "Delete", p, ""),
		link(r, "ToggleRestoreScopesEnabled", p, "")}
	m.AccountType, m.AccountName, m.AllowRestoreAllVMs = to.Ptr(a.accountType), to.Ptr(a.name), to.Ptr(a.allowAll)
	if len(a.roles) > 0 {
		roles := make([]struct {
			Name  *string        `json:"Name,omitempty" xml:"Name,attr"`
			UID   *string        `json:"UID,omitempty" xml:"UID,attr"`
			Href  *string        `json:"Href,omitempty" xml:"Href,attr"`
			Type  *string        `json:"Type,omitempty" xml:"Type,attr"`
			Links []vbemapi.Link `json:"Links,omitempty" xml:"Links>Link"`
		}, len(a.roles))
		for i, uid := range a.roles {
			roles[i].UID, roles[i].Type = to.Ptr(uid), to.Ptr("EnterpriseRoleReference")
		}
		m.Roles = &struct {
			EnterpriseRoles []struct {
				Name  *string        `json:"Name,omitempty" xml:"Name,attr"`
				UID   *string        `json:"UID,omitempty" xml:"UID,attr"`
				Href  *string        `json:"Href,omitempty" xml:"Href,attr"`
				Type  *string        `json:"Type,omitempty" xml:"Type,attr"`
				Links []vbemapi.Link `json:"Links,omitempty" xml:"Links>Link"`
			} `json:"EnterpriseRoles,omitempty" xml:"EnterpriseRole"`
		}{EnterpriseRoles: roles}
	}
	if a.settings != nil {
		m.FlrSettings, m.SQLSettings = a.settings.FlrSettings, a.settings.SQLSettings
	}
	return m
}

func scopeModel(r *http.Request, accountID string, s *acctScope) vbemapi.EnterpriseAccountHierarchyScope {
	p := scopePath(accountID, s.id)
	return vbemapi.EnterpriseAccountHierarchyScope{Href: to.Ptr(Href(r, p)), Type: to.Ptr("EnterpriseAccountHierarchyScope"),
		Links: []vbemapi.Link{link(r, "Delete", p, "")}, Name: to.Ptr(s.name), HierarchyRootName: to.Ptr(s.root),
		Platform: to.Ptr(s.platform), HierarchyObjectType: to.Ptr(s.objType), State: to.Ptr(s.state)}
}

// newScope parses urn:<Platform>:<Type>:<Root>.<Ref> into a new, still
// unprocessed scope.
func (st *accountsState) newScope(item vbemapi.HierarchyScopeItem) (*acctScope, error) {
	ref := ""
	if item.HierarchyObjRef != nil {
		ref = *item.HierarchyObjRef
	}
	parts := strings.SplitN(strings.TrimPrefix(ref, "urn:"), ":", 3)
	if !strings.HasPrefix(ref, "urn:") || len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return nil, fmt.Errorf("HierarchyObjRef %q is not urn:<Platform>:<Type>:<Root>.<Ref>", ref)
	}
	root := parts[2]
	if i := strings.LastIndex(root, "."); i > 0 {
		root = root[:i]
	}
	if root == "" {
		return nil, fmt.Errorf("HierarchyObjRef %q names no hierarchy root", ref)
	}
	name := ""
	if item.ObjectName != nil {
		name = *item.ObjectName
	}
	return &acctScope{id: st.newIDLocked(), name: name, root: root, platform: parts[0], objType: parts[1], state: "Unprocessed"}, nil
}

func (st *accountsState) newScopes(items []vbemapi.HierarchyScopeItem) ([]*acctScope, error) {
	var out []*acctScope
	for _, it := range items {
		s, err := st.newScope(it)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (f *Fake) getSecurity(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	accounts := "/api/security/accounts"
	in.Respond(w, http.StatusOK, vbemapi.EnterpriseSecuritySettings{Href: to.Ptr(Href(r, "/api/security")), Type: to.Ptr("EnterpriseSecuritySettings"),
		Links: []vbemapi.Link{link(r, "Down", accounts, "EnterpriseAccountReferenceList"), link(r, "Create", accounts, "EnterpriseAccount"),
			link(r, "Create", accounts+"?action=rebuildScope", "")}})
}

func (f *Fake) postAccounts(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	switch action := r.URL.Query().Get("action"); action {
	case "rebuildScope":
		f.rebuildScopes(w, r, in)
	case "":
		f.createAccount(w, r, in)
	default:
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "unknown action "+action)
	}
}

func (f *Fake) rebuildScopes(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.RebuildScopeJobSpec
	if err := decodeBody(r, in, &spec); err != nil {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "cannot read RebuildScopeJobSpec: "+err.Error())
		return
	}
	n := 0
	for _, p := range []*vbemapi.EmptyElement{spec.RebuildAll, spec.RebuildUnprocessed, spec.RebuildForCurrentUser} {
		if p != nil {
			n++
		}
	}
	if n != 1 {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "RebuildScopeJobSpec needs exactly one of RebuildAll, RebuildUnprocessed, RebuildForCurrentUser")
		return
	}
	user := ""
	if s, ok := in.Principal.(*session); ok {
		user = s.user
	}
	f.mu.Lock()
	for _, a := range f.accountsLocked().list {
		if spec.RebuildForCurrentUser != nil && !strings.EqualFold(a.name, user) {
			continue
		}
		for _, s := range a.scopes {
			if s.state == "Unprocessed" || spec.RebuildUnprocessed == nil {
				s.state = "Processed"
			}
		}
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusAccepted, f.StartTask(r, "StartRebuildScope", false, ""))
}

func (f *Fake) createAccount(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.EnterpriseAccountCreateSpec
	if err := decodeBody(r, in, &spec); err != nil {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "cannot read EnterpriseAccountCreateSpec: "+err.Error())
		return
	}
	if spec.AccountName == "" || !vbemapi.EnterpriseAccountAccountType(spec.AccountType).Valid() {
		WriteError(w, r, http.StatusBadRequest, "BadRequest", "AccountName and a valid AccountType are required")
		return
	}
	f.mu.Lock()
	st := f.accountsLocked()
	for _, a := range st.list {
		if strings.EqualFold(a.name, spec.AccountName) {
			f.mu.Unlock()
			WriteError(w, r, http.StatusBadRequest, "BadRequest", "account "+spec.AccountName+" already exists")
			return
		}
	}
	a := &account{id: st.newIDLocked(), name: spec.AccountName, accountType: vbemapi.EnterpriseAccountAccountType(spec.AccountType),
		allowAll: spec.AllowRestoreAllVMs}
	for _, role := range spec.Roles.EnterpriseRoles {
		if role.EnterpriseRoleUID != nil {
			a.roles = append(a.roles, *role.EnterpriseRoleUID)
		}
	}
	if spec.FlrSettings != nil || spec.SQLSettings != nil {
		a.settings = &vbemapi.EnterpriseAccount{}
		if spec.FlrSettings != nil {
			a.settings.FlrSettings = &struct {
				FlrInplaceOnly           *bool   `json:"FlrInplaceOnly,omitempty" xml:"FlrInplaceOnly"`
				FlrExtentionRestrictions *string `json:"FlrExtentionRestrictions,omitempty" xml:"FlrExtentionRestrictions"`
			}{FlrInplaceOnly: spec.FlrSettings.FlrInplaceOnly, FlrExtentionRestrictions: spec.FlrSettings.FlrExtentionRestrictions}
		}
		if spec.SQLSettings != nil {
			a.settings.SQLSettings = &struct {
				DenyInPlaceRestore *bool `json:"DenyInPlaceRestore,omitempty" xml:"DenyInPlaceRestore"`
			}{DenyInPlaceRestore: spec.SQLSettings.DenyInPlaceRestore}
		}
	}
	if spec.HierarchyScopeObjects != nil {
		scopes, err := st.newScopes(spec.HierarchyScopeObjects.HierarchyScopeItems)
		if err != nil {
			f.mu.Unlock()
			WriteError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
			return
		}
		a.scopes = scopes
	}
	st.list = append(st.list, a)
	m := accountModel(r, a, true)
	f.mu.Unlock()
	w.Header().Set("Location", Href(r, accountPath(a.id)))
	in.Respond(w, http.StatusCreated, m)
}

func (a *account) ident() (string, string)   { return a.id, a.name }
func (s *acctScope) ident() (string, string) { return s.id, s.name }

func (f *Fake) accounts() coll[*account] {
	return coll[*account]{f: f, kind: "EnterpriseAccount", base: "/api/security/accounts/", param: "accountId", what: "account",
		items: func() []*account { return f.accountsLocked().list }}
}

// withScope runs do on the restore scope of the path, under f.mu, or
// answers 404.
func (f *Fake) withScope(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account, i int, s *acctScope)) fake.HandlerFunc {
	return withSub(f.accounts(), func(a *account) []*acctScope { return a.scopes }, "scopeId", "restore scope", do)
}

func (f *Fake) toggleAccount(w http.ResponseWriter, _ *http.Request, _ *fake.Input, a *account) {
	a.allowAll = !a.allowAll
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) deleteAccount(w http.ResponseWriter, _ *http.Request, _ *fake.Input, a *account) {
	st := f.accountsLocked()
	st.list = slices.DeleteFunc(st.list, func(o *account) bool { return o == a })
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) listScopes(w http.ResponseWriter, r *http.Request, in *fake.Input, a *account) {
	list := []vbemapi.EnterpriseAccountHierarchyScope{}
	for _, s := range a.scopes {
		list = append(list, scopeModel(r, a.id, s))
	}
	in.Respond(w, http.StatusOK, vbemapi.EnterpriseAccountHierarchyScopes{EnterpriseAccountHierarchyScopes: list})
}

func (f *Fake) createScopes(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.HierarchyScopeCreateSpec
	if err := decodeBody(r, in, &spec); err != nil {
		badRequest(w, r, "cannot read HierarchyScopeCreateSpec: "+err.Error())
		return
	}
	f.accounts().with(func(w http.ResponseWriter, r *http.Request, _ *fake.Input, a *account) {
		if len(spec.HierarchyScopeItems) == 0 {
			badRequest(w, r, "HierarchyScopeCreateSpec needs a HierarchyScopeItem")
			return
		}
		scopes, err := f.accountsLocked().newScopes(spec.HierarchyScopeItems)
		if err != nil {
			badRequest(w, r, err.Error())
			return
		}
		a.scopes = append(a.scopes, scopes...)
		w.WriteHeader(http.StatusCreated)
	})(w, r, in)
}
