package vbemfake

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/specs"
)

// Option configures a fake.
type Option func(*config)

type config struct {
	users map[string]string
	idle  time.Duration
	steps int
}

// WithUser adds a user that can log on (default admin / admin).
func WithUser(name, password string) Option { return func(c *config) { c.users[name] = password } }

// WithIdleTimeout sets how long an unused session lives (default 15 minutes).
func WithIdleTimeout(d time.Duration) Option { return func(c *config) { c.idle = d } }

// WithTaskSteps sets how many reads a task takes to finish (default 2).
func WithTaskSteps(n int) Option { return func(c *config) { c.steps = n } }

// Fake is the server state and its http.Handler.
type Fake struct {
	*fake.Engine

	mu          sync.Mutex
	users       map[string]string
	sessions    map[string]*session // by token
	idle        time.Duration
	steps       int
	logons      int
	cookiesSeen int
	tasks       map[string]*task
	taskOrder   []string
	nextTask    int
	state       map[string]any // per-area state
	now         func() time.Time
}

type session struct {
	token, id, user string
	lastUsed        time.Time
}

type task struct {
	model vbemapi.Task
	reads int
	fail  bool
}

// registrars add the handlers of each area; the files of this package
// append to it.
var registrars []func(f *Fake) map[string]fake.HandlerFunc

// New returns the handler and state of a fake.
func New(opts ...Option) (*Fake, error) {
	cfg := config{users: map[string]string{}, idle: 15 * time.Minute, steps: 2}
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.users) == 0 {
		cfg.users["admin"] = "admin"
	}
	eng, err := fake.New(specs.VBEM, WriteError)
	if err != nil {
		return nil, err
	}
	f := &Fake{Engine: eng, users: cfg.users, sessions: map[string]*session{}, idle: cfg.idle, steps: max(cfg.steps, 1),
		tasks: map[string]*task{}, state: map[string]any{}, now: time.Now}
	eng.SetAuthenticator(f.authenticate)
	handlers := map[string]fake.HandlerFunc{
		"GetApiRoot":         f.root,
		"CreateLogonSession": f.logon,
		"GetLogonSessions":   f.listSessions,
		"GetLogonSession":    f.getSession,
		"DeleteLogonSession": f.deleteSession,
		"GetTasks":           f.listTasks,
		"GetTask":            f.getTask,
		"DeleteTask":         f.deleteTask,
	}
	maps := []map[string]fake.HandlerFunc{handlers}
	for _, reg := range registrars {
		maps = append(maps, reg(f))
	}
	if err := eng.Serve(maps...); err != nil {
		return nil, err
	}
	return f, nil
}

// Server is a fake listening on a local TLS port with its own certificate.
type Server struct {
	*Fake
	*fake.TLSServer
}

// Start serves a new fake over TLS on a loopback port.
func Start(opts ...Option) (*Server, error) {
	f, err := New(opts...)
	if err != nil {
		return nil, err
	}
	return &Server{Fake: f, TLSServer: fake.StartTLS(f)}, nil
}

// Logons reports how many logons succeeded.
func (f *Fake) Logons() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logons
}

// CookiesSeen reports how many requests carried a Cookie header.
func (f *Fake) CookiesSeen() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cookiesSeen
}

// ExpireSessions ends every logon session, as 15 idle minutes would.
func (f *Fake) ExpireSessions() {
	f.mu.Lock()
	f.sessions = map[string]*session{}
	f.mu.Unlock()
}

// Tokens returns the X-RestSvcSessionId tokens of the open sessions, for
// tests that check the token never leaks.
func (f *Fake) Tokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.sessions))
	for t := range f.sessions {
		out = append(out, t)
	}
	return out
}

// SessionCount reports how many logon sessions are open.
func (f *Fake) SessionCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sessions)
}

func (f *Fake) authenticate(r *http.Request) (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Cookie") != "" {
		f.cookiesSeen++
	}
	if strings.HasPrefix(r.URL.Path, "/api/sessionMngr") {
		user, pass, ok := r.BasicAuth()
		if !ok || f.users[user] != pass || pass == "" {
			return nil, fmt.Errorf("logon failed for %q", user)
		}
		return user, nil
	}
	token := r.Header.Get("X-RestSvcSessionId")
	s, ok := f.sessions[token]
	if !ok {
		return nil, fake.ErrUnauthenticated
	}
	if f.now().Sub(s.lastUsed) > f.idle {
		delete(f.sessions, token)
		return nil, fmt.Errorf("the logon session has expired")
	}
	s.lastUsed = f.now()
	return s, nil
}

// WriteError writes the Error element, as XML unless JSON is asked for.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Basic Realm=RestSvc")
	}
	sc := int32(status) //nolint:gosec // an HTTP status
	e := vbemapi.Error{Message: &message, StatusCode: &sc, Status: &code}
	if strings.Contains(r.Header.Get("Accept"), "json") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(e)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_ = xml.NewEncoder(w).EncodeElement(e, xml.StartElement{Name: xml.Name{Local: "Error"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: "http://www.veeam.com/ent/v1.0"}}})
}

// Href builds an absolute href to a path of the fake, as the server does.
func Href(r *http.Request, path string) string {
	return "https://" + r.Host + path
}

func link(r *http.Request, rel, path, typ string) vbemapi.Link {
	l := vbemapi.Link{Rel: rel, Href: Href(r, path)}
	if typ != "" {
		l.Type = &typ
	}
	return l
}

func (f *Fake) root(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var versions []vbemapi.SupportedVersion
	for _, v := range []string{"v1_5", "v1_6", "v1_7"} {
		versions = append(versions, vbemapi.SupportedVersion{Name: to.Ptr(v),
			Links: []vbemapi.Link{link(r, "Create", "/api/sessionMngr/?v="+v, "LogonSession")}})
	}
	em := vbemapi.EnterpriseManager{Href: to.Ptr(Href(r, "/api/")), Type: to.Ptr("EnterpriseManager"),
		Links: []vbemapi.Link{link(r, "Create", "/api/sessionMngr/?v=latest", "LogonSession"), link(r, "Down", "/api/logonSessions", "LogonSessionList")}}
	em.SupportedVersions = &struct {
		SupportedVersions []vbemapi.SupportedVersion `json:"SupportedVersions,omitempty" xml:"SupportedVersion"`
	}{SupportedVersions: versions}
	in.Respond(w, http.StatusOK, em)
}

func (f *Fake) sessionModel(r *http.Request, s *session) vbemapi.LogonSession {
	path := "/api/logonSessions/" + s.id
	return vbemapi.LogonSession{Href: to.Ptr(Href(r, path)), Type: to.Ptr("LogonSession"), UserName: to.Ptr(s.user), SessionID: to.Ptr(s.id),
		Links: []vbemapi.Link{link(r, "Up", "/api/", "EnterpriseManager"), link(r, "Delete", path, "")}}
}

func (f *Fake) logon(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	user, _ := in.Principal.(string)
	s := &session{token: base64.StdEncoding.EncodeToString([]byte(randomHex(24))), id: uuidLike(), user: user, lastUsed: f.now()}
	f.mu.Lock()
	f.sessions[s.token] = s
	f.logons++
	f.mu.Unlock()
	w.Header().Set("X-RestSvcSessionId", s.token)
	w.Header().Set("Set-Cookie", "X-RestSvcSessionId="+s.token+"; Path=/api")
	w.Header().Set("Location", Href(r, "/api/logonSessions/"+s.id))
	in.Respond(w, http.StatusCreated, f.sessionModel(r, s))
}

func (f *Fake) byID(id string) *session {
	for _, s := range f.sessions {
		if s.id == id {
			return s
		}
	}
	return nil
}

func (f *Fake) listSessions(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	list := []vbemapi.LogonSession{}
	for _, s := range f.sessions {
		list = append(list, f.sessionModel(r, s))
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, vbemapi.LogonSessions{LogonSessions: list})
}

func (f *Fake) getSession(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	s := f.byID(in.PathParams["sessionId"])
	f.mu.Unlock()
	if s == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "logon session not found")
		return
	}
	in.Respond(w, http.StatusOK, f.sessionModel(r, s))
}

func (f *Fake) deleteSession(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	s := f.byID(in.PathParams["sessionId"])
	if s != nil {
		delete(f.sessions, s.token)
	}
	f.mu.Unlock()
	if s == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "logon session not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// StartTask records a running task for operation; it finishes after the
// configured number of reads, failing when fail is set. related, if not
// empty, is the path of the resource the task affects.
func (f *Fake) StartTask(r *http.Request, operation string, fail bool, related string) vbemapi.Task {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.startTaskLocked(r, operation, fail, related)
}

// startTaskLocked is StartTask with f.mu held.
func (f *Fake) startTaskLocked(r *http.Request, operation string, fail bool, related string) vbemapi.Task {
	f.nextTask++
	id := fmt.Sprintf("task-%d", f.nextTask)
	path := "/api/tasks/" + id
	links := []vbemapi.Link{link(r, "Delete", path, "")}
	if related != "" {
		links = append(links, link(r, "Related", related, ""))
	}
	t := &task{fail: fail, model: vbemapi.Task{Href: to.Ptr(Href(r, path)), Type: to.Ptr("Task"), Links: links, TaskID: to.Ptr(id),
		State: to.Ptr(vbemapi.TaskStateRunning), Operation: to.Ptr(operation)}}
	f.tasks[id] = t
	f.taskOrder = append(f.taskOrder, id)
	return t.model
}

func (f *Fake) advanceLocked(t *task) {
	if *t.model.State == vbemapi.TaskStateFinished {
		return
	}
	t.reads++
	if t.reads < f.steps {
		return
	}
	t.model.State = to.Ptr(vbemapi.TaskStateFinished)
	msg := "Completed"
	if t.fail {
		msg = "The operation failed"
	}
	t.model.Result = &struct {
		Success            *bool   `json:"Success,omitempty" xml:"Success,attr"`
		CredentialsNeeded  *bool   `json:"CredentialsNeeded,omitempty" xml:"CredentialsNeeded,attr"`
		ConfirmationNeeded *bool   `json:"ConfirmationNeeded,omitempty" xml:"ConfirmationNeeded,attr"`
		Message            *string `json:"Message,omitempty" xml:"Message"`
	}{Success: to.Ptr(!t.fail), Message: &msg}
}

func (f *Fake) listTasks(w http.ResponseWriter, _ *http.Request, in *fake.Input) {
	f.mu.Lock()
	list := []vbemapi.Task{}
	for _, id := range f.taskOrder {
		list = append(list, f.tasks[id].model)
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, vbemapi.Tasks{Tasks: list})
}

func (f *Fake) getTask(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	t, ok := f.tasks[in.PathParams["taskId"]]
	if ok {
		f.advanceLocked(t)
	}
	f.mu.Unlock()
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "task not found")
		return
	}
	in.Respond(w, http.StatusOK, t.model)
}

func (f *Fake) deleteTask(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id := in.PathParams["taskId"]
	f.mu.Lock()
	_, ok := f.tasks[id]
	delete(f.tasks, id)
	for i, o := range f.taskOrder {
		if o == id {
			f.taskOrder = append(f.taskOrder[:i], f.taskOrder[i+1:]...)
			break
		}
	}
	f.mu.Unlock()
	if !ok {
		WriteError(w, r, http.StatusNotFound, "NotFound", "task not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func uuidLike() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
