package vbemfake

import (
	"net/http"
	"slices"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// SeedCredentialsID is the credentials record (root) every fake holds on
// SeedBackupServer2ID.
const SeedCredentialsID = "a45eb049-6f8d-49d4-9dba-4f1499f9d8d1" //nolint:gosec // an id, not a secret

// credRecord is a credentials record of a backup server; its secret is
// never answered.
type credRecord struct {
	id, user, desc, secret string
}

func (c *credRecord) ident() (string, string) { return c.id, c.user }

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		servers := f.servers()
		return map[string]fake.HandlerFunc{
			"GetCredentials": servers.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer) {
				list := vbemapi.CredentialsInfoList{CredentialsInfos: []vbemapi.CredentialsInfo{}}
				for _, c := range f.pwLocked().creds[s.id] {
					list.CredentialsInfos = append(list.CredentialsInfos, credModel(r, s, c))
				}
				in.Respond(w, http.StatusOK, list)
			}),
			"CreateCredentials": f.createCredentials,
			"GetCredential": f.withCredentials(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, _ int, c *credRecord) {
				in.Respond(w, http.StatusOK, credModel(r, s, c))
			}),
			"EditCredentials": f.editCredentials,
			"DeleteCredentials": f.withCredentials(func(w http.ResponseWriter, _ *http.Request, _ *fake.Input, s *pwServer, i int, _ *credRecord) {
				st := f.pwLocked()
				st.creds[s.id] = slices.Delete(st.creds[s.id], i, i+1)
				w.WriteHeader(http.StatusNoContent)
			}),
		}
	})
}

// CheckCredentials reports whether a credentials record holds secret; the
// fake never answers with the secret itself.
func (f *Fake) CheckCredentials(backupServerID, credentialsID, secret string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.pwLocked().creds[backupServerID] {
		if c.id == credentialsID {
			return c.secret == secret
		}
	}
	return false
}

// withCredentials runs do on the credentials record of the path, under
// f.mu, or answers 404.
func (f *Fake) withCredentials(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, i int, c *credRecord)) fake.HandlerFunc {
	return withSub(f.servers(), func(s *pwServer) []*credRecord { return f.pwLocked().creds[s.id] }, "credentialsId", "credentials record", do)
}

func credModel(r *http.Request, s *pwServer, c *credRecord) vbemapi.CredentialsInfo {
	path := bsPath(s.id) + "/credentials/" + c.id
	return vbemapi.CredentialsInfo{Href: to.Ptr(Href(r, path)), Type: to.Ptr("Credentials"),
		Links: []vbemapi.Link{named(link(r, "Up", bsPath(s.id)+"?format=Entity", "BackupServer"), s.name), link(r, "Edit", path, "Credentials"), link(r, "Delete", path, "Credentials")},
		ID:    to.Ptr(c.id), Username: to.Ptr(c.user), Description: to.Ptr(c.desc), Password: to.Ptr("")}
}

func (f *Fake) createCredentials(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CredentialsInfoSpec
	if !readBody(w, r, in, &spec, "CredentialsInfoSpec") {
		return
	}
	if to.Value(spec.Username) == "" || to.Value(spec.Password) == "" {
		badRequest(w, r, "Username and Password are required")
		return
	}
	f.servers().with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer) {
		st := f.pwLocked()
		for _, c := range st.creds[s.id] {
			if c.user == *spec.Username && c.desc == to.Value(spec.Description) {
				badRequest(w, r, "a credentials record for "+c.user+" with that description exists")
				return
			}
		}
		c := &credRecord{id: uuidLike(), user: *spec.Username, desc: to.Value(spec.Description), secret: *spec.Password}
		st.creds[s.id] = append(st.creds[s.id], c)
		w.Header().Set("Location", Href(r, bsPath(s.id)+"/credentials/"+c.id))
		in.Respond(w, http.StatusCreated, credModel(r, s, c))
	})(w, r, in)
}

func (f *Fake) editCredentials(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbemapi.CredentialsInfoSpec
	if !readBody(w, r, in, &spec, "CredentialsInfoSpec") {
		return
	}
	if spec.Username != nil && *spec.Username == "" {
		badRequest(w, r, "Username cannot be empty")
		return
	}
	f.withCredentials(func(w http.ResponseWriter, r *http.Request, in *fake.Input, s *pwServer, _ int, c *credRecord) {
		if spec.Username != nil {
			c.user = *spec.Username
		}
		if spec.Description != nil {
			c.desc = *spec.Description
		}
		if spec.Password != nil {
			c.secret = *spec.Password
		}
		in.Respond(w, http.StatusOK, credModel(r, s, c))
	})(w, r, in)
}
