package vbgcfake

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
	"github.com/backupsdk/backupsdk/specs"
)

// Option configures a fake.
type Option func(*config)

type config struct {
	user, password string
	mfaCode        string
	ttl            time.Duration
	steps          int
}

// WithUser sets the user that can log in (default admin / admin).
func WithUser(name, password string) Option {
	return func(c *config) { c.user, c.password = name, password }
}

// WithMFA requires multi-factor authentication with this one-time code.
func WithMFA(code string) Option { return func(c *config) { c.mfaCode = code } }

// WithTokenTTL sets the access token lifetime (default 15 minutes, as the
// product).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.ttl = d } }

// WithSessionSteps sets how many reads a session takes to finish (default 3).
func WithSessionSteps(n int) Option { return func(c *config) { c.steps = n } }

// Fake is the server state and its http.Handler.
type Fake struct {
	*fake.Engine
	// Tokens is the token issuer, to expire or inspect tokens.
	Tokens *veeamfake.Tokens

	mu       sync.Mutex
	steps    int
	sessions *table[uuid.UUID, *session]
	outcome  []vbgcapi.ESessionResult
	state    map[string]any // per-section state, keyed by section
}

type session struct {
	model vbgcapi.SessionInfoItemModel
	reads int
	final vbgcapi.ESessionResult
}

// registrars add the handlers of each section; the files of this package
// append to it.
var registrars []func(f *Fake) map[string]fake.HandlerFunc

// New returns the handler and state of a fake (serve it yourself, or use
// Start).
func New(opts ...Option) (*Fake, error) {
	cfg := config{user: "admin", password: "admin", ttl: 15 * time.Minute, steps: 3}
	for _, o := range opts {
		o(&cfg)
	}
	eng, err := fake.New(specs.VBGC, veeamfake.WriteJSONError)
	if err != nil {
		return nil, err
	}
	f := &Fake{Engine: eng, Tokens: veeamfake.NewTokens(cfg.user, cfg.password), steps: max(cfg.steps, 1),
		sessions: newTable[uuid.UUID, *session](), state: map[string]any{}}
	f.Tokens.WriteError = veeamfake.WriteJSONError
	f.Tokens.TTL = cfg.ttl
	f.Tokens.RefreshTTL = 14 * 24 * time.Hour
	if cfg.mfaCode != "" {
		f.Tokens.RequireMFA(cfg.mfaCode)
	}
	eng.SetAuthenticator(f.Tokens.Authenticate)
	handlers := map[string]fake.HandlerFunc{
		"RequestToken":         f.Tokens.HandleToken,
		"Logout":               f.Tokens.HandleLogout,
		"GetAuthorizationCode": f.authorizationCode,
		"GetSessions":          listHandler(f, func() []vbgcapi.SessionInfoItemModel { return f.sessionsLocked(nil) }),
		"GetSession":           f.getSession,
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

// Server is a fake listening on a local TLS port with its own certificate;
// give URL and CACertPEM to vbgc.NewClient and option.WithCACert.
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

// FailNextSession makes the next session started end with result (Failed,
// Warning or Canceled) instead of Success.
func (f *Fake) FailNextSession(result vbgcapi.ESessionResult) {
	f.mu.Lock()
	f.outcome = append(f.outcome, result)
	f.mu.Unlock()
}

// StartSession records a new session of the given type that finishes after
// the configured number of reads, and returns its id.
func (f *Fake) StartSession(typ vbgcapi.ESessionType, name string, policyID *uuid.UUID) uuid.UUID {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.startSessionLocked(typ, name, policyID)
}

func (f *Fake) startSessionLocked(typ vbgcapi.ESessionType, name string, policyID *uuid.UUID) uuid.UUID {
	final := vbgcapi.ESessionResultSuccess
	if len(f.outcome) > 0 {
		final, f.outcome = f.outcome[0], f.outcome[1:]
	}
	now := time.Now().UTC()
	id := uuid.New()
	zero := int32(0)
	f.sessions.put(id, &session{final: final, model: vbgcapi.SessionInfoItemModel{
		ID: id, Name: &name, SessionType: typ, Status: vbgcapi.ESessionStatusQueued, Result: vbgcapi.ESessionResultNone,
		CreationTimeUTC: &now, PolicyID: policyID, ProgressPercent: &zero,
	}})
	return id
}

// advance moves a session one step on each read.
func (f *Fake) advanceLocked(s *session) {
	if s.model.Status == vbgcapi.ESessionStatusStopped {
		return
	}
	s.reads++
	pct := int32(min(100, s.reads*100/f.steps)) //nolint:gosec // small
	s.model.ProgressPercent = &pct
	if s.reads < f.steps {
		s.model.Status = vbgcapi.ESessionStatusRunning
		return
	}
	s.endLocked(s.final)
	if s.final != vbgcapi.ESessionResultSuccess {
		msg := "the job ended " + string(s.final)
		s.model.Message = &msg
	}
}

// endLocked ends a session that is still running with result.
func (s *session) endLocked(result vbgcapi.ESessionResult) {
	if s != nil && s.model.Status != vbgcapi.ESessionStatusStopped {
		now := time.Now().UTC()
		s.model.Status, s.model.Result, s.model.EndTimeUTC = vbgcapi.ESessionStatusStopped, result, &now
	}
}

// sessionsLocked returns the sessions keep accepts (all for nil), oldest
// first.
func (f *Fake) sessionsLocked(keep func(*session) bool) []vbgcapi.SessionInfoItemModel {
	out := []vbgcapi.SessionInfoItemModel{}
	for _, s := range f.sessions.list() {
		if keep == nil || keep(s) {
			out = append(out, s.model)
		}
	}
	return out
}

func (f *Fake) getSession(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := byUUID(f.sessions, "sessionId", "the session")(w, r, in); ok {
		s := f.sessions.items[id]
		f.advanceLocked(s)
		veeamfake.WriteJSON(w, http.StatusOK, s.model)
	}
}

func (f *Fake) authorizationCode(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	user, _ := in.Principal.(string)
	veeamfake.WriteJSON(w, http.StatusOK, vbgcapi.AuthorizationCodeModel{Code: f.Tokens.IssueAuthorizationCode(user)})
}

type condition struct {
	Property   string `json:"property"`
	Operator   string `json:"operator"`
	IgnoreCase string `json:"ignorecase"`
	Value      string `json:"value"`
}

type order struct {
	Property  string `json:"property"`
	Direction string `json:"direction"`
}

// writePage is Page for a handler: it answers 400 itself when the paging
// parameters are wrong, and otherwise returns the page to answer with.
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T) ([]T, vbgcapi.PaginationModel, bool) {
	data, pg, err := Page(r, items)
	if err != nil {
		veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", err.Error())
		return nil, pg, false
	}
	return data, pg, true
}

// Page applies the filter, orderby, offset and limit query parameters to
// items, as the product documents them, and returns one page with its
// pagination. Properties are matched by their JSON names.
func Page[T any](r *http.Request, items []T) ([]T, vbgcapi.PaginationModel, error) {
	q := r.URL.Query()
	type row struct {
		item T
		m    map[string]any
	}
	rows := make([]row, 0, len(items))
	for _, it := range items {
		b, _ := json.Marshal(it)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		rows = append(rows, row{it, m})
	}
	if f := q.Get("filter"); f != "" {
		var conds []condition
		if err := json.Unmarshal([]byte(f), &conds); err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		kept := rows[:0]
		for _, rw := range rows {
			if matchAll(rw.m, conds) {
				kept = append(kept, rw)
			}
		}
		rows = kept
	}
	if o := q.Get("orderby"); o != "" {
		var ords []order
		if err := json.Unmarshal([]byte(o), &ords); err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		sort.SliceStable(rows, func(i, j int) bool {
			for _, ob := range ords {
				a, b := text(rows[i].m[ob.Property]), text(rows[j].m[ob.Property])
				if a == b {
					continue
				}
				if strings.EqualFold(ob.Direction, "DESC") {
					return a > b
				}
				return a < b
			}
			return false
		})
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit := 100
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		limit = l
	}
	total := len(rows)
	offset = min(max(offset, 0), total)
	end := min(offset+limit, total)
	out := make([]T, 0, end-offset)
	for _, rw := range rows[offset:end] {
		out = append(out, rw.item)
	}
	return out, vbgcapi.PaginationModel{Offset: int32(offset), Limit: int32(limit), TotalCount: int32(total)}, nil //nolint:gosec // small
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func matchAll(m map[string]any, conds []condition) bool {
	for _, c := range conds {
		v, want := text(m[c.Property]), c.Value
		if c.IgnoreCase == "true" {
			v, want = strings.ToLower(v), strings.ToLower(want)
		}
		var ok bool
		switch c.Operator {
		case "equals":
			ok = v == want
		case "notEquals":
			ok = v != want
		case "contains", "like":
			ok = strings.Contains(v, strings.Trim(want, "%*"))
		case "in":
			ok = false
			for _, w := range strings.Split(want, ",") {
				ok = ok || strings.TrimSpace(w) == v
			}
		case "greaterThan":
			ok = v > want
		case "greaterThanOrEqual":
			ok = v >= want
		case "lessThan":
			ok = v < want
		case "lessThanOrEqual":
			ok = v <= want
		default:
			ok = true
		}
		if !ok {
			return false
		}
	}
	return true
}
