package vbemfake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The seeded Cloud Connect objects, all on SeedBackupServer2ID: the tenant
// account SeedCloudTenantName with a storage quota on SeedRepositoryID and
// a subscription to the hardware plan SeedCloudHardwarePlanID, the cloud
// gateway SeedCloudGatewayID and the gateway pool SeedCloudGatewayPoolID
// (that gateway, assigned to that tenant).
const (
	SeedCloudTenantID          = "b25f5f1d-a3c3-45ed-af23-9ef31a94dac7"
	SeedCloudTenantName        = "ABC Company"
	SeedCloudTenantResourceID  = "2fcc7f11-2a33-448d-a242-ba8f0618c97b"
	SeedCloudComputeResourceID = "25f485fd-06e3-4ee2-9703-465c4d8c2fae"
	SeedCloudHardwarePlanID    = "91156f8d-8bd3-44af-bec3-b6ac2ea24288"
	SeedCloudHardwarePlanName  = "VMware Gold"
	SeedCloudGatewayID         = "b5025a7b-5e13-41e2-a17e-9d9af985ecfd"
	SeedCloudGatewayName       = "gw01.tech.local"
	SeedCloudGatewayPoolID     = "64bf55fb-b53f-4214-950a-fcc3a241622b"
	SeedCloudGatewayPoolName   = "GatewayPool 1"
)

// minQuotaMb is the smallest storage quota the server accepts (1 GB).
const minQuotaMb = 1024

const ccKey = "cloud"

type ccState struct {
	tenants  []*ccTenant
	gateways []*ccGateway
	pools    []*ccPool
	plans    []*ccPlan
	deleted  map[string]bool // name of a deleted tenant: whether its backups went too
}

// ccTenant is a tenant account; its secret is never answered.
type ccTenant struct {
	id, name, desc, secret, server string
	kind                           string // Standalone, ActiveDirectory or VCD
	org, domain, domainAccount     string
	domainPort                     int32
	enabled, failover              bool
	lease                          *time.Time
	resources                      []*ccResource
	compute                        []*ccCompute
	throttling                     bool
	speed                          int32
	unit                           string
	publicIPs, maxTasks            int32
	protection                     bool
	protectionDays                 int32
}

// ccResource is a storage quota of a tenant on a repository.
type ccResource struct {
	id, name, repo, wan string
	quota, used         int64
}

// ccCompute is the subscription of a tenant to a hardware plan.
type ccCompute struct {
	id, plan, wan, platform string
	network                 bool
	appliance               *vbemapi.NetworkApplianceInfo
}

func (t *ccTenant) ident() (string, string)   { return t.id, t.name }
func (c *ccResource) ident() (string, string) { return c.id, c.name }
func (c *ccCompute) ident() (string, string)  { return c.id, c.plan }

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[ccKey] = seedCloud()
		tenants := f.ccTenants()
		res := func(t *ccTenant) []*ccResource { return t.resources }
		comp := func(t *ccTenant) []*ccCompute { return t.compute }
		return map[string]fake.HandlerFunc{
			"GetCloudConnectService": f.cloudRoot,
			"GetCloudTenants":        tenants.list(),
			"CreateCloudTenant":      f.createTenant,
			"GetCloudTenant":         tenants.get(func(r *http.Request, t *ccTenant, entity bool) any { return f.tenantModel(r, t, entity) }),
			"EditCloudTenant":        f.editTenant,
			"DeleteCloudTenant":      tenants.with(f.deleteTenant),
			"GetCloudTenantResources": tenants.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
				in.Respond(w, http.StatusOK, f.resourceList(r, t))
			}),
			"CreateCloudTenantResource": f.createTenantResource,
			"GetCloudTenantResource": withSub(tenants, res, "resourceId", "backup resource", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, _ int, c *ccResource) {
				in.Respond(w, http.StatusOK, f.resourceModel(r, t, c))
			}),
			"DeleteCloudTenantResource": withSub(tenants, res, "resourceId", "backup resource", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, i int, _ *ccResource) {
				t.resources = slices.Delete(t.resources, i, i+1)
				f.accept(w, r, in, "DeleteCloudTenantResource", false, "")
			}),
			"GetCloudTenantComputeResources": tenants.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
				in.Respond(w, http.StatusOK, f.computeList(r, t))
			}),
			"CreateCloudTenantComputeResource": f.createComputeResource,
			"GetCloudTenantComputeResource": withSub(tenants, comp, "computeResourceId", "compute resource", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, _ int, c *ccCompute) {
				in.Respond(w, http.StatusOK, f.computeModel(r, t, c))
			}),
			"DeleteCloudTenantComputeResource": withSub(tenants, comp, "computeResourceId", "compute resource", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, i int, _ *ccCompute) {
				t.compute = slices.Delete(t.compute, i, i+1)
				f.accept(w, r, in, "DeleteCloudTenantComputeResource", false, "")
			}),
			"GetCloudTenantGatewayPools": tenants.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
				in.Respond(w, http.StatusOK, f.ccPools().refs(r, func(p *ccPool) bool { return slices.Contains(p.tenants, t.id) }))
			}),
		}
	})
}

func seedCloud() *ccState {
	return &ccState{
		tenants: []*ccTenant{{id: SeedCloudTenantID, name: SeedCloudTenantName, desc: "Tenant account for ABC Company", secret: randomHex(16),
			server: SeedBackupServer2ID, kind: "Standalone", enabled: true, failover: true, speed: 1, unit: "MBps", maxTasks: 2,
			protection: true, protectionDays: 7,
			resources: []*ccResource{{id: SeedCloudTenantResourceID, name: "Cloud repository 1", repo: SeedRepositoryID, quota: 307200, used: 35840}},
			compute:   []*ccCompute{{id: SeedCloudComputeResourceID, plan: SeedCloudHardwarePlanID, platform: "VMware"}}}},
		gateways: []*ccGateway{{id: SeedCloudGatewayID, server: SeedBackupServer2ID, host: SeedCloudGatewayName, desc: "Cloud gateway 1",
			mode: "Direct", externalIP: "172.16.13.97", enabled: true, externalPort: 6180, internalPort: 6180}},
		pools: []*ccPool{{id: SeedCloudGatewayPoolID, server: SeedBackupServer2ID, name: SeedCloudGatewayPoolName, desc: "Created by REST API",
			gateways: []string{SeedCloudGatewayID}, tenants: []string{SeedCloudTenantID}}},
		plans: []*ccPlan{{id: SeedCloudHardwarePlanID, server: SeedBackupServer2ID, name: SeedCloudHardwarePlanName, desc: "Hardware plan for VMware",
			cpu: 10000, mem: 20000, details: vbemapi.CloudHardwarePlanDetails{ViCloudHardwarePlan: &vbemapi.ViCloudHardwarePlan{
				HypervisorHostRef: "urn:VMware:Host:b7f17482-2f34-446c-976c-924539a98b0b.host-438", ParentType: vbemapi.ViCloudHardwarePlanParentTypeHostSystem,
				ParentName: "esx01.tech.local", Network: &vbemapi.CloudHardwarePlanNetwork{CountWithInternet: to.Ptr[int32](1), CountWithoutInternet: to.Ptr[int32](0)},
				Datastores: vbemapi.CloudHardwarePlanDatastoreList{Datastores: []vbemapi.CloudHardwarePlanDatastore{{
					ID: to.Ptr("5df6b488-3a56-4dde-88d2-5e1c93280395"), FriendlyName: "Cloud Replicas", DatastoreType: vbemapi.CloudHardwarePlanDatastoreDatastoreTypeDatastore,
					Reference: "urn:VMware:Datastore:b7f17482-2f34-446c-976c-924539a98b0b.datastore-441", QuotaGb: 500}}}}}}},
		deleted: map[string]bool{},
	}
}

func (f *Fake) ccLocked() *ccState { return f.state[ccKey].(*ccState) }

// CheckTenantPassword reports whether a tenant account holds secret; the
// fake never answers with the password itself.
func (f *Fake) CheckTenantPassword(tenantID, secret string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.ccTenants().find(tenantID)
	return ok && t.secret == secret
}

// DeletedTenants returns the names of the tenant accounts deleted so far,
// each with whether the request asked to delete its backups too
// (includeBackups).
func (f *Fake) DeletedTenants() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]bool, len(f.ccLocked().deleted))
	for k, v := range f.ccLocked().deleted {
		out[k] = v
	}
	return out
}

func (f *Fake) ccTenants() coll[*ccTenant] {
	return coll[*ccTenant]{f: f, kind: "CloudTenant", base: "/api/cloud/tenants/", param: "tenantId", what: "tenant account",
		items: func() []*ccTenant { return f.ccLocked().tenants },
		up:    func(r *http.Request, t *ccTenant) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, t.server)} }}
}

func tenantPath(id string) string { return "/api/cloud/tenants/" + id }

// uid is the UID of an entity; uidID the id in a UID of kind, if it is one.
func urnOf(kind, id string) string { return "urn:veeam:" + kind + ":" + id }

func idOfURN(kind, u string) (string, bool) {
	id, ok := strings.CutPrefix(u, "urn:veeam:"+kind+":")
	return id, ok && id != ""
}

func (f *Fake) cloudRoot(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	in.Respond(w, http.StatusOK, vbemapi.CloudConnectService{Href: to.Ptr(Href(r, "/api/cloud")), Type: to.Ptr("CloudConnectService"),
		Links: []vbemapi.Link{link(r, "Down", "/api/cloud/gateways", "CloudGatewayReferenceList"), link(r, "Down", "/api/cloud/tenants", "CloudTenantReferenceList"),
			link(r, "Down", "/api/cloud/hardwarePlans", "CloudHardwarePlanReferenceList"), link(r, "Down", "/api/cloud/publicIpAddresses", "CloudPublicIpAddressReferenceList"),
			link(r, "Down", "/api/cloud/cloudFailoverPlans", "CloudFailoverPlanReferenceList"), link(r, "Down", "/api/cloud/vmReplicaPoints", "CloudVmReplicaPointReferenceList"),
			link(r, "Down", "/api/cloud/replicas", "CloudReplicaReferenceList"), link(r, "Down", "/api/cloud/vlans", "VlanConfigurationReferenceList"),
			link(r, "Down", "/api/cloud/failoverSessions", "CloudFailoverSessionReferenceList"), link(r, "Down", "/api/cloud/gatewayPools", "CloudGatewayPoolReferenceList")}})
}

// --- models (f.mu held) ---

func (f *Fake) tenantModel(r *http.Request, t *ccTenant, entity bool) vbemapi.CloudTenant {
	p := tenantPath(t.id)
	m := vbemapi.CloudTenant{Name: to.Ptr(t.name)}
	m.Href, m.UID, m.Type = form(r, "CloudTenant", p, t.id, entity)
	m.Links = []vbemapi.Link{f.serverUp(r, t.server)}
	if !entity {
		m.Links = append(m.Links, named(alternate(r, "CloudTenant", p), t.name))
		return m
	}
	m.Links = append(m.Links, named(link(r, "Alternate", p, "CloudTenantReference"), t.name), named(link(r, "Edit", p, "CloudTenantReference"), t.name),
		link(r, "Down", p+"/resources", "CloudTenantResourceList"), link(r, "Create", p+"/resources", "CloudTenantResource"), link(r, "Delete", p, ""),
		link(r, "Down", p+"/computeResources", "CloudTenantComputeResourceList"), link(r, "Create", p+"/computeResources", "CloudTenantComputeResource"),
		named(link(r, "Related", p+"/freelicenseCounters", "FreeLicenseCounters"), "FreeLicenseCounters"))
	m.Description, m.Enabled = to.Ptr(t.desc), to.Ptr(t.enabled)
	m.LeaseOptions = &vbemapi.CloudTenantLeaseOptions{Enabled: to.Ptr(t.lease != nil), LeaseExpirationDate: t.lease}
	res, comp := f.resourceList(r, t), f.computeList(r, t)
	m.Resources, m.ComputeResources = &res, &comp
	m.LastResult, m.VMCount = to.Ptr("None"), to.Ptr[int32](0)
	m.ThrottlingEnabled, m.ThrottlingSpeedLimit = to.Ptr(t.throttling), to.Ptr(t.speed)
	m.ThrottlingSpeedUnit = to.Ptr(vbemapi.CloudTenantThrottlingSpeedUnit(t.unit))
	zero := to.Ptr[int32](0)
	m.PublicIPCount, m.BackupCount, m.ReplicaCount, m.WorkStationBackupCount, m.ServerBackupCount = to.Ptr(t.publicIPs), zero, zero, zero, zero
	m.MaxConcurrentTasks = to.Ptr(t.maxTasks)
	m.BackupProtectionEnabled, m.BackupProtectionPeriod = to.Ptr(t.protection), to.Ptr(t.protectionDays)
	switch t.kind {
	case "Standalone":
		m.TenantType = &vbemapi.CloudTenantTypeInfo{StandaloneTenant: &vbemapi.CloudTenantStandaloneInfo{
			TenantCredentials: &vbemapi.CloudTenantCredentialsInfo{Username: to.Ptr(t.name)}}}
	case "ActiveDirectory":
		m.TenantType = &vbemapi.CloudTenantTypeInfo{ADTenantType: &vbemapi.CloudTenantADInfo{Account: to.Ptr(t.domainAccount),
			Domain: &vbemapi.CloudTenantADDomainInfo{DomainName: to.Ptr(t.domain), Port: to.Ptr(t.domainPort)}}}
	}
	pools := &vbemapi.CloudGatewayPoolUIDList{}
	for _, p := range f.ccLocked().pools {
		if slices.Contains(p.tenants, t.id) {
			pools.CloudGatewayPoolUids = append(pools.CloudGatewayPoolUids, urnOf("CloudGatewayPool", p.id))
		}
	}
	m.CloudGatewayPools, m.FailoverToOtherGatewaysIfFail = pools, to.Ptr(t.failover)
	return m
}

func (f *Fake) resourceList(r *http.Request, t *ccTenant) vbemapi.CloudTenantResources {
	list := vbemapi.CloudTenantResources{CloudTenantResources: []vbemapi.CloudTenantResource{}}
	for _, c := range t.resources {
		list.CloudTenantResources = append(list.CloudTenantResources, f.resourceModel(r, t, c))
	}
	return list
}

func (f *Fake) resourceModel(r *http.Request, t *ccTenant, c *ccResource) vbemapi.CloudTenantResource {
	p := tenantPath(t.id) + "/resources/" + c.id
	q := &vbemapi.CloudTenantRepositoryQuota{DisplayName: c.name, RepositoryUID: urnOf("Repository", c.repo), Quota: c.quota, UsedQuota: to.Ptr(c.used)}
	if c.wan != "" {
		q.WanAcceleratorUID = to.Ptr(c.wan)
	}
	return vbemapi.CloudTenantResource{Href: to.Ptr(Href(r, p)), Type: to.Ptr("CloudTenantResource"), ID: to.Ptr(c.id),
		Links: []vbemapi.Link{link(r, "Delete", p, "CloudTenantResource"), named(link(r, "Up", tenantPath(t.id)+"?format=Entity", "CloudTenant"), t.name),
			named(link(r, "Up", bsPath(t.server)+"?format=Entity", "BackupServer"), f.serverName(t.server))},
		RepositoryQuota: q}
}

func (f *Fake) computeList(r *http.Request, t *ccTenant) vbemapi.CloudTenantComputeResources {
	list := vbemapi.CloudTenantComputeResources{CloudTenantComputeResources: []vbemapi.CloudTenantComputeResource{}}
	for _, c := range t.compute {
		list.CloudTenantComputeResources = append(list.CloudTenantComputeResources, f.computeModel(r, t, c))
	}
	return list
}

func (f *Fake) computeModel(r *http.Request, t *ccTenant, c *ccCompute) vbemapi.CloudTenantComputeResource {
	p := tenantPath(t.id) + "/computeResources/" + c.id
	stats := vbemapi.StorageResourceStatList{}
	if plan, ok := f.ccPlans().find(c.plan); ok {
		for _, s := range plan.storages() {
			stats.StorageResourceStats = append(stats.StorageResourceStats, vbemapi.StorageResourceStat{
				StorageName: to.Ptr(s.name), StorageUsageGb: to.Ptr[int32](0), StorageLimitGb: to.Ptr(s.quota)})
		}
	}
	m := vbemapi.CloudTenantComputeResource{Href: to.Ptr(Href(r, p)), Type: to.Ptr("CloudTenantComputeResource"), ID: to.Ptr(c.id),
		Links: []vbemapi.Link{link(r, "Delete", p, "CloudTenantComputeResource"), named(link(r, "Up", tenantPath(t.id)+"?format=Entity", "CloudTenant"), t.name),
			named(link(r, "Up", bsPath(t.server)+"?format=Entity", "BackupServer"), f.serverName(t.server))},
		CloudHardwarePlanUID: to.Ptr(urnOf("CloudHardwarePlan", c.plan)), PlatformType: to.Ptr(vbemapi.CloudTenantComputeResourcePlatformType(c.platform)),
		UseNetworkFailoverResources: to.Ptr(c.network), NetworkAppliance: c.appliance,
		ComputeResourceStats: &vbemapi.ComputeResourceStatsInfo{MemoryUsageMb: to.Ptr[int32](0), CPUCount: to.Ptr[int32](0), StorageResourceStats: &stats}}
	if c.wan != "" {
		m.WanAcceleratorUID = to.Ptr(c.wan)
	}
	return m
}

// --- checks (f.mu held); each returns what is wrong, or "" ---

// serverOf finds a backup server by its UID.
func (f *Fake) serverOf(u string) (*pwServer, string) {
	if id, ok := idOfURN("BackupServer", u); ok {
		if s, ok := f.servers().find(id); ok {
			return s, ""
		}
	}
	return nil, "unknown backup server " + u
}

// checkQuota checks a storage quota of quotaMb on the repository with UID
// repoUID, for a tenant of server.
func (f *Fake) checkQuota(server, repoUID string, quotaMb int64) (string, string) {
	id, ok := idOfURN("Repository", repoUID)
	if !ok {
		return "", "unknown repository " + repoUID
	}
	repo, ok := f.repos().find(id)
	switch {
	case !ok:
		return "", "unknown repository " + repoUID
	case repo.server != server:
		return "", "the repository " + repo.name + " is not on the backup server of the tenant"
	case quotaMb < minQuotaMb:
		return "", fmt.Sprintf("a storage quota cannot be less than 1 GB (%d MB)", minQuotaMb)
	case quotaMb > repo.capacity>>20:
		return "", fmt.Sprintf("a storage quota of %d MB exceeds the capacity of the repository %s (%d MB)", quotaMb, repo.name, repo.capacity>>20)
	}
	return id, ""
}

// checkPlan checks a subscription to the hardware plan with UID planUID
// on the given platform, for a tenant of server already subscribed to
// have.
func (f *Fake) checkPlan(server, planUID, platform string, have []*ccCompute) (string, string) {
	id, ok := idOfURN("CloudHardwarePlan", planUID)
	plan, found := f.ccPlans().find(id)
	switch {
	case !ok || !found:
		return "", "unknown hardware plan " + planUID
	case plan.server != server:
		return "", "the hardware plan " + plan.name + " is not on the backup server of the tenant"
	case plan.platform() != platform:
		return "", "the hardware plan " + plan.name + " is for " + plan.platform() + ", not " + platform
	}
	for _, c := range have {
		if c.plan == id {
			return "", "the tenant is already subscribed to the hardware plan " + plan.name
		}
		if c.platform != platform {
			return "", "the hardware plans of a tenant must all be of one platform (" + c.platform + ")"
		}
	}
	return id, ""
}

// checkAppliance checks the network extension appliance of a compute
// resource.
func checkAppliance(network bool, a *vbemapi.NetworkApplianceInfo) string {
	if !network || a == nil {
		return ""
	}
	if a.Name == "" || a.ProductionNetwork == "" {
		return "the network extension appliance needs a Name and a ProductionNetwork"
	}
	if !a.ObtainIPAddressAutomatically && a.ManualIPAddressSettingsInfoType == nil {
		return "the network extension appliance needs ManualIpAddressSettingsInfoType when it does not obtain its address automatically"
	}
	return ""
}

// poolIDs resolves the UIDs of gateway pools of server.
func (f *Fake) poolIDs(server string, uids []string) ([]string, string) {
	var ids []string
	for _, u := range uids {
		id, ok := idOfURN("CloudGatewayPool", u)
		p, found := f.ccPools().find(id)
		if !ok || !found || p.server != server {
			return nil, "unknown gateway pool " + u + " on the backup server of the tenant"
		}
		ids = append(ids, id)
	}
	return ids, ""
}

// --- handlers ---

func (f *Fake) createTenant(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateCloudTenantSpec
	if !readBody(w, r, in, &spec, "CreateCloudTenantSpec") {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, msg := f.newTenant(spec)
	if msg != "" {
		badRequest(w, r, msg)
		return
	}
	st := f.ccLocked()
	st.tenants = append(st.tenants, t)
	for _, p := range st.pools {
		if spec.CloudGatewayPools != nil && slices.Contains(spec.CloudGatewayPools.CloudGatewayPoolUids, urnOf("CloudGatewayPool", p.id)) {
			p.tenants = append(p.tenants, t.id)
		}
	}
	f.accept(w, r, in, "CreateCloudTenant", false, tenantPath(t.id)+"?format=Entity")
}

// newTenant checks a CreateCloudTenantSpec and builds its tenant; f.mu
// held.
func (f *Fake) newTenant(spec vbemapi.CreateCloudTenantSpec) (*ccTenant, string) {
	if strings.TrimSpace(spec.Name) == "" {
		return nil, "the tenant account needs a Name"
	}
	s, msg := f.serverOf(spec.BackupServerUID)
	if msg != "" {
		return nil, msg
	}
	for _, o := range f.ccLocked().tenants {
		if o.server == s.id && strings.EqualFold(o.name, spec.Name) {
			return nil, "a tenant account named " + o.name + " exists on " + s.name
		}
	}
	t := &ccTenant{id: uuidLike(), name: spec.Name, desc: to.Value(spec.Description), server: s.id, kind: "Standalone",
		enabled: spec.Enabled == nil || *spec.Enabled, lease: spec.LeaseExpirationDate, throttling: to.Value(spec.ThrottlingEnabled),
		speed: 1, unit: "MBps", publicIPs: to.Value(spec.PublicIPCount), maxTasks: 1, protection: to.Value(spec.BackupProtectionEnabled),
		protectionDays: 7, failover: to.Value(spec.FailoverToOtherGatewaysIfFail), org: to.Value(spec.OrganizationRef)}
	if spec.TenantType != nil {
		t.kind = string(*spec.TenantType)
	}
	switch t.kind {
	case "Standalone":
		if to.Value(spec.Password) == "" {
			return nil, "a standalone tenant account needs a Password"
		}
		t.secret = *spec.Password
	case "ActiveDirectory":
		if spec.Domain == nil {
			return nil, "an Active Directory tenant account needs a Domain"
		}
		t.domain, t.domainAccount, t.domainPort = spec.Domain.DomainName, spec.Domain.DomainAccount, spec.Domain.Port
	case "VCD":
		if t.org == "" {
			return nil, "a VMware Cloud Director tenant account needs an OrganizationRef"
		}
	}
	if spec.ThrottlingSpeedLimit != nil {
		t.speed = *spec.ThrottlingSpeedLimit
	}
	if spec.ThrottlingSpeedUnit != nil {
		t.unit = string(*spec.ThrottlingSpeedUnit)
	}
	if spec.MaxConcurrentTasks != nil {
		t.maxTasks = *spec.MaxConcurrentTasks
	}
	if spec.BackupProtectionPeriod != nil {
		t.protectionDays = *spec.BackupProtectionPeriod
	}
	if spec.Resources != nil {
		for _, b := range spec.Resources.BackupResources {
			c, msg := f.newResource(t, b)
			if msg != "" {
				return nil, msg
			}
			t.resources = append(t.resources, c)
		}
	}
	if spec.ComputeResources != nil {
		for _, b := range spec.ComputeResources.ComputeResources {
			c, msg := f.newCompute(t, b)
			if msg != "" {
				return nil, msg
			}
			t.compute = append(t.compute, c)
		}
	}
	if spec.CloudGatewayPools != nil {
		if _, msg := f.poolIDs(s.id, spec.CloudGatewayPools.CloudGatewayPoolUids); msg != "" {
			return nil, msg
		}
	}
	return t, ""
}

// newResource checks a storage quota for t and builds it; f.mu held.
func (f *Fake) newResource(t *ccTenant, spec vbemapi.CreateCloudTenantResourceSpec) (*ccResource, string) {
	if strings.TrimSpace(spec.Name) == "" {
		return nil, "a backup resource needs a Name"
	}
	repo, msg := f.checkQuota(t.server, spec.RepositoryUID, spec.QuotaMb)
	if msg != "" {
		return nil, msg
	}
	for _, c := range t.resources {
		if c.repo == repo {
			return nil, "the tenant already has a storage quota on the repository " + spec.RepositoryUID
		}
	}
	return &ccResource{id: uuidLike(), name: spec.Name, repo: repo, wan: to.Value(spec.WanAcceleratorUID), quota: spec.QuotaMb}, ""
}

// newCompute checks a hardware plan subscription for t and builds it;
// f.mu held.
func (f *Fake) newCompute(t *ccTenant, spec vbemapi.CloudTenantComputeResourceCreateSpec) (*ccCompute, string) {
	plan, msg := f.checkPlan(t.server, spec.CloudHardwarePlanUID, string(spec.PlatformType), t.compute)
	if msg != "" {
		return nil, msg
	}
	if msg := checkAppliance(spec.UseNetworkFailoverResources, spec.NetworkAppliance); msg != "" {
		return nil, msg
	}
	c := &ccCompute{id: uuidLike(), plan: plan, wan: to.Value(spec.WanAcceleratorUID), platform: string(spec.PlatformType), network: spec.UseNetworkFailoverResources}
	if spec.UseNetworkFailoverResources {
		c.appliance = spec.NetworkAppliance
	}
	return c, ""
}

func (f *Fake) createTenantResource(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateCloudTenantResourceSpec
	if !readBody(w, r, in, &spec, "CreateCloudTenantResourceSpec") {
		return
	}
	f.ccTenants().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
		c, msg := f.newResource(t, spec)
		if msg != "" {
			badRequest(w, r, msg)
			return
		}
		t.resources = append(t.resources, c)
		f.accept(w, r, in, "CreateCloudTenantResource", false, tenantPath(t.id)+"/resources/"+c.id)
	})(w, r, in)
}

func (f *Fake) createComputeResource(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CloudTenantComputeResourceCreateSpec
	if !readBody(w, r, in, &spec, "CloudTenantComputeResourceCreateSpec") {
		return
	}
	f.ccTenants().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
		c, msg := f.newCompute(t, spec)
		if msg != "" {
			badRequest(w, r, msg)
			return
		}
		t.compute = append(t.compute, c)
		f.accept(w, r, in, "CreateCloudTenantResource", false, tenantPath(t.id)+"/computeResources/"+c.id)
	})(w, r, in)
}

func (f *Fake) deleteTenant(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
	st := f.ccLocked()
	st.tenants = slices.DeleteFunc(st.tenants, func(o *ccTenant) bool { return o == t })
	for _, p := range st.pools {
		p.tenants = slices.DeleteFunc(p.tenants, func(id string) bool { return id == t.id })
	}
	st.deleted[t.name] = r.URL.Query().Get("includeBackups") == "true"
	f.accept(w, r, in, "DeleteCloudTenant", false, "")
}

func (f *Fake) editTenant(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.CloudTenant
	if !readBody(w, r, in, &body, "CloudTenant") {
		return
	}
	f.ccTenants().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
		apply, msg := f.tenantEdit(t, body)
		if msg != "" {
			badRequest(w, r, msg)
			return
		}
		apply()
		f.accept(w, r, in, "EditCloudTenant", false, tenantPath(t.id)+"?format=Entity")
	})(w, r, in)
}

// tenantEdit checks the body of a PUT on t and returns what applies it,
// so that a body with one bad element changes nothing; f.mu held.
func (f *Fake) tenantEdit(t *ccTenant, body vbemapi.CloudTenant) (func(), string) {
	var steps []func()
	if body.MaxConcurrentTasks != nil && *body.MaxConcurrentTasks < 1 {
		return nil, "MaxConcurrentTasks must be at least 1"
	}
	if l := body.LeaseOptions; l != nil && to.Value(l.Enabled) && l.LeaseExpirationDate == nil {
		return nil, "an enabled lease needs a LeaseExpirationDate"
	}
	if body.Resources != nil {
		for _, b := range body.Resources.CloudTenantResources {
			step, msg := f.resourceEdit(t, b)
			if msg != "" {
				return nil, msg
			}
			steps = append(steps, step)
		}
	}
	if body.ComputeResources != nil {
		for _, b := range body.ComputeResources.CloudTenantComputeResources {
			i := slices.IndexFunc(t.compute, func(c *ccCompute) bool { return c.id == to.Value(b.ID) })
			if i < 0 {
				return nil, "unknown compute resource " + to.Value(b.ID) + " (subscribe with POST .../computeResources)"
			}
			network := to.Value(b.UseNetworkFailoverResources)
			if msg := checkAppliance(network, b.NetworkAppliance); msg != "" {
				return nil, msg
			}
			c := t.compute[i]
			steps = append(steps, func() {
				c.network, c.appliance = network, nil
				if network {
					c.appliance = b.NetworkAppliance
				}
				if b.WanAcceleratorUID != nil {
					c.wan = *b.WanAcceleratorUID
				}
			})
		}
	}
	var pools []string
	if body.CloudGatewayPools != nil {
		ids, msg := f.poolIDs(t.server, body.CloudGatewayPools.CloudGatewayPoolUids)
		if msg != "" {
			return nil, msg
		}
		pools = ids
	}
	return func() {
		for _, s := range steps {
			s()
		}
		if p := to.Value(body.Password); p != "" {
			t.secret = p
		}
		setIfGiven(&t.desc, body.Description)
		setIfGiven(&t.enabled, body.Enabled)
		if l := body.LeaseOptions; l != nil {
			t.lease = nil
			if to.Value(l.Enabled) {
				t.lease = l.LeaseExpirationDate
			}
		}
		setIfGiven(&t.throttling, body.ThrottlingEnabled)
		setIfGiven(&t.speed, body.ThrottlingSpeedLimit)
		if body.ThrottlingSpeedUnit != nil {
			t.unit = string(*body.ThrottlingSpeedUnit)
		}
		setIfGiven(&t.publicIPs, body.PublicIPCount)
		setIfGiven(&t.maxTasks, body.MaxConcurrentTasks)
		setIfGiven(&t.protection, body.BackupProtectionEnabled)
		setIfGiven(&t.protectionDays, body.BackupProtectionPeriod)
		setIfGiven(&t.failover, body.FailoverToOtherGatewaysIfFail)
		if body.CloudGatewayPools != nil {
			for _, p := range f.ccLocked().pools {
				p.tenants = slices.DeleteFunc(p.tenants, func(id string) bool { return id == t.id })
				if slices.Contains(pools, p.id) {
					p.tenants = append(p.tenants, t.id)
				}
			}
		}
	}, ""
}

// resourceEdit checks a storage quota of a PUT body and returns what
// applies it; f.mu held.
func (f *Fake) resourceEdit(t *ccTenant, b vbemapi.CloudTenantResource) (func(), string) {
	i := slices.IndexFunc(t.resources, func(c *ccResource) bool { return c.id == to.Value(b.ID) })
	if i < 0 {
		return nil, "unknown backup resource " + to.Value(b.ID) + " (add one with POST .../resources)"
	}
	c, q := t.resources[i], b.RepositoryQuota
	if q == nil {
		return func() {}, ""
	}
	repo, msg := f.checkQuota(t.server, q.RepositoryUID, q.Quota)
	if msg != "" {
		return nil, msg
	}
	if q.Quota < c.used {
		return nil, fmt.Sprintf("the tenant uses %d MB of the quota; it cannot shrink to %d MB", c.used, q.Quota)
	}
	for _, o := range t.resources {
		if o != c && o.repo == repo {
			return nil, "the tenant already has a storage quota on the repository " + q.RepositoryUID
		}
	}
	return func() {
		c.repo, c.quota = repo, q.Quota
		if q.DisplayName != "" {
			c.name = q.DisplayName
		}
		if q.WanAcceleratorUID != nil {
			c.wan = *q.WanAcceleratorUID
		}
	}, ""
}

// setIfGiven sets *dst to *v when v is given.
func setIfGiven[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
