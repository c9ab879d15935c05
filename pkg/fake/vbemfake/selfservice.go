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

// Self-service backup: the configurations of VMware Cloud Director
// organizations (/api/vCloud/orgConfigs) and the tenant access
// configurations of the vSphere Self-Service Backup Portal
// (/api/selfService/vSphere/Configs). The fake seeds the default
// organization configuration (Other organizations) and a tenant access
// configuration for the Administrators group.

// The seeded configurations.
const (
	SeedOrgConfigID         = "c5ac3c79-5644-4064-b081-abc71dd2f370"
	SeedSelfServiceConfigID = "c6a041d0-36a1-47c7-9f4b-a12327796c68"
)

const ssKey = "selfservice"

type jobSettings struct {
	defaults, custom, high bool
	scheduler, template    string
}

type orgConfig struct {
	id, name, server, repo, host, friendly string
	quotaGb, usedMb                        int64
	disabled                               bool
	jobs                                   jobSettings
}

func (c *orgConfig) ident() (string, string) { return c.id, c.name }

type tenantConfig struct {
	id, account, sid, kind, server, repo string
	quotaGb, usedMb                      int64
	perUser                              bool
	jobs                                 jobSettings
	vcenters, tags                       []string
}

func (c *tenantConfig) ident() (string, string) { return c.id, c.account }

// OrgConfigDeletion is a deleted organization configuration and what its
// deletion was asked to delete with it.
type OrgConfigDeletion struct {
	Name              string
	Jobs, BackupFiles bool
}

type ssState struct {
	orgs     []*orgConfig
	tenants  []*tenantConfig
	deletion []OrgConfigDeletion
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[ssKey] = &ssState{
			orgs: []*orgConfig{{id: SeedOrgConfigID, name: "Other organizations", server: SeedBackupServer2ID, repo: SeedRepositoryID,
				host: "urn:veeam:ManagedServer:" + SeedManagedServer, friendly: "Repository 1", quotaGb: 100,
				jobs: jobSettings{defaults: true, scheduler: "Full"}}},
			tenants: []*tenantConfig{{id: SeedSelfServiceConfigID, account: "Administrators", sid: "S-1-5-32-544", kind: "Group", server: SeedBackupServer2ID,
				repo: SeedRepositoryID, quotaGb: 500, jobs: jobSettings{scheduler: "Full", high: true}}},
		}
		orgs, tenants := f.orgConfigs(), f.tenantConfigs()
		return map[string]fake.HandlerFunc{
			"GetVCloudService": func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
				in.Respond(w, http.StatusOK, vbemapi.VCloudService{Href: to.Ptr(Href(r, "/api/vCloud")), Type: to.Ptr("VCloudService"),
					Links: []vbemapi.Link{link(r, "Down", "/api/vCloud/orgConfigs", "VCloudOrganizationConfigReferenceList")}})
			},
			"GetVCloudOrgConfigs":   orgs.list(),
			"CreateVCloudOrgConfig": f.createOrgConfig,
			"GetVCloudOrgConfig":    orgs.get(f.orgConfigModel),
			"EditVCloudOrgConfig":   f.editOrgConfig,
			"DisableVCloudOrgConfig": orgs.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, c *orgConfig) {
				was := c.disabled
				c.disabled = true
				f.accept(w, r, in, "EditOtherOrganizationConfig", was, orgConfigPath(c.id))
			}),
			"DeleteVCloudOrgConfig": orgs.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, c *orgConfig) {
				st := f.ssLocked()
				q := r.URL.Query()
				st.orgs = slices.DeleteFunc(st.orgs, func(o *orgConfig) bool { return o == c })
				st.deletion = append(st.deletion, OrgConfigDeletion{Name: c.name, Jobs: q.Get("deleteJobs") == "true", BackupFiles: q.Get("deleteBackupFiles") == "true"})
				f.accept(w, r, in, "DeleteVCloudOrganizationConfig", false, "")
			}),
			"GetVCloudOrgConfigJobSettings": orgs.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, c *orgConfig) {
				p := orgConfigPath(c.id)
				in.Respond(w, http.StatusOK, vbemapi.VCloudOrganizationConfigBackupJobSettings{Href: to.Ptr(Href(r, p+"/backupJobSettings")),
					Type: to.Ptr("VCloudOrganizationConfigBackupJobSettings"), Links: []vbemapi.Link{named(link(r, "Up", p+"?format=Entity", "VCloudOrganizationConfig"), c.name)}})
			}),
			"GetVSphereSelfService": func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
				in.Respond(w, http.StatusOK, vbemapi.VSphereSelfService{Href: to.Ptr(Href(r, "/api/selfService/vSphere")), Type: to.Ptr("VSphereSelfService"),
					Links: []vbemapi.Link{link(r, "Down", "/api/selfService/vSphere/Configs", "VSphereSelfServiceConfigReferenceList")}})
			},
			"GetVSphereSelfServiceConfigs":   tenants.list(),
			"CreateVSphereSelfServiceConfig": f.createTenantConfig,
			"GetVSphereSelfServiceConfig":    tenants.get(f.tenantConfigModel),
			"EditVSphereSelfServiceConfig":   f.editTenantConfig,
			"DeleteVSphereSelfServiceConfig": tenants.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, c *tenantConfig) {
				st := f.ssLocked()
				st.tenants = slices.DeleteFunc(st.tenants, func(o *tenantConfig) bool { return o == c })
				f.accept(w, r, in, "DeleteVSphereConfigs", false, "")
			}),
			"GetVSphereSelfServiceConfigJobSettings": tenants.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, c *tenantConfig) {
				p := tenantConfigPath(c.id)
				in.Respond(w, http.StatusOK, vbemapi.VSphereSelfServiceConfigJobSettings{Href: to.Ptr(Href(r, p+"/backupJobSettings")),
					Type: to.Ptr("VSphereSelfServiceConfigJobSettings"), Links: []vbemapi.Link{named(link(r, "Up", p+"?format=Entity", "VSphereSelfServiceConfig"), c.account)}})
			}),
		}
	})
}

func (f *Fake) ssLocked() *ssState { return f.state[ssKey].(*ssState) }

// OrgConfigDeletions lists the organization configurations deleted so far
// and whether their jobs and backup files were to go with them.
func (f *Fake) OrgConfigDeletions() []OrgConfigDeletion {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]OrgConfigDeletion(nil), f.ssLocked().deletion...)
}

func orgConfigPath(id string) string    { return "/api/vCloud/orgConfigs/" + id }
func tenantConfigPath(id string) string { return "/api/selfService/vSphere/Configs/" + id }

func (f *Fake) orgConfigs() coll[*orgConfig] {
	return coll[*orgConfig]{f: f, kind: "VCloudOrganizationConfig", base: "/api/vCloud/orgConfigs/", param: "orgConfigId", what: "organization configuration",
		items: func() []*orgConfig { return f.ssLocked().orgs }}
}

func (f *Fake) tenantConfigs() coll[*tenantConfig] {
	return coll[*tenantConfig]{f: f, kind: "VSphereSelfServiceConfig", base: "/api/selfService/vSphere/Configs/", param: "selfServiceConfigId",
		what: "tenant access configuration", items: func() []*tenantConfig { return f.ssLocked().tenants }}
}

// repoOfLocked finds a repository by its UID, or says why it cannot.
func (f *Fake) repoOfLocked(uid string) (*bkRepo, string) {
	repo, ok := f.repos().find(strings.TrimPrefix(uid, "urn:veeam:Repository:"))
	if !ok {
		return nil, "unknown repository " + uid
	}
	return repo, ""
}

// templateOK says whether a template job UID is empty or names a job.
func (f *Fake) templateOK(uid string) bool {
	if uid == "" {
		return true
	}
	_, ok := f.jobs().find(strings.TrimPrefix(uid, "urn:veeam:Job:"))
	return ok
}

func (f *Fake) createOrgConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.VCloudOrganizationConfigCreateSpec
	if !readBody(w, r, in, &spec, "VCloudOrganizationConfigCreateSpec") {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	server, ok := f.servers().find(strings.TrimPrefix(spec.BackupServerUID, "urn:veeam:BackupServer:"))
	repo, why := f.repoOfLocked(spec.RepositoryUID)
	switch {
	case !ok:
		badRequest(w, r, "unknown backup server "+spec.BackupServerUID)
		return
	case repo == nil:
		badRequest(w, r, why)
		return
	case repo.server != server.id:
		badRequest(w, r, "the repository "+repo.name+" is not on the backup server "+server.name)
		return
	case !f.templateOK(to.Value(spec.TemplateJobUID)):
		badRequest(w, r, "unknown template job "+to.Value(spec.TemplateJobUID))
		return
	case spec.QuotaGb <= 0:
		badRequest(w, r, "QuotaGb must be positive")
		return
	}
	st := f.ssLocked()
	for _, o := range st.orgs {
		if strings.EqualFold(o.name, spec.OrganizationName) {
			WriteError(w, r, http.StatusBadRequest, "AlreadyExists", "the organization "+o.name+" already has a configuration")
			return
		}
	}
	c := &orgConfig{id: uuidLike(), name: spec.OrganizationName, server: server.id, repo: repo.id, host: spec.HostUID, friendly: spec.RepositoryFriendlyName,
		quotaGb: spec.QuotaGb, jobs: jobSettings{scheduler: string(spec.JobSchedulerType), template: to.Value(spec.TemplateJobUID), high: to.Value(spec.HighPriorityJob)}}
	c.jobs.custom = c.jobs.template != ""
	c.jobs.defaults = !c.jobs.custom
	st.orgs = append(st.orgs, c)
	f.accept(w, r, in, "CreateVCloudOrganizationConfig", false, orgConfigPath(c.id))
}

func (f *Fake) editOrgConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.VCloudOrganizationConfig
	if !readBody(w, r, in, &spec, "VCloudOrganizationConfig") {
		return
	}
	f.orgConfigs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, c *orgConfig) {
		if u := to.Value(spec.RepositoryUID); u != "" {
			repo, why := f.repoOfLocked(u)
			if repo == nil {
				badRequest(w, r, why)
				return
			}
			c.repo = repo.id
		}
		if spec.QuotaGb != nil {
			c.quotaGb = *spec.QuotaGb
		}
		if spec.IsDisabled != nil {
			c.disabled = *spec.IsDisabled
		}
		if spec.HostUID != nil {
			c.host = *spec.HostUID
		}
		if spec.RepositoryFriendlyName != nil {
			c.friendly = *spec.RepositoryFriendlyName
		}
		if js := spec.JobSettings; js != nil {
			if !f.templateOK(to.Value(js.TemplateJobUID)) {
				badRequest(w, r, "unknown template job "+to.Value(js.TemplateJobUID))
				return
			}
			c.jobs = jobSettings{defaults: to.Value(js.DefaultSettings), custom: to.Value(js.CustomSettings), high: to.Value(js.HighPriorityJob),
				scheduler: string(to.Value(js.JobSchedulerType)), template: to.Value(js.TemplateJobUID)}
		}
		f.accept(w, r, in, "EditVCloudOrganizationConfig", false, orgConfigPath(c.id))
	})(w, r, in)
}

func (f *Fake) orgConfigModel(r *http.Request, c *orgConfig, entity bool) any {
	p := orgConfigPath(c.id)
	m := vbemapi.VCloudOrganizationConfig{Name: to.Ptr(c.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "VCloudOrganizationConfig", p, c.id, entity)
	m.Links = append(m.Links, f.serverUp(r, c.server))
	if !entity {
		return m
	}
	m.Links = append(m.Links, named(link(r, "Edit", p, "VCloudOrganizationConfigReference"), c.name), link(r, "Delete", p, ""),
		named(link(r, "Down", p+"/backupJobSettings", "VCloudOrganizationConfigBackupJobSettings"), c.name))
	if !c.disabled {
		m.Links = append(m.Links, link(r, "Disable", p+"?action=disable", ""))
	}
	m.BackupServerUID, m.RepositoryUID, m.QuotaGb, m.IsDisabled = to.Ptr(bsUID(c.server)), to.Ptr("urn:veeam:Repository:"+c.repo), to.Ptr(c.quotaGb), to.Ptr(c.disabled)
	js := &vbemapi.VCloudOrganizationJobSettings{JobSchedulerType: to.Ptr(vbemapi.VCloudOrganizationJobSettingsJobSchedulerType(c.jobs.scheduler)),
		HighPriorityJob: to.Ptr(c.jobs.high)}
	if c.jobs.custom {
		js.CustomSettings, js.TemplateJobUID = to.Ptr(true), to.Ptr(c.jobs.template)
	} else {
		js.DefaultSettings = to.Ptr(c.jobs.defaults)
	}
	m.JobSettings = js
	m.UsedQuotaMb, m.HostUID, m.RepositoryFriendlyName = to.Ptr(c.usedMb), to.Ptr(c.host), to.Ptr(c.friendly)
	return m
}

func (f *Fake) createTenantConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.VSphereSelfServiceCreateSpec
	if !readBody(w, r, in, &spec, "VSphereSelfServiceCreateSpec") {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	repo, why := f.repoOfLocked(spec.RepositoryUID)
	switch {
	case repo == nil:
		badRequest(w, r, why)
		return
	case !f.templateOK(to.Value(spec.TemplateJobUID)):
		badRequest(w, r, "unknown template job "+to.Value(spec.TemplateJobUID))
		return
	case spec.QuotaGb <= 0:
		badRequest(w, r, "QuotaGb must be positive")
		return
	}
	st := f.ssLocked()
	for _, o := range st.tenants {
		if strings.EqualFold(o.account, spec.AccountName) {
			WriteError(w, r, http.StatusBadRequest, "AlreadyExists", "the account "+o.account+" already has access")
			return
		}
	}
	kind := "User"
	if spec.AccountType != nil {
		kind = string(*spec.AccountType)
	}
	c := &tenantConfig{id: uuidLike(), account: spec.AccountName, kind: kind, server: repo.server, repo: repo.id, quotaGb: spec.QuotaGb,
		sid: fmt.Sprintf("S-1-5-21-2710250414-1144789048-1111555807-%d", 25000+len(st.tenants)), perUser: to.Value(spec.PerUser),
		jobs:     jobSettings{defaults: to.Value(spec.TemplateJobUID) == "", scheduler: string(spec.JobSchedulerType), high: to.Value(spec.HighPriorityJob), template: to.Value(spec.TemplateJobUID)},
		vcenters: spec.VCentersScopes, tags: spec.Tags}
	st.tenants = append(st.tenants, c)
	f.accept(w, r, in, "CreateVSphereSelfServiceConfig", false, tenantConfigPath(c.id))
}

func (f *Fake) editTenantConfig(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.VSphereSelfServiceConfig
	if !readBody(w, r, in, &spec, "VSphereSelfServiceConfig") {
		return
	}
	f.tenantConfigs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, c *tenantConfig) {
		if u := to.Value(spec.RepositoryUID); u != "" {
			repo, why := f.repoOfLocked(u)
			if repo == nil {
				badRequest(w, r, why)
				return
			}
			c.repo = repo.id
		}
		if spec.QuotaGb != nil {
			c.quotaGb = *spec.QuotaGb
		}
		if spec.PerUser != nil {
			c.perUser = *spec.PerUser
		}
		if js := spec.JobSettings; js != nil {
			c.jobs = jobSettings{defaults: to.Value(js.DefaultSettings), high: to.Value(js.HighPriorityJob),
				scheduler: string(to.Value(js.JobSchedulerType)), template: to.Value(js.TemplateJobUID)}
		}
		if spec.VCentersScopes != nil {
			c.vcenters = spec.VCentersScopes
		}
		if spec.Tags != nil {
			c.tags = spec.Tags
		}
		f.accept(w, r, in, "EditVSphereOrganizationConfig", false, tenantConfigPath(c.id))
	})(w, r, in)
}

func (f *Fake) tenantConfigModel(r *http.Request, c *tenantConfig, entity bool) any {
	p := tenantConfigPath(c.id)
	m := vbemapi.VSphereSelfServiceConfig{Name: to.Ptr(c.account)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "VSphereSelfServiceConfig", p, c.id, entity)
	m.Links = append(m.Links, f.serverUp(r, c.server))
	if !entity {
		return m
	}
	m.Links = append(m.Links, named(link(r, "Edit", p, "VSphereSelfServiceConfigReference"), c.account), link(r, "Delete", p, ""),
		named(link(r, "Down", p+"/backupJobSettings", "VSphereSelfServiceConfigJobSettings"), c.account))
	m.BackupServerUID, m.RepositoryUID, m.QuotaGb, m.PerUser = to.Ptr(bsUID(c.server)), to.Ptr("urn:veeam:Repository:"+c.repo), to.Ptr(c.quotaGb), to.Ptr(c.perUser)
	m.Account = &vbemapi.VSphereSelfServiceAccount{AccountName: to.Ptr(c.account), AccountSid: to.Ptr(c.sid),
		AccountType: to.Ptr(vbemapi.VSphereSelfServiceAccountAccountType(c.kind))}
	js := &vbemapi.VSphereSelfServiceJobSettings{DefaultSettings: to.Ptr(c.jobs.defaults), JobSchedulerType: to.Ptr(vbemapi.VSphereSelfServiceJobSettingsJobSchedulerType(c.jobs.scheduler)),
		HighPriorityJob: to.Ptr(c.jobs.high)}
	if c.jobs.template != "" {
		js.TemplateJobUID = to.Ptr(c.jobs.template)
	}
	m.JobSettings, m.VCentersScopes, m.Tags, m.UsedQuotaMb = js, c.vcenters, c.tags, to.Ptr(c.usedMb)
	return m
}
