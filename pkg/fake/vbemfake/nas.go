package vbemfake

import (
	"net/http"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// File share (NAS) backup (/api/nas): the fake seeds an SMB share and a
// file share backup job that processes it. A run of the job is a backup
// session of type NasBackup with one task per object, listed under
// /nas/backupSessions (and /backupSessions); it leaves a backup, a file
// and a restore point but no VM restore point.

// The seeded file share and file share backup job.
const (
	SeedFileServerID = "517be4c8-9c43-4e7c-9f59-4e368d3a8f3c"
	SeedNASJobID     = "93dfbb3e-f420-45cf-addc-4ee9297113f2"
	SeedNASJobName   = "Shared Files Backup"
)

const nasKey = "nas"

type nasShare struct{ id, name, server, kind string }

func (s *nasShare) ident() (string, string) { return s.id, s.name }

type nasObject struct {
	id, path, share  string
	include, exclude []string
}

func (o *nasObject) ident() (string, string) { return o.id, o.path }

type nasJob struct {
	id, name, server, desc, repo   string
	scheduleConfigured, scheduleOn bool
	objects                        []*nasObject
}

func (j *nasJob) ident() (string, string) { return j.id, j.name }

type nasState struct {
	shares []*nasShare
	jobs   []*nasJob
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[nasKey] = &nasState{
			shares: []*nasShare{{id: SeedFileServerID, name: `\\srv12\share`, server: SeedBackupServer2ID, kind: "SmbServer"},
				{id: "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", name: "nfs01:/exports/projects", server: SeedBackupServer2ID, kind: "NfsServer"}},
			jobs: []*nasJob{{id: SeedNASJobID, name: SeedNASJobName, server: SeedBackupServer2ID, desc: "Backup of file share", repo: SeedRepositoryID,
				scheduleConfigured: true, scheduleOn: true,
				objects: []*nasObject{{id: "6fefb504-856d-4c31-b767-76af5567c407", path: `\\srv12\share`, share: SeedFileServerID,
					include: []string{"*.*"}, exclude: []string{`\\srv12\share\.snapshot`, `\\srv12\share\~snapshot`}}}}},
		}
		jobs, shares, sessions := f.nasJobs(), f.nasShares(), f.bkSessions()
		objects := func(j *nasJob) []*nasObject { return j.objects }
		return map[string]fake.HandlerFunc{
			"GetNASService": func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
				in.Respond(w, http.StatusOK, vbemapi.NASService{Href: to.Ptr(Href(r, "/api/nas")), Type: to.Ptr("NASService"),
					Links: []vbemapi.Link{link(r, "Down", "/api/nas/jobs", "NasJobReferenceList"), link(r, "Down", "/api/nas/fileServers", "FileServerReferenceList"),
						link(r, "Down", "/api/nas/backupSessions", "BackupJobSessionReferenceList")}})
			},
			"GetNASJobs": jobs.list(),
			"GetNASJob":  jobs.get(f.nasJobModel),
			"GetNASJobBackupSessions": under(jobs, sessions, func(s *bkSession, j *nasJob) bool {
				return s.job == j.id && s.kind == "NasBackup"
			}),
			"GetNASJobIncludes": jobs.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *nasJob) {
				list := vbemapi.NASObjects{NASObjects: []vbemapi.NASObject{}}
				for _, o := range j.objects {
					list.NASObjects = append(list.NASObjects, nasObjectModel(r, j, o))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"GetNASJobInclude": withSub(jobs, objects, "includeId", "the object in the job", func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *nasJob, _ int, o *nasObject) {
				in.Respond(w, http.StatusOK, nasObjectModel(r, j, o))
			}),
			"StartNASJob":          jobs.with(f.nasJobAction("start")),
			"StopNASJob":           jobs.with(f.nasJobAction("stop")),
			"RetryNASJob":          jobs.with(f.nasJobAction("retry")),
			"ToggleNASJobSchedule": jobs.with(f.nasJobAction("toggleScheduleEnabled")),
			"GetNASFileServers":    shares.list(),
			"GetNASFileServer":     shares.get(f.nasShareModel),
			"GetNASBackupSessions": f.agentRefs(func(r *http.Request) vbemapi.EntityReferences {
				return sessions.refs(r, func(s *bkSession) bool { return s.kind == "NasBackup" })
			}),
		}
	})
}

func (f *Fake) nasLocked() *nasState { return f.state[nasKey].(*nasState) }

func (f *Fake) nasJobs() coll[*nasJob] {
	return coll[*nasJob]{f: f, kind: "NasJob", base: "/api/nas/jobs/", param: "nasJobId", what: "file share backup job",
		items: func() []*nasJob { return f.nasLocked().jobs },
		up:    func(r *http.Request, j *nasJob) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, j.server)} }}
}

func (f *Fake) nasShares() coll[*nasShare] {
	return coll[*nasShare]{f: f, kind: "FileServer", base: "/api/nas/fileServers/", param: "fileServerId", what: "file share",
		items: func() []*nasShare { return f.nasLocked().shares },
		up:    func(r *http.Request, s *nasShare) []vbemapi.Link { return []vbemapi.Link{f.serverUp(r, s.server)} }}
}

func nasJobPath(id string) string { return "/api/nas/jobs/" + id }

func nasObjectModel(r *http.Request, j *nasJob, o *nasObject) vbemapi.NASObject {
	return vbemapi.NASObject{Href: to.Ptr(Href(r, nasJobPath(j.id)+"/includes/"+o.id)), Type: to.Ptr("NasObject"),
		HierarchyObjRef: to.Ptr("urn:NasBackup:FileServer:" + o.share), ObjectInJobID: to.Ptr(o.id), FileOrFolder: to.Ptr(o.path),
		FileServerUID: to.Ptr("urn:veeam:FileServer:" + o.share), InclusionMask: o.include, ExclusionMask: o.exclude}
}

func (f *Fake) nasJobModel(r *http.Request, j *nasJob, entity bool) any {
	p := nasJobPath(j.id)
	m := vbemapi.NASJob{Name: to.Ptr(j.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "NasJob", p, j.id, entity)
	m.Links = append(m.Links, f.serverUp(r, j.server))
	if !entity {
		return m
	}
	m.Links = append(m.Links, link(r, "Down", p+"/includes", "NasObjectList"), link(r, "Down", p+"/backupSessions", "BackupJobSessionReferenceList"),
		link(r, "Start", p+"/start", ""), link(r, "Stop", p+"/stop", ""), link(r, "Retry", p+"/retry", ""),
		link(r, "ToggleScheduleEnabled", p+"/toggleScheduleEnabled", ""))
	m.Description = to.Ptr(j.desc)
	for _, o := range j.objects {
		m.Includes = append(m.Includes, nasObjectModel(r, j, o))
	}
	m.StorageOptions = &vbemapi.NASJobStorageOptions{BackupRepositoryUID: to.Ptr("urn:veeam:Repository:" + j.repo), ShorttermRetentionType: to.Ptr("Day"),
		ShorttermRetentionPeriod: to.Ptr(int32(3)), LongtermRetentionEnabled: to.Ptr(false)}
	m.ScheduleConfigured, m.ScheduleEnabled = to.Ptr(j.scheduleConfigured), to.Ptr(j.scheduleOn)
	if j.scheduleConfigured && j.scheduleOn {
		next := f.now().UTC().Truncate(time.Hour).Add(time.Hour)
		m.NextRun = &next
	}
	return m
}

func (f *Fake) nasShareModel(r *http.Request, s *nasShare, entity bool) any {
	m := vbemapi.FileServer{Name: to.Ptr(s.name)}
	m.Href, m.UID, m.Type, m.Links = formOf(r, "FileServer", "/api/nas/fileServers/"+s.id, s.id, entity)
	m.Links = append(m.Links, f.serverUp(r, s.server))
	if !entity {
		return m
	}
	m.ServerType, m.HierarchyObjRef = to.Ptr(s.kind), to.Ptr("urn:NasBackup:FileServer:"+s.id)
	switch s.kind {
	case "SmbServer":
		m.SmbServerOptions = &vbemapi.SmbServerOptions{Path: to.Ptr(s.name), CredentialsID: to.Ptr(SeedCredentialsID)}
	case "NfsServer":
		m.NfsServerOptions = &vbemapi.NfsServerOptions{Path: to.Ptr(s.name)}
	}
	m.ProcessingOptions = &vbemapi.FileShareProcessingOptions{ServerUID: to.Ptr("urn:veeam:FileServer:" + s.id), CacheRepositoryUID: to.Ptr("urn:veeam:Repository:" + SeedRepositoryID)}
	m.NASServerAdvancedOptions = &vbemapi.NASServerAdvancedOptions{ProcessingMode: to.Ptr("Direct")}
	return m
}

// nasJobAction answers one of the actions of a file share backup job.
func (f *Fake) nasJobAction(action string) func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *nasJob) {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *nasJob) {
		bk := f.bkLocked()
		switch action {
		case "start", "retry":
			op := "StartNasJob"
			if action == "retry" {
				op = "RetryNasJob"
				var last *bkSession
				for _, s := range bk.sessions {
					if s.job == j.id && s.kind == "NasBackup" {
						last = s
					}
				}
				if last == nil || last.result != vbemapi.BackupJobSessionResultFailed {
					f.accept(w, r, in, op, true, "") // nothing to retry
					return
				}
			}
			if bk.running(j.id) != nil {
				f.accept(w, r, in, op, true, "")
				return
			}
			run := &bkJob{id: j.id, name: j.name, server: j.server, repo: j.repo}
			for _, o := range j.objects {
				run.includes = append(run.includes, &bkInclude{id: o.id, ref: "urn:NasBackup:FileServer:" + o.share, name: o.path})
			}
			s := f.startSessionLocked(run, action == "retry")
			s.kind = "NasBackup"
			f.accept(w, r, in, op, false, sessPath(s.id)+"?format=Entity")
		case "stop":
			s := bk.running(j.id)
			if s != nil {
				f.stopSessionLocked(s)
			}
			f.accept(w, r, in, "StopNasJob", s == nil, "")
		default:
			j.scheduleOn = !j.scheduleOn
			f.accept(w, r, in, "UpdateJob", false, nasJobPath(j.id)+"?format=Entity")
		}
	}
}
