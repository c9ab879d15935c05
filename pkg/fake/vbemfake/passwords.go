package vbemfake

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The seeded backup servers and their seeded passwords.
const (
	SeedBackupServer1ID   = "7d1e6f1a-4a8b-4c55-9a3e-0c2b3d4e5f60"
	SeedBackupServer1Name = "srv01.tech.local"
	SeedBackupServer2ID   = "50a1b2fb-b90a-4e05-816f-e298eb2f995c"
	SeedBackupServer2Name = "srv02.tech.local"
	SeedPassword1ID       = "1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0" //nolint:gosec // an id, not a secret
	SeedPassword2ID       = "cacd84ea-5cc9-46b5-9e79-2162c4170662" //nolint:gosec // an id, not a secret
)

const pwKey = "passwords"

type pwServer struct {
	id, name, version string
	port              int32
	// desc, user, secret, wcfPort and thumbprint are the connection
	// settings of BackupServerSpec (backupservers.go); the secret is never
	// answered.
	desc, user, secret, thumbprint string
	wcfPort                        int32
}

type pwRecord struct {
	id, hint, secret string
	modified         time.Time
}

type pwState struct {
	servers      []*pwServer
	passwords    map[string][]*pwRecord // by server id, in creation order
	creds        map[string][]*credRecord
	createStatus int
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		seeded := time.Date(2014, 10, 11, 7, 6, 17, 0, time.UTC)
		f.state[pwKey] = &pwState{
			servers: []*pwServer{
				{id: SeedBackupServer1ID, name: SeedBackupServer1Name, version: "13.0.1.1071", port: 9392, desc: "Backup server " + SeedBackupServer1Name},
				{id: SeedBackupServer2ID, name: SeedBackupServer2Name, version: "13.0.1.1071", port: 9392, desc: "Backup server " + SeedBackupServer2Name},
			},
			passwords: map[string][]*pwRecord{
				SeedBackupServer1ID: {{id: SeedPassword1ID, hint: "Tape vault key", secret: randomHex(16), modified: seeded}},
				SeedBackupServer2ID: {{id: SeedPassword2ID, hint: "My password", secret: randomHex(16), modified: seeded}},
			},
			creds: map[string][]*credRecord{
				SeedBackupServer2ID: {{id: SeedCredentialsID, user: "root", desc: "Credentials for ESX(i) and Linux hosts.", secret: randomHex(16)}},
			},
			createStatus: http.StatusCreated,
		}
		return map[string]fake.HandlerFunc{
			"GetBackupServers": f.listBackupServers,
			"GetBackupServer":  f.servers().get(func(r *http.Request, s *pwServer, entity bool) any { return bsModel(r, s, entity) }),
			"GetPasswords":     f.servers().with(f.listPasswords),
			"CreatePassword":   f.createPassword,
			"GetPassword": f.withPassword(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, _ int, p *pwRecord) {
				in.Respond(w, http.StatusOK, pwModel(r, s, p))
			}),
			"EditPasswordHint": f.editPasswordHint,
			"DeletePassword": f.withPassword(func(w http.ResponseWriter, _ *http.Request, _ *fake.Input, s *pwServer, i int, _ *pwRecord) {
				st := f.pwLocked()
				st.passwords[s.id] = slices.Delete(st.passwords[s.id], i, i+1)
				w.WriteHeader(http.StatusNoContent)
			}),
			"GetQueryService": f.getQueryService,
			"Query":           f.query,
		}
	})
}

func (f *Fake) pwLocked() *pwState { return f.state[pwKey].(*pwState) }

// SetPasswordCreateStatus makes CreatePassword answer 201 (the default, no
// body), 202 (a Task whose Related link is the new password) or 204.
func (f *Fake) SetPasswordCreateStatus(status int) {
	f.mu.Lock()
	f.pwLocked().createStatus = status
	f.mu.Unlock()
}

// CheckPassword reports whether a password record holds secret; the fake
// never answers with the secret itself.
func (f *Fake) CheckPassword(backupServerID, passwordID, secret string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.pwLocked().passwords[backupServerID] {
		if p.id == passwordID {
			return p.secret == secret
		}
	}
	return false
}

func (s *pwServer) ident() (string, string) { return s.id, s.name }
func (p *pwRecord) ident() (string, string) { return p.id, p.hint }

func (f *Fake) servers() coll[*pwServer] {
	return coll[*pwServer]{f: f, kind: "BackupServer", base: "/api/backupServers/", param: "backupServerId", what: "backup server",
		items: func() []*pwServer { return f.pwLocked().servers }}
}

// withPassword runs do on the password of the path, under f.mu, or
// answers 404.
func (f *Fake) withPassword(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, i int, p *pwRecord)) fake.HandlerFunc {
	return withSub(f.servers(), func(s *pwServer) []*pwRecord { return f.pwLocked().passwords[s.id] }, "passwordId", "password", do)
}

func bsPath(id string) string { return "/api/backupServers/" + id }

func pwPath(serverID, id string) string { return bsPath(serverID) + "/passwords/" + id }

func bsUID(id string) string { return "urn:veeam:BackupServer:" + id }

func bsModel(r *http.Request, s *pwServer, entity bool) vbemapi.BackupServer {
	down := link(r, "Down", bsPath(s.id)+"/passwords", "PasswordKeyList")
	m := vbemapi.BackupServer{Name: to.Ptr(s.name), Links: []vbemapi.Link{alternate(r, "BackupServer", bsPath(s.id)), down}}
	m.Href, m.UID, m.Type = form(r, "BackupServer", bsPath(s.id), s.id, entity)
	if entity {
		m.Links = []vbemapi.Link{down, link(r, "Create", bsPath(s.id)+"/passwords?action=create", ""),
			link(r, "Edit", bsPath(s.id), ""), link(r, "Delete", bsPath(s.id), ""), link(r, "Down", bsPath(s.id)+"/externalRepositories", "ExternalRepositoryReferenceList")}
		m.Description, m.Port, m.Version = to.Ptr(s.desc), to.Ptr(s.port), to.Ptr(s.version)
		if s.wcfPort != 0 {
			m.WcfPort = to.Ptr(s.wcfPort)
		}
		if s.thumbprint != "" {
			m.VbrCertificateThumbprint = to.Ptr(s.thumbprint)
		}
	}
	return m
}

func pwModel(r *http.Request, s *pwServer, p *pwRecord) vbemapi.PasswordKeyInfo {
	path := pwPath(s.id, p.id)
	up := link(r, "Up", bsPath(s.id)+"?format=Entity", "BackupServer")
	up.Name = to.Ptr(s.name)
	return vbemapi.PasswordKeyInfo{Href: to.Ptr(Href(r, path)), Type: to.Ptr("PasswordKey"),
		Links: []vbemapi.Link{up, link(r, "Edit", path, "PasswordKey"), link(r, "Delete", path, "PasswordKey")},
		ID:    to.Ptr(p.id), Hint: to.Ptr(p.hint), LastModificationDate: to.Ptr(p.modified)}
}

func (f *Fake) listBackupServers(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	list := f.servers().refs(r, nil)
	if entityForm(r) {
		for i, s := range f.pwLocked().servers {
			list.Refs[i].Href, list.Refs[i].Type = to.Ptr(Href(r, bsPath(s.id)+"?format=Entity")), to.Ptr("BackupServer")
		}
	}
	in.Respond(w, http.StatusOK, list)
}

func (f *Fake) listPasswords(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer) {
	list := []vbemapi.PasswordKeyInfo{}
	for _, p := range f.pwLocked().passwords[s.id] {
		list = append(list, pwModel(r, s, p))
	}
	in.Respond(w, http.StatusOK, vbemapi.PasswordKeyInfoList{PasswordKeyInfos: list})
}

// pwSpec reads a PasswordKeyInfoSpec, or answers 400.
func pwSpec(w http.ResponseWriter, r *http.Request, in *fake.Input) (vbemapi.PasswordKeyInfoSpec, bool) {
	var spec vbemapi.PasswordKeyInfoSpec
	return spec, readBody(w, r, in, &spec, "PasswordKeyInfoSpec")
}

func (f *Fake) createPassword(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := pwSpec(w, r, in)
	if !ok {
		return
	}
	if spec.Password == nil || *spec.Password == "" {
		WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "Password is required")
		return
	}
	f.servers().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer) {
		st := f.pwLocked()
		p := &pwRecord{id: uuidLike(), secret: *spec.Password, hint: to.Value(spec.Hint), modified: f.now().UTC().Truncate(time.Second)}
		st.passwords[s.id] = append(st.passwords[s.id], p)
		w.Header().Set("Location", Href(r, pwPath(s.id, p.id)))
		if st.createStatus == http.StatusAccepted {
			f.accept(w, r, in, "CreatePassword", false, pwPath(s.id, p.id))
			return
		}
		in.Respond(w, st.createStatus, nil)
	})(w, r, in)
}

func (f *Fake) editPasswordHint(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := pwSpec(w, r, in)
	if !ok {
		return
	}
	if spec.Password != nil {
		WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "the password cannot be changed, only its hint")
		return
	}
	f.withPassword(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, _ int, p *pwRecord) {
		p.hint, p.modified = to.Value(spec.Hint), f.now().UTC().Truncate(time.Second)
		in.Respond(w, http.StatusOK, pwModel(r, s, p))
	})(w, r, in)
}

func (f *Fake) getQueryService(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	pw := link(r, "Down", "/api/query?type=Passwords&format=Entities&sortAsc=BackupServerUid&pageSize=15&page=1", "")
	pw.Name = to.Ptr("Passwords")
	tasks := link(r, "Down", "/api/query?type=Task&pageSize=15&page=1", "")
	tasks.Name = to.Ptr("Task")
	in.Respond(w, http.StatusOK, vbemapi.QuerySvc{Href: to.Ptr(Href(r, "/api/querySvc")), Type: to.Ptr("QueryService"),
		Links: []vbemapi.Link{link(r, "Up", "/api/", "EnterpriseManager"), pw, tasks}})
}

// queryRow is one queryable object: its fields by lower-case name and its
// answer forms.
type queryRow struct {
	fields map[string]string
	ref    *vbemapi.EntityReference
	ent    any // the entity (a PasswordKeyInfo, a Task, or one of the types of query.go)
}

func (f *Fake) queryRows(r *http.Request, typ string) []queryRow {
	f.mu.Lock()
	defer f.mu.Unlock()
	var rows []queryRow
	if typ == "Task" {
		for _, id := range f.taskOrder {
			t := f.tasks[id].model
			rows = append(rows, queryRow{ent: t, fields: map[string]string{
				"taskid": *t.TaskID, "state": string(*t.State), "operation": *t.Operation}})
		}
		return rows
	}
	st := f.pwLocked()
	for _, s := range st.servers {
		for _, p := range st.passwords[s.id] {
			m := pwModel(r, s, p)
			ref := vbemapi.EntityReference{UID: to.Ptr("urn:veeam:PasswordKey:" + p.id), Name: to.Ptr(p.hint), Href: m.Href, Type: to.Ptr("PasswordKeyReference"),
				Links: []vbemapi.Link{link(r, "Up", bsPath(s.id), "BackupServerReference")}}
			rows = append(rows, queryRow{ent: m, ref: &ref, fields: map[string]string{
				"passwordkeyid": p.id, "hint": p.hint, "backupserveruid": bsUID(s.id), "backupservername": s.name}})
		}
	}
	return rows
}

func (f *Fake) query(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	q := r.URL.Query()
	typ, format := q.Get("type"), q.Get("format")
	known := map[string]bool{"passwordkeyid": true, "hint": true, "backupserveruid": true, "backupservername": true}
	if typ == "Task" {
		known = map[string]bool{"taskid": true, "state": true, "operation": true}
	}
	bkType, bk := bkQueryTypes[typ]
	if bk {
		known = map[string]bool{}
		for _, k := range bkType.fields {
			known[k] = true
		}
	}
	var pred queryPred
	if expr := q.Get("filter"); expr != "" {
		var err error
		if pred, err = parseQueryFilter(expr, known); err != nil {
			WriteError(w, r, http.StatusBadRequest, "InvalidFilter", err.Error())
			return
		}
	}
	asc, desc := q.Get("sortAsc"), q.Get("sortDesc")
	if asc != "" && desc != "" {
		WriteError(w, r, http.StatusBadRequest, "InvalidSort", "sortAsc and sortDesc exclude each other")
		return
	}
	sortBy := strings.ToLower(asc + desc)
	if sortBy != "" && !known[sortBy] {
		WriteError(w, r, http.StatusBadRequest, "InvalidSort", "cannot sort by "+asc+desc)
		return
	}

	var rows []queryRow
	source := f.queryRows
	if bk {
		source = f.bkQueryRows
	}
	for _, row := range source(r, typ) {
		if pred == nil || pred(row.fields) {
			rows = append(rows, row)
		}
	}
	if sortBy != "" {
		slices.SortStableFunc(rows, func(a, b queryRow) int {
			c := strings.Compare(strings.ToLower(a.fields[sortBy]), strings.ToLower(b.fields[sortBy]))
			if desc != "" {
				return -c
			}
			return c
		})
	}

	size, page := 100, 1
	if v := q.Get("pageSize"); v != "" {
		size, _ = strconv.Atoi(v)
	}
	if v := q.Get("page"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	size, page = max(size, 1), max(page, 1)
	pages := max((len(rows)+size-1)/size, 1)
	start, end := min((page-1)*size, len(rows)), min(page*size, len(rows))
	rows = rows[start:end]

	res := vbemapi.QueryResult{Links: []vbemapi.Link{link(r, "Up", "/api/querySvc", "QueryService")}}
	switch {
	case typ == "Task":
		res.Resources = newOf(res.Resources)
		res.Resources.Tasks = newOf(res.Resources.Tasks)
		res.Resources.Tasks.Tasks = collect[vbemapi.Task](rows)
	case bk && format == "Entities":
		bkEntities(&res, typ, rows)
	case format == "Entities":
		res.Resources = newOf(res.Resources)
		res.Resources.PasswordKeyInfoList = newOf(res.Resources.PasswordKeyInfoList)
		res.Resources.PasswordKeyInfoList.PasswordKeyInfos = collect[vbemapi.PasswordKeyInfo](rows)
	default:
		refs := []vbemapi.EntityReference{}
		for _, row := range rows {
			refs = append(refs, *row.ref)
		}
		res.Refs = &struct {
			Refs []vbemapi.EntityReference `json:"Refs,omitempty" xml:"Ref"`
		}{Refs: refs}
	}

	pageLink := func(rel string, n int) vbemapi.Link {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("pageSize", strconv.Itoa(size))
		v.Set("page", strconv.Itoa(n))
		return link(r, rel, "/api/query?"+v.Encode(), "")
	}
	links := []vbemapi.Link{pageLink("First", 1)}
	if page > 1 {
		links = append(links, pageLink("Previous", min(page-1, pages)))
	}
	if page < pages {
		links = append(links, pageLink("Next", page+1))
	}
	links = append(links, pageLink("Last", pages))
	res.PagingInfo = &struct {
		PageNum    *int32         `json:"PageNum,omitempty" xml:"PageNum,attr"`
		PageSize   *int32         `json:"PageSize,omitempty" xml:"PageSize,attr"`
		PagesCount *int32         `json:"PagesCount,omitempty" xml:"PagesCount,attr"`
		Links      []vbemapi.Link `json:"Links,omitempty" xml:"Links>Link"`
	}{PageNum: to.Ptr(int32(page)), PageSize: to.Ptr(int32(size)), PagesCount: to.Ptr(int32(pages)), Links: links} //nolint:gosec // bounded by int32 query parameters
	in.Respond(w, http.StatusOK, res)
}

// queryPred matches a row's fields.
type queryPred func(fields map[string]string) bool

// parseQueryFilter parses a filter: terms <field><op><value> with == != < >
// <= >=, joined by ';' (AND) and ',' (OR, binding looser), grouped by
// parentheses. Values may be quoted ("a ""b"""); comparisons ignore case.
func parseQueryFilter(expr string, known map[string]bool) (queryPred, error) {
	p := &queryParser{s: expr, known: known}
	pred, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.s) {
		return nil, fmt.Errorf("filter: unexpected %q at %d", p.s[p.i:], p.i)
	}
	return pred, nil
}

type queryParser struct {
	s     string
	i     int
	known map[string]bool
}

func (p *queryParser) or() (queryPred, error) {
	var alts []queryPred
	for {
		a, err := p.and()
		if err != nil {
			return nil, err
		}
		alts = append(alts, a)
		if p.i >= len(p.s) || p.s[p.i] != ',' {
			break
		}
		p.i++
	}
	return func(m map[string]string) bool {
		for _, a := range alts {
			if a(m) {
				return true
			}
		}
		return false
	}, nil
}

func (p *queryParser) and() (queryPred, error) {
	var all []queryPred
	for {
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		all = append(all, t)
		if p.i >= len(p.s) || p.s[p.i] != ';' {
			break
		}
		p.i++
	}
	return func(m map[string]string) bool {
		for _, t := range all {
			if !t(m) {
				return false
			}
		}
		return true
	}, nil
}

func (p *queryParser) term() (queryPred, error) {
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i++
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return nil, fmt.Errorf("filter: missing ) at %d", p.i)
		}
		p.i++
		return inner, nil
	}
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune("=!<>", rune(p.s[p.i])) {
		p.i++
	}
	field := strings.ToLower(strings.TrimSpace(p.s[start:p.i]))
	if !p.known[field] {
		return nil, fmt.Errorf("filter: unknown field %q", p.s[start:p.i])
	}
	var op string
	for _, o := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if strings.HasPrefix(p.s[p.i:], o) {
			op = o
			break
		}
	}
	if op == "" {
		return nil, fmt.Errorf("filter: missing operator at %d", p.i)
	}
	p.i += len(op)
	value, err := p.value()
	if err != nil {
		return nil, err
	}
	value = strings.ToLower(value)
	return func(m map[string]string) bool {
		got := strings.ToLower(m[field])
		if field == "backupserveruid" && !strings.HasPrefix(value, "urn:") {
			got = strings.TrimPrefix(got, "urn:veeam:backupserver:")
		}
		c := strings.Compare(got, value)
		switch op {
		case "==":
			return c == 0
		case "!=":
			return c != 0
		case "<":
			return c < 0
		case ">":
			return c > 0
		case "<=":
			return c <= 0
		default:
			return c >= 0
		}
	}, nil
}

func (p *queryParser) value() (string, error) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		var b strings.Builder
		for p.i++; p.i < len(p.s); p.i++ {
			if p.s[p.i] == '"' {
				if p.i+1 < len(p.s) && p.s[p.i+1] == '"' {
					b.WriteByte('"')
					p.i++
					continue
				}
				p.i++
				return b.String(), nil
			}
			b.WriteByte(p.s[p.i])
		}
		return "", fmt.Errorf("filter: unterminated quote")
	}
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(";,()", rune(p.s[p.i])) {
		p.i++
	}
	return strings.TrimSpace(p.s[start:p.i]), nil
}
