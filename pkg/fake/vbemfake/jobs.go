package vbemfake

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The seeded jobs, repositories and hosts.
const (
	SeedJobID         = "5658281f-625e-4627-89dd-d2a0c48be99e"
	SeedJobName       = "DB Backup"
	SeedJob2ID        = "7b0cf1d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
	SeedJob2Name      = "File Servers"
	SeedRepositoryID  = "bffeb9f5-1bdd-4bbd-9299-6fcb7c37bdf6"
	SeedRepository2ID = "3c2b1a09-8f7e-4d6c-b5a4-938271605f4e"
	SeedHierarchyRoot = "0d7ea80c-6ac8-46bf-863c-3a6093f8baec"
	SeedManagedServer = "a5352877-3b99-4e2a-8700-400cb3eefb56"
	// SeedVMRef is a VM of the seeded vCenter that no job includes yet.
	SeedVMRef = "urn:VMware:Vm:" + SeedHierarchyRoot + ".vm-77"
)

const bkKey = "backups"

type bkRepo struct {
	id, name, server, kind string
	capacity, free         int64
}

type bkRoot struct{ id, name, server, hostType string }

type bkManaged struct{ id, name, server, kind, desc string }

type bkObject struct{ ref, name, kind, root string }

type bkInclude struct {
	id, ref, name string
	order         int32
}

type bkJob struct {
	id, name, server, repo, desc, platform string
	kind                                   string // JobType; "" is Backup (copyjobs.go adds BackupCopy jobs)
	scheduleConfigured, scheduleEnabled    bool
	includes                               []*bkInclude
}

type bkTask struct {
	id, sess, vm, ref string
	created, end      time.Time
	state, result     string
	size              int64
}

type bkSession struct {
	id, job, jobName string
	created, end     time.Time
	state            vbemapi.BackupJobSessionState
	result           vbemapi.BackupJobSessionResult
	progress         int32
	reads            int
	retry, fail      bool
	tasks            []*bkTask
	// kind is the JobType ("" is Backup; agents.go runs AgentBackup and
	// AgentManagement sessions) and parent the session an AgentManagement
	// session ran in.
	kind, parent string
}

type bkBackup struct{ id, job, name, repo, server string }

type bkFile struct {
	id, backup, path, kind string
	created                time.Time
	size                   int64
}

type bkPoint struct {
	id, backup, file string
	date             time.Time
}

type bkVMPoint struct {
	id, point, file, vm, ref, kind, vapp string
	created                              time.Time
}

// bkVAppPoint is a restore point of a VMware Cloud Director vApp: a run
// of a job that includes a vApp (urn:vCloud:Vapp:...) leaves one.
type bkVAppPoint struct {
	id, point, vapp, kind string
	created               time.Time
}

type bkRestore struct {
	id, vmPoint, vm, ref string
	created, end         time.Time
	state                vbemapi.RestoreSessionState
	result               vbemapi.RestoreSessionResult
	reads                int
}

type bkState struct {
	repos    []*bkRepo
	roots    []*bkRoot
	managed  []*bkManaged
	objects  []*bkObject
	jobs     []*bkJob
	sessions []*bkSession
	backups  []*bkBackup
	files    []*bkFile
	points   []*bkPoint
	vmPoints []*bkVMPoint
	vapps    []*bkVAppPoint
	restores []*bkRestore
	failNext int
	// ticked is the latest time tick handed out.
	ticked time.Time
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		st := &bkState{
			repos: []*bkRepo{
				{id: SeedRepositoryID, name: "Backup Volume 01", server: SeedBackupServer2ID, kind: "WindowsLocal", capacity: 1079639011328, free: 881812750336},
				{id: SeedRepository2ID, name: "Linux Hardened", server: SeedBackupServer1ID, kind: "LinuxLocal", capacity: 4398046511104, free: 3298534883328},
			},
			roots:   []*bkRoot{{id: SeedHierarchyRoot, name: "vc01.tech.local", server: SeedBackupServer2ID, hostType: "VC"}},
			managed: []*bkManaged{{id: SeedHierarchyRoot, name: "vc01.tech.local", server: SeedBackupServer2ID, kind: "VC", desc: "vCenter Server"}, {id: SeedManagedServer, name: "172.16.16.77", server: SeedBackupServer2ID, kind: "Windows", desc: "Proxy and repository host"}},
		}
		for i, vm := range []string{"sqlsrv01", "sqlsrv02", "fs01", "dns01"} {
			st.objects = append(st.objects, &bkObject{ref: fmt.Sprintf("urn:VMware:Vm:%s.vm-%d", SeedHierarchyRoot, 40+i), name: vm, kind: "Vm", root: SeedHierarchyRoot})
		}
		st.objects = append(st.objects, &bkObject{ref: SeedVMRef, name: "web01", kind: "Vm", root: SeedHierarchyRoot},
			&bkObject{ref: "urn:VMware:Host:" + SeedHierarchyRoot + ".host-10", name: "esx01.tech.local", kind: "Host", root: SeedHierarchyRoot},
			&bkObject{ref: "urn:VMware:Datastore:" + SeedHierarchyRoot + ".datastore-12", name: "ds01", kind: "Datastore", root: SeedHierarchyRoot})
		st.jobs = []*bkJob{
			{id: SeedJobID, name: SeedJobName, server: SeedBackupServer2ID, repo: SeedRepositoryID, desc: "Backup of the SQL servers", platform: "VMware", scheduleConfigured: true, scheduleEnabled: true,
				includes: []*bkInclude{{id: "0493ea16-2c1f-4d02-b74b-994bd438b89a", ref: st.objects[0].ref, name: "sqlsrv01"}, {id: "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9", ref: st.objects[1].ref, name: "sqlsrv02", order: 1}}},
			{id: SeedJob2ID, name: SeedJob2Name, server: SeedBackupServer2ID, repo: SeedRepositoryID, desc: "File servers", platform: "VMware",
				includes: []*bkInclude{{id: "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901", ref: st.objects[2].ref, name: "fs01"}}},
		}
		f.state[bkKey] = st
		jobs, sessions, tasks := f.jobs(), f.bkSessions(), f.taskSessions()
		return map[string]fake.HandlerFunc{
			"GetJobs":        jobs.list(),
			"GetJob":         jobs.get(func(r *http.Request, j *bkJob, entity bool) any { return f.jobModel(r, j, entity) }),
			"EditJob":        f.editJob,
			"JobAction":      f.jobAction,
			"DeleteJob":      jobs.with(f.deleteJob),
			"GetJobIncludes": jobs.with(f.listIncludes),
			"AddJobInclude":  f.addInclude,
			"GetJobInclude": withSub(jobs, jobIncludes, "includeId", "the object in the job", func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob, _ int, inc *bkInclude) {
				in.Respond(w, http.StatusOK, includeModel(r, j, inc))
			}),
			"DeleteJobInclude": withSub(jobs, jobIncludes, "includeId", "the object in the job", func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob, i int, _ *bkInclude) {
				j.includes = slices.Delete(j.includes, i, i+1)
				f.accept(w, r, in, "UpdateJob", false, "")
			}),
			"GetJobBackupSessions":          under(jobs, sessions, func(s *bkSession, j *bkJob) bool { return s.job == j.id }),
			"GetBackupServerJobs":           under(f.servers(), jobs, func(j *bkJob, s *pwServer) bool { return j.server == s.id }),
			"GetBackupServerRepositories":   under(f.servers(), f.repos(), func(p *bkRepo, s *pwServer) bool { return p.server == s.id }),
			"GetBackupServerManagedServers": under(f.servers(), f.managed(), func(m *bkManaged, s *pwServer) bool { return m.server == s.id }),
			"GetBackupSessions":             sessions.list(),
			"GetBackupSession":              sessions.with(f.getSessionBk),
			"StopBackupSession":             sessions.with(f.stopSession),
			"GetBackupSessionTaskSessions":  under(sessions, tasks, func(t *bkTask, s *bkSession) bool { return t.sess == s.id }),
			"GetBackupTaskSessions":         tasks.list(),
			"GetBackupTaskSession":          tasks.get(func(r *http.Request, t *bkTask, entity bool) any { return taskModel(r, t, entity) }),
		}
	})
}

func (f *Fake) bkLocked() *bkState { return f.state[bkKey].(*bkState) }

// FailNextSessions makes the next n backup sessions the fake starts end
// Failed (and produce no restore points).
func (f *Fake) FailNextSessions(n int) {
	f.mu.Lock()
	f.bkLocked().failNext = n
	f.mu.Unlock()
}

// JobIncludes returns the references of the objects a job includes.
func (f *Fake) JobIncludes(jobID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	if j, ok := f.jobs().find(jobID); ok {
		for _, in := range j.includes {
			out = append(out, in.ref)
		}
	}
	return out
}

func (j *bkJob) ident() (string, string) { return j.id, j.name }
func (s *bkSession) ident() (string, string) {
	return s.id, s.jobName + "@" + s.created.Format(stampName)
}
func (t *bkTask) ident() (string, string) { return t.id, t.vm + "@" + t.created.Format(stampName) }

// stampName is how session names carry their creation time.
const stampName = "2006-01-02 15:04:05"

func (f *Fake) jobs() coll[*bkJob] {
	return coll[*bkJob]{f: f, kind: "Job", base: "/api/jobs/", param: "jobId", what: "job", items: func() []*bkJob { return f.bkLocked().jobs },
		up: func(r *http.Request, j *bkJob) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, j.server)} }}
}

func (f *Fake) bkSessions() coll[*bkSession] {
	return coll[*bkSession]{f: f, kind: "BackupJobSession", base: "/api/backupSessions/", param: "backupSessionId", what: "backup session",
		items: func() []*bkSession { return f.bkLocked().sessions },
		up:    func(r *http.Request, s *bkSession) []vbemapi.Link { return f.jobUp(r, s) }}
}

func (f *Fake) taskSessions() coll[*bkTask] {
	return coll[*bkTask]{f: f, kind: "BackupTaskSession", base: "/api/backupTaskSessions/", param: "backupTaskSessionId", what: "backup task session",
		items: func() []*bkTask { return f.bkLocked().allTasks() },
		up: func(r *http.Request, t *bkTask) []vbemapi.Link {
			return []vbemapi.Link{link(r, "Up", sessPath(t.sess), "BackupJobSessionReference")}
		}}
}

func (st *bkState) running(jobID string) *bkSession {
	for _, s := range st.sessions {
		if s.job == jobID && s.state != vbemapi.BackupJobSessionStateStopped {
			return s
		}
	}
	return nil
}

func (st *bkState) last(jobID string) *bkSession {
	var out *bkSession
	for _, s := range st.sessions {
		if s.job == jobID {
			out = s
		}
	}
	return out
}

func (st *bkState) allTasks() []*bkTask {
	var out []*bkTask
	for _, s := range st.sessions {
		out = append(out, s.tasks...)
	}
	return out
}

func (f *Fake) serverName(id string) string {
	if s, ok := f.servers().find(id); ok {
		return s.name
	}
	return id
}

// serverUp is the Up link of an item to its backup server.
func (f *Fake) serverUp(r *http.Request, id string) vbemapi.Link {
	return named(link(r, "Up", bsPath(id), "BackupServerReference"), f.serverName(id))
}

func jobPath(id string) string { return "/api/jobs/" + id }

func includeModel(r *http.Request, j *bkJob, in *bkInclude) vbemapi.ObjectInJob {
	path := jobPath(j.id) + "/includes/" + in.id
	return vbemapi.ObjectInJob{Href: to.Ptr(Href(r, path)), Type: to.Ptr("ObjectInJob"),
		Links:         []vbemapi.Link{link(r, "Delete", path, ""), named(link(r, "Up", jobPath(j.id), "JobReference"), j.name)},
		ObjectInJobID: to.Ptr(in.id), HierarchyObjRef: to.Ptr(in.ref), Name: to.Ptr(in.name), DisplayName: to.Ptr(in.name), Order: to.Ptr(in.order)}
}

func includeList(r *http.Request, j *bkJob) vbemapi.ObjectInJobList {
	list := vbemapi.ObjectInJobList{ObjectInJobs: []vbemapi.ObjectInJob{}}
	for _, in := range j.includes {
		list.ObjectInJobs = append(list.ObjectInJobs, includeModel(r, j, in))
	}
	return list
}

func (f *Fake) jobModel(r *http.Request, j *bkJob, entity bool) vbemapi.Job {
	p := jobPath(j.id)
	m := vbemapi.Job{Name: to.Ptr(j.name), Links: []vbemapi.Link{f.serverUp(r, j.server),
		alternate(r, "Job", p), link(r, "Edit", p+"?action=edit", ""), link(r, "Start", p+"?action=start", ""),
		link(r, "Stop", p+"?action=stop", ""), link(r, "Retry", p+"?action=retry", ""), link(r, "Clone", p+"?action=clone", ""),
		link(r, "ToggleScheduleEnabled", p+"?action=toggleScheduleEnabled", ""), link(r, "Down", p+"/includes", "ObjectInJobList"),
		link(r, "Down", p+"/backupSessions", "BackupJobSessionReferenceList")}}
	m.Href, m.UID, m.Type = f.jobs().form(r, j, entity)
	if !entity {
		return m
	}
	m.JobType, m.Platform, m.Description = to.Ptr(cmp.Or(j.kind, "Backup")), to.Ptr(j.platform), to.Ptr(j.desc)
	m.ScheduleConfigured, m.ScheduleEnabled = to.Ptr(j.scheduleConfigured), to.Ptr(j.scheduleEnabled)
	if j.scheduleConfigured && j.scheduleEnabled {
		next := f.now().UTC().Truncate(time.Hour).Add(time.Hour)
		m.NextRun = &next
	}
	list := includeList(r, j)
	m.JobInfo = &vbemapi.JobInfo{BackupJobInfo: &vbemapi.BackupJobInfo{Includes: &list}}
	return m
}

// readBody decodes the request body into v, or answers 400 naming what.
func readBody(w http.ResponseWriter, r *http.Request, in *fake.Input, v any, what string) bool {
	if err := decodeBody(r, in, v); err != nil {
		WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "cannot read "+what)
		return false
	}
	return true
}

func (f *Fake) editJob(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.Job
	if !readBody(w, r, in, &spec, "Job") {
		return
	}
	f.jobs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
		if spec.Description != nil {
			j.desc = *spec.Description
		}
		if spec.ScheduleConfigured != nil {
			j.scheduleConfigured = *spec.ScheduleConfigured
		}
		if spec.ScheduleEnabled != nil {
			j.scheduleEnabled = *spec.ScheduleEnabled
		}
		f.accept(w, r, in, "EditJob", false, jobPath(j.id)+"?format=Entity")
	})(w, r, in)
}

func (f *Fake) deleteJob(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
	st := f.bkLocked()
	busy := st.running(j.id) != nil
	if !busy {
		st.jobs = slices.DeleteFunc(st.jobs, func(o *bkJob) bool { return o == j })
	}
	f.accept(w, r, in, "DeleteJob", busy, "")
}

func (f *Fake) jobAction(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	action := r.URL.Query().Get("action")
	var clone vbemapi.JobCloneSpec
	if action == "clone" {
		if err := decodeBody(r, in, &clone); err != nil || clone.BackupJobCloneInfo == nil || to.Value(clone.BackupJobCloneInfo.JobName) == "" {
			WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "clone needs a JobCloneSpec with BackupJobCloneInfo/JobName")
			return
		}
	}
	f.jobs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
		st := f.bkLocked()
		var op, related string
		fail := false
		switch action {
		case "start", "retry":
			op = "StartJob"
			if action == "retry" {
				op = "RetryJob"
			}
			last := st.last(j.id)
			switch {
			case st.running(j.id) != nil:
				fail = true // already running
			case action == "retry" && (last == nil || last.result != vbemapi.BackupJobSessionResultFailed):
				fail = true // nothing to retry
			default:
				s := f.startSessionLocked(j, action == "retry")
				related = sessPath(s.id) + "?format=Entity"
			}
		case "stop":
			op = "StopJob"
			s := st.running(j.id)
			if fail = s == nil; !fail {
				f.stopSessionLocked(s)
			}
		case "toggleScheduleEnabled":
			op = "ToggleScheduleEnabled"
			j.scheduleEnabled = !j.scheduleEnabled
			related = jobPath(j.id) + "?format=Entity"
		case "sync":
			op = "StartJobSync"
			fail, related = f.syncJobLocked(j)
		case "clone":
			op = "CloneJob"
			c, msg := f.cloneJobLocked(j, clone.BackupJobCloneInfo)
			if c == nil {
				WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", msg)
				return
			}
			related = jobPath(c.id) + "?format=Entity"
		}
		f.accept(w, r, in, op, fail, related)
	})(w, r, in)
}

// cloneJobLocked adds a copy of j as info asks, or says why it cannot.
func (f *Fake) cloneJobLocked(j *bkJob, info *vbemapi.BackupJobCloneInfo) (*bkJob, string) {
	st := f.bkLocked()
	c := &bkJob{id: uuidLike(), name: *info.JobName, server: j.server, repo: j.repo, desc: j.desc, platform: j.platform, scheduleConfigured: j.scheduleConfigured}
	if info.Description != nil {
		c.desc = *info.Description
	}
	if u := to.Value(info.RepositoryUID); u != "" {
		repo, ok := f.repos().find(strings.TrimPrefix(u, "urn:veeam:Repository:"))
		if !ok {
			return nil, "unknown repository " + u
		}
		c.repo = repo.id
	}
	for _, inc := range j.includes {
		cp := *inc
		cp.id = uuidLike()
		c.includes = append(c.includes, &cp)
	}
	st.jobs = append(st.jobs, c)
	return c, ""
}

// tick returns now to the millisecond, later than every time it returned
// before: sessions, backup files and restore points are sorted by these
// times, and two made in the same millisecond would tie, leaving "the
// latest" to the order the fake happens to keep them in.
func (st *bkState) tick(now time.Time) time.Time {
	now = now.UTC().Truncate(time.Millisecond)
	if !now.After(st.ticked) {
		now = st.ticked.Add(time.Millisecond)
	}
	st.ticked = now
	return now
}

// startSessionLocked starts a backup session of j: Working, one task
// session per included object.
func (f *Fake) startSessionLocked(j *bkJob, retry bool) *bkSession {
	st := f.bkLocked()
	now := st.tick(f.now())
	s := &bkSession{id: uuidLike(), job: j.id, jobName: j.name, created: now, state: vbemapi.BackupJobSessionStateWorking,
		result: vbemapi.BackupJobSessionResultNone, retry: retry, fail: st.failNext > 0}
	if st.failNext > 0 {
		st.failNext--
	}
	for _, inc := range j.includes {
		s.tasks = append(s.tasks, &bkTask{id: uuidLike(), sess: s.id, vm: inc.name, ref: inc.ref, created: now, state: "InProgress", result: "None"})
	}
	st.sessions = append(st.sessions, s)
	return s
}

func (f *Fake) stopSessionLocked(s *bkSession) {
	now := f.now().UTC()
	s.state, s.result, s.end = vbemapi.BackupJobSessionStateStopped, vbemapi.BackupJobSessionResultFailed, now
	for _, t := range s.tasks {
		if t.state != "Completed" {
			t.state, t.result, t.end = "Completed", "Failed", now
		}
	}
}

// advanceSessionLocked moves a running session on by one read; after the
// configured number of reads it ends, and a successful session leaves a
// backup file, a restore point and a VM restore point per task.
func (f *Fake) advanceSessionLocked(s *bkSession) {
	if s.state == vbemapi.BackupJobSessionStateStopped {
		return
	}
	s.reads++
	s.progress = int32(min(99, s.reads*100/(f.steps+1))) //nolint:gosec // small
	if s.reads < f.steps {
		return
	}
	now := f.bkLocked().tick(f.now())
	s.state, s.end, s.progress = vbemapi.BackupJobSessionStateStopped, now, 100
	if s.fail {
		s.result = vbemapi.BackupJobSessionResultFailed
		for _, t := range s.tasks {
			t.state, t.result, t.end, t.size = "Completed", "Failed", now, 0
		}
		return
	}
	s.result = vbemapi.BackupJobSessionResultSuccess
	st := f.bkLocked()
	j, _ := f.jobs().find(s.job)
	var b *bkBackup
	for _, o := range st.backups {
		if o.job == s.job {
			b = o
		}
	}
	if b == nil {
		b = &bkBackup{id: uuidLike(), job: s.job, name: s.jobName, server: SeedBackupServer2ID, repo: SeedRepositoryID}
		if j != nil {
			b.server, b.repo = j.server, j.repo
		}
		st.backups = append(st.backups, b)
	}
	kind := "vbk"
	for _, p := range st.points {
		if p.backup == b.id {
			kind = "vib"
		}
	}
	file := &bkFile{id: uuidLike(), backup: b.id, kind: kind, created: now,
		path: fmt.Sprintf(`C:\Backups\%s\%sD%s.%s`, s.jobName, s.jobName, now.Format("2006-01-02T150405"), kind)}
	point := &bkPoint{id: uuidLike(), backup: b.id, file: file.id, date: now}
	st.files, st.points = append(st.files, file), append(st.points, point)
	for i, t := range s.tasks {
		t.state, t.result, t.end, t.size = "Completed", "Success", now, int64(i+1)*21474836480
		file.size += t.size / 3
		pt := "Full"
		if kind == "vib" {
			pt = "Increment"
		}
		switch s.kind {
		case "AgentBackup":
			// A computer's point is a Veeam Agent restore point, not a VM's.
			f.addAgentPointLocked(point.id, file.id, t, pt, now)
			continue
		case "NasBackup":
			continue // a file share has no VM restore point
		}
		vp := &bkVMPoint{id: uuidLike(), point: point.id, file: file.id, vm: t.vm, ref: t.ref, kind: pt, created: now}
		if strings.HasPrefix(strings.ToLower(t.ref), "urn:vcloud:vapp:") {
			va := &bkVAppPoint{id: uuidLike(), point: point.id, vapp: t.vm, kind: pt, created: now}
			st.vapps, vp.vapp = append(st.vapps, va), va.id
		}
		st.vmPoints = append(st.vmPoints, vp)
	}
}

func (f *Fake) listIncludes(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
	in.Respond(w, http.StatusOK, includeList(r, j))
}

func (f *Fake) addInclude(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateObjectInJobSpec
	if err := decodeBody(r, in, &spec); err != nil || !strings.HasPrefix(spec.HierarchyObjRef, "urn:") {
		WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", "CreateObjectInJobSpec needs a HierarchyObjRef (urn:<Platform>:<Type>:<root>.<ref>)")
		return
	}
	f.jobs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
		for _, inc := range j.includes {
			if strings.EqualFold(inc.ref, spec.HierarchyObjRef) {
				WriteError(w, r, http.StatusBadRequest, "AlreadyExists", "the object is already in the job")
				return
			}
		}
		name := to.Value(spec.HierarchyObjName)
		for _, o := range f.bkLocked().objects {
			if strings.EqualFold(o.ref, spec.HierarchyObjRef) && name == "" {
				name = o.name
			}
		}
		if name == "" {
			name = spec.HierarchyObjRef[strings.LastIndex(spec.HierarchyObjRef, ".")+1:]
		}
		inc := &bkInclude{id: uuidLike(), ref: spec.HierarchyObjRef, name: name, order: to.Value(spec.Order)}
		j.includes = append(j.includes, inc)
		f.accept(w, r, in, "UpdateJob", false, jobPath(j.id)+"/includes/"+inc.id)
	})(w, r, in)
}

func (i *bkInclude) ident() (string, string) { return i.id, i.name }

func jobIncludes(j *bkJob) []*bkInclude { return j.includes }

func sessPath(id string) string { return "/api/backupSessions/" + id }

// jobUp is the Up link of a session to its job; a session of no job (a
// VeeamZIP) or of a deleted job has none.
func (f *Fake) jobUp(r *http.Request, s *bkSession) []vbemapi.Link {
	if _, ok := f.jobs().find(s.job); !ok {
		return nil
	}
	return []vbemapi.Link{named(link(r, "Up", jobPath(s.job), "JobReference"), s.jobName)}
}

func (f *Fake) bkSessionModel(r *http.Request, s *bkSession, entity bool) vbemapi.BackupJobSession {
	p := sessPath(s.id)
	_, name := s.ident()
	m := vbemapi.BackupJobSession{Name: to.Ptr(name), Links: append(f.jobUp(r, s), link(r, "Down", p+"/taskSessions", "BackupTaskSessionReferenceList"))}
	m.Href, m.UID, m.Type = f.bkSessions().form(r, s, entity)
	if s.state != vbemapi.BackupJobSessionStateStopped {
		m.Links = append(m.Links, link(r, "Stop", p+"?action=stop", ""))
	}
	if !entity {
		return m
	}
	m.JobUID, m.JobName, m.JobType = to.Ptr("urn:veeam:Job:"+s.job), to.Ptr(s.jobName), to.Ptr(cmp.Or(s.kind, "Backup"))
	m.CreationTimeUTC, m.State, m.Result = to.Ptr(s.created), to.Ptr(s.state), to.Ptr(s.result)
	m.Progress, m.IsRetry = to.Ptr(s.progress), to.Ptr(s.retry)
	if !s.end.IsZero() {
		m.EndTimeUTC = to.Ptr(s.end)
	}
	return m
}

func (f *Fake) getSessionBk(w http.ResponseWriter, r *http.Request, in *fake.Input, s *bkSession) {
	f.advanceSessionLocked(s)
	in.Respond(w, http.StatusOK, f.bkSessionModel(r, s, entityForm(r)))
}

func (f *Fake) stopSession(w http.ResponseWriter, r *http.Request, in *fake.Input, s *bkSession) {
	fail := s.state == vbemapi.BackupJobSessionStateStopped
	if !fail {
		f.stopSessionLocked(s)
	}
	f.accept(w, r, in, "StopJobSession", fail, sessPath(s.id)+"?format=Entity")
}

func taskModel(r *http.Request, t *bkTask, entity bool) vbemapi.BackupTaskSession {
	_, name := t.ident()
	m := vbemapi.BackupTaskSession{Name: to.Ptr(name), VMDisplayName: to.Ptr(t.vm), Links: []vbemapi.Link{link(r, "Up", sessPath(t.sess), "BackupJobSessionReference")}}
	m.Href, m.UID, m.Type = form(r, "BackupTaskSession", "/api/backupTaskSessions/"+t.id, t.id, entity)
	if !entity {
		return m
	}
	m.JobSessionUID, m.CreationTimeUTC, m.State, m.Result = to.Ptr("urn:veeam:BackupJobSession:"+t.sess), to.Ptr(t.created), to.Ptr(t.state), to.Ptr(t.result)
	m.Reason, m.TotalSize = to.Ptr(""), to.Ptr(t.size)
	if !t.end.IsZero() {
		m.EndTimeUTC = to.Ptr(t.end)
	}
	return m
}
