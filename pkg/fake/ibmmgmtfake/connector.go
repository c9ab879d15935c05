package ibmmgmtfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/specs"
)

// Connector is the state of a data-source connector: its local users, the
// access tokens they logged in for, its registration and its logs.
type Connector struct {
	*fake.Engine
	mu         sync.Mutex
	users      []map[string]any
	passwords  map[string]string // "domain/username" -> password
	tokens     map[string]string // token -> "domain/username"
	regTokens  map[string]bool
	registered string // Success, Failed, NotDone
	regMessage string
	connID     int64
	logs       []map[string]any
}

// DefaultRegistrationToken is the registration token a new connector fake
// accepts.
const DefaultRegistrationToken = "registration-token-1"

// NewConnector returns a connector fake whose local user "admin" (domain
// LOCAL) has password adminPassword, that accepts DefaultRegistrationToken,
// and that is not registered yet.
func NewConnector(adminPassword string) (*Connector, error) {
	eng, err := newEngine(specs.IBMConnector)
	if err != nil {
		return nil, err
	}
	f := &Connector{Engine: eng, passwords: map[string]string{"LOCAL/admin": adminPassword, "LOCAL/operator": adminPassword + "-op"},
		tokens: map[string]string{}, regTokens: map[string]bool{DefaultRegistrationToken: true}, registered: "NotDone",
		users: []map[string]any{
			{"username": "admin", "domain": "LOCAL", "emailAddress": "admin@example.com", "roles": []string{"COHESITY_ADMIN"}, "isActive": true, "authenticationType": "kAuthLocal"},
			{"username": "operator", "domain": "LOCAL", "emailAddress": "ops@example.com", "roles": []string{"COHESITY_VIEWER"}, "isActive": true, "authenticationType": "kAuthLocal"},
		}}
	f.log("Info", "connector started")
	eng.SetAuthenticator(f.authenticate)
	if err := eng.Serve(map[string]fake.HandlerFunc{
		"createAccessToken": f.createAccessToken, "registerDataSourceConnector": f.register,
		"getDataSourceConnectorStatus": f.status, "getDataSourceConnectorLogs": f.getLogs,
		"getUsers": f.getUsers, "updateUser": f.updateUser,
	}); err != nil {
		return nil, err
	}
	return f, nil
}

// AddRegistrationToken makes the connector accept another registration
// token (one generated for its data-source connection).
func (f *Connector) AddRegistrationToken(tok string) {
	f.mu.Lock()
	f.regTokens[tok] = true
	f.mu.Unlock()
}

func (f *Connector) log(typ, msg string) {
	f.logs = append(f.logs, map[string]any{"type": typ, "message": msg, "timestampMsecs": time.Now().UnixMilli()})
}

func (f *Connector) authenticate(r *http.Request) (any, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, fake.ErrUnauthenticated
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	who, ok := f.tokens[tok]
	if !ok {
		return nil, errNoToken
	}
	return who, nil
}

// ExpireTokens makes every access token issued so far invalid.
func (f *Connector) ExpireTokens() {
	f.mu.Lock()
	f.tokens = map[string]string{}
	f.mu.Unlock()
}

func (f *Connector) createAccessToken(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var b struct{ Username, Password, Domain string }
	_ = json.Unmarshal(in.Body, &b)
	if b.Domain == "" {
		b.Domain = "LOCAL"
	}
	key := strings.ToUpper(b.Domain) + "/" + b.Username
	f.mu.Lock()
	pw, ok := f.passwords[key]
	ok = ok && pw == b.Password && b.Password != ""
	tok := ""
	if ok {
		tok = randomToken()
		f.tokens[tok] = key
	}
	f.mu.Unlock()
	if !ok {
		ibmfake.WriteError(w, r, http.StatusUnauthorized, "InvalidCredentials", "invalid username or password")
		return
	}
	in.Respond(w, http.StatusCreated, map[string]any{"accessToken": tok, "tokenType": "Bearer", "privileges": []string{"kClusterView"}})
}

func (f *Connector) register(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var b struct {
		RegistrationToken string `json:"registrationToken"`
		ConnectorID       int64  `json:"connectorId"`
	}
	_ = json.Unmarshal(in.Body, &b)
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.regTokens[b.RegistrationToken] {
		f.registered, f.regMessage = "Failed", "the registration token is not valid"
		f.log("Error", "registration failed: the registration token is not valid")
		ibmfake.WriteError(w, r, http.StatusBadRequest, "InvalidToken", "the registration token is not valid")
		return
	}
	f.registered, f.regMessage, f.connID = "Success", "registered", b.ConnectorID
	f.log("Info", "registered with the data-source connection")
	in.Respond(w, http.StatusOK, nil)
}

func (f *Connector) status(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	out := map[string]any{"registrationStatus": map[string]any{"status": f.registered, "message": f.regMessage},
		"isCertificateValid":      f.registered == "Success",
		"clusterConnectionStatus": map[string]any{"isActive": f.registered == "Success"}}
	if f.registered == "Success" {
		out["clusterConnectionStatus"].(map[string]any)["lastConnectedTimestampMsecs"] = time.Now().UnixMilli()
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, out)
}

func (f *Connector) getLogs(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	logs := append([]map[string]any(nil), f.logs...)
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, map[string]any{"connectorLogs": logs})
}

func session(r *http.Request) bool {
	c, err := r.Cookie("session-name")
	return err == nil && c.Value != ""
}

func (f *Connector) getUsers(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	if !session(r) {
		ibmfake.WriteError(w, r, http.StatusUnauthorized, "NoSession", "no session")
		return
	}
	names, emails := list(r, "usernames"), list(r, "emailAddresses")
	domain := r.URL.Query().Get("domain")
	partial := r.URL.Query().Get("partialMatch") == "true"
	match := func(set []string, v string) bool {
		if len(set) == 0 {
			return true
		}
		for _, s := range set {
			if v == s || (partial && strings.HasPrefix(v, s)) {
				return true
			}
		}
		return false
	}
	f.mu.Lock()
	out := []map[string]any{}
	for _, u := range f.users {
		if match(names, u["username"].(string)) && match(emails, u["emailAddress"].(string)) && (domain == "" || strings.EqualFold(domain, u["domain"].(string))) {
			out = append(out, u)
		}
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, out)
}

// updateUser merges the body into the user it names (username and domain);
// a new password replaces the one the user logs in with.
func (f *Connector) updateUser(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	if !session(r) {
		ibmfake.WriteError(w, r, http.StatusUnauthorized, "NoSession", "no session")
		return
	}
	var b map[string]any
	_ = json.Unmarshal(in.Body, &b)
	name, _ := b["username"].(string)
	domain, _ := b["domain"].(string)
	if domain == "" {
		domain = "LOCAL"
	}
	if name == "" {
		ibmfake.WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "username is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.users {
		if u["username"] != name || !strings.EqualFold(u["domain"].(string), domain) {
			continue
		}
		for k, v := range b {
			if k == "password" || k == "currentPassword" {
				continue
			}
			u[k] = v
		}
		if pw, ok := b["password"].(string); ok && pw != "" {
			f.passwords[strings.ToUpper(domain)+"/"+name] = pw
		}
		u["lastUpdatedTimeMsecs"] = time.Now().UnixMilli()
		in.Respond(w, http.StatusOK, u)
		return
	}
	ibmfake.WriteError(w, r, http.StatusNotFound, "NotFound", "no user "+name)
}

// ConnectorServer is a connector fake on a local TLS port.
type ConnectorServer struct {
	*Connector
	*fake.TLSServer
}

// StartConnector serves a new connector fake over TLS on a loopback port.
func StartConnector(adminPassword string) (*ConnectorServer, error) {
	f, err := NewConnector(adminPassword)
	if err != nil {
		return nil, err
	}
	return &ConnectorServer{Connector: f, TLSServer: fake.StartTLS(f.Engine)}, nil
}
