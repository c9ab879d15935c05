package fake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/backupsdk/backupsdk/pkg/internal/settings"
)

// Input is what a handler gets besides the request.
type Input struct {
	// OperationID of the matched operation.
	OperationID string
	// PathParams by name.
	PathParams map[string]string
	// Body is the request body, already read.
	Body []byte
	// Principal is what the Authenticator returned.
	Principal any

	route *routers.Route
	req   *http.Request
}

// Respond writes v with status in the media type the request's Accept
// header asks for among those the spec documents for that answer: JSON when
// the client asks for it (or XML is not offered), XML otherwise, encoded by
// the response schema's xml objects.
func (in *Input) Respond(w http.ResponseWriter, status int, v any) {
	var content openapi3.Content
	if resp := in.route.Operation.Responses.Status(status); resp != nil && resp.Value != nil {
		content = resp.Value.Content
	}
	if len(content) == 0 {
		w.WriteHeader(status)
		return
	}
	xmlMedia := content.Get("application/xml")
	if xmlMedia != nil && !strings.Contains(in.req.Header.Get("Accept"), "json") {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		_ = EncodeXML(w, xmlMedia.Schema, v)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// Under serves, below prefix, the operations whose server path is prefix:
// those of the spec's first server ("/v2"), or those whose path item names
// servers of its own (OpenAPI's path-level servers, such as IBM's legacy
// "/irisservices/api/v1"). A request for an operation of another base path
// is a violation, answered 404, as the service would. Mount it at
// prefix + "/"; ServeHTTP serves every operation at its spec path alone.
func (e *Engine) Under(prefix string) http.Handler {
	return http.StripPrefix(prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if route, _, err := e.router.FindRoute(r); err == nil {
			if base := e.bases[route.Operation.OperationID]; base != prefix {
				e.violate(fmt.Errorf("%s %s%s: operation %s is served under %q, not %q",
					r.Method, prefix, r.URL.Path, route.Operation.OperationID, base, prefix))
				e.writeError(w, r, http.StatusNotFound, "NotFound", "no such resource")
				return
			}
		}
		e.ServeHTTP(w, r)
	}))
}

// HandlerFunc serves one operation.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, in *Input)

// Authenticator checks the credentials of a request to an operation that
// requires them; an error answers 401.
type Authenticator func(r *http.Request) (principal any, err error)

// ErrorWriter writes an error in the product's documented format.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, code, message string)

// Engine serves a spec. It is safe for concurrent use.
type Engine struct {
	doc        *openapi3.T
	router     routers.Router
	bases      map[string]string // operation id -> server path
	writeError ErrorWriter
	auth       Authenticator

	mu          sync.Mutex
	streamed    map[string]bool
	handlers    map[string]HandlerFunc
	examples    map[string]bool // answered by ExampleHandler, not by state
	calls       map[string]int
	answered    map[string]*Answers
	violations  []error
	onViolation func(error)
	secured     map[string]bool
}

// maxBody bounds request bodies the fake reads.
const maxBody = 16 << 20

type compiled struct {
	doc    *openapi3.T
	router routers.Router
	// bases holds the server path of each operation: that of its path
	// item's servers, else that of the spec's first server ("/v2").
	bases map[string]string
}

// serverPath is the path of a server URL, which may hold variables (so it
// is not parsed), without a trailing slash.
func serverPath(u string) string {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = ""
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			u = rest[i:]
		}
	}
	return strings.TrimSuffix(u, "/")
}

// specs caches loaded specs by content: loading and validating a large spec
// costs far more than serving it, and both are read-only afterwards.
var specs sync.Map // sha256 -> *compiled

func compile(spec []byte) (*compiled, error) {
	key := sha256.Sum256(spec)
	if c, ok := specs.Load(key); ok {
		return c.(*compiled), nil
	}
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true // property order, for XML bodies
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("fake: load spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("fake: invalid spec: %w", err)
	}
	root := ""
	if len(doc.Servers) > 0 {
		root = serverPath(doc.Servers[0].URL)
	}
	bases := map[string]string{}
	for _, item := range doc.Paths.Map() {
		base := root
		if len(item.Servers) > 0 {
			base = serverPath(item.Servers[0].URL)
		}
		for _, op := range item.Operations() {
			bases[op.OperationID] = base
		}
		// Path-level servers name another base path; Under tells them apart.
		item.Servers = nil
	}
	// Route on paths alone, whatever host and port the fake listens on.
	doc.Servers = openapi3.Servers{{URL: "/"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("fake: router: %w", err)
	}
	c, _ := specs.LoadOrStore(key, &compiled{doc: doc, router: router, bases: bases})
	return c.(*compiled), nil
}

// New loads and validates spec and returns an engine writing errors with
// writeError.
func New(spec []byte, writeError ErrorWriter) (*Engine, error) {
	c, err := compile(spec)
	if err != nil {
		return nil, err
	}
	doc, router := c.doc, c.router
	e := &Engine{doc: doc, router: router, bases: c.bases, writeError: writeError,
		handlers: map[string]HandlerFunc{}, examples: map[string]bool{}, calls: map[string]int{},
		answered: map[string]*Answers{}, secured: map[string]bool{}, streamed: map[string]bool{}}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			sec := doc.Security
			if op.Security != nil {
				sec = *op.Security
			}
			e.secured[op.OperationID] = len(sec) > 0
		}
	}
	return e, nil
}

// Handle registers h for an operation of the spec. A handler registered
// this way (or by HandleStream or Serve) is a stateful one: its successful
// answers count as Answers.Stateful.
func (e *Engine) Handle(operationID string, h HandlerFunc) error {
	return e.handle(operationID, h, false)
}

func (e *Engine) handle(operationID string, h HandlerFunc, example bool) error {
	if _, ok := e.secured[operationID]; !ok {
		return fmt.Errorf("fake: no operation %q in the spec", operationID)
	}
	e.mu.Lock()
	e.handlers[operationID] = h
	e.examples[operationID] = example
	e.mu.Unlock()
	return nil
}

// HandleStream registers h for an operation whose success body is a large
// binary stream. Its body goes to the client as the handler writes it,
// without being held in memory; the status code and Content-Type are still
// checked against the spec, the body is not.
func (e *Engine) HandleStream(operationID string, h HandlerFunc) error {
	if err := e.Handle(operationID, h); err != nil {
		return err
	}
	e.mu.Lock()
	e.streamed[operationID] = true
	e.mu.Unlock()
	return nil
}

// SetAuthenticator sets the check run before every secured operation.
func (e *Engine) SetAuthenticator(a Authenticator) { e.auth = a }

// OnViolation calls f for every spec violation as it happens (for example
// t.Errorf in a test).
func (e *Engine) OnViolation(f func(error)) {
	e.mu.Lock()
	e.onViolation = f
	e.mu.Unlock()
}

// Violations returns the spec violations seen so far.
func (e *Engine) Violations() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]error(nil), e.violations...)
}

// Calls returns how many routed requests each operation received, whatever
// became of them (refused credentials and spec violations included).
func (e *Engine) Calls() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.calls))
	for k, v := range e.calls {
		out[k] = v
	}
	return out
}

// Answers counts the successful answers of one operation: requests that
// were authenticated (when the spec secures the operation) and valid, and
// got a 2xx answer that is valid too (for a streamed body: a status and
// media type of the spec).
type Answers struct {
	// Stateful counts the answers of a handler registered with Handle,
	// HandleStream or Serve to SDK calls: the services and the logins.
	Stateful int
	// StatefulRaw counts the answers of such a handler to requests sent
	// through a client's Raw() generated client (RawCall).
	StatefulRaw int
	// Examples and ExamplesRaw count the answers taken from the spec's
	// examples (ExampleHandler), for operations without a stateful handler.
	Examples, ExamplesRaw int
}

// Coverage returns the answers of every operation of the spec (zero for an
// operation never answered with success), and whether each has a stateful
// handler.
func (e *Engine) Coverage() map[string]Coverage {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]Coverage, len(e.secured))
	for id := range e.secured {
		c := Coverage{StatefulHandler: e.handlers[id] != nil && !e.examples[id]}
		if a := e.answered[id]; a != nil {
			c.Answers = *a
		}
		out[id] = c
	}
	return out
}

// Coverage is what Engine.Coverage reports of one operation.
type Coverage struct {
	Answers
	// StatefulHandler: the operation has a handler registered with Handle,
	// HandleStream or Serve, rather than none or the spec's examples.
	StatefulHandler bool
}

// RawCall reports whether r was sent through a client's Raw() generated
// client: the SDK adds "raw" to the comment of its User-Agent for those
// ("backupsdk-go/0.1.0 (vbaws; raw)"), so that a fake can tell them from
// the calls of the services.
func RawCall(r *http.Request) bool { return settings.IsRawUserAgent(r.Header.Get("User-Agent")) }

// answer records a successful answer of opID to r.
func (e *Engine) answer(opID string, r *http.Request, example bool) {
	raw := RawCall(r)
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.answered[opID]
	if a == nil {
		a = &Answers{}
		e.answered[opID] = a
	}
	switch {
	case example && raw:
		a.ExamplesRaw++
	case example:
		a.Examples++
	case raw:
		a.StatefulRaw++
	default:
		a.Stateful++
	}
}

func success(code int) bool { return code >= 200 && code < 300 }

// Operations lists the operation ids of the spec, sorted.
func (e *Engine) Operations() []string {
	ops := make([]string, 0, len(e.secured))
	for id := range e.secured {
		ops = append(ops, id)
	}
	sort.Strings(ops)
	return ops
}

// Doc returns the loaded spec.
func (e *Engine) Doc() *openapi3.T { return e.doc }

func (e *Engine) violate(err error) {
	e.mu.Lock()
	e.violations = append(e.violations, err)
	f := e.onViolation
	e.mu.Unlock()
	if f != nil {
		f(err)
	}
}

// ServeHTTP validates, dispatches and validates again.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, params, err := e.router.FindRoute(r)
	if err != nil {
		e.violate(fmt.Errorf("%s %s: no such operation: %w", r.Method, r.URL.Path, err))
		e.writeError(w, r, http.StatusNotFound, "NotFound", "no such resource")
		return
	}
	opID := route.Operation.OperationID
	e.mu.Lock()
	e.calls[opID]++
	h := e.handlers[opID]
	example := e.examples[opID]
	streamed := e.streamed[opID]
	e.mu.Unlock()

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		e.writeError(w, r, http.StatusBadRequest, "UnexpectedContent", "cannot read body")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &Input{OperationID: opID, PathParams: params, Body: body, route: route, req: r}

	if e.secured[opID] && e.auth != nil {
		p, aerr := e.auth(r)
		if aerr != nil {
			status, code := http.StatusUnauthorized, "InvalidToken"
			var de *DeniedError
			if errors.As(aerr, &de) {
				status, code = http.StatusForbidden, "AccessDenied"
			}
			e.writeError(w, r, status, code, aerr.Error())
			return
		}
		in.Principal = p
	}

	reqIn := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), reqIn); err != nil {
		e.violate(fmt.Errorf("%s: request violates the spec: %w", opID, err))
		e.writeError(w, r, http.StatusBadRequest, "UnexpectedContent", "request does not match the API: "+firstLine(err))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	if h == nil {
		e.violate(fmt.Errorf("%s: the fake has no handler", opID))
		e.writeError(w, r, http.StatusInternalServerError, "NotImplemented", "the fake server does not implement "+opID)
		return
	}
	if streamed {
		sc := &streamChecker{ResponseWriter: w, e: e, route: route, opID: opID}
		h(sc, r, in)
		if !sc.wroteHeader {
			sc.WriteHeader(http.StatusOK) // what net/http sends for it
		}
		if success(sc.code) && !sc.violated {
			e.answer(opID, r, example)
		}
		return
	}
	rec := httptest.NewRecorder()
	h(rec, r, in)

	respIn := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn, Status: rec.Code, Header: rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	respIn.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(r.Context(), respIn); err != nil {
		e.violate(fmt.Errorf("%s: response %d violates the spec: %w", opID, rec.Code, err))
		http.Error(w, "fake server response violates the spec: "+firstLine(err), http.StatusInternalServerError)
		return
	}
	if success(rec.Code) {
		e.answer(opID, r, example)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func firstLine(err error) string {
	s := err.Error()
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

// DeniedError is returned by an Authenticator for a caller that is known
// but not allowed (answered 403 rather than 401).
type DeniedError struct{ Reason string }

func (e *DeniedError) Error() string { return e.Reason }

// ErrUnauthenticated is a convenience error for Authenticators.
var ErrUnauthenticated = errors.New("the authorization header has been expected but not found (or found but is expired)")

// streamChecker passes a streamed body through and checks the status code
// and media type when the handler writes its header.
type streamChecker struct {
	http.ResponseWriter
	e           *Engine
	route       *routers.Route
	opID        string
	wroteHeader bool
	code        int
	violated    bool
}

func (s *streamChecker) WriteHeader(code int) {
	if !s.wroteHeader {
		s.wroteHeader, s.code = true, code
		resp := s.route.Operation.Responses.Status(code)
		if resp == nil {
			resp = s.route.Operation.Responses.Default()
		}
		switch {
		case resp == nil:
			s.violated = true
			s.e.violate(fmt.Errorf("%s: streamed response status %d is not in the spec", s.opID, code))
		case len(resp.Value.Content) > 0:
			ct := s.Header().Get("Content-Type")
			if resp.Value.Content.Get(ct) == nil {
				s.violated = true
				s.e.violate(fmt.Errorf("%s: streamed response %d has Content-Type %q, not one of the spec's", s.opID, code, ct))
			}
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *streamChecker) Write(b []byte) (int, error) {
	if !s.wroteHeader {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}
