package vbemfake

import (
	"net/http"
	"strconv"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The query types of the reference beyond the classic and the Cloud
// Connect ones (GET /query?type=AgentBackupJob, BackupServer, CdpPolicy,
// ...): their entities and the filter and sort fields of the reference's
// pages (lower case). The entity types answer in Entities, the sub-resource
// lists (Credentials, ObjectInJob, ObjectInAgentBackupJob, NasObject) in
// Resources, as Passwords does (bkEntities finds the list that holds the
// type).
func init() {
	for typ, q := range map[string]bkQueryType{
		"AgentBackupJob": {vbemapi.AgentBackupJob{}, []string{"uid", "name", "description", "jobtype", "platform", "scheduleconfigured", "scheduleenabled",
			"backupserveruid", "backupservername"}},
		"AgentProtectionGroup": {vbemapi.AgentProtectionGroup{}, []string{"uid", "name", "backupserveruid", "backupservername"}},
		"AgentRestorePoint": {vbemapi.AgentRestorePoint{}, []string{"uid", "name", "creationtime", "computername", "type", "algorithm", "restorepointid",
			"backupfileuid", "backupserveruid", "backupservername"}},
		"BackupServer":          {vbemapi.BackupServer{}, []string{"uid", "name", "description", "port", "version"}},
		"CdpPolicy":             {vbemapi.CdpPolicy{}, []string{"uid", "name", "description", "scheduleconfigured", "scheduleenabled", "backupserveruid", "backupservername"}},
		"CdpReplica":            {vbemapi.CdpReplica{}, []string{"uid", "name", "policyid", "policyname", "backupserveruid", "backupservername"}},
		"CdpReplicaSession":     {vbemapi.CdpReplicaSession{}, []string{"id", "name", "policyuid", "policyname", "creationtimeutc", "endtimeutc", "state", "result", "failuremessage"}},
		"CdpReplicaTaskSession": {vbemapi.CdpReplicaTaskSession{}, []string{"id", "name", "policysessionuid", "creationtimeutc", "endtimeutc", "state", "totalsize", "vmdisplayname"}},
		"Credentials":           {vbemapi.CredentialsInfo{}, []string{"username", "description", "backupserveruid", "credentialsid"}},
		"DiscoveredComputer": {vbemapi.DiscoveredComputer{}, []string{"uid", "name", "backupserveruid", "backupservername", "agentversion", "agentstatus", "osversion",
			"ipaddress", "protectiongroupuid", "protectiongroupname"}},
		"FailoverPlan":           {vbemapi.FailoverPlan{}, []string{"uid", "name", "description", "backupserveruid", "backupservername"}},
		"FileServer":             {vbemapi.FileServer{}, []string{"uid", "name", "backupserveruid", "backupservername"}},
		"NasJob":                 {vbemapi.NASJob{}, []string{"uid", "name", "description", "scheduleconfigured", "scheduleenabled", "backupserveruid", "backupservername"}},
		"NasObject":              {vbemapi.NASObject{}, []string{"uid", "name", "jobuid", "jobname", "fileserveruid", "fileservername", "backupserveruid", "backupservername"}},
		"ObjectInJob":            {vbemapi.ObjectInJob{}, []string{"uid", "name", "jobuid", "jobname", "backupserveruid", "backupservername"}},
		"ObjectInAgentBackupJob": {vbemapi.ObjectInAgentBackupJob{}, []string{"uid", "displayname", "jobuid", "jobname", "backupserveruid", "backupservername"}},
		"Replica":                {vbemapi.Replica{}, []string{"uid", "name"}},
		"ReplicaJobSession": {vbemapi.ReplicaJobSession{}, []string{"uid", "name", "jobtype", "jobuid", "jobname", "creationtime", "endtime", "state", "result", "isretry",
			"backupserveruid", "backupservername"}},
		"ReplicaTaskSession": {vbemapi.ReplicaTaskSession{}, []string{"uid", "name", "creationtime", "endtime", "state", "result", "reason", "totalsize", "jobsessionuid",
			"vmdisplayname"}},
		"vAppReplicaPoint": {vbemapi.VAppReplicaPoint{}, []string{"uid", "name", "vappdisplayname", "creationtime", "vappname", "type", "algorithm", "replicauid",
			"backupserveruid", "backupservername"}},
		"vAppRestorePoint": {vbemapi.VAppRestorePoint{}, []string{"uid", "name", "creationtime", "type", "algorithm", "restorepointid", "vappdisplayname",
			"backupserveruid", "backupservername"}},
		"VCloudOrganizationConfig": {vbemapi.VCloudOrganizationConfig{}, []string{"uid", "name", "repositoryuid", "quotagb", "disabled", "jobschedulertype", "usedquota",
			"backupserveruid", "backupservername", "hostuid", "repositoryfriendlyname"}},
		"VmReplicaPoint": {vbemapi.VMReplicaPoint{}, []string{"uid", "name", "creationtime", "type", "algorithm", "replicauid", "replicaname", "vmdisplayname",
			"backupserveruid", "backupservername"}},
		"VsphereSelfServiceConfig": {vbemapi.VSphereSelfServiceConfig{}, []string{"uid", "name", "backupserveruid", "backupservername", "jobschedulertype", "accounttype",
			"peruser", "quotagb", "repositoryuid", "usedquota"}},
		"WanAccelerator": {vbemapi.WanAccelerator{}, []string{"uid", "name", "capacity", "connectionscount", "highbandwidthmodeenabled", "backupserveruid", "backupservername"}},
	} {
		bkQueryTypes[typ] = q
	}
}

// moreQueryRowsLocked lists the objects of the query types of init above;
// f.mu held. Replication job sessions read by a query move on like those
// read one by one.
func (f *Fake) moreQueryRowsLocked(r *http.Request, typ string) []queryRow {
	var rows []queryRow
	add := func(ref vbemapi.EntityReference, ent any, server string, fields map[string]string) {
		if _, ok := fields["uid"]; !ok {
			fields["uid"] = to.Value(ref.UID)
		}
		if _, ok := fields["name"]; !ok {
			fields["name"] = to.Value(ref.Name)
		}
		if server != "" {
			fields["backupserveruid"], fields["backupservername"] = bsUID(server), f.serverName(server)
		}
		rows = append(rows, queryRow{ref: &ref, ent: ent, fields: fields})
	}
	// The objects the fake keeps without a backup server of their own sit
	// on the second seeded one, as the VM restore points do.
	const seeded = SeedBackupServer2ID
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	switch typ {
	case "AgentBackupJob":
		for _, j := range f.agentLocked().jobs {
			add(f.agentJobs().ref(r, j), f.agentJobModel(r, j, true), j.server, map[string]string{"description": j.desc, "jobtype": "AgentBackup",
				"platform": j.platform, "scheduleconfigured": boolStr(j.scheduleConfigured), "scheduleenabled": boolStr(j.scheduleOn)})
		}
	case "AgentProtectionGroup":
		for _, g := range f.agentLocked().groups {
			add(f.agentGroups().ref(r, g), f.agentGroupModel(r, g, true), g.server, map[string]string{})
		}
	case "DiscoveredComputer":
		for _, c := range f.agentLocked().computers {
			fields := map[string]string{"agentversion": c.version, "agentstatus": c.status, "osversion": c.os, "ipaddress": c.ip}
			if g, ok := f.agentGroups().find(c.group); ok {
				fields["protectiongroupuid"], fields["protectiongroupname"] = urnOf("AgentProtectionGroup", g.id), g.name
			}
			add(f.agentComputers().ref(r, c), f.agentComputerModel(r, c, true), c.server, fields)
		}
	case "AgentRestorePoint":
		for _, p := range f.agentLocked().points {
			m := f.agentPointModel(r, p, true).(vbemapi.AgentRestorePoint)
			fields := map[string]string{"creationtime": stamp(p.created), "type": p.kind, "algorithm": to.Value(m.Algorithm),
				"restorepointid": urnOf("RestorePoint", p.point), "backupfileuid": urnOf("BackupFile", p.file)}
			if c, ok := f.agentComputers().find(p.computer); ok {
				fields["computername"] = c.name
			}
			add(f.agentPoints().ref(r, p), m, seeded, fields)
		}
	case "ObjectInAgentBackupJob":
		for _, j := range f.agentLocked().jobs {
			for _, in := range j.includes {
				m := agentIncludeModel(r, j, in)
				add(ref(r, "ObjectInAgentBackupJob", agentJobPath(j.id)+"/includes/"+in.id, in.id, in.name), m, j.server, map[string]string{
					"uid": in.id, "displayname": in.name, "jobuid": urnOf("Job", j.id), "jobname": j.name})
			}
		}
	case "BackupServer":
		for _, s := range f.pwLocked().servers {
			add(f.servers().ref(r, s), bsModel(r, s, true), "", map[string]string{"description": s.desc, "port": strconv.Itoa(int(s.port)), "version": s.version})
		}
	case "Credentials":
		for _, s := range f.pwLocked().servers {
			for _, c := range f.pwLocked().creds[s.id] {
				add(ref(r, "Credentials", bsPath(s.id)+"/credentials/"+c.id, c.id, c.user), credModel(r, s, c), "", map[string]string{
					"username": c.user, "description": c.desc, "backupserveruid": bsUID(s.id), "credentialsid": c.id})
			}
		}
	case "ObjectInJob":
		for _, j := range f.bkLocked().jobs {
			for _, in := range j.includes {
				add(ref(r, "ObjectInJob", jobPath(j.id)+"/includes/"+in.id, in.id, in.name), includeModel(r, j, in), j.server, map[string]string{
					"uid": in.id, "jobuid": urnOf("Job", j.id), "jobname": j.name})
			}
		}
	case "CdpPolicy":
		for _, p := range f.cdpLocked().policies {
			m := f.cdpPolicyModel(r, p, true).(vbemapi.CdpPolicy)
			add(f.cdpPolicies().ref(r, p), m, p.server, map[string]string{"description": p.desc, "scheduleconfigured": boolStr(p.scheduleConfigured),
				"scheduleenabled": boolStr(to.Value(m.ScheduleEnabled))})
		}
	case "CdpReplica":
		for _, rp := range f.cdpLocked().replicas {
			add(f.cdpReplicas().ref(r, rp), f.cdpReplicaModel(r, rp, true), seeded, map[string]string{"policyid": rp.policy, "policyname": f.policyNameLocked(rp.policy)})
		}
	case "CdpReplicaSession":
		for _, s := range f.cdpLocked().sessions {
			m := f.cdpSessionModel(r, s, true).(vbemapi.CdpReplicaSession)
			add(f.cdpSessions().ref(r, s), m, "", map[string]string{"id": to.Value(m.UID), "policyuid": urnOf("CdpPolicy", s.policy), "policyname": s.policyName,
				"creationtimeutc": stamp(s.created), "endtimeutc": stamp(s.end), "state": to.Value(m.State), "result": to.Value(m.Result), "failuremessage": ""})
		}
	case "CdpReplicaTaskSession":
		for _, s := range f.cdpLocked().sessions {
			for _, t := range s.tasks {
				m := f.cdpTaskModel(r, t, true).(vbemapi.CdpReplicaTaskSession)
				add(f.cdpTasks().ref(r, t), m, "", map[string]string{"id": to.Value(m.UID), "policysessionuid": urnOf("CdpReplicaSession", s.id),
					"creationtimeutc": stamp(t.created), "endtimeutc": stamp(to.Value(m.EndTimeUTC)), "state": to.Value(m.State), "totalsize": i64(t.size),
					"vmdisplayname": t.vm})
			}
		}
	case "FailoverPlan":
		for _, p := range f.replLocked().plans {
			add(f.plans().ref(r, p), planModel(r, p, true), seeded, map[string]string{"description": p.description})
		}
	case "Replica":
		for _, rp := range f.replLocked().replicas {
			add(f.replicas().ref(r, rp), replicaModel(r, rp, true), "", map[string]string{})
		}
	case "VmReplicaPoint":
		for _, rp := range f.replLocked().replicas {
			for _, p := range rp.points {
				m := f.replicaPointModel(r, p, true).(vbemapi.VMReplicaPoint)
				add(f.replicaPoints().ref(r, p), m, seeded, map[string]string{"creationtime": stamp(p.created), "type": string(to.Value(m.PointType)),
					"algorithm": string(to.Value(m.Algorithm)), "replicauid": urnOf("Replica", rp.id), "replicaname": rp.name, "vmdisplayname": p.vm})
			}
		}
	case "ReplicaJobSession":
		for _, s := range f.replLocked().jobSessions {
			f.advanceReplJobLocked(s)
			m := replJobModel(r, s, true)
			add(f.replJobSessions().ref(r, s), m, seeded, map[string]string{"jobtype": s.jobType, "jobuid": to.Value(m.JobUID), "jobname": s.job,
				"creationtime": stamp(s.created), "endtime": stamp(s.end), "state": string(to.Value(m.State)), "result": string(to.Value(m.Result)),
				"isretry": "false"})
		}
	case "ReplicaTaskSession":
		for _, s := range f.replLocked().sessions {
			add(f.replSessions().ref(r, s), replSessionModel(r, s, true), "", map[string]string{"creationtime": stamp(s.created), "endtime": stamp(s.ended),
				"state": string(vbemapi.ReplicaTaskSessionStateCompleted), "result": string(s.result), "reason": s.reason, "totalsize": i64(s.size),
				"jobsessionuid": urnOf("ReplicaJobSession", s.jobSess), "vmdisplayname": s.vm})
		}
	case "vAppReplicaPoint":
		for _, p := range f.vappLocked().points {
			m := f.vappReplicaPointModel(r, p, true).(vbemapi.VAppReplicaPoint)
			add(f.vappReplicaPoints().ref(r, p), m, seeded, map[string]string{"vappdisplayname": p.vapp, "vappname": p.vapp, "creationtime": stamp(p.created),
				"type": to.Value(m.PointType), "algorithm": to.Value(m.Algorithm), "replicauid": urnOf("Replica", p.replica)})
		}
	case "vAppRestorePoint":
		for _, p := range f.bkLocked().vapps {
			add(f.vapps().ref(r, p), vappModel(r, p, true), seeded, map[string]string{"creationtime": stamp(p.created), "type": p.kind, "algorithm": p.kind,
				"restorepointid": p.point, "vappdisplayname": p.vapp})
		}
	case "FileServer":
		for _, s := range f.nasLocked().shares {
			add(f.nasShares().ref(r, s), f.nasShareModel(r, s, true), s.server, map[string]string{})
		}
	case "NasJob":
		for _, j := range f.nasLocked().jobs {
			add(f.nasJobs().ref(r, j), f.nasJobModel(r, j, true), j.server, map[string]string{"description": j.desc,
				"scheduleconfigured": boolStr(j.scheduleConfigured), "scheduleenabled": boolStr(j.scheduleOn)})
		}
	case "NasObject":
		for _, j := range f.nasLocked().jobs {
			for _, o := range j.objects {
				fields := map[string]string{"uid": o.id, "jobuid": urnOf("Job", j.id), "jobname": j.name, "fileserveruid": urnOf("FileServer", o.share)}
				if s, ok := f.nasShares().find(o.share); ok {
					fields["fileservername"] = s.name
				}
				add(ref(r, "NasObject", nasJobPath(j.id)+"/includes/"+o.id, o.id, o.path), nasObjectModel(r, j, o), j.server, fields)
			}
		}
	case "VCloudOrganizationConfig":
		for _, c := range f.ssLocked().orgs {
			add(f.orgConfigs().ref(r, c), f.orgConfigModel(r, c, true), c.server, map[string]string{"repositoryuid": urnOf("Repository", c.repo),
				"quotagb": i64(c.quotaGb), "disabled": boolStr(c.disabled), "jobschedulertype": c.jobs.scheduler, "usedquota": i64(c.usedMb),
				"hostuid": c.host, "repositoryfriendlyname": c.friendly})
		}
	case "VsphereSelfServiceConfig":
		for _, c := range f.ssLocked().tenants {
			add(f.tenantConfigs().ref(r, c), f.tenantConfigModel(r, c, true), c.server, map[string]string{"jobschedulertype": c.jobs.scheduler,
				"accounttype": c.kind, "peruser": boolStr(c.perUser), "quotagb": i64(c.quotaGb), "repositoryuid": urnOf("Repository", c.repo),
				"usedquota": i64(c.usedMb)})
		}
	case "WanAccelerator":
		for _, a := range f.infraLocked().wan {
			add(f.wanAccelerators().ref(r, a), f.wanModel(r, a, true), a.server, map[string]string{"capacity": i64(a.capacity),
				"connectionscount": strconv.Itoa(int(a.conns)), "highbandwidthmodeenabled": boolStr(a.highBandwidth)})
		}
	}
	return rows
}
