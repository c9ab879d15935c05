package vbemfake

import (
	"fmt"
	"net/http"
	"net/netip"
	"slices"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The network resources of Cloud Connect Replication: the pools of public
// IP addresses of the backup servers and the VLAN ranges reserved on
// virtual switches.
//
// A public IP address belongs to a tenant of its backup server when the
// tenant's PublicIpCount claims it: the addresses of a pool go, in pool
// order, to the tenants of the server in their order, each taking as many
// as its PublicIpCount. An address a tenant holds cannot be deleted.

// The seeded pool of SeedBackupServer2ID (two addresses, SeedPublicIPID
// first) and its two VLAN configurations (SeedVlanID on the vSwitch0 of
// a VMware host, one on a Hyper-V switch).
const (
	SeedPublicIPID      = "22d2cdad-ddd1-4789-9e27-03bf25786648"
	SeedPublicIPAddress = "198.51.100.16"
	SeedVlanID          = "78c6a038-38a2-4908-ac19-1540f9448533"
	SeedVlanSwitch      = "vSwitch0"
	// maxPublicIPRange is the largest range one request may add.
	maxPublicIPRange = 256
)

const cnKey = "cloudnet"

type cnState struct {
	ips   []*cnIP
	vlans []*cnVlan
}

type cnIP struct {
	id, server string
	addr       netip.Addr
}

func (p *cnIP) ident() (string, string) { return p.id, p.addr.String() }

type cnVlan struct {
	id, server, host, platform, switchName, switchID, switchType, cluster, clusterID string
	withLo, withHi, withoutLo, withoutHi                                             int32
}

func (v *cnVlan) ident() (string, string) { return v.id, v.switchName }

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[cnKey] = &cnState{
			ips: []*cnIP{{id: SeedPublicIPID, server: SeedBackupServer2ID, addr: netip.MustParseAddr(SeedPublicIPAddress)},
				{id: "3b7d5e1f-0a2c-4e6b-9d8f-1c3e5a7b9d20", server: SeedBackupServer2ID, addr: netip.MustParseAddr("198.51.100.17")}},
			vlans: []*cnVlan{{id: SeedVlanID, server: SeedBackupServer2ID, host: "urn:VMware:Host:4a3f28d9-d4f3-4e4c-9afb-91db8ab57436.host-438",
				platform: "VMware", switchName: SeedVlanSwitch, switchID: SeedVlanSwitch, switchType: "VirtualSwitch", withLo: 500, withHi: 510, withoutLo: 511, withoutHi: 520},
				{id: "eddf9f5b-4dbc-4222-8014-fec97352c74c", server: SeedBackupServer2ID, host: "urn:HyperV:Host:423d0b64-96ba-4553-a8ce-03906fbce48b.",
					platform: "HyperV", switchName: "Intel(R) I350 Gigabit Network Connection - Virtual Switch", switchID: "4670EE6D-66BE-4A1C-A58E-6389CA99BD3E",
					switchType: "VirtualSwitch", withLo: 701, withHi: 705, withoutLo: 706, withoutHi: 710}},
		}
		ips, vlans := f.cnIPs(), f.cnVlans()
		return map[string]fake.HandlerFunc{
			"GetCloudPublicIpAddresses":    ips.list(),
			"CreateCloudPublicIpAddresses": f.createPublicIPs,
			"GetCloudPublicIpAddress":      ips.get(func(r *http.Request, p *cnIP, entity bool) any { return f.publicIPModel(r, p, entity) }),
			"EditCloudPublicIpAddress":     f.editPublicIP,
			"DeleteCloudPublicIpAddress": ips.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cnIP) {
				if t := f.ipTenantLocked(p); t != nil {
					badRequest(w, r, fmt.Sprintf("the public IP address %s is assigned to the tenant %s; lower its PublicIpCount first", p.addr, t.name))
					return
				}
				st := f.cnLocked()
				st.ips = slices.DeleteFunc(st.ips, func(o *cnIP) bool { return o == p })
				f.accept(w, r, in, "DeleteCloudPublicIpAddress", false, "")
			}),
			"GetCloudVlans": vlans.list(),
			"GetCloudVlan":  vlans.get(func(r *http.Request, v *cnVlan, entity bool) any { return f.vlanModel(r, v, entity) }),
			"EditCloudVlan": f.editVlan,
			"DeleteCloudVlan": vlans.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, v *cnVlan) {
				st := f.cnLocked()
				st.vlans = slices.DeleteFunc(st.vlans, func(o *cnVlan) bool { return o == v })
				f.accept(w, r, in, "DeleteVlanConfiguration", false, "")
			}),
		}
	})
}

func (f *Fake) cnLocked() *cnState { return f.state[cnKey].(*cnState) }

func (f *Fake) cnIPs() coll[*cnIP] {
	return coll[*cnIP]{f: f, kind: "CloudPublicIpAddress", base: "/api/cloud/publicIpAddresses/", param: "publicIpAddressId", what: "public IP address",
		items: func() []*cnIP { return f.cnLocked().ips },
		up:    func(r *http.Request, p *cnIP) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, p.server)} }}
}

func (f *Fake) cnVlans() coll[*cnVlan] {
	return coll[*cnVlan]{f: f, kind: "VlanConfiguration", base: "/api/cloud/vlans/", param: "vlanId", what: "VLAN configuration",
		items: func() []*cnVlan { return f.cnLocked().vlans },
		up:    func(r *http.Request, v *cnVlan) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, v.server)} }}
}

// ipTenantLocked is the tenant that holds a public IP address, or nil.
func (f *Fake) ipTenantLocked(p *cnIP) *ccTenant {
	var pool []*cnIP
	for _, o := range f.cnLocked().ips {
		if o.server == p.server {
			pool = append(pool, o)
		}
	}
	i := slices.Index(pool, p)
	for _, t := range f.ccLocked().tenants {
		if t.server != p.server {
			continue
		}
		if i < int(t.publicIPs) {
			return t
		}
		i -= int(max(t.publicIPs, 0))
	}
	return nil
}

func (f *Fake) publicIPModel(r *http.Request, p *cnIP, entity bool) vbemapi.CloudPublicIpAddress {
	path := "/api/cloud/publicIpAddresses/" + p.id
	name := p.addr.String()
	m := vbemapi.CloudPublicIpAddress{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type = form(r, "CloudPublicIpAddress", path, p.id, entity)
	m.Links = []vbemapi.Link{f.serverUp(r, p.server)}
	if !entity {
		m.Links = append(m.Links, named(alternate(r, "CloudPublicIpAddress", path), name))
		return m
	}
	m.BackupServerUID = to.Ptr(bsUID(p.server))
	m.Links = append(m.Links, named(link(r, "Alternate", path, "CloudPublicIpAddressReference"), name),
		named(link(r, "Edit", path, "CloudPublicIpAddressReference"), name), named(link(r, "Delete", path, "CloudPublicIpAddress"), name))
	m.IPAddress = to.Ptr(name)
	if t := f.ipTenantLocked(p); t != nil {
		m.TenantUID = to.Ptr(urnOf("CloudTenant", t.id))
	}
	return m
}

// inPool reports whether server's pool holds addr (other than skip).
func (f *Fake) inPool(server string, addr netip.Addr, skip *cnIP) bool {
	return slices.ContainsFunc(f.cnLocked().ips, func(o *cnIP) bool { return o != skip && o.server == server && o.addr == addr })
}

func (f *Fake) createPublicIPs(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CloudPublicIpAddressCreateSpec
	if !readBody(w, r, in, &spec, "CloudPublicIpAddressCreateSpec") {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, msg := f.serverOf(spec.BackupServerUID)
	if msg != "" {
		badRequest(w, r, msg)
		return
	}
	lo, err1 := netip.ParseAddr(spec.IPAddressLowerBound)
	hi, err2 := netip.ParseAddr(spec.IPAddressUpperBound)
	if err1 != nil || err2 != nil || !lo.Is4() || !hi.Is4() {
		badRequest(w, r, "the bounds of the range must be IPv4 addresses")
		return
	}
	if hi.Less(lo) {
		badRequest(w, r, "the upper bound "+hi.String()+" is below the lower bound "+lo.String())
		return
	}
	var add []*cnIP
	for a := lo; ; a = a.Next() {
		if len(add) == maxPublicIPRange {
			badRequest(w, r, fmt.Sprintf("a range may hold at most %d addresses", maxPublicIPRange))
			return
		}
		if f.inPool(s.id, a, nil) {
			badRequest(w, r, "the pool of "+s.name+" already holds "+a.String())
			return
		}
		add = append(add, &cnIP{id: uuidLike(), server: s.id, addr: a})
		if a == hi {
			break
		}
	}
	st := f.cnLocked()
	st.ips = append(st.ips, add...)
	f.accept(w, r, in, "CreateCloudPublicIpAddress", false, "/api/cloud/publicIpAddresses?format=Entity")
}

func (f *Fake) editPublicIP(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.CloudPublicIpAddress
	if !readBody(w, r, in, &body, "CloudPublicIpAddress") {
		return
	}
	f.cnIPs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *cnIP) {
		if body.IPAddress == nil {
			f.accept(w, r, in, "EditCloudPublicIpAddress", false, "/api/cloud/publicIpAddresses/"+p.id+"?format=Entity")
			return
		}
		a, err := netip.ParseAddr(*body.IPAddress)
		switch {
		case err != nil || !a.Is4():
			badRequest(w, r, "IpAddress must be an IPv4 address")
			return
		case f.inPool(p.server, a, p):
			badRequest(w, r, "the pool of "+f.serverName(p.server)+" already holds "+a.String())
			return
		}
		p.addr = a
		f.accept(w, r, in, "EditCloudPublicIpAddress", false, "/api/cloud/publicIpAddresses/"+p.id+"?format=Entity")
	})(w, r, in)
}

func (f *Fake) vlanModel(r *http.Request, v *cnVlan, entity bool) vbemapi.VlanConfiguration {
	path := "/api/cloud/vlans/" + v.id
	m := vbemapi.VlanConfiguration{Name: to.Ptr(v.switchName)}
	if !entity {
		m.Href, m.UID, m.Type = form(r, "VlanConfiguration", path, v.id, false)
		m.Links = []vbemapi.Link{f.serverUp(r, v.server), named(alternate(r, "VlanConfiguration", path), v.switchName)}
		return m
	}
	// The entity carries the bare id as its UID, as the reference shows it.
	m.UID, m.Href, m.Type = to.Ptr(v.id), to.Ptr(Href(r, path+"?format=Entity")), to.Ptr("VlanConfiguration")
	m.Links = []vbemapi.Link{f.serverUp(r, v.server), named(link(r, "Alternate", path, "VlanConfigurationReference"), v.switchName),
		named(link(r, "Edit", path, "VlanConfigurationReference"), v.switchName), named(link(r, "Delete", path, "VlanConfiguration"), v.switchName)}
	m.HostRef, m.PlatformType = to.Ptr(v.host), to.Ptr(vbemapi.VlanConfigurationPlatformType(v.platform))
	m.VlanIdsWithInternetLeftBound, m.VlanIdsWithInternetRightBound = to.Ptr(v.withLo), to.Ptr(v.withHi)
	m.VlanIdsWithoutInternetLeftBound, m.VlanIdsWithoutInternetRightBound = to.Ptr(v.withoutLo), to.Ptr(v.withoutHi)
	m.SwitchName, m.SwitchID, m.SwitchType = to.Ptr(v.switchName), to.Ptr(v.switchID), to.Ptr(vbemapi.VlanConfigurationSwitchType(v.switchType))
	if v.cluster != "" {
		m.ClusterName, m.ClusterID = to.Ptr(v.cluster), to.Ptr(v.clusterID)
	}
	return m
}

// vlanRange checks one VLAN range.
func vlanRange(what string, lo, hi int32) string {
	switch {
	case lo < 1 || hi > 4094:
		return fmt.Sprintf("the VLAN IDs %s must lie between 1 and 4094 (%d-%d)", what, lo, hi)
	case lo > hi:
		return fmt.Sprintf("the first VLAN ID %s (%d) is above the last (%d)", what, lo, hi)
	}
	return ""
}

func (f *Fake) editVlan(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var body vbemapi.VlanConfiguration
	if !readBody(w, r, in, &body, "VlanConfiguration") {
		return
	}
	f.cnVlans().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, v *cnVlan) {
		fixed := []struct {
			name string
			sent *string
			have string
		}{{"HostRef", body.HostRef, v.host}, {"PlatformType", (*string)(body.PlatformType), v.platform}, {"SwitchName", body.SwitchName, v.switchName},
			{"SwitchId", body.SwitchID, v.switchID}, {"SwitchType", (*string)(body.SwitchType), v.switchType}}
		for _, c := range fixed {
			if c.sent != nil && *c.sent != c.have {
				badRequest(w, r, c.name+" of a VLAN configuration cannot change")
				return
			}
		}
		withLo, withHi, withoutLo, withoutHi := v.withLo, v.withHi, v.withoutLo, v.withoutHi
		setIfGiven(&withLo, body.VlanIdsWithInternetLeftBound)
		setIfGiven(&withHi, body.VlanIdsWithInternetRightBound)
		setIfGiven(&withoutLo, body.VlanIdsWithoutInternetLeftBound)
		setIfGiven(&withoutHi, body.VlanIdsWithoutInternetRightBound)
		msg := vlanRange("with internet access", withLo, withHi)
		if msg == "" {
			msg = vlanRange("without internet access", withoutLo, withoutHi)
		}
		if msg == "" && withLo <= withoutHi && withoutLo <= withHi {
			msg = fmt.Sprintf("the VLAN ranges with (%d-%d) and without (%d-%d) internet access overlap", withLo, withHi, withoutLo, withoutHi)
		}
		if msg != "" {
			badRequest(w, r, msg)
			return
		}
		v.withLo, v.withHi, v.withoutLo, v.withoutHi = withLo, withHi, withoutLo, withoutHi
		f.accept(w, r, in, "UpdateVlanConfiguration", false, "/api/cloud/vlans/"+v.id+"?format=Entity")
	})(w, r, in)
}
