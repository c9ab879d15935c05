package vbemfake

import (
	"net/http"
	"strconv"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The Cloud Connect types of the query service (GET /query?type=Cloud...):
// their entities and the filter and sort fields of the reference's pages
// (lower case). Subtenants answer in Resources, the others in Entities
// (bkEntities finds the list that holds the type).
func init() {
	for typ, q := range map[string]bkQueryType{
		"CloudTenant":          {vbemapi.CloudTenant{}, []string{"uid", "name", "enabled", "type", "backupserveruid", "backupservername"}},
		"CloudSubtenant":       {vbemapi.CloudSubtenant{}, []string{"uid", "name", "cloudtenantuid", "cloudtenantname", "disabled", "unlimited", "quota", "usedquota", "backupresourceid", "backupserveruid", "backupservername"}},
		"CloudGateway":         {vbemapi.CloudGateway{}, []string{"uid", "name", "enabled", "description", "backupserveruid", "backupservername"}},
		"CloudGatewayPool":     {vbemapi.CloudGatewayPool{}, []string{"uid", "name", "description", "backupserveruid", "backupservername"}},
		"CloudHardwarePlan":    {vbemapi.CloudHardwarePlan{}, []string{"uid", "name", "platform", "backupserveruid", "backupservername"}},
		"CloudPublicIpAddress": {vbemapi.CloudPublicIpAddress{}, []string{"uid", "name", "ipaddress", "cloudtenantuid", "cloudtenantname", "backupserveruid", "backupservername"}},
		"CloudFailoverPlan":    {vbemapi.CloudFailoverPlan{}, []string{"uid", "name", "description", "cloudtenantuid", "cloudtenantname", "backupserveruid", "backupservername"}},
		"CloudFailoverSession": {vbemapi.CloudFailoverSession{}, []string{"uid", "name", "type", "creationtime", "endtime", "state", "result", "failuremessage", "backupserveruid", "backupservername"}},
		"CloudReplica":         {vbemapi.CloudReplica{}, []string{"uid", "name", "platform"}},
		"CloudVmReplicaPoint": {vbemapi.CloudVMReplicaPoint{}, []string{"uid", "name", "creationtime", "vmname", "type", "replicauid", "replicaname", "vmdisplayname",
			"backupserveruid", "backupservername", "state"}},
		"VlanConfiguration": {vbemapi.VlanConfiguration{}, []string{"uid", "name", "switchname", "switchtype", "switchid", "clustername", "backupserveruid", "backupservername"}},
	} {
		bkQueryTypes[typ] = q
	}
}

// cloudQueryRowsLocked lists the Cloud Connect objects of a query type;
// f.mu held. Sessions read by a query move on like those read one by one.
func (f *Fake) cloudQueryRowsLocked(r *http.Request, typ string) []queryRow {
	var rows []queryRow
	add := func(ref vbemapi.EntityReference, ent any, server string, fields map[string]string) {
		fields["uid"], fields["name"] = to.Value(ref.UID), to.Value(ref.Name)
		if server != "" {
			fields["backupserveruid"], fields["backupservername"] = bsUID(server), f.serverName(server)
		}
		rows = append(rows, queryRow{ref: &ref, ent: ent, fields: fields})
	}
	tenantName := func(id string) string {
		if t, ok := f.ccTenants().find(id); ok {
			return t.name
		}
		return ""
	}
	switch typ {
	case "CloudTenant":
		for _, t := range f.ccLocked().tenants {
			add(f.ccTenants().ref(r, t), f.tenantModel(r, t, true), t.server, map[string]string{"enabled": boolStr(t.enabled), "type": t.kind})
		}
	case "CloudSubtenant":
		for _, t := range f.ccLocked().tenants {
			for _, s := range f.csLocked().subs[t.id] {
				add(ref(r, "CloudSubtenant", subtenantPath(t.id, s.id), s.id, s.name), f.subtenantModel(r, t, s), t.server, map[string]string{
					"cloudtenantuid": urnOf("CloudTenant", t.id), "cloudtenantname": t.name, "disabled": boolStr(!s.enabled), "unlimited": boolStr(s.unlimited),
					"quota": strconv.FormatInt(s.quota, 10), "usedquota": strconv.FormatInt(s.used, 10), "backupresourceid": s.resource})
			}
		}
	case "CloudGateway":
		for _, g := range f.ccLocked().gateways {
			add(f.ccGateways().ref(r, g), f.gatewayModel(r, g, true), g.server, map[string]string{"enabled": boolStr(g.enabled), "description": g.desc})
		}
	case "CloudGatewayPool":
		for _, p := range f.ccLocked().pools {
			add(f.ccPools().ref(r, p), f.poolModel(r, p, true), p.server, map[string]string{"description": p.desc})
		}
	case "CloudHardwarePlan":
		for _, p := range f.ccLocked().plans {
			add(f.ccPlans().ref(r, p), f.hwPlanModel(r, p, true), p.server, map[string]string{"platform": p.platform()})
		}
	case "CloudPublicIpAddress":
		for _, p := range f.cnLocked().ips {
			fields := map[string]string{"ipaddress": p.addr.String()}
			if t := f.ipTenantLocked(p); t != nil {
				fields["cloudtenantuid"], fields["cloudtenantname"] = urnOf("CloudTenant", t.id), t.name
			}
			add(f.cnIPs().ref(r, p), f.publicIPModel(r, p, true), p.server, fields)
		}
	case "CloudFailoverPlan":
		for _, p := range f.cfLocked().plans {
			add(f.cfPlans().ref(r, p), f.cloudPlanModel(r, p, true), p.server, map[string]string{"description": p.desc,
				"cloudtenantuid": urnOf("CloudTenant", p.tenant), "cloudtenantname": tenantName(p.tenant)})
		}
	case "CloudFailoverSession":
		for _, s := range f.cfLocked().sessions {
			f.advanceCloudSessionLocked(s)
			m := f.cloudSessionModel(r, s, true)
			add(f.cfSessions().ref(r, s), m, s.server, map[string]string{"type": "FailoverPlan", "creationtime": stamp(s.created), "endtime": stamp(s.end),
				"state": string(to.Value(m.State)), "result": string(to.Value(m.Result)), "failuremessage": ""})
		}
	case "CloudReplica":
		for _, p := range f.cfLocked().replicas {
			add(f.cfReplicas().ref(r, p), f.cloudReplicaModel(r, p, true), "", map[string]string{"platform": p.platform})
		}
	case "CloudVmReplicaPoint":
		for _, rp := range f.cfLocked().replicas {
			for _, p := range rp.points {
				m := f.cloudPointModel(r, p, true)
				add(f.cfPoints().ref(r, p), m, rp.server, map[string]string{"creationtime": stamp(p.created), "vmname": p.vm, "vmdisplayname": p.vm, "type": p.kind,
					"replicauid": urnOf("CloudReplica", rp.id), "replicaname": rp.name, "state": string(to.Value(m.State))})
			}
		}
	case "VlanConfiguration":
		for _, v := range f.cnLocked().vlans {
			add(f.cnVlans().ref(r, v), f.vlanModel(r, v, true), v.server, map[string]string{"switchname": v.switchName, "switchtype": v.switchType,
				"switchid": v.switchID, "clustername": v.cluster})
		}
	default:
		rows = f.moreQueryRowsLocked(r, typ)
	}
	return rows
}
