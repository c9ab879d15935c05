package vbemfake

import (
	"net/http"
	"strconv"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// bkQueryFields are the filter and sort fields of the query types of jobs,
// sessions, backups and the infrastructure (lower case).
var bkQueryFields = map[string][]string{
	"Job":               {"uid", "name", "description", "jobtype", "platform", "scheduleconfigured", "scheduleenabled", "backupserveruid", "backupservername"},
	"BackupJobSession":  {"uid", "name", "jobtype", "jobuid", "jobname", "creationtime", "endtime", "state", "result", "isretry", "backupserveruid", "backupservername"},
	"BackupTaskSession": {"uid", "name", "jobsessionuid", "vmdisplayname", "creationtime", "endtime", "state", "result"},
	"RestoreSession":    {"uid", "name", "jobtype", "vmdisplayname", "creationtime", "endtime", "state", "result"},
	"Backup":            {"uid", "name", "platform", "backupserveruid", "backupservername"},
	"BackupFile":        {"uid", "name", "filepath", "filetype", "creationtime", "backupuid"},
	"RestorePoint":      {"uid", "name", "backupdate", "backupuid"},
	"VmRestorePoint":    {"uid", "name", "creationtime", "type", "algorithm", "restorepointid", "vmdisplayname", "backupserveruid", "backupservername"},
	"Repository":        {"uid", "name", "kind", "capacity", "freespace", "backupserveruid", "backupservername"},
	"HierarchyRoot":     {"uid", "name", "hosttype", "backupserveruid", "backupservername"},
	"ManagedServer":     {"uid", "name", "managedservertype", "backupserveruid", "backupservername"},
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func boolStr(b bool) string { return strconv.FormatBool(b) }

// bkQueryRows lists the objects of a query type with their fields, the
// reference and the entity; sessions read by a query move on like those
// read one by one.
func (f *Fake) bkQueryRows(r *http.Request, typ string) []queryRow {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.bkLocked()
	var rows []queryRow
	add := func(ref vbemapi.EntityReference, ent any, fields map[string]string) {
		fields["uid"], fields["name"] = to.Value(ref.UID), to.Value(ref.Name)
		rows = append(rows, queryRow{ref: &ref, ent: ent, fields: fields})
	}
	server := func(id string) map[string]string {
		return map[string]string{"backupserveruid": bsUID(id), "backupservername": f.serverName(id)}
	}
	with := func(m map[string]string, kv ...string) map[string]string {
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	switch typ {
	case "Job":
		for _, j := range st.jobs {
			add(f.jobRef(r, j), f.jobModel(r, j, true), with(server(j.server), "description", j.desc, "jobtype", "Backup", "platform", j.platform,
				"scheduleconfigured", boolStr(j.scheduleConfigured), "scheduleenabled", boolStr(j.scheduleEnabled)))
		}
	case "BackupJobSession":
		for _, s := range st.sessions {
			f.advanceSessionLocked(s)
			srv := SeedBackupServer2ID
			if j := st.job(s.job); j != nil {
				srv = j.server
			}
			add(f.bkSessionRef(r, s), f.bkSessionModel(r, s, true), with(server(srv), "jobtype", "Backup", "jobuid", "urn:veeam:Job:"+s.job, "jobname", s.jobName,
				"creationtime", stamp(s.created), "endtime", stamp(s.end), "state", string(s.state), "result", string(s.result), "isretry", boolStr(s.retry)))
		}
	case "BackupTaskSession":
		for _, t := range st.allTasks() {
			add(taskRef(r, t), taskModel(r, t, true), map[string]string{"jobsessionuid": "urn:veeam:BackupJobSession:" + t.sess, "vmdisplayname": t.vm,
				"creationtime": stamp(t.created), "endtime": stamp(t.end), "state": t.state, "result": t.result})
		}
	case "RestoreSession":
		for _, s := range st.restores {
			f.advanceRestoreLocked(s)
			add(restoreRef(r, s), restoreModel(r, s, true), map[string]string{"jobtype": "FullVmRestore", "vmdisplayname": s.vm,
				"creationtime": stamp(s.created), "endtime": stamp(s.end), "state": string(s.state), "result": string(s.result)})
		}
	case "Backup":
		for _, b := range st.backups {
			add(backupRef(r, b), backupModel(r, b, true), with(server(b.server), "platform", "VMware"))
		}
	case "BackupFile":
		for _, b := range st.files {
			add(fileRef(r, b), fileModel(r, b, true), map[string]string{"filepath": b.path, "filetype": b.kind, "creationtime": stamp(b.created), "backupuid": "urn:veeam:Backup:" + b.backup})
		}
	case "RestorePoint":
		for _, p := range st.points {
			add(pointRef(r, p), pointModel(r, p, true), map[string]string{"backupdate": stamp(p.date), "backupuid": "urn:veeam:Backup:" + p.backup})
		}
	case "VmRestorePoint":
		for _, p := range st.vmPoints {
			add(vmPointRef(r, p), vmPointModel(r, p, true), with(server(SeedBackupServer2ID), "creationtime", stamp(p.created), "type", p.kind,
				"algorithm", to.Value(vmPointModel(r, p, true).Algorithm), "restorepointid", "urn:veeam:RestorePoint:"+p.point, "vmdisplayname", p.vm))
		}
	case "Repository":
		for _, p := range st.repos {
			add(repoRef(r, p), f.repoModel(r, p, true), with(server(p.server), "kind", p.kind, "capacity", strconv.FormatInt(p.capacity, 10), "freespace", strconv.FormatInt(p.free, 10)))
		}
	case "HierarchyRoot":
		for _, h := range st.roots {
			add(ref(r, "HierarchyRoot", rootPath(h.id), h.id, h.name), f.rootModel(r, h, true), with(server(h.server), "hosttype", h.hostType))
		}
	case "ManagedServer":
		for _, m := range st.managed {
			add(ref(r, "ManagedServer", msPath(m.id), m.id, m.name), f.managedModel(r, m, true), with(server(m.server), "managedservertype", m.kind))
		}
	}
	return rows
}

// newOf allocates what p points to, for the anonymous structs of the
// generated QueryResult.
func newOf[T any](_ *T) *T { return new(T) }

// collect gathers the entities of rows as T.
func collect[T any](rows []queryRow) []T {
	out := []T{}
	for _, row := range rows {
		out = append(out, row.ent.(T))
	}
	return out
}

// bkEntities fills the typed entity list of typ.
func bkEntities(res *vbemapi.QueryResult, typ string, rows []queryRow) {
	e := newOf(res.Entities)
	switch typ {
	case "Job":
		e.Jobs = &vbemapi.JobList{Jobs: collect[vbemapi.Job](rows)}
	case "BackupJobSession":
		e.BackupJobSessions = &vbemapi.BackupJobSessionList{BackupJobSessions: collect[vbemapi.BackupJobSession](rows)}
	case "BackupTaskSession":
		e.BackupTaskSessions = &vbemapi.BackupTaskSessionList{BackupTaskSessions: collect[vbemapi.BackupTaskSession](rows)}
	case "RestoreSession":
		e.RestoreSessions = &vbemapi.RestoreSessionList{RestoreSessions: collect[vbemapi.RestoreSession](rows)}
	case "Backup":
		e.Backups = &vbemapi.BackupList{Backups: collect[vbemapi.Backup](rows)}
	case "BackupFile":
		e.BackupFiles = &vbemapi.BackupFileList{BackupFiles: collect[vbemapi.BackupFile](rows)}
	case "RestorePoint":
		e.RestorePoints = &vbemapi.RestorePointList{RestorePoints: collect[vbemapi.RestorePoint](rows)}
	case "VmRestorePoint":
		e.VMRestorePoints = &vbemapi.VMRestorePointList{VMRestorePoints: collect[vbemapi.VMRestorePoint](rows)}
	case "Repository":
		e.Repositories = &vbemapi.RepositoryList{Repositories: collect[vbemapi.Repository](rows)}
	case "HierarchyRoot":
		e.HierarchyRoots = &vbemapi.HierarchyRootList{HierarchyRoots: collect[vbemapi.HierarchyRoot](rows)}
	case "ManagedServer":
		e.ManagedServers = &vbemapi.ManagedServerList{ManagedServers: collect[vbemapi.ManagedServer](rows)}
	}
	res.Entities = e
}
