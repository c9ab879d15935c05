package vbemfake

import (
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// bkQueryType is a query type of jobs, sessions, backups or the
// infrastructure: its entity and its filter and sort fields (lower case).
type bkQueryType struct {
	entity any
	fields []string
}

var bkQueryTypes = map[string]bkQueryType{
	"Job":               {vbemapi.Job{}, []string{"uid", "name", "description", "jobtype", "platform", "scheduleconfigured", "scheduleenabled", "backupserveruid", "backupservername"}},
	"BackupJobSession":  {vbemapi.BackupJobSession{}, []string{"uid", "name", "jobtype", "jobuid", "jobname", "creationtime", "endtime", "state", "result", "isretry", "backupserveruid", "backupservername"}},
	"BackupTaskSession": {vbemapi.BackupTaskSession{}, []string{"uid", "name", "jobsessionuid", "vmdisplayname", "creationtime", "endtime", "state", "result"}},
	"RestoreSession":    {vbemapi.RestoreSession{}, []string{"uid", "name", "jobtype", "vmdisplayname", "creationtime", "endtime", "state", "result"}},
	"Backup":            {vbemapi.Backup{}, []string{"uid", "name", "platform", "backupserveruid", "backupservername"}},
	"BackupFile":        {vbemapi.BackupFile{}, []string{"uid", "name", "filepath", "filetype", "creationtime", "backupuid"}},
	"RestorePoint":      {vbemapi.RestorePoint{}, []string{"uid", "name", "backupdate", "backupuid"}},
	"VmRestorePoint":    {vbemapi.VMRestorePoint{}, []string{"uid", "name", "creationtime", "type", "algorithm", "restorepointid", "vmdisplayname", "backupserveruid", "backupservername"}},
	"Repository":        {vbemapi.Repository{}, []string{"uid", "name", "kind", "capacity", "freespace", "backupserveruid", "backupservername"}},
	"HierarchyRoot":     {vbemapi.HierarchyRoot{}, []string{"uid", "name", "hosttype", "backupserveruid", "backupservername"}},
	"ManagedServer":     {vbemapi.ManagedServer{}, []string{"uid", "name", "managedservertype", "backupserveruid", "backupservername"}},
}

// stampFormat writes times with a fixed width, so that they sort as
// strings (RFC3339Nano drops trailing zeros: .25Z would sort after .256Z).
const stampFormat = "2006-01-02T15:04:05.000000000Z07:00"

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(stampFormat)
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
			add(f.jobs().ref(r, j), f.jobModel(r, j, true), with(server(j.server), "description", j.desc, "jobtype", "Backup", "platform", j.platform,
				"scheduleconfigured", boolStr(j.scheduleConfigured), "scheduleenabled", boolStr(j.scheduleEnabled)))
		}
	case "BackupJobSession":
		for _, s := range st.sessions {
			f.advanceSessionLocked(s)
			srv := SeedBackupServer2ID
			if j, ok := f.jobs().find(s.job); ok {
				srv = j.server
			}
			add(f.bkSessions().ref(r, s), f.bkSessionModel(r, s, true), with(server(srv), "jobtype", "Backup", "jobuid", "urn:veeam:Job:"+s.job, "jobname", s.jobName,
				"creationtime", stamp(s.created), "endtime", stamp(s.end), "state", string(s.state), "result", string(s.result), "isretry", boolStr(s.retry)))
		}
	case "BackupTaskSession":
		for _, t := range st.allTasks() {
			add(f.taskSessions().ref(r, t), taskModel(r, t, true), map[string]string{"jobsessionuid": "urn:veeam:BackupJobSession:" + t.sess, "vmdisplayname": t.vm,
				"creationtime": stamp(t.created), "endtime": stamp(t.end), "state": t.state, "result": t.result})
		}
	case "RestoreSession":
		for _, s := range st.restores {
			f.advanceRestoreLocked(s)
			add(f.restores().ref(r, s), restoreModel(r, s, true), map[string]string{"jobtype": "FullVmRestore", "vmdisplayname": s.vm,
				"creationtime": stamp(s.created), "endtime": stamp(s.end), "state": string(s.state), "result": string(s.result)})
		}
	case "Backup":
		for _, b := range st.backups {
			add(f.backups().ref(r, b), backupModel(r, b, true), with(server(b.server), "platform", "VMware"))
		}
	case "BackupFile":
		for _, b := range st.files {
			add(f.files().ref(r, b), fileModel(r, b, true), map[string]string{"filepath": b.path, "filetype": b.kind, "creationtime": stamp(b.created), "backupuid": "urn:veeam:Backup:" + b.backup})
		}
	case "RestorePoint":
		for _, p := range st.points {
			add(f.points().ref(r, p), pointModel(r, p, true), map[string]string{"backupdate": stamp(p.date), "backupuid": "urn:veeam:Backup:" + p.backup})
		}
	case "VmRestorePoint":
		for _, p := range st.vmPoints {
			add(f.vmPoints().ref(r, p), vmPointModel(r, p, true), with(server(SeedBackupServer2ID), "creationtime", stamp(p.created), "type", p.kind,
				"algorithm", to.Value(vmPointModel(r, p, true).Algorithm), "restorepointid", "urn:veeam:RestorePoint:"+p.point, "vmdisplayname", p.vm))
		}
	case "Repository":
		for _, p := range st.repos {
			add(f.repos().ref(r, p), f.repoModel(r, p, true), with(server(p.server), "kind", p.kind, "capacity", strconv.FormatInt(p.capacity, 10), "freespace", strconv.FormatInt(p.free, 10)))
		}
	case "HierarchyRoot":
		for _, h := range st.roots {
			add(f.roots().ref(r, h), f.rootModel(r, h, true), with(server(h.server), "hosttype", h.hostType))
		}
	case "ManagedServer":
		for _, m := range st.managed {
			add(f.managed().ref(r, m), f.managedModel(r, m, true), with(server(m.server), "managedservertype", m.kind))
		}
	default:
		rows = f.cloudQueryRowsLocked(r, typ)
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

// bkEntities puts the entities of rows in the list of res.Entities that
// holds the entity type of typ or, for the types the server answers as
// resources (CloudSubtenant), in that of res.Resources.
func bkEntities(res *vbemapi.QueryResult, typ string, rows []queryRow) {
	want := reflect.TypeOf(bkQueryTypes[typ].entity)
	e := newOf(res.Entities)
	res.Entities = e
	if fillList(reflect.ValueOf(e).Elem(), want, rows) {
		return
	}
	rs := newOf(res.Resources)
	if fillList(reflect.ValueOf(rs).Elem(), want, rows) {
		res.Entities, res.Resources = nil, rs
	}
}

// fillList sets the field of the struct v that is a list (a pointer to a
// struct with one slice) of want to the entities of rows, and reports
// whether v has one.
func fillList(v reflect.Value, want reflect.Type, rows []queryRow) bool {
	for i := range v.NumField() {
		field := v.Field(i) // *<Type>List, a struct with one slice
		list := field.Type().Elem()
		if field.Kind() != reflect.Pointer || list.Kind() != reflect.Struct || list.NumField() != 1 ||
			list.Field(0).Type.Kind() != reflect.Slice || list.Field(0).Type.Elem() != want {
			continue
		}
		items := reflect.MakeSlice(list.Field(0).Type, 0, len(rows))
		for _, row := range rows {
			items = reflect.Append(items, reflect.ValueOf(row.ent))
		}
		field.Set(reflect.New(list))
		field.Elem().Field(0).Set(items)
		return true
	}
	return false
}
