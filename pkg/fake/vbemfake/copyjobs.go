package vbemfake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// Backup copy jobs: the backup jobs and repositories they copy from
// (linked jobs and linked repositories) and their sync action. The fake
// seeds none; AddBackupCopyJob adds one.

const copyKey = "copyjobs"

// copyLink links a backup job or a repository (by id) to a copy job; id is
// its ObjectInJobId.
type copyLink struct{ id, target string }

func (l *copyLink) ident() (string, string) { return l.id, l.target }

type copyState struct {
	jobs  map[string][]*copyLink // linked backup jobs, by copy job id
	repos map[string][]*copyLink // linked repositories, by copy job id
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[copyKey] = &copyState{jobs: map[string][]*copyLink{}, repos: map[string][]*copyLink{}}
		jobs := f.jobs()
		linkedJobs := func(j *bkJob) []*copyLink { return f.copyLocked().jobs[j.id] }
		linkedRepos := func(j *bkJob) []*copyLink { return f.copyLocked().repos[j.id] }
		return map[string]fake.HandlerFunc{
			"GetJobLinkedJobs": jobs.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
				list := vbemapi.LinkedJobResourceObjects{LinkedJobObjects: []vbemapi.LinkedJobObject{}}
				for _, l := range linkedJobs(j) {
					list.LinkedJobObjects = append(list.LinkedJobObjects, linkedJobModel(r, j, l))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"LinkJob": f.linkJob,
			"UnlinkJob": withSub(jobs, linkedJobs, "linkedJobId", "the linked job", func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob, i int, _ *copyLink) {
				st := f.copyLocked()
				st.jobs[j.id] = slices.Delete(st.jobs[j.id], i, i+1)
				f.accept(w, r, in, "UpdateJob", false, jobPath(j.id)+"?format=Entity")
			}),
			"GetJobLinkedRepositories": jobs.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
				list := vbemapi.LinkedBackupRepositoryResourceObjects{LinkedBackupRepositories: []vbemapi.LinkedBackupRepository{}}
				for _, l := range linkedRepos(j) {
					list.LinkedBackupRepositories = append(list.LinkedBackupRepositories, linkedRepoModel(r, j, l))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"LinkRepository": f.linkRepository,
			"UnlinkRepository": withSub(jobs, linkedRepos, "linkedRepositoryId", "the linked repository", func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob, i int, _ *copyLink) {
				st := f.copyLocked()
				st.repos[j.id] = slices.Delete(st.repos[j.id], i, i+1)
				f.accept(w, r, in, "UpdateJob", false, jobPath(j.id)+"?format=Entity")
			}),
		}
	})
}

func (f *Fake) copyLocked() *copyState { return f.state[copyKey].(*copyState) }

// AddBackupCopyJob adds a backup copy job (no linked jobs or repositories)
// to a backup server, targeting the given repository, and returns its id.
func (f *Fake) AddBackupCopyJob(backupServerID, name, repositoryID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	j := &bkJob{id: uuidLike(), name: name, server: backupServerID, repo: repositoryID, platform: "VMware", kind: "BackupCopy", desc: "Copies backups offsite"}
	st := f.bkLocked()
	st.jobs = append(st.jobs, j)
	return j.id
}

func linkedJobModel(r *http.Request, j *bkJob, l *copyLink) vbemapi.LinkedJobObject {
	path := jobPath(j.id) + "/linkedJobs/" + l.id
	return vbemapi.LinkedJobObject{Href: to.Ptr(Href(r, path)), Type: to.Ptr("LinkedJobObject"),
		Links:         []vbemapi.Link{named(link(r, "Up", jobPath(j.id)+"?format=Entity", "Job"), j.name), link(r, "Delete", path, "")},
		ObjectInJobID: to.Ptr(l.id), LinkedJobUID: to.Ptr("urn:veeam:Job:" + l.target)}
}

func linkedRepoModel(r *http.Request, j *bkJob, l *copyLink) vbemapi.LinkedBackupRepository {
	path := jobPath(j.id) + "/linkedBackupRepositories/" + l.id
	return vbemapi.LinkedBackupRepository{Href: to.Ptr(Href(r, path)), Type: to.Ptr("LinkedBackupRepositoryObject"),
		Links:         []vbemapi.Link{named(link(r, "Up", jobPath(j.id)+"?format=Entity", "Job"), j.name), link(r, "Delete", path, "")},
		ObjectInJobID: to.Ptr(l.id), LinkedBackupRepositoryUID: to.Ptr("urn:veeam:Repository:" + l.target)}
}

// copyJob runs do on the backup copy job of the path, or answers 404, or
// 400 when it is not a backup copy job.
func (f *Fake) copyJob(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob)) fake.HandlerFunc {
	return f.jobs().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
		if j.kind != "BackupCopy" {
			badRequest(w, r, "the job "+j.name+" is not a backup copy job")
			return
		}
		do(w, r, in, j)
	})
}

func (f *Fake) linkJob(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateLinkedJobSpec
	if !readBody(w, r, in, &spec, "CreateLinkedJobSpec") {
		return
	}
	f.copyJob(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
		src, ok := f.jobs().find(strings.TrimPrefix(spec.LinkedJobUID, "urn:veeam:Job:"))
		switch {
		case !ok:
			badRequest(w, r, "unknown job "+spec.LinkedJobUID)
			return
		case src.kind != "":
			badRequest(w, r, "only backup jobs can be linked; "+src.name+" is a "+src.kind+" job")
			return
		}
		st := f.copyLocked()
		if slices.ContainsFunc(st.jobs[j.id], func(l *copyLink) bool { return l.target == src.id }) {
			WriteError(w, r, http.StatusBadRequest, "AlreadyExists", "the job "+src.name+" is already linked")
			return
		}
		st.jobs[j.id] = append(st.jobs[j.id], &copyLink{id: uuidLike(), target: src.id})
		f.accept(w, r, in, "UpdateJob", false, jobPath(j.id)+"?format=Entity")
	})(w, r, in)
}

func (f *Fake) linkRepository(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CreateLinkedBackupRepositorySpec
	if !readBody(w, r, in, &spec, "CreateLinkedBackupRepositorySpec") {
		return
	}
	f.copyJob(func(w http.ResponseWriter, r *http.Request, in *fake.Input, j *bkJob) {
		repo, ok := f.repos().find(strings.TrimPrefix(spec.LinkedBackupRepositoryUID, "urn:veeam:Repository:"))
		if !ok {
			badRequest(w, r, "unknown repository "+spec.LinkedBackupRepositoryUID)
			return
		}
		st := f.copyLocked()
		if slices.ContainsFunc(st.repos[j.id], func(l *copyLink) bool { return l.target == repo.id }) {
			WriteError(w, r, http.StatusBadRequest, "AlreadyExists", "the repository "+repo.name+" is already linked")
			return
		}
		st.repos[j.id] = append(st.repos[j.id], &copyLink{id: uuidLike(), target: repo.id})
		f.accept(w, r, in, "UpdateJob", false, jobPath(j.id)+"?format=Entity")
	})(w, r, in)
}

// syncJobLocked starts a run of a backup copy job: one task per VM of its
// linked jobs and of the backups on its linked repositories. It fails for
// a job that is no backup copy job, one that is running, and one with
// nothing to copy.
func (f *Fake) syncJobLocked(j *bkJob) (fail bool, related string) {
	bk, st := f.bkLocked(), f.copyLocked()
	if j.kind != "BackupCopy" || bk.running(j.id) != nil {
		return true, ""
	}
	var sources []*bkInclude
	for _, l := range st.jobs[j.id] {
		if src, ok := f.jobs().find(l.target); ok {
			sources = append(sources, src.includes...)
		}
	}
	for _, l := range st.repos[j.id] {
		for _, b := range bk.backups {
			if b.repo != l.target {
				continue
			}
			for _, p := range bk.vmPoints {
				if f.pointOfBackupLocked(p.point) == b.id && !slices.ContainsFunc(sources, func(in *bkInclude) bool { return in.ref == p.ref }) {
					sources = append(sources, &bkInclude{ref: p.ref, name: p.vm})
				}
			}
		}
	}
	if len(sources) == 0 {
		return true, ""
	}
	s := f.startSessionLocked(j, false)
	for _, in := range sources {
		s.tasks = append(s.tasks, &bkTask{id: uuidLike(), sess: s.id, vm: in.name, ref: in.ref, created: s.created, state: "InProgress", result: "None"})
	}
	return false, sessPath(s.id) + "?format=Entity"
}

// pointOfBackupLocked returns the backup id of a restore point.
func (f *Fake) pointOfBackupLocked(pointID string) string {
	if p, ok := f.points().find(pointID); ok {
		return p.backup
	}
	return ""
}
