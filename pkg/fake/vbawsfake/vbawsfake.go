package vbawsfake

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
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
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/specs"
)

// Option configures a fake.
type Option func(*config)

type config struct {
	user, password string
	mfaCode        string
	ttl            time.Duration
	seed           int
	now            func() time.Time
	sessionReads   *int
	firstLogin     bool
}

// WithUser sets the user that can log in (default admin / admin).
func WithUser(name, password string) Option {
	return func(c *config) { c.user, c.password = name, password }
}

// WithMFA requires multi-factor authentication with this one-time code.
func WithMFA(code string) Option { return func(c *config) { c.mfaCode = code } }

// WithTokenTTL sets the access token lifetime (default 1 hour).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.ttl = d } }

// WithOrganizations seeds n organizations.
func WithOrganizations(n int) Option { return func(c *config) { c.seed = n } }

// WithClock replaces time.Now for token expiry.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Fake is the server state and its http.Handler.
type Fake struct {
	*fake.Engine
	// Tokens is the token issuer, to expire or inspect tokens.
	Tokens *veeamfake.Tokens

	mu       sync.Mutex
	orgs     map[uuid.UUID]*vbawsapi.AmazonOrganization
	order    []uuid.UUID
	sessions map[uuid.UUID][]vbawsapi.AmazonOrganizationIdentity // in-memory rescans
	inUse    map[uuid.UUID]bool
	log      sessionLog
	infra    *infra
	cloud    *cloud
	alerts   licenseAlerts

	// ec2, rds, efs, dynamoDB, fsx and redshift are the workloads: their
	// backup policies, resources and restore points.
	ec2, rds, efs, dynamoDB, fsx, redshift *workload

	// lastSummary holds the counts the summary statistics last answered:
	// alarms, instances, policies, protected instances, repositories.
	lastSummary *[5]int32
	// admin is the appliance's users, certificate, settings and license
	// agreements.
	admin *admin
}

// New returns the handler and state of a fake (serve it yourself, or use
// Start).
func New(opts ...Option) (*Fake, error) {
	cfg := config{user: "admin", password: "admin", ttl: time.Hour}
	for _, o := range opts {
		o(&cfg)
	}
	eng, err := fake.New(specs.VBAWS, veeamfake.WriteError)
	if err != nil {
		return nil, err
	}
	f := &Fake{Engine: eng, Tokens: veeamfake.NewTokens(cfg.user, cfg.password),
		orgs: map[uuid.UUID]*vbawsapi.AmazonOrganization{}, sessions: map[uuid.UUID][]vbawsapi.AmazonOrganizationIdentity{},
		inUse: map[uuid.UUID]bool{}, log: sessionLog{byID: map[uuid.UUID]*sessionState{}, runningReads: 1}, infra: newInfra()}
	f.cloud = newCloud(f.infra.roles.order[0])
	if cfg.sessionReads != nil {
		f.log.runningReads = *cfg.sessionReads
	}
	f.Tokens.TTL = cfg.ttl
	if cfg.now != nil {
		f.Tokens.Now = cfg.now
	}
	if cfg.mfaCode != "" {
		f.Tokens.RequireMFA(cfg.mfaCode)
	}
	eng.SetAuthenticator(f.Tokens.Authenticate)
	f.initAdmin(cfg)
	handlers := map[string]fake.HandlerFunc{
		"Authenticate":                            f.Tokens.HandleToken,
		"SignOut":                                 f.Tokens.HandleLogout,
		"AmazonOrganizationsGetAll":               f.list,
		"AddAmazonOrganization":                   withBody(f, f.add),
		"AmazonOrganizationsGetOneById":           f.get,
		"UpdateAmazonOrganization":                withBody(f, f.update),
		"DeleteAmazonOrganization":                f.delete,
		"RescanAmazonOrganization":                f.rescan,
		"GetAmazonOrganizationIdentitiesInMemory": f.identitiesInMemory,
		"GetAmazonOrganizationIdentitiesInDb":     f.identitiesInDB,
		"ValidateDeleteAmazonOrganization":        f.validateDelete,
		"ValidateDeleteAmazonOrganizations":       withBody(f, f.validateDeleteMany),
		"TestAmazonOrganizationConfiguration":     f.testConfiguration,
		"ExportAmazonOrganizations":               f.export,
		"CheckAmazonOrganizationExists":           withBody(f, f.checkExists),
		"ValidateAmazonOrganizationName":          f.validateName,
		"ValidateAmazonOrganization":              f.validateSettings,
		"SessionsGetAll":                          f.listSessions,
		"SessionsGetOneById":                      f.getSession,
		"GetSessionLog":                           f.sessionLogRecords,
		"StopJob":                                 f.stopSession,
		"GetBackupSessionProtectedItems":          f.protectedItems,
		"GetRestoreSessionRestoredItems":          f.restoredItems,
	}
	f.ec2, f.rds, f.efs, f.dynamoDB, f.fsx, f.redshift = newEC2(f), newRDS(f), newEFS(f), newDynamoDB(f), newFSx(f), newRedshift(f)
	for _, m := range []map[string]fake.HandlerFunc{f.ec2.ec2Handlers(), f.rds.namedHandlers("Rds", "name"), f.efs.efsHandlers(),
		f.dynamoDB.namedHandlers("DynamoDb", "tableName"), f.fsx.flatHandlers("Fsx", "name"), f.redshift.flatHandlers("Redshift", "clusterIdentifier"),
		f.infraHandlers(), f.overviewHandlers(), f.cloudHandlers(), f.ec2.instanceHandlers(), f.miscHandlers(), f.browseHandlers()} {
		maps.Copy(handlers, m)
	}
	maps.Copy(handlers, f.userHandlers())
	maps.Copy(handlers, f.settingsHandlers())
	if err := eng.Serve(handlers); err != nil {
		return nil, err
	}
	f.ec2.seedEC2()
	f.rds.seedRDS()
	f.efs.seedEFS()
	f.dynamoDB.seedDynamoDB()
	f.fsx.seedFlat("fs-")
	f.redshift.seedFlat("rs-")
	for i := range cfg.seed {
		f.AddOrganization(fmt.Sprintf("org-%04d", i+1))
	}
	return f, nil
}

// AddOrganization stores an organization with full scope and returns it.
func (f *Fake) AddOrganization(name string) vbawsapi.AmazonOrganization {
	role := uuid.New()
	o := vbawsapi.AmazonOrganization{
		ID: uuid.New(), Name: name, OrganizationID: "o-" + strings.ReplaceAll(uuid.NewString()[:10], "-", ""),
		ScopeType: vbawsapi.AmazonOrganizationScopeTypeFull, RescanIAMRole: &vbawsapi.IAMRoleReference{ID: role, Name: to.Ptr("OrgRescanRole")},
		BackupRestoreIAMRoleName: to.Ptr("VeeamBackupRestoreRole"),
	}
	f.mu.Lock()
	f.orgs[o.ID] = &o
	f.order = append(f.order, o.ID)
	f.mu.Unlock()
	return o
}

// MarkInUse makes an organization fail its delete validation, as one used by
// a backup policy would.
func (f *Fake) MarkInUse(id uuid.UUID) {
	f.mu.Lock()
	f.inUse[id] = true
	f.mu.Unlock()
}

// Server is a fake listening on a local TLS port with its own certificate;
// give URL and CACertPEM to vbaws.NewClient and option.WithCACert.
type Server struct {
	*Fake
	*fake.TLSServer
}

// Start serves a new fake over TLS on a loopback port.
func Start(opts ...Option) (*Server, error) {
	f, err := New(opts...)
	if err != nil {
		return nil, err
	}
	return &Server{Fake: f, TLSServer: fake.StartTLS(f)}, nil
}

func (f *Fake) notFound(w http.ResponseWriter, r *http.Request, what string) {
	veeamfake.WriteError(w, r, http.StatusNotFound, "NotFound", what+" was not found")
}

func decodeBody(w http.ResponseWriter, r *http.Request, in *fake.Input, v any) bool {
	if err := json.Unmarshal(in.Body, v); err != nil {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "malformed JSON body")
		return false
	}
	return true
}

func (f *Fake) pathID(w http.ResponseWriter, r *http.Request, in *fake.Input, name string) (uuid.UUID, bool) {
	id, err := uuid.Parse(in.PathParams[name])
	if err != nil {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", name+" is not a UUID")
		return uuid.UUID{}, false
	}
	return id, true
}

func (f *Fake) orgByPath(w http.ResponseWriter, r *http.Request, in *fake.Input) (*vbawsapi.AmazonOrganization, bool) {
	id, ok := f.pathID(w, r, in, "organizationId")
	if !ok {
		return nil, false
	}
	o, ok := f.orgs[id]
	if !ok {
		f.notFound(w, r, "the AWS Organization "+id.String())
		return nil, false
	}
	return o, true
}

func queryInt(r *http.Request, name string, def int) int {
	if v, err := strconv.Atoi(r.URL.Query().Get(name)); err == nil && v >= 0 {
		return v
	}
	return def
}

// matches implements SearchPattern: case-insensitive, '*' as a wildcard,
// substring match otherwise.
func matches(name, pattern string) bool {
	if pattern == "" {
		return true
	}
	name, pattern = strings.ToLower(name), strings.ToLower(pattern)
	if !strings.Contains(pattern, "*") {
		return strings.Contains(name, pattern)
	}
	parts := strings.Split(pattern, "*")
	rest := name
	for i, p := range parts {
		idx := strings.Index(rest, p)
		if idx < 0 || (i == 0 && idx != 0) {
			return false
		}
		rest = rest[idx+len(p):]
	}
	return parts[len(parts)-1] == "" || strings.HasSuffix(name, parts[len(parts)-1])
}

func window[T any](items []T, offset, limit int) []T {
	if offset > len(items) {
		offset = len(items)
	}
	end := len(items)
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	return items[offset:end]
}

func (f *Fake) list(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	f.mu.Lock()
	var all []vbawsapi.AmazonOrganization
	for _, id := range f.order {
		if o := f.orgs[id]; matches(o.Name, q.Get("SearchPattern")) {
			all = append(all, *o)
		}
	}
	f.mu.Unlock()
	for _, s := range slices.Backward(q["Sort"]) {
		sortOrgs(all, s)
	}
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.AmazonOrganizationsPage{Results: orEmpty(page), TotalCount: int32(len(all))}) //nolint:gosec // small
}

func sortOrgs(all []vbawsapi.AmazonOrganization, col string) {
	desc := strings.HasSuffix(col, "Desc")
	key := func(o vbawsapi.AmazonOrganization) string {
		switch strings.TrimSuffix(strings.TrimSuffix(col, "Asc"), "Desc") {
		case "organizationId":
			return o.OrganizationID
		case "iamRole":
			if o.RescanIAMRole != nil && o.RescanIAMRole.Name != nil {
				return *o.RescanIAMRole.Name
			}
		case "scope":
			return string(o.ScopeType)
		case "description":
			if o.Description != nil {
				return *o.Description
			}
		default:
			return o.Name
		}
		return ""
	}
	slices.SortStableFunc(all, func(a, b vbawsapi.AmazonOrganization) int {
		c := strings.Compare(key(a), key(b))
		if desc {
			return -c
		}
		return c
	})
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (f *Fake) nameTaken(name string, except uuid.UUID) bool {
	for id, o := range f.orgs {
		if id != except && strings.EqualFold(o.Name, name) {
			return true
		}
	}
	return false
}

func (f *Fake) add(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.CreateAmazonOrganizationSpec) {
	if f.nameTaken(spec.Organization.Name, uuid.Nil) {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "an organization with this name already exists")
		return
	}
	o := orgFromSpec(uuid.New(), spec.Organization)
	for _, s := range spec.LimitedScopes {
		o.LimitedScopes = append(o.LimitedScopes, vbawsapi.AmazonOrganizationLimitedScope{ID: uuid.New(), Name: s.Name, Description: s.Description, IncludedMembers: s.IncludedMembers})
	}
	f.orgs[o.ID] = &o
	f.order = append(f.order, o.ID)
	veeamfake.WriteJSON(w, http.StatusAccepted, f.log.start("OrganizationAdd"))
}

func orgFromSpec(id uuid.UUID, s vbawsapi.AmazonOrganizationSpec) vbawsapi.AmazonOrganization {
	return vbawsapi.AmazonOrganization{
		ID: id, Name: s.Name, Description: s.Description, OrganizationID: "o-" + strings.ReplaceAll(id.String()[:10], "-", ""),
		RescanIAMRole: &vbawsapi.IAMRoleReference{ID: s.RescanIAMRoleID}, BackupRestoreIAMRoleName: &s.BackupRestoreIAMRoleName,
		ProductionWorkerIAMRoleName: s.ProductionWorkerIAMRoleName, ScopeType: s.ScopeType,
	}
}

func (f *Fake) get(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o, ok := f.orgByPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, o)
	}
}

func (f *Fake) update(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.UpdateAmazonOrganizationSpec) {
	o, ok := f.orgByPath(w, r, in)
	if !ok {
		return
	}
	if f.nameTaken(spec.Organization.Name, o.ID) {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "an organization with this name already exists")
		return
	}
	n := orgFromSpec(o.ID, spec.Organization)
	n.OrganizationID, n.LimitedScopes = o.OrganizationID, o.LimitedScopes
	for _, c := range spec.ChangedLimitedScopes {
		for i, s := range n.LimitedScopes {
			if s.ID == c.ID {
				n.LimitedScopes[i] = vbawsapi.AmazonOrganizationLimitedScope(c)
			}
		}
	}
	for _, s := range spec.NewLimitedScopes {
		n.LimitedScopes = append(n.LimitedScopes, vbawsapi.AmazonOrganizationLimitedScope{ID: uuid.New(), Name: s.Name, Description: s.Description, IncludedMembers: s.IncludedMembers})
	}
	*o = n
	veeamfake.WriteJSON(w, http.StatusOK, o)
}

func (f *Fake) delete(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orgByPath(w, r, in)
	if !ok {
		return
	}
	if f.inUse[o.ID] {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "AccessDenied", "the organization is used by a backup policy")
		return
	}
	delete(f.orgs, o.ID)
	f.order = slices.DeleteFunc(f.order, func(id uuid.UUID) bool { return id == o.ID })
	w.WriteHeader(http.StatusNoContent)
}

// structure is the organization tree every rescan finds: a root with two
// units holding accounts.
func structure() []vbawsapi.AmazonOrganizationIdentity {
	ids := []vbawsapi.AmazonOrganizationIdentity{
		{ID: "r-root", Name: "Root", Type: vbawsapi.AmazonOrganizationIdentityTypeUnit, HasChildren: to.Ptr(true)},
		{ID: "ou-prod", Name: "Production", Type: vbawsapi.AmazonOrganizationIdentityTypeUnit, ParentID: to.Ptr("r-root"), HasChildren: to.Ptr(true)},
		{ID: "ou-dev", Name: "Development", Type: vbawsapi.AmazonOrganizationIdentityTypeUnit, ParentID: to.Ptr("r-root"), HasChildren: to.Ptr(true)},
	}
	for i := range 6 {
		parent := "ou-prod"
		if i%2 == 1 {
			parent = "ou-dev"
		}
		ids = append(ids, vbawsapi.AmazonOrganizationIdentity{
			ID: fmt.Sprintf("1111222233%02d", i), Name: fmt.Sprintf("account-%d", i), Type: vbawsapi.AmazonOrganizationIdentityTypeAccount,
			ParentID: to.Ptr(parent), Email: to.Ptr(fmt.Sprintf("aws+%d@example.com", i)), HasChildren: to.Ptr(false),
		})
	}
	return ids
}

func (f *Fake) rescan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.AmazonOrganizationRescanSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	link := f.log.start("OrganizationRescan")
	if spec.RescanStorageType == vbawsapi.AmazonOrganizationRescanStorageTypeInMemory {
		f.mu.Lock()
		f.sessions[link.SessionID] = structure()
		f.mu.Unlock()
	}
	veeamfake.WriteJSON(w, http.StatusAccepted, link)
}

func (f *Fake) identitiesInMemory(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, ok := f.pathID(w, r, in, "sessionId")
	if !ok {
		return
	}
	f.mu.Lock()
	ids, ok := f.sessions[id]
	f.mu.Unlock()
	if !ok {
		f.notFound(w, r, "the rescan session "+id.String())
		return
	}
	f.writeIdentities(w, r, in, ids, r.URL.Query().Get("expandChildNodes") == "true")
}

func (f *Fake) identitiesInDB(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	_, ok := f.orgByPath(w, r, in)
	f.mu.Unlock()
	if ok {
		f.writeIdentities(w, r, in, structure(), r.URL.Query().Get("ExpandChildNodes") == "true")
	}
}

func (f *Fake) writeIdentities(w http.ResponseWriter, r *http.Request, in *fake.Input, all []vbawsapi.AmazonOrganizationIdentity, expand bool) {
	q := r.URL.Query()
	var scope vbawsapi.AmazonOrganizationIdentitiesSpec
	if len(in.Body) > 0 && !decodeBody(w, r, in, &scope) {
		return
	}
	var keep []vbawsapi.AmazonOrganizationIdentity
	for _, it := range all {
		top := it.ParentID == nil || *it.ParentID == "r-root"
		switch {
		case !expand && !top:
		case len(scope.IncludedMembers) > 0 && !slices.Contains(scope.IncludedMembers, it.ID) && (it.ParentID == nil || !slices.Contains(scope.IncludedMembers, *it.ParentID)):
		case q.Get("TypeFilter") != "" && string(it.Type) != q.Get("TypeFilter"):
		case !matches(it.Name, q.Get("SearchPattern")):
		default:
			keep = append(keep, it)
		}
	}
	page := vbawsapi.AmazonOrganizationIdentitiesPage{TotalCount: int32(len(keep))} //nolint:gosec // small
	units, accounts := int32(0), int32(0)
	for _, it := range keep {
		if it.Type == vbawsapi.AmazonOrganizationIdentityTypeUnit {
			units++
		} else {
			accounts++
		}
	}
	page.Statistics = &vbawsapi.AmazonOrganizationStatistics{UnitsCount: &units, AccountsCount: &accounts}
	if q.Get("ReturnAsTree") == "true" {
		page.Tree = tree(all, "r-root")
	} else {
		ids := window(keep, queryInt(r, "offset", 0), queryInt(r, "limit", 0))
		page.Identities = ids
	}
	veeamfake.WriteJSON(w, http.StatusOK, page)
}

func tree(all []vbawsapi.AmazonOrganizationIdentity, id string) *vbawsapi.AmazonOrganizationIdentityNode {
	for _, it := range all {
		if it.ID != id {
			continue
		}
		n := &vbawsapi.AmazonOrganizationIdentityNode{ID: it.ID, Name: it.Name, Type: it.Type}
		var kids []vbawsapi.AmazonOrganizationIdentityNode
		for _, c := range all {
			if c.ParentID != nil && *c.ParentID == id {
				kids = append(kids, *tree(all, c.ID))
			}
		}
		if kids != nil {
			n.Children = kids
		}
		return n
	}
	return nil
}

func (f *Fake) deleteMessages(id uuid.UUID) []vbawsapi.ValidationMessage {
	if f.inUse[id] {
		return []vbawsapi.ValidationMessage{{Severity: vbawsapi.ValidationMessageSeverityError, Message: "The organization is used by a backup policy.", ContextID: &id}}
	}
	return []vbawsapi.ValidationMessage{}
}

func (f *Fake) validateDelete(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o, ok := f.orgByPath(w, r, in); ok {
		veeamfake.WriteJSON(w, http.StatusOK, f.deleteMessages(o.ID))
	}
}

func (f *Fake) validateDeleteMany(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.AmazonOrganizationsValidateDeleteSpec) {
	res := vbawsapi.AmazonOrganizationsValidateDeleteResult{Results: []vbawsapi.AmazonOrganizationValidateDeleteResult{}}
	for _, id := range spec.Items {
		if _, ok := f.orgs[id]; !ok {
			f.notFound(w, r, "the AWS Organization "+id.String())
			return
		}
		res.Results = append(res.Results, vbawsapi.AmazonOrganizationValidateDeleteResult{OrganizationID: id, Messages: f.deleteMessages(id)})
	}
	veeamfake.WriteJSON(w, http.StatusOK, res)
}

func (f *Fake) settingsMessages(spec vbawsapi.AmazonOrganizationValidationSpec) []vbawsapi.ValidationMessage {
	msgs := []vbawsapi.ValidationMessage{}
	var s *vbawsapi.AmazonOrganizationSpec
	switch {
	case spec.Create != nil:
		s = &spec.Create.Organization
	case spec.Update != nil:
		s = &spec.Update.Organization
	default:
		return append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "Specify create or update settings."})
	}
	if spec.Create != nil && f.nameTaken(s.Name, uuid.Nil) {
		msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "An organization with this name already exists."})
	}
	if s.ScopeType == vbawsapi.AmazonOrganizationScopeTypeLimited && spec.Create != nil && len(spec.Create.LimitedScopes) == 0 {
		msgs = append(msgs, vbawsapi.ValidationMessage{Severity: vbawsapi.ValidationMessageSeverityError, Message: "A limited scope needs at least one organizational unit."})
	}
	return msgs
}

func (f *Fake) testConfiguration(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.AmazonOrganizationValidationSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	if spec.Create == nil && spec.Update == nil {
		veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "specify create or update settings")
		return
	}
	veeamfake.WriteJSON(w, http.StatusAccepted, f.log.start("OrganizationConfigurationTest"))
}

func (f *Fake) validateSettings(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.AmazonOrganizationValidationSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	f.mu.Lock()
	msgs := f.settingsMessages(spec)
	f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, msgs)
}

func (f *Fake) checkExists(w http.ResponseWriter, r *http.Request, in *fake.Input, spec vbawsapi.AmazonOrganizationExistenceSpec) {
	res := vbawsapi.AmazonOrganizationExistenceResult{IsRescanIAMRoleValid: to.Ptr(true)}
	for _, o := range f.orgs {
		if o.RescanIAMRole != nil && o.RescanIAMRole.ID == spec.RescanIAMRoleID {
			id := o.ID
			res.ConflictingOrganizationID = &id
		}
	}
	veeamfake.WriteJSON(w, http.StatusOK, res)
}

func (f *Fake) validateName(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.AmazonOrganizationNameValidationSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	f.mu.Lock()
	unique := !f.nameTaken(spec.OrganizationName, uuid.Nil)
	f.mu.Unlock()
	valid := strings.TrimSpace(spec.OrganizationName) != "" && len(spec.OrganizationName) <= 127
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.AmazonOrganizationNameValidationResult{IsValid: valid, IsUnique: unique})
}

type xmlOrg struct {
	Name           string `xml:"Name"`
	OrganizationID string `xml:"OrganizationId"`
	Scope          string `xml:"Scope"`
	Description    string `xml:"Description"`
}

func (f *Fake) export(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	f.mu.Lock()
	var rows []xmlOrg
	for _, id := range f.order {
		o := f.orgs[id]
		d := ""
		if o.Description != nil {
			d = *o.Description
		}
		rows = append(rows, xmlOrg{o.Name, o.OrganizationID, string(o.ScopeType), d})
	}
	f.mu.Unlock()
	if strings.Contains(r.Header.Get("Accept"), "xml") {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusOK)
		_ = xml.NewEncoder(w).Encode(struct {
			XMLName xml.Name `xml:"AmazonOrganizations"`
			Items   []xmlOrg `xml:"AmazonOrganization"`
		}{Items: rows})
		return
	}
	w.Header().Set("Content-Type", "text/csv")
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Name", "Organization ID", "Scope", "Description"})
	for _, o := range rows {
		_ = cw.Write([]string{o.Name, o.OrganizationID, o.Scope, o.Description})
	}
	cw.Flush()
}
