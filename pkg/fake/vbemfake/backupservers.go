package vbemfake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// Backup servers as Enterprise Manager manages them: connecting, editing
// and disconnecting them, and the three actions of
// POST /backupServers/{id}: VeeamZIP, quick backup and data collection.
//
// Enterprise Manager shows what it last collected from a backup server.
// StageJob adds a job to a backup server that Enterprise Manager does not
// see until the next collection (Collect), which is logged as a system
// session (infra.go).

const bsaKey = "backupserveractions"

type bsaState struct {
	staged map[string][]*bkJob // by backup server id, not yet collected
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		f.state[bsaKey] = &bsaState{staged: map[string][]*bkJob{}}
		servers := f.servers()
		return map[string]fake.HandlerFunc{
			"CreateBackupServer": f.createBackupServer,
			"EditBackupServer":   f.editBackupServer,
			"DeleteBackupServer": servers.with(f.deleteBackupServer),
			"BackupServerAction": f.backupServerAction,
			"GetBackupServerExternalRepositories": under(servers, f.extRepos(), func(e *extRepo, s *pwServer) bool {
				return e.server == s.id
			}),
		}
	})
}

func (f *Fake) bsaLocked() *bsaState { return f.state[bsaKey].(*bsaState) }

// StageJob adds a backup job (no objects) to a backup server as the backup
// server would: Enterprise Manager lists it only after its next data
// collection from that server (BackupServers.Collect). It returns the new
// job's id.
func (f *Fake) StageJob(backupServerID, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	j := &bkJob{id: uuidLike(), name: name, server: backupServerID, repo: SeedRepositoryID, platform: "VMware", desc: "Created on the backup server"}
	st := f.bsaLocked()
	st.staged[backupServerID] = append(st.staged[backupServerID], j)
	return j.id
}

// CheckBackupServerPassword reports whether the connection settings of a
// backup server hold secret; the fake never answers with the secret itself.
func (f *Fake) CheckBackupServerPassword(backupServerID, secret string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.servers().find(backupServerID)
	return ok && s.secret != "" && s.secret == secret
}

// bsSpec reads a BackupServerSpec, or answers 400; the spec's password is
// never part of an answer.
func bsSpec(w http.ResponseWriter, r *http.Request, in *fake.Input) (vbemapi.BackupServerSpec, bool) {
	var spec vbemapi.BackupServerSpec
	if !readBody(w, r, in, &spec, "BackupServerSpec") {
		return spec, false
	}
	if strings.TrimSpace(spec.DNSNameOrIPAddress) == "" {
		badRequest(w, r, "DnsNameOrIpAddress is required")
		return spec, false
	}
	return spec, true
}

func (f *Fake) createBackupServer(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := bsSpec(w, r, in)
	if !ok {
		return
	}
	for name, v := range map[string]*string{"Description": spec.Description, "Username": spec.Username, "Password": spec.Password} {
		if v == nil || *v == "" {
			badRequest(w, r, name+" is required to connect a backup server")
			return
		}
	}
	if spec.Port == nil {
		badRequest(w, r, "Port is required to connect a backup server")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.pwLocked()
	for _, s := range st.servers {
		if strings.EqualFold(s.name, spec.DNSNameOrIPAddress) {
			WriteError(w, r, http.StatusBadRequest, "AlreadyExists", "the backup server "+s.name+" is already connected")
			return
		}
	}
	s := &pwServer{id: uuidLike(), name: spec.DNSNameOrIPAddress, version: "13.0.1.1071"}
	applyBackupServerSpec(s, spec)
	st.servers = append(st.servers, s)
	in.Respond(w, http.StatusCreated, nil)
}

// applyBackupServerSpec changes the settings the spec sends.
func applyBackupServerSpec(s *pwServer, spec vbemapi.BackupServerSpec) {
	s.name = spec.DNSNameOrIPAddress
	if spec.Description != nil {
		s.desc = *spec.Description
	}
	if spec.Port != nil {
		s.port = *spec.Port
	}
	if spec.Username != nil {
		s.user = *spec.Username
	}
	if spec.Password != nil {
		s.secret = *spec.Password
	}
	if spec.WcfPort != nil {
		s.wcfPort = *spec.WcfPort
	}
	if spec.VbrCertificateThumbprint != nil {
		s.thumbprint = *spec.VbrCertificateThumbprint
	}
}

func (f *Fake) editBackupServer(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	spec, ok := bsSpec(w, r, in)
	if !ok {
		return
	}
	f.servers().with(func(w http.ResponseWriter, _ *http.Request, _ *fake.Input, s *pwServer) {
		applyBackupServerSpec(s, spec)
		w.WriteHeader(http.StatusNoContent)
	})(w, r, in)
}

// deleteBackupServer disconnects a backup server: Enterprise Manager
// forgets it with what it collected from it (its jobs, repositories,
// passwords and credentials records).
func (f *Fake) deleteBackupServer(w http.ResponseWriter, _ *http.Request, _ *fake.Input, s *pwServer) {
	pw, bk := f.pwLocked(), f.bkLocked()
	pw.servers = slices.DeleteFunc(pw.servers, func(o *pwServer) bool { return o == s })
	delete(pw.passwords, s.id)
	delete(pw.creds, s.id)
	delete(f.bsaLocked().staged, s.id)
	bk.jobs = slices.DeleteFunc(bk.jobs, func(j *bkJob) bool { return j.server == s.id })
	bk.repos = slices.DeleteFunc(bk.repos, func(p *bkRepo) bool { return p.server == s.id })
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) backupServerAction(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	action := r.URL.Query().Get("action")
	var zip vbemapi.VeeamZipStartupSpec
	var quick vbemapi.QuickBackupStartupSpec
	switch action {
	case "veeamzip":
		if !readBody(w, r, in, &zip, "VeeamZipStartupSpec") {
			return
		}
	case "quickbackup":
		if !readBody(w, r, in, &quick, "QuickBackupStartupSpec") {
			return
		}
	}
	f.servers().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer) {
		switch action {
		case "veeamzip":
			f.veeamZip(w, r, in, s, zip)
		case "quickbackup":
			f.quickBackup(w, r, in, s, quick.VMRef)
		default:
			st := f.bsaLocked()
			bk := f.bkLocked()
			bk.jobs = append(bk.jobs, st.staged[s.id]...)
			delete(st.staged, s.id)
			f.addSystemSessionLocked("CollectJob", s.name)
			f.accept(w, r, in, "CollectingBackupServer", false, "")
		}
	})(w, r, in)
}

// vmObject finds a VM of the virtual infrastructure the fake knows.
func (st *bkState) vmObject(ref string) *bkObject {
	for _, o := range st.objects {
		if o.kind == "Vm" && strings.EqualFold(o.ref, ref) {
			return o
		}
	}
	return nil
}

// veeamZip starts a VeeamZIP of a VM: a session of no job whose end leaves
// a new backup (one full backup file) on the repository the spec names.
func (f *Fake) veeamZip(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, spec vbemapi.VeeamZipStartupSpec) {
	bk := f.bkLocked()
	repo, ok := f.repos().find(strings.TrimPrefix(spec.RepositoryUID, "urn:veeam:Repository:"))
	if !ok || repo.server != s.id {
		badRequest(w, r, "the repository "+spec.RepositoryUID+" is not a repository of the backup server "+s.name)
		return
	}
	if id := to.Value(spec.PasswordKeyID); id != "" && !slices.ContainsFunc(f.pwLocked().passwords[s.id], func(p *pwRecord) bool { return p.id == id }) {
		badRequest(w, r, "the backup server "+s.name+" has no password "+id)
		return
	}
	vm := bk.vmObject(spec.VMRef)
	if vm == nil {
		f.accept(w, r, in, "VeeamZip", true, "")
		return
	}
	// The session's job is one no list shows: each VeeamZIP is its own
	// backup.
	j := &bkJob{id: uuidLike(), name: vm.name, server: s.id, repo: repo.id, includes: []*bkInclude{{id: uuidLike(), ref: vm.ref, name: vm.name}}}
	bk.backups = append(bk.backups, &bkBackup{id: uuidLike(), job: j.id, name: vm.name + " VeeamZIP", repo: repo.id, server: s.id})
	sess := f.startSessionLocked(j, false)
	f.accept(w, r, in, "VeeamZip", false, sessPath(sess.id)+"?format=Entity")
}

// quickBackup starts an incremental run, for one VM, of the backup job of
// the server that processes it; the task fails when no job does or when
// that job is running.
func (f *Fake) quickBackup(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, vmRef string) {
	bk := f.bkLocked()
	for _, j := range bk.jobs {
		if j.server != s.id {
			continue
		}
		for _, inc := range j.includes {
			if !strings.EqualFold(inc.ref, vmRef) {
				continue
			}
			if bk.running(j.id) != nil {
				f.accept(w, r, in, "QuickBackup", true, "")
				return
			}
			sess := f.startSessionLocked(j, false)
			sess.tasks = slices.DeleteFunc(sess.tasks, func(t *bkTask) bool { return !strings.EqualFold(t.ref, vmRef) })
			f.accept(w, r, in, "QuickBackup", false, sessPath(sess.id)+"?format=Entity")
			return
		}
	}
	f.accept(w, r, in, "QuickBackup", true, "")
}
