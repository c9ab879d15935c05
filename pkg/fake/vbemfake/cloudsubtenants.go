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

// The sub-resources of Cloud Connect tenants beyond their quotas and
// hardware plans (cloud.go): subtenant accounts, the free license counters
// and the organization VDCs of VMware Cloud Director tenants.

// The seeded subtenant of SeedCloudTenantID, with a quota on its backup
// resource SeedCloudTenantResourceID, and the organization VDCs the fake
// knows: a VMware Cloud Director tenant may be given SeedVCloudOrgVdcRef or
// SeedVCloudOrgVdc2Ref.
const (
	SeedCloudSubtenantID    = "0eb0c130-d91a-4e05-9403-ac2ded0fc1ea"
	SeedCloudSubtenantName  = "ABC Company User 01"
	SeedVCloudOrgVdcRef     = "urn:vCloud:OrgVdc:1e902b80-e842-41e6-a4bf-4cf153c53e5c.urn:vcloud:vdc:c20a16a7-2d09-4374-850d-84b1d6c9f7f3"
	SeedVCloudOrgVdcName    = "restapivdc01"
	SeedVCloudOrgVdc2Ref    = "urn:vCloud:OrgVdc:1e902b80-e842-41e6-a4bf-4cf153c53e5c.urn:vcloud:vdc:5a1c0f7e-9d2b-4c3a-8e6f-2b7d9c4e1a30"
	SeedVCloudOrgVdc2Name   = "restapivdc02"
	seedSubtenantQuotaID    = "724f861d-16e7-40ee-8b68-cf7b51c31d61"
	seedSubtenantQuotaMb    = 20480
	seedSubtenantQuotaLabel = "Cloud Vol User 01"
)

const csKey = "cloudsub"

type csState struct {
	subs     map[string][]*csSub   // by tenant id
	counters map[string]csCounters // by tenant id; a tenant without an entry counts nothing
	vdcs     map[string][]*csVdc   // by tenant id
	known    []csKnownVdc          // the organization VDCs of the VMware Cloud Director servers
}

// csSub is a subtenant account; its secret is never answered.
type csSub struct {
	id, name, desc, secret string
	enabled, unlimited     bool
	resource, quotaName    string // the backup resource of the tenant that holds the quota
	quotaID                string
	quota, used            int64
}

func (s *csSub) ident() (string, string) { return s.id, s.name }

type csCounters struct {
	rentalVMs, rentalWorkstations, rentalServers, newVMs, newWorkstations, newServers, newReplicas int32
}

type csKnownVdc struct{ ref, name, model string }

// csVdc is an organization VDC assigned to a VMware Cloud Director tenant.
type csVdc struct {
	id, ref, name, model, wan string
	network                   bool
	appliance                 *vbemapi.NetworkApplianceInfo
}

func (v *csVdc) ident() (string, string) { return v.id, v.name }

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[csKey] = &csState{
			subs: map[string][]*csSub{SeedCloudTenantID: {{id: SeedCloudSubtenantID, name: SeedCloudSubtenantName, desc: "ABC Company PC User",
				secret: randomHex(16), enabled: true, resource: SeedCloudTenantResourceID, quotaName: seedSubtenantQuotaLabel, quotaID: seedSubtenantQuotaID,
				quota: seedSubtenantQuotaMb, used: 1024}}},
			counters: map[string]csCounters{SeedCloudTenantID: {rentalVMs: 2, rentalWorkstations: 2, rentalServers: 3, newVMs: 4, newWorkstations: 5, newServers: 1, newReplicas: 2}},
			vdcs:     map[string][]*csVdc{},
			known: []csKnownVdc{{SeedVCloudOrgVdcRef, SeedVCloudOrgVdcName, string(vbemapi.CloudTenantVCloudComputeResourceAllocationModelAllocationPool)},
				{SeedVCloudOrgVdc2Ref, SeedVCloudOrgVdc2Name, string(vbemapi.CloudTenantVCloudComputeResourceAllocationModelPayAsYouGo)}},
		}
		tenants := f.ccTenants()
		subs := func(t *ccTenant) []*csSub { return f.csLocked().subs[t.id] }
		vdcs := func(t *ccTenant) []*csVdc { return f.csLocked().vdcs[t.id] }
		return map[string]fake.HandlerFunc{
			"GetCloudTenantSubtenants": tenants.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
				list := vbemapi.CloudSubtenants{CloudSubtenants: []vbemapi.CloudSubtenant{}}
				for _, s := range subs(t) {
					list.CloudSubtenants = append(list.CloudSubtenants, f.subtenantModel(r, t, s))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"CreateCloudTenantSubtenant": f.createSubtenant,
			"GetCloudTenantSubtenant": withSub(tenants, subs, "subtenantId", "subtenant account", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, _ int, s *csSub) {
				in.Respond(w, http.StatusOK, f.subtenantModel(r, t, s))
			}),
			"EditCloudTenantSubtenant": f.editSubtenant,
			"DeleteCloudTenantSubtenant": withSub(tenants, subs, "subtenantId", "subtenant account", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, i int, _ *csSub) {
				st := f.csLocked()
				st.subs[t.id] = slices.Delete(st.subs[t.id], i, i+1)
				f.accept(w, r, in, "DeleteCloudSubtenant", false, "")
			}),
			"GetCloudTenantFreeLicenseCounters": tenants.with(f.freeLicenseCounters),
			"GetCloudTenantVCloudComputeResources": tenants.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
				list := vbemapi.CloudTenantVCloudComputeResources{CloudTenantVCloudComputeResources: []vbemapi.CloudTenantVCloudComputeResource{}}
				for _, v := range vdcs(t) {
					list.CloudTenantVCloudComputeResources = append(list.CloudTenantVCloudComputeResources, f.vdcModel(r, t, v))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"CreateCloudTenantVCloudComputeResource": f.createVdc,
			"GetCloudTenantVCloudComputeResource": withSub(tenants, vdcs, "vCloudComputeResourceId", "organization VDC of the tenant", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, _ int, v *csVdc) {
				in.Respond(w, http.StatusOK, f.vdcModel(r, t, v))
			}),
			"DeleteCloudTenantVCloudComputeResource": withSub(tenants, vdcs, "vCloudComputeResourceId", "organization VDC of the tenant", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, i int, _ *csVdc) {
				st := f.csLocked()
				st.vdcs[t.id] = slices.Delete(st.vdcs[t.id], i, i+1)
				f.accept(w, r, in, "DeleteCloudTenantVCloudComputeResource", false, "")
			}),
		}
	})
}

func (f *Fake) csLocked() *csState { return f.state[csKey].(*csState) }

// CheckSubtenantPassword reports whether a subtenant account of a tenant
// holds secret; the fake never answers with the password itself.
func (f *Fake) CheckSubtenantPassword(tenantID, subtenantID, secret string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.csLocked().subs[tenantID] {
		if s.id == subtenantID {
			return s.secret == secret
		}
	}
	return false
}

// SetFreeLicenseCounters sets what GET .../freelicenseCounters of a tenant
// counts: rental VMs and new VMs (the other counters are left as they are).
func (f *Fake) SetFreeLicenseCounters(tenantID string, rentalVMs, newVMs int32) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.csLocked().counters[tenantID]
	c.rentalVMs, c.newVMs = rentalVMs, newVMs
	f.csLocked().counters[tenantID] = c
}

func subtenantPath(tenantID, id string) string { return tenantPath(tenantID) + "/subtenants/" + id }

func (f *Fake) subtenantModel(r *http.Request, t *ccTenant, s *csSub) vbemapi.CloudSubtenant {
	p := subtenantPath(t.id, s.id)
	return vbemapi.CloudSubtenant{Href: to.Ptr(Href(r, p)), Type: to.Ptr("CloudSubtenant"), ID: to.Ptr(s.id),
		Links: []vbemapi.Link{named(link(r, "Edit", p, "CloudSubtenant"), s.name), link(r, "Delete", p, ""),
			named(link(r, "Up", tenantPath(t.id)+"?format=Entity", "CloudTenant"), t.name),
			named(link(r, "Up", bsPath(t.server)+"?format=Entity", "BackupServer"), f.serverName(t.server))},
		Name: to.Ptr(s.name), Description: to.Ptr(s.desc), Enabled: to.Ptr(s.enabled),
		RepositoryQuota: &vbemapi.CloudSubtenantRepositoryQuota{Unlimited: to.Ptr(s.unlimited), DisplayName: to.Ptr(s.quotaName),
			TenantResourceID: to.Ptr(s.resource), QuotaMb: s.quota, UsedQuotaMb: to.Ptr(s.used), QuotaID: to.Ptr(s.quotaID)}}
}

// subQuota checks the quota of a subtenant of t on the backup resource
// resID: a resource of the tenant, at least 1 GB and at most the tenant's
// quota unless it is unlimited. It returns the resource, or what is wrong.
func subQuota(t *ccTenant, resID string, unlimited bool, quotaMb int64) (*ccResource, string) {
	i := slices.IndexFunc(t.resources, func(c *ccResource) bool { return c.id == resID })
	if i < 0 {
		return nil, "the tenant has no backup resource " + resID
	}
	res := t.resources[i]
	switch {
	case unlimited:
	case quotaMb < minQuotaMb:
		return nil, fmt.Sprintf("a subtenant quota cannot be less than 1 GB (%d MB)", minQuotaMb)
	case quotaMb > res.quota:
		return nil, fmt.Sprintf("a subtenant quota of %d MB exceeds the quota of the tenant on %s (%d MB)", quotaMb, res.name, res.quota)
	}
	return res, ""
}

func (f *Fake) createSubtenant(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CloudSubtenantCreateSpec
	if !readBody(w, r, in, &spec, "CloudSubtenantCreateSpec") {
		return
	}
	f.ccTenants().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
		st := f.csLocked()
		name := strings.TrimSpace(spec.Name)
		switch {
		case name == "":
			badRequest(w, r, "the subtenant account needs a Name")
			return
		case to.Value(spec.Password) == "":
			badRequest(w, r, "the subtenant account needs a Password")
			return
		case slices.ContainsFunc(st.subs[t.id], func(s *csSub) bool { return strings.EqualFold(s.name, name) }):
			badRequest(w, r, "the tenant "+t.name+" has a subtenant named "+name)
			return
		}
		res, msg := subQuota(t, spec.TenantResourceID, spec.UnlimitedQuota, to.Value(spec.QuotaMb))
		if msg != "" {
			badRequest(w, r, msg)
			return
		}
		s := &csSub{id: uuidLike(), name: name, desc: to.Value(spec.Description), secret: *spec.Password, enabled: spec.Enabled == nil || *spec.Enabled,
			unlimited: spec.UnlimitedQuota, resource: res.id, quotaName: to.Value(spec.QuotaName), quotaID: uuidLike(), quota: to.Value(spec.QuotaMb)}
		if s.quotaName == "" {
			s.quotaName = name
		}
		if s.unlimited && s.quota == 0 {
			s.quota = res.quota
		}
		st.subs[t.id] = append(st.subs[t.id], s)
		f.accept(w, r, in, "AddCloudSubtenant", false, subtenantPath(t.id, s.id))
	})(w, r, in)
}

func (f *Fake) editSubtenant(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.CloudSubtenant
	if !readBody(w, r, in, &body, "CloudSubtenant") {
		return
	}
	subs := func(t *ccTenant) []*csSub { return f.csLocked().subs[t.id] }
	withSub(f.ccTenants(), subs, "subtenantId", "subtenant account", func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant, _ int, s *csSub) {
		if n := to.Value(body.Name); n != "" && n != s.name {
			badRequest(w, r, "the user name of a subtenant account cannot change")
			return
		}
		var res *ccResource
		q := body.RepositoryQuota
		if q != nil {
			resID := s.resource
			if id := to.Value(q.TenantResourceID); id != "" {
				resID = id
			}
			var msg string
			if res, msg = subQuota(t, resID, to.Value(q.Unlimited), q.QuotaMb); msg != "" {
				badRequest(w, r, msg)
				return
			}
		}
		// Checked: apply all of it.
		if p := to.Value(body.Password); p != "" {
			s.secret = p
		}
		setIfGiven(&s.desc, body.Description)
		setIfGiven(&s.enabled, body.Enabled)
		if q != nil {
			s.resource, s.unlimited, s.quota = res.id, to.Value(q.Unlimited), q.QuotaMb
			if s.unlimited && s.quota == 0 {
				s.quota = res.quota
			}
			if n := to.Value(q.DisplayName); n != "" {
				s.quotaName = n
			}
		}
		f.accept(w, r, in, "EditCloudSubtenant", false, subtenantPath(t.id, s.id))
	})(w, r, in)
}

func (f *Fake) freeLicenseCounters(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
	c := f.csLocked().counters[t.id]
	in.Respond(w, http.StatusOK, vbemapi.CloudTenantFreeLicenseCounters{Href: to.Ptr(Href(r, tenantPath(t.id)+"/freelicenseCounters")),
		Links:               []vbemapi.Link{named(link(r, "Up", tenantPath(t.id)+"?format=Entity", "CloudTenant"), t.name)},
		RentalVMBackupCount: to.Ptr(c.rentalVMs), RentalWorkstationBackupCount: to.Ptr(c.rentalWorkstations), RentalServerBackupCount: to.Ptr(c.rentalServers),
		NewVMBackupCount: to.Ptr(c.newVMs), NewWorkstationBackupCount: to.Ptr(c.newWorkstations), NewServerBackupCount: to.Ptr(c.newServers),
		NewVMReplicaCount: to.Ptr(c.newReplicas)})
}

func vdcPath(tenantID, id string) string {
	return tenantPath(tenantID) + "/vCloudComputeResources/" + id
}

func (f *Fake) vdcModel(r *http.Request, t *ccTenant, v *csVdc) vbemapi.CloudTenantVCloudComputeResource {
	p := vdcPath(t.id, v.id)
	m := vbemapi.CloudTenantVCloudComputeResource{Href: to.Ptr(Href(r, p)), Type: to.Ptr("CloudTenantVCloudComputeResource"), ID: to.Ptr(v.id),
		Links: []vbemapi.Link{link(r, "Delete", p, ""), named(link(r, "Up", tenantPath(t.id)+"?format=Entity", "CloudTenant"), t.name),
			named(link(r, "Up", bsPath(t.server)+"?format=Entity", "BackupServer"), f.serverName(t.server))},
		VirtualDataCenterName: to.Ptr(v.name), VirtualDataCenterRef: to.Ptr(v.ref), Enabled: to.Ptr(true),
		AllocationModel:             to.Ptr(vbemapi.CloudTenantVCloudComputeResourceAllocationModel(v.model)),
		UseNetworkFailoverResources: to.Ptr(v.network), NetworkAppliance: v.appliance,
		ResourceUsage: &vbemapi.CloudTenantVCloudComputeUsage{CPUUsageMhz: to.Ptr[int32](0), MemoryUsageMb: to.Ptr[int32](0), StorageUsageGb: to.Ptr[int32](0)}}
	if v.wan != "" {
		m.WanAcceleratorUID = to.Ptr(v.wan)
	}
	return m
}

func (f *Fake) createVdc(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CloudTenantVCloudComputeResourceCreateSpec
	if !readBody(w, r, in, &spec, "CloudTenantVCloudComputeResourceCreateSpec") {
		return
	}
	f.ccTenants().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, t *ccTenant) {
		st := f.csLocked()
		if t.kind != "VCD" {
			badRequest(w, r, "only VMware Cloud Director tenants get organization VDCs; "+t.name+" is a "+t.kind+" tenant")
			return
		}
		i := slices.IndexFunc(st.known, func(k csKnownVdc) bool { return k.ref == spec.VirtualDataCenterRef })
		if i < 0 {
			badRequest(w, r, "unknown organization VDC "+spec.VirtualDataCenterRef)
			return
		}
		for id, list := range st.vdcs {
			if slices.ContainsFunc(list, func(v *csVdc) bool { return v.ref == spec.VirtualDataCenterRef }) {
				owner := id
				if o, ok := f.ccTenants().find(id); ok {
					owner = o.name
				}
				badRequest(w, r, "the organization VDC "+st.known[i].name+" is assigned to the tenant "+owner)
				return
			}
		}
		if msg := checkAppliance(spec.UseNetworkFailoverResources, spec.NetworkAppliance); msg != "" {
			badRequest(w, r, msg)
			return
		}
		v := &csVdc{id: uuidLike(), ref: spec.VirtualDataCenterRef, name: st.known[i].name, model: st.known[i].model,
			wan: to.Value(spec.WanAcceleratorUID), network: spec.UseNetworkFailoverResources}
		if v.network {
			v.appliance = spec.NetworkAppliance
		}
		st.vdcs[t.id] = append(st.vdcs[t.id], v)
		f.accept(w, r, in, "CreateCloudTenantVCloudComputeResource", false, vdcPath(t.id, v.id))
	})(w, r, in)
}
