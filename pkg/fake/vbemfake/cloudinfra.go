package vbemfake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The Cloud Connect infrastructure of the fake: cloud gateways, gateway
// pools and hardware plans (cloud.go has the tenants).

// ccGateway is a server with the cloud gateway role.
type ccGateway struct {
	id, server, host, desc, mode, externalIP string
	enabled                                  bool
	externalPort, internalPort               int32
}

// ccPool is a cloud gateway pool: gateways, and the tenants it serves.
type ccPool struct {
	id, server, name, desc string
	gateways, tenants      []string
}

// ccPlan is a hardware plan; details keeps its platform settings as sent.
type ccPlan struct {
	id, server, name, desc string
	cpu, mem               int32
	details                vbemapi.CloudHardwarePlanDetails
}

func (g *ccGateway) ident() (string, string) { return g.id, g.host }
func (p *ccPool) ident() (string, string)    { return p.id, p.name }
func (p *ccPlan) ident() (string, string)    { return p.id, p.name }

// platform is the platform of a plan, as PlatformType names it.
func (p *ccPlan) platform() string {
	if p.details.HvCloudHardwarePlan != nil {
		return "HyperV"
	}
	return "VMware"
}

type ccStorage struct {
	name  string
	quota int32
}

// storages are the datastores or volumes of a plan.
func (p *ccPlan) storages() []ccStorage {
	var out []ccStorage
	if vi := p.details.ViCloudHardwarePlan; vi != nil {
		for _, d := range vi.Datastores.Datastores {
			out = append(out, ccStorage{d.FriendlyName, d.QuotaGb})
		}
	}
	if hv := p.details.HvCloudHardwarePlan; hv != nil {
		for _, v := range hv.Volumes.Volumes {
			out = append(out, ccStorage{v.FriendlyName, v.QuotaGb})
		}
	}
	return out
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		gateways, pools, plans := f.ccGateways(), f.ccPools(), f.ccPlans()
		return map[string]fake.HandlerFunc{
			"GetCloudGateways":   gateways.list(),
			"CreateCloudGateway": f.createGateway,
			"GetCloudGateway":    gateways.get(func(r *http.Request, g *ccGateway, entity bool) any { return f.gatewayModel(r, g, entity) }),
			"EditCloudGateway":   f.editGateway,
			"DeleteCloudGateway": gateways.with(f.deleteGateway),

			"GetCloudGatewayPools":   pools.list(),
			"CreateCloudGatewayPool": f.createPool,
			"GetCloudGatewayPool":    pools.get(func(r *http.Request, p *ccPool, entity bool) any { return f.poolModel(r, p, entity) }),
			"EditCloudGatewayPool":   f.editPool,
			"DeleteCloudGatewayPool": pools.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *ccPool) {
				st := f.ccLocked()
				st.pools = slices.DeleteFunc(st.pools, func(o *ccPool) bool { return o == p })
				f.accept(w, r, in, "DeleteCloudGatewayPool", false, "")
			}),

			"GetCloudHardwarePlans":   plans.list(),
			"CreateCloudHardwarePlan": f.createHWPlan,
			"GetCloudHardwarePlan":    plans.get(func(r *http.Request, p *ccPlan, entity bool) any { return f.hwPlanModel(r, p, entity) }),
			"EditCloudHardwarePlan":   f.editHWPlan,
			"DeleteCloudHardwarePlan": plans.with(f.deleteHWPlan),
			"GetCloudHardwarePlanTenants": plans.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *ccPlan) {
				list := vbemapi.CloudTenants{CloudTenants: []vbemapi.CloudTenant{}}
				for _, t := range f.subscribers(p) {
					list.CloudTenants = append(list.CloudTenants, f.tenantModel(r, t, true))
				}
				in.Respond(w, http.StatusOK, list)
			}),
		}
	})
}

func (f *Fake) ccGateways() coll[*ccGateway] {
	return coll[*ccGateway]{f: f, kind: "CloudGateway", base: "/api/cloud/gateways/", param: "gatewayId", what: "cloud gateway",
		items: func() []*ccGateway { return f.ccLocked().gateways },
		up:    func(r *http.Request, g *ccGateway) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, g.server)} }}
}

func (f *Fake) ccPools() coll[*ccPool] {
	return coll[*ccPool]{f: f, kind: "CloudGatewayPool", base: "/api/cloud/gatewayPools/", param: "gatewayPoolId", what: "cloud gateway pool",
		items: func() []*ccPool { return f.ccLocked().pools },
		up:    func(r *http.Request, p *ccPool) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, p.server)} }}
}

func (f *Fake) ccPlans() coll[*ccPlan] {
	return coll[*ccPlan]{f: f, kind: "CloudHardwarePlan", base: "/api/cloud/hardwarePlans/", param: "hardwarePlanId", what: "hardware plan",
		items: func() []*ccPlan { return f.ccLocked().plans },
		up:    func(r *http.Request, p *ccPlan) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, p.server)} }}
}

// subscribers are the tenants subscribed to a plan; f.mu held.
func (f *Fake) subscribers(p *ccPlan) []*ccTenant {
	var out []*ccTenant
	for _, t := range f.ccLocked().tenants {
		if slices.ContainsFunc(t.compute, func(c *ccCompute) bool { return c.plan == p.id }) {
			out = append(out, t)
		}
	}
	return out
}

// cloudEntityLinks are the links of an entity of kind at path: Up to its
// server, then Alternate; the entity form adds Edit and Delete.
func (f *Fake) cloudEntityLinks(r *http.Request, kind, path, name, server string, entity bool) []vbemapi.Link {
	links := []vbemapi.Link{f.serverUp(r, server)}
	if !entity {
		return append(links, named(alternate(r, kind, path), name))
	}
	return append(links, named(link(r, "Alternate", path, kind+"Reference"), name), named(link(r, "Edit", path, kind+"Reference"), name),
		named(link(r, "Delete", path, kind), name))
}

// --- gateways ---

func (f *Fake) gatewayModel(r *http.Request, g *ccGateway, entity bool) vbemapi.CloudGateway {
	p := "/api/cloud/gateways/" + g.id
	m := vbemapi.CloudGateway{Name: to.Ptr(g.host), Links: f.cloudEntityLinks(r, "CloudGateway", p, g.host, g.server, entity)}
	m.Href, m.UID, m.Type = form(r, "CloudGateway", p, g.id, entity)
	if entity {
		m.Enabled, m.NetworkMode = to.Ptr(g.enabled), to.Ptr(vbemapi.CloudGatewayNetworkMode(g.mode))
		m.ExternalIP, m.ExternalPort, m.InternalPort, m.Description = to.Ptr(g.externalIP), to.Ptr(g.externalPort), to.Ptr(g.internalPort), to.Ptr(g.desc)
	}
	return m
}

// gatewayServer finds the backup server a CreateCloudGatewaySpec names:
// BackupServerUid, or the older BackupServerIdOrName (an id, a UID or a
// name); f.mu held.
func (f *Fake) gatewayServer(spec vbemapi.CreateCloudGatewaySpec) (*pwServer, string) {
	if u := to.Value(spec.BackupServerUID); u != "" {
		return f.serverOf(u)
	}
	name := to.Value(spec.BackupServerIDOrName)
	if id, ok := idOfURN("BackupServer", name); ok {
		name = id
	}
	for _, s := range f.pwLocked().servers {
		if s.id == name || strings.EqualFold(s.name, name) {
			return s, ""
		}
	}
	return nil, "the gateway needs the BackupServerUid of a known backup server"
}

func (f *Fake) createGateway(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateCloudGatewaySpec
	if !readBody(w, r, in, &spec, "CreateCloudGatewaySpec") {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, msg := f.gatewayServer(spec)
	if msg == "" && strings.TrimSpace(spec.ServerHostName) == "" {
		msg = "the gateway needs a ServerHostName"
	}
	if msg == "" && spec.NetworkType == vbemapi.CreateCloudGatewaySpecNetworkTypeNAT && to.Value(spec.ExternalIP) == "" {
		msg = "a gateway behind NAT needs an ExternalIp"
	}
	st := f.ccLocked()
	for _, g := range st.gateways {
		if msg == "" && g.server == s.id && strings.EqualFold(g.host, spec.ServerHostName) {
			msg = spec.ServerHostName + " is a cloud gateway already"
		}
	}
	if msg != "" {
		badRequest(w, r, msg)
		return
	}
	g := &ccGateway{id: uuidLike(), server: s.id, host: spec.ServerHostName, desc: to.Value(spec.Description), mode: string(spec.NetworkType),
		externalIP: to.Value(spec.ExternalIP), enabled: true, externalPort: 6180, internalPort: 6180}
	setIfGiven(&g.externalPort, spec.ExternalPort)
	setIfGiven(&g.internalPort, spec.InternalPort)
	if g.externalIP == "" {
		g.externalIP = g.host
	}
	st.gateways = append(st.gateways, g)
	f.accept(w, r, in, "CreateCloudGateway", false, "/api/cloud/gateways/"+g.id+"?format=Entity")
}

func (f *Fake) editGateway(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.CloudGateway
	if !readBody(w, r, in, &body, "CloudGateway") {
		return
	}
	f.ccGateways().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, g *ccGateway) {
		mode, ip := g.mode, g.externalIP
		if body.NetworkMode != nil {
			mode = string(*body.NetworkMode)
		}
		setIfGiven(&ip, body.ExternalIP)
		if mode == "NAT" && ip == "" {
			badRequest(w, r, "a gateway behind NAT needs an ExternalIP")
			return
		}
		g.mode, g.externalIP = mode, ip
		setIfGiven(&g.enabled, body.Enabled)
		setIfGiven(&g.externalPort, body.ExternalPort)
		setIfGiven(&g.internalPort, body.InternalPort)
		setIfGiven(&g.desc, body.Description)
		f.accept(w, r, in, "EditCloudGateway", false, "/api/cloud/gateways/"+g.id+"?format=Entity")
	})(w, r, in)
}

func (f *Fake) deleteGateway(w http.ResponseWriter, r *http.Request, in *fake.Input, g *ccGateway) {
	st := f.ccLocked()
	for _, p := range st.pools {
		if slices.Contains(p.gateways, g.id) {
			badRequest(w, r, "the gateway is in the gateway pool "+p.name+"; remove it from the pool first")
			return
		}
	}
	st.gateways = slices.DeleteFunc(st.gateways, func(o *ccGateway) bool { return o == g })
	f.accept(w, r, in, "DeleteCloudGateway", false, "")
}

// --- gateway pools ---

func (f *Fake) poolModel(r *http.Request, p *ccPool, entity bool) vbemapi.CloudGatewayPool {
	path := "/api/cloud/gatewayPools/" + p.id
	m := vbemapi.CloudGatewayPool{Name: to.Ptr(p.name), Links: f.cloudEntityLinks(r, "CloudGatewayPool", path, p.name, p.server, entity)}
	m.Href, m.UID, m.Type = form(r, "CloudGatewayPool", path, p.id, entity)
	if entity {
		m.Description = to.Ptr(p.desc)
		m.CloudGateways = &vbemapi.CloudGatewayUIDList{}
		for _, id := range p.gateways {
			m.CloudGateways.CloudGatewayUids = append(m.CloudGateways.CloudGatewayUids, urnOf("CloudGateway", id))
		}
		m.CloudTenants = &vbemapi.CloudTenantUIDList{}
		for _, id := range p.tenants {
			m.CloudTenants.CloudTenantUids = append(m.CloudTenants.CloudTenantUids, urnOf("CloudTenant", id))
		}
	}
	return m
}

// poolMembers resolves the gateways and tenants of a pool of server;
// self is the pool being edited (nil for a new one). A gateway belongs to
// one pool at most. f.mu held.
func (f *Fake) poolMembers(server string, self *ccPool, gatewayUIDs []string, tenants *vbemapi.CloudTenantUIDList) (gws, tns []string, msg string) {
	if len(gatewayUIDs) == 0 {
		return nil, nil, "a gateway pool needs at least one gateway"
	}
	st := f.ccLocked()
	for _, u := range gatewayUIDs {
		id, ok := idOfURN("CloudGateway", u)
		g, found := f.ccGateways().find(id)
		if !ok || !found || g.server != server {
			return nil, nil, "unknown cloud gateway " + u + " on the backup server of the pool"
		}
		for _, p := range st.pools {
			if p != self && slices.Contains(p.gateways, id) {
				return nil, nil, "the gateway " + g.host + " is in the gateway pool " + p.name + " already"
			}
		}
		gws = append(gws, id)
	}
	if tenants != nil {
		for _, u := range tenants.CloudTenantUids {
			id, ok := idOfURN("CloudTenant", u)
			t, found := f.ccTenants().find(id)
			if !ok || !found || t.server != server {
				return nil, nil, "unknown tenant account " + u + " on the backup server of the pool"
			}
			tns = append(tns, id)
		}
	}
	return gws, tns, ""
}

// poolNameTaken reports whether another pool of server has name; f.mu
// held.
func (f *Fake) poolNameTaken(server, name string, self *ccPool) bool {
	return slices.ContainsFunc(f.ccLocked().pools, func(p *ccPool) bool {
		return p != self && p.server == server && strings.EqualFold(p.name, name)
	})
}

func (f *Fake) createPool(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateCloudGatewayPoolSpec
	if !readBody(w, r, in, &spec, "CreateCloudGatewayPoolSpec") {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, msg := f.serverOf(spec.BackupServerUID)
	if msg == "" && strings.TrimSpace(spec.Name) == "" {
		msg = "the gateway pool needs a Name"
	}
	if msg == "" && f.poolNameTaken(s.id, spec.Name, nil) {
		msg = "a gateway pool named " + spec.Name + " exists"
	}
	var gws, tns []string
	if msg == "" {
		gws, tns, msg = f.poolMembers(s.id, nil, spec.CloudGateways.CloudGatewayUids, spec.CloudTenants)
	}
	if msg != "" {
		badRequest(w, r, msg)
		return
	}
	p := &ccPool{id: uuidLike(), server: s.id, name: spec.Name, desc: to.Value(spec.Description), gateways: gws, tenants: tns}
	st := f.ccLocked()
	st.pools = append(st.pools, p)
	f.accept(w, r, in, "CreateCloudGatewayPool", false, "/api/cloud/gatewayPools/"+p.id+"?format=Entity")
}

func (f *Fake) editPool(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.CloudGatewayPool
	if !readBody(w, r, in, &body, "CloudGatewayPool") {
		return
	}
	f.ccPools().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *ccPool) {
		name := p.name
		if n := strings.TrimSpace(to.Value(body.Name)); n != "" {
			name = n
		}
		if f.poolNameTaken(p.server, name, p) {
			badRequest(w, r, "a gateway pool named "+name+" exists")
			return
		}
		gws, tns := p.gateways, p.tenants
		if body.CloudGateways != nil || body.CloudTenants != nil {
			uids := make([]string, 0, len(gws))
			for _, id := range gws {
				uids = append(uids, urnOf("CloudGateway", id))
			}
			if body.CloudGateways != nil {
				uids = body.CloudGateways.CloudGatewayUids
			}
			newG, newT, msg := f.poolMembers(p.server, p, uids, body.CloudTenants)
			if msg != "" {
				badRequest(w, r, msg)
				return
			}
			gws = newG
			if body.CloudTenants != nil {
				tns = newT
			}
		}
		p.name, p.gateways, p.tenants = name, gws, tns
		setIfGiven(&p.desc, body.Description)
		f.accept(w, r, in, "UpdateCloudGatewayPool", false, "/api/cloud/gatewayPools/"+p.id+"?format=Entity")
	})(w, r, in)
}

// --- hardware plans ---

func (f *Fake) hwPlanModel(r *http.Request, p *ccPlan, entity bool) vbemapi.CloudHardwarePlan {
	path := "/api/cloud/hardwarePlans/" + p.id
	m := vbemapi.CloudHardwarePlan{Name: to.Ptr(p.name), Links: f.cloudEntityLinks(r, "CloudHardwarePlan", path, p.name, p.server, entity)}
	m.Href, m.UID, m.Type = form(r, "CloudHardwarePlan", path, p.id, entity)
	if entity {
		m.Links = append(m.Links, named(link(r, "Down", path+"/tenants", "CloudTenantReference"), p.name))
		m.Description, m.ProcessorUsageLimitMhz, m.MemoryUsageLimitMb = to.Ptr(p.desc), to.Ptr(p.cpu), to.Ptr(p.mem)
		d := p.details
		m.HardwarePlanDetails = &d
	}
	return m
}

// checkPlanDetails checks the platform settings of a plan and gives its
// datastores and volumes ids.
func checkPlanDetails(d *vbemapi.CloudHardwarePlanDetails) string {
	vi, hv := d.ViCloudHardwarePlan, d.HvCloudHardwarePlan
	switch {
	case (vi == nil) == (hv == nil):
		return "HardwarePlanDetails needs one of ViCloudHardwarePlan and HvCloudHardwarePlan"
	case vi != nil && len(vi.Datastores.Datastores) == 0:
		return "a VMware hardware plan needs at least one datastore"
	case hv != nil && len(hv.Volumes.Volumes) == 0:
		return "a Hyper-V hardware plan needs at least one volume"
	}
	if vi != nil {
		for i := range vi.Datastores.Datastores {
			if to.Value(vi.Datastores.Datastores[i].ID) == "" {
				vi.Datastores.Datastores[i].ID = to.Ptr(uuidLike())
			}
		}
	}
	if hv != nil {
		for i := range hv.Volumes.Volumes {
			if to.Value(hv.Volumes.Volumes[i].ID) == "" {
				hv.Volumes.Volumes[i].ID = to.Ptr(uuidLike())
			}
		}
	}
	return ""
}

func (f *Fake) createHWPlan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CloudHardwarePlanCreateSpec
	if !readBody(w, r, in, &spec, "CloudHardwarePlanCreateSpec") {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, msg := f.serverOf(spec.BackupServerUID)
	if msg == "" && strings.TrimSpace(spec.Name) == "" {
		msg = "the hardware plan needs a Name"
	}
	if msg == "" && slices.ContainsFunc(f.ccLocked().plans, func(p *ccPlan) bool { return p.server == s.id && strings.EqualFold(p.name, spec.Name) }) {
		msg = "a hardware plan named " + spec.Name + " exists"
	}
	if msg == "" {
		msg = checkPlanDetails(&spec.HardwarePlanDetails)
	}
	if msg != "" {
		badRequest(w, r, msg)
		return
	}
	p := &ccPlan{id: uuidLike(), server: s.id, name: spec.Name, desc: to.Value(spec.Description), cpu: spec.ProcessorUsageLimitMhz,
		mem: spec.MemoryUsageLimitMb, details: spec.HardwarePlanDetails}
	st := f.ccLocked()
	st.plans = append(st.plans, p)
	f.accept(w, r, in, "CreateCloudHardwarePlan", false, "/api/cloud/hardwarePlans/"+p.id+"?format=Entity")
}

// networks is the network counts of plan details.
func planNetworks(d vbemapi.CloudHardwarePlanDetails) (with, without int32) {
	var n *vbemapi.CloudHardwarePlanNetwork
	if d.ViCloudHardwarePlan != nil {
		n = d.ViCloudHardwarePlan.Network
	} else if d.HvCloudHardwarePlan != nil {
		n = d.HvCloudHardwarePlan.Network
	}
	if n == nil {
		return 0, 0
	}
	return to.Value(n.CountWithInternet), to.Value(n.CountWithoutInternet)
}

func (f *Fake) editHWPlan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.CloudHardwarePlan
	if !readBody(w, r, in, &body, "CloudHardwarePlan") {
		return
	}
	f.ccPlans().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *ccPlan) {
		if d := body.HardwarePlanDetails; d != nil {
			if msg := checkPlanDetails(d); msg != "" {
				badRequest(w, r, msg)
				return
			}
			next := &ccPlan{details: *d}
			if next.platform() != p.platform() {
				badRequest(w, r, "the platform of a hardware plan cannot change")
				return
			}
			oldWith, oldWithout := planNetworks(p.details)
			newWith, newWithout := planNetworks(*d)
			hasNetwork := (d.ViCloudHardwarePlan != nil && d.ViCloudHardwarePlan.Network != nil) || (d.HvCloudHardwarePlan != nil && d.HvCloudHardwarePlan.Network != nil)
			if hasNetwork && (newWith != oldWith || newWithout != oldWithout) {
				badRequest(w, r, "the number of networks of a hardware plan cannot change")
				return
			}
			keep := p.details
			p.details = *d
			if !hasNetwork {
				// The body may leave the networks out; they stay.
				if keep.ViCloudHardwarePlan != nil {
					p.details.ViCloudHardwarePlan.Network = keep.ViCloudHardwarePlan.Network
				} else {
					p.details.HvCloudHardwarePlan.Network = keep.HvCloudHardwarePlan.Network
				}
			}
		}
		setIfGiven(&p.desc, body.Description)
		setIfGiven(&p.cpu, body.ProcessorUsageLimitMhz)
		setIfGiven(&p.mem, body.MemoryUsageLimitMb)
		f.accept(w, r, in, "EditCloudHardwarePlan", false, "/api/cloud/hardwarePlans/"+p.id+"?format=Entity")
	})(w, r, in)
}

func (f *Fake) deleteHWPlan(w http.ResponseWriter, r *http.Request, in *fake.Input, p *ccPlan) {
	if subs := f.subscribers(p); len(subs) > 0 {
		badRequest(w, r, "the hardware plan "+p.name+" has subscribed tenants, such as "+subs[0].name+"; unsubscribe them first")
		return
	}
	st := f.ccLocked()
	st.plans = slices.DeleteFunc(st.plans, func(o *ccPlan) bool { return o == p })
	f.accept(w, r, in, "DeleteCloudHardwarePlan", false, "")
}
