package vbemfake

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// Veeam Agent management (/api/agents): Veeam Agent backup jobs, the
// protection groups and the computers discovered in them, and what the
// jobs leave. A run of a Veeam Agent backup job is a backup session of
// type AgentBackup (listed under /backupSessions too) with one task per
// computer, preceded by an AgentManagement session; when it ends it
// leaves a backup, a file and a restore point as any job does, and one
// Veeam Agent restore point per computer, whose disks can be mounted to
// browse and restore guest files.

// The seeded Veeam Agent objects: the job Server Backup processes the
// protection group SQL Servers (two computers); the group Linux Servers
// (one computer) is in no job.
const (
	SeedAgentJobID           = "a6deb158-b26c-4140-8b26-5a3cc344e8ec"
	SeedAgentJobName         = "Server Backup"
	SeedProtectionGroupID    = "1ca088be-7a63-43b9-bda1-2db2ad7a1bd5"
	SeedDiscoveredComputerID = "b85df3d1-c094-437c-b836-eaca6c3762ca"
)

const agentKey = "agents"

type agentGroup struct {
	id, name, server string
	rescan           bool
}

type agentComputer struct{ id, name, group, server, ip, os, version, status string }

// agentInclude is a protection group or a computer a job processes.
type agentInclude struct{ id, name, group, computer string }

type agentJob struct {
	id, name, server, platform, desc string
	scheduleConfigured, scheduleOn   bool
	includes                         []*agentInclude
}

type agentPoint struct {
	id, point, file, computer, name, kind string
	created                               time.Time
}

type agentState struct {
	groups    []*agentGroup
	computers []*agentComputer
	jobs      []*agentJob
	points    []*agentPoint
	mounts    []*flrMount
	fs        map[string]*guestFS // by agent restore point
	nextMount int
}

func (g *agentGroup) ident() (string, string)    { return g.id, g.name }
func (c *agentComputer) ident() (string, string) { return c.id, c.name }
func (in *agentInclude) ident() (string, string) { return in.id, in.name }
func (j *agentJob) ident() (string, string)      { return j.id, j.name }
func (p *agentPoint) ident() (string, string) {
	return p.id, p.name + "@" + p.created.Format(stampName)
}
func agentComputerRef(c *agentComputer) string { return computerRef(c.id) }
func computerRef(id string) string {
	return "urn:AgentForWindows:VeeamAgent:00000000-0000-0000-0000-000000000000." + id
}
func agentJobPath(id string) string     { return "/api/agents/jobs/" + id }
func agentPointPath(id string) string   { return "/api/agents/agentRestorePoints/" + id }
func agentMountPath(m *flrMount) string { return agentPointPath(m.point) + "/mounts/" + m.id }

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		st := &agentState{fs: map[string]*guestFS{},
			groups: []*agentGroup{
				{id: SeedProtectionGroupID, name: "SQL Servers", server: SeedBackupServer2ID, rescan: true},
				{id: "d0671b61-8f92-45a7-a199-ab2aad8037c6", name: "Linux Servers", server: SeedBackupServer2ID},
			},
			computers: []*agentComputer{
				{id: SeedDiscoveredComputerID, name: "sql-phys01.tech.local", group: SeedProtectionGroupID, server: SeedBackupServer2ID, ip: "172.17.53.89",
					os: "Microsoft Windows Server 2022 (64-bit)", version: "6.3.0.177", status: "Installed"},
				{id: "c3d0a1f2-6b7e-4a59-9c8d-1e2f3a4b5c6d", name: "sql-phys02.tech.local", group: SeedProtectionGroupID, server: SeedBackupServer2ID, ip: "172.17.53.90",
					os: "Microsoft Windows Server 2022 (64-bit)", version: "6.3.0.177", status: "Installed"},
				{id: "e4f5a6b7-c8d9-4e0f-8a1b-2c3d4e5f6a7b", name: "rhel72", group: "d0671b61-8f92-45a7-a199-ab2aad8037c6", server: SeedBackupServer2ID, ip: "172.17.53.101",
					os: "Red Hat Enterprise Linux 7.2", status: "NotInstalled"},
			},
			jobs: []*agentJob{{id: SeedAgentJobID, name: SeedAgentJobName, server: SeedBackupServer2ID, platform: "AgentForWindows", desc: "Backup of physical servers",
				scheduleConfigured: true, scheduleOn: true,
				includes: []*agentInclude{{id: "17be5cbb-9d43-4a2d-8162-b805be77d320", name: "SQL Servers", group: SeedProtectionGroupID}}}},
		}
		f.state[agentKey] = st
		jobs, groups, computers, points, sessions := f.agentJobs(), f.agentGroups(), f.agentComputers(), f.agentPoints(), f.bkSessions()
		includes := func(j *agentJob) []*agentInclude { return j.includes }
		return map[string]fake.HandlerFunc{
			"GetAgentsService": f.agentsService,
			"GetAgentJobs":     jobs.list(),
			"GetAgentJob":      jobs.get(f.agentJobModel),
			"AgentJobAction":   jobs.with(f.agentJobAction),
			"GetAgentJobIncludes": jobs.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *agentJob) {
				list := vbemapi.ObjectsInAgentBackupJob{ObjectInAgentBackupJobs: []vbemapi.ObjectInAgentBackupJob{}}
				for _, inc := range j.includes {
					list.ObjectInAgentBackupJobs = append(list.ObjectInAgentBackupJobs, agentIncludeModel(r, j, inc))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"GetAgentJobInclude": withSub(jobs, includes, "includeId", "the object in the job", func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *agentJob, _ int, inc *agentInclude) {
				in.Respond(w, http.StatusOK, agentIncludeModel(r, j, inc))
			}),
			"GetAgentProtectionGroups":         groups.list(),
			"GetAgentProtectionGroup":          groups.get(f.agentGroupModel),
			"GetAgentProtectionGroupComputers": under(groups, computers, func(c *agentComputer, g *agentGroup) bool { return c.group == g.id }),
			"GetAgentDiscoveredComputers":      computers.list(),
			"GetAgentDiscoveredComputer":       computers.get(f.agentComputerModel),
			"GetAgentBackups":                  f.agentRefs(func(r *http.Request) vbemapi.EntityReferences { return f.backups().refs(r, f.isAgentBackupLocked) }),
			"GetAgentBackupFiles": f.agentRefs(func(r *http.Request) vbemapi.EntityReferences {
				return f.files().refs(r, func(b *bkFile) bool { return f.isAgentBackupIDLocked(b.backup) })
			}),
			"GetAgentBackupSessions": f.agentRefs(func(r *http.Request) vbemapi.EntityReferences {
				return sessions.refs(r, func(s *bkSession) bool { return s.kind == "AgentBackup" })
			}),
			"GetAgentRestorePointsOfBackups": f.agentRefs(func(r *http.Request) vbemapi.EntityReferences {
				return f.points().refs(r, func(p *bkPoint) bool { return f.isAgentBackupIDLocked(p.backup) })
			}),
			"GetAgentRestorePoints":                   points.list(),
			"GetAgentRestorePoint":                    points.get(f.agentPointModel),
			"GetRestorePointAgentRestorePoints":       under(f.points(), points, func(p *agentPoint, rp *bkPoint) bool { return p.point == rp.id }),
			"GetBackupSessionAgentManagementSessions": under(sessions, sessions, func(c, p *bkSession) bool { return c.parent == p.id }),
			"GetAgentRestorePointMounts": points.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *agentPoint) {
				list := vbemapi.AgentRestorePointMounts{AgentRestorePointMounts: []vbemapi.AgentRestorePointMount{}}
				for _, m := range st.mounts {
					if m.point == p.id && f.mountReadyLocked(m) {
						list.AgentRestorePointMounts = append(list.AgentRestorePointMounts, f.agentMountModel(r, m))
					}
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"CreateAgentRestorePointMount": points.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p *agentPoint) {
				st.nextMount++
				m := &flrMount{id: strconv.Itoa(st.nextMount), point: p.id, osKind: "Windows"}
				t := f.startTaskLocked(r, "MountRestorePoint", false, agentMountPath(m))
				m.taskID = *t.TaskID
				st.mounts = append(st.mounts, m)
				in.Respond(w, http.StatusAccepted, t)
			}),
			"GetAgentRestorePointMount": f.withAgentMount(func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount) {
				in.Respond(w, http.StatusOK, f.agentMountModel(r, m))
			}),
			"DeleteAgentRestorePointMount": f.withAgentMount(func(w http.ResponseWriter, _ *http.Request, _ *fake.Input, m *flrMount) {
				st.mounts = slices.DeleteFunc(st.mounts, func(o *flrMount) bool { return o == m })
				w.WriteHeader(http.StatusNoContent)
			}),
			"BrowseAgentRestorePointMount": f.withAgentMount(func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount) {
				f.browse(w, r, in, f.agentFSLocked(m.point), agentMountPath(m))
			}),
			"RestoreAgentRestorePointMountFile": f.withAgentMount(func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount) {
				f.restoreGuestFile(w, r, in, f.agentFSLocked(m.point), m.point, agentMountPath(m), "FileRestoreFromMountPoint")
			}),
		}
	})
}

func (f *Fake) agentLocked() *agentState { return f.state[agentKey].(*agentState) }

func (f *Fake) agentJobs() coll[*agentJob] {
	return coll[*agentJob]{f: f, kind: "AgentBackupJob", base: "/api/agents/jobs/", param: "agentJobId", what: "Veeam Agent backup job",
		items: func() []*agentJob { return f.agentLocked().jobs },
		up:    func(r *http.Request, j *agentJob) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, j.server)} }}
}

func (f *Fake) agentGroups() coll[*agentGroup] {
	return coll[*agentGroup]{f: f, kind: "AgentProtectionGroup", base: "/api/agents/protectionGroups/", param: "protectionGroupId", what: "protection group",
		items: func() []*agentGroup { return f.agentLocked().groups }}
}

func (f *Fake) agentComputers() coll[*agentComputer] {
	return coll[*agentComputer]{f: f, kind: "DiscoveredComputer", base: "/api/agents/discoveredComputers/", param: "discoveredComputerId", what: "discovered computer",
		items: func() []*agentComputer { return f.agentLocked().computers }}
}

func (f *Fake) agentPoints() coll[*agentPoint] {
	return coll[*agentPoint]{f: f, kind: "AgentRestorePoint", base: "/api/agents/agentRestorePoints/", param: "agentRestorePointId", what: "Veeam Agent restore point",
		items: func() []*agentPoint { return f.agentLocked().points },
		up:    upTo("Up", "RestorePointReference", func(p *agentPoint) string { return pointPath(p.point) })}
}

// agentRefs answers a list of references list builds under f.mu.
func (f *Fake) agentRefs(list func(r *http.Request) vbemapi.EntityReferences) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		in.Respond(w, http.StatusOK, list(r))
	}
}

// isAgentBackupLocked says whether a backup is that of a Veeam Agent job.
func (f *Fake) isAgentBackupLocked(b *bkBackup) bool {
	_, ok := f.agentJobs().find(b.job)
	return ok
}

func (f *Fake) isAgentBackupIDLocked(id string) bool {
	b, ok := f.backups().find(id)
	return ok && f.isAgentBackupLocked(b)
}

func (f *Fake) agentsService(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	down := func(path, typ string) vbemapi.Link { return link(r, "Down", "/api/agents/"+path, typ) }
	in.Respond(w, http.StatusOK, vbemapi.AgentsService{Href: to.Ptr(Href(r, "/api/agents")), Type: to.Ptr("AgentsService"),
		Links: []vbemapi.Link{link(r, "Up", "/api/", "EnterpriseManager"), down("jobs", "AgentBackupJobReferenceList"),
			down("protectionGroups", "AgentProtectionGroupReferenceList"), down("discoveredComputers", "DiscoveredComputerReferenceList"),
			down("backups", "BackupReferenceList"), down("backupFiles", "BackupFileReferenceList"), down("backupSessions", "BackupJobSessionReferenceList"),
			down("restorePoints", "RestorePointReferenceList"), down("agentRestorePoints", "AgentRestorePointReferenceList")}})
}

func (f *Fake) agentJobModel(r *http.Request, j *agentJob, entity bool) any {
	p := agentJobPath(j.id)
	m := vbemapi.AgentBackupJob{Name: to.Ptr(j.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "AgentBackupJob", p, j.id, entity)
	m.Links = append(m.Links, f.serverUp(r, j.server))
	if !entity {
		return m
	}
	m.Links = append(m.Links, link(r, "Down", p+"/includes", "ObjectInJobList"), link(r, "ToggleScheduleEnabled", p+"?action=toggleScheduleEnabled", ""),
		link(r, "Start", p+"?action=start", ""), link(r, "Stop", p+"?action=stop", ""), link(r, "Retry", p+"?action=retry", ""))
	m.JobType, m.Platform, m.Description = to.Ptr("AgentBackup"), to.Ptr(j.platform), to.Ptr(j.desc)
	m.ScheduleConfigured, m.ScheduleEnabled = to.Ptr(j.scheduleConfigured), to.Ptr(j.scheduleOn)
	if j.scheduleConfigured && j.scheduleOn {
		next := f.now().UTC().Truncate(time.Hour).Add(time.Hour)
		m.NextRun = &next
	}
	return m
}

func agentIncludeModel(r *http.Request, j *agentJob, in *agentInclude) vbemapi.ObjectInAgentBackupJob {
	path := agentJobPath(j.id) + "/includes/" + in.id
	return vbemapi.ObjectInAgentBackupJob{Href: to.Ptr(Href(r, path)), Type: to.Ptr("ObjectInAgentBackupJob"),
		Links:         []vbemapi.Link{named(link(r, "Up", agentJobPath(j.id)+"?format=Entity", "AgentBackupJob"), j.name)},
		ObjectInJobID: to.Ptr(in.id), Name: to.Ptr(in.name), DisplayName: to.Ptr(in.name)}
}

func (f *Fake) agentGroupModel(r *http.Request, g *agentGroup, entity bool) any {
	p := "/api/agents/protectionGroups/" + g.id
	m := vbemapi.AgentProtectionGroup{Name: to.Ptr(g.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "AgentProtectionGroup", p, g.id, entity)
	m.Links = append(m.Links, f.serverUp(r, g.server), link(r, "Down", p+"/discoveredComputers", "DiscoveredComputerReferenceList"))
	if entity {
		m.RescanScheduleEnabled = to.Ptr(g.rescan)
		m.HierarchyObjRef = to.Ptr("urn:AgentForWindows:AgentProtectionGroup:00000000-0000-0000-0000-000000000000." + g.id)
	}
	return m
}

func (f *Fake) agentComputerModel(r *http.Request, c *agentComputer, entity bool) any {
	m := vbemapi.DiscoveredComputer{Name: to.Ptr(c.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "DiscoveredComputer", "/api/agents/discoveredComputers/"+c.id, c.id, entity)
	m.Links = append(m.Links, f.serverUp(r, c.server))
	if g, ok := f.agentGroups().find(c.group); ok {
		m.Links = append(m.Links, named(link(r, "Up", "/api/agents/protectionGroups/"+g.id, "AgentProtectionGroupReference"), g.name))
	}
	if entity {
		status := "Online"
		if c.status != "Installed" {
			status = "Offline"
		}
		m.HostStatus, m.AgentStatus, m.OsVersion, m.IPAddress = to.Ptr(status), to.Ptr(c.status), to.Ptr(c.os), to.Ptr(c.ip)
		m.AgentVersion, m.HierarchyObjRef = to.Ptr(c.version), to.Ptr(agentComputerRef(c))
	}
	return m
}

func (f *Fake) agentPointModel(r *http.Request, p *agentPoint, entity bool) any {
	path := agentPointPath(p.id)
	_, name := p.ident()
	m := vbemapi.AgentRestorePoint{Name: to.Ptr(name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "AgentRestorePoint", path, p.id, entity)
	m.Links = append(m.Links, link(r, "Up", pointPath(p.point), "RestorePointReference"), link(r, "Up", filePath(p.file), "BackupFileReference"))
	if entity {
		m.Links = append(m.Links, link(r, "Down", path+"/mounts", "AgentRestorePointMountList"), link(r, "Create", path+"/mounts", "AgentRestorePointMount"))
		algorithm := "Incremental"
		if p.kind == "Full" {
			algorithm = "Full"
		}
		m.CreationTimeUTC, m.Algorithm, m.PointType = to.Ptr(p.created), to.Ptr(algorithm), to.Ptr(p.kind)
	}
	return m
}

// agentComputersLocked lists the computers a job processes: those it
// includes and those of the protection groups it includes.
func (f *Fake) agentComputersLocked(j *agentJob) []*agentComputer {
	var out []*agentComputer
	for _, in := range j.includes {
		for _, c := range f.agentLocked().computers {
			if (c.id == in.computer || (in.group != "" && c.group == in.group)) && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// lastAgentSession is the latest AgentBackup session of a job, or nil.
func (st *bkState) lastAgentSession(jobID string) *bkSession {
	var out *bkSession
	for _, s := range st.sessions {
		if s.job == jobID && s.kind == "AgentBackup" {
			out = s
		}
	}
	return out
}

func (f *Fake) agentJobAction(w http.ResponseWriter, r *http.Request, in *fake.Input, j *agentJob) {
	bk := f.bkLocked()
	switch r.URL.Query().Get("action") {
	case "start", "retry":
		op := "StartJob"
		retry := r.URL.Query().Get("action") == "retry"
		if retry {
			op = "RetryAgentJob"
			if last := bk.lastAgentSession(j.id); last == nil || last.result != vbemapi.BackupJobSessionResultFailed {
				f.accept(w, r, in, op, true, "") // nothing to retry
				return
			}
		}
		if bk.running(j.id) != nil {
			f.accept(w, r, in, op, true, "")
			return
		}
		s := f.startAgentSessionLocked(j, retry)
		f.accept(w, r, in, op, false, sessPath(s.id)+"?format=Entity")
	case "stop":
		s := bk.running(j.id)
		if s != nil {
			f.stopSessionLocked(s)
		}
		f.accept(w, r, in, "StopAgentJob", s == nil, "")
	default: // toggleScheduleEnabled
		j.scheduleOn = !j.scheduleOn
		f.accept(w, r, in, "UpdateJob", false, agentJobPath(j.id)+"?format=Entity")
	}
}

// startAgentSessionLocked starts an AgentBackup session of j, one task per
// computer, after an AgentManagement session that checks the agents.
func (f *Fake) startAgentSessionLocked(j *agentJob, retry bool) *bkSession {
	bk := f.bkLocked()
	run := &bkJob{id: j.id, name: j.name, server: j.server, repo: SeedRepositoryID}
	for _, c := range f.agentComputersLocked(j) {
		run.includes = append(run.includes, &bkInclude{id: c.id, ref: agentComputerRef(c), name: c.name})
	}
	s := f.startSessionLocked(run, retry)
	s.kind = "AgentBackup"
	mgmt := &bkSession{id: uuidLike(), job: j.id, jobName: j.name + " (Agent Management)", created: s.created, end: s.created,
		state: vbemapi.BackupJobSessionStateStopped, result: vbemapi.BackupJobSessionResultSuccess, progress: 100, kind: "AgentManagement", parent: s.id}
	bk.sessions = append(bk.sessions, mgmt)
	return s
}

// addAgentPointLocked records the Veeam Agent restore point a finished
// AgentBackup task leaves (jobs.go calls it).
func (f *Fake) addAgentPointLocked(point, file string, t *bkTask, kind string, now time.Time) {
	st := f.agentLocked()
	p := &agentPoint{id: uuidLike(), point: point, file: file, computer: t.ref, name: t.vm, kind: kind, created: now}
	st.points = append(st.points, p)
	st.fs[p.id] = seedGuestFS()
}

func (f *Fake) agentFSLocked(point string) *guestFS { return f.agentLocked().fs[point] }

// withAgentMount runs do on the ready mount of the path, under f.mu, or
// answers 404.
func (f *Fake) withAgentMount(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, m *flrMount)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, m := range f.agentLocked().mounts {
			if m.point == in.PathParams["agentRestorePointId"] && m.id == in.PathParams["mountId"] && f.mountReadyLocked(m) {
				do(w, r, in, m)
				return
			}
		}
		notFound(w, r, "mount")
	}
}

func (f *Fake) agentMountModel(r *http.Request, m *flrMount) vbemapi.AgentRestorePointMount {
	p := agentMountPath(m)
	roots := &vbemapi.FlrDirectoryEntryList{}
	for _, v := range f.agentFSLocked(m.point).roots() {
		roots.DirectoryEntries = append(roots.DirectoryEntries, vbemapi.FlrDirectoryEntry{Href: to.Ptr(Href(r, p+"/"+escapeGuest(v))),
			Type: to.Ptr("DirectoryEntry"), Path: to.Ptr(v), Name: to.Ptr(v)})
	}
	return vbemapi.AgentRestorePointMount{Href: to.Ptr(Href(r, p)), Type: to.Ptr("AgentRestorePointMount"),
		Links: []vbemapi.Link{link(r, "Delete", p, "AgentRestorePointMount")}, FSRoots: roots}
}
