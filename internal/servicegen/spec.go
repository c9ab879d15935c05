package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The annotations servicegen reads; docs/annotations.md describes them.
const (
	extServices = "x-backupsdk-services" // root: service name -> description
	extService  = "x-backupsdk-service"  // operation: the service it belongs to
	extMethod   = "x-backupsdk-method"   // operation: the method name
	extOptions  = "x-backupsdk-options"  // operation: the options struct name
	extPager    = "x-backupsdk-pager"    // operation: how its list pages
	extManaged  = "x-backupsdk-managed"  // parameter: a value the client fills in
	extResult   = "x-backupsdk-result"   // operation: json, stream or none, where guessing is wrong
	extProduct  = "x-backupsdk-product"  // root: the product's name in doc comments
	extCheck    = "x-backupsdk-check"    // operation: the hand-written function that checks the arguments first
	extActions  = "x-backupsdk-actions"  // operation: one method per value of a query parameter
	extAccept   = "x-backupsdk-accept"   // operation: the type of the argument that picks a stream's media type
)

// actionsSpec is the value of x-backupsdk-actions: an operation whose
// query parameter (Enterprise Manager's "action") selects what it does
// becomes one method per value, each sending that value.
type actionsSpec struct {
	// Param is the query parameter that carries the action.
	Param string `json:"param"`
	// Methods lists the methods, one per value of Param.
	Methods []actionSpec `json:"methods"`
}

type actionSpec struct {
	// Value is what the method sends in Param.
	Value string `json:"value"`
	// Method is the method's name.
	Method string `json:"method"`
	// Summary replaces the operation's summary in the method's comment.
	Summary string `json:"summary,omitempty"`
	// Body says whether the method takes the operation's request body;
	// a method without one sends none.
	Body bool `json:"body,omitempty"`
	// Schema names the component schema of the body this action sends,
	// when the actions of one operation send different bodies: the
	// operation's request body is then a oneOf (or anyOf) of those
	// schemas, and the method takes the named one (required). It implies
	// Body.
	Schema string `json:"schema,omitempty"`
}

// pagerSpec is the value of x-backupsdk-pager.
type pagerSpec struct {
	// Kind is offset, page, cursor or single.
	Kind string `json:"kind"`
	// Method names the iterator; default "All" for List, "All<X>" for List<X>.
	Method string `json:"method,omitempty"`
	// Items is the response property that holds the items; empty when the
	// response is the array itself.
	Items string `json:"items,omitempty"`
	// Total is the response property with the size of the whole collection;
	// a dotted path reaches into an object ("pagination.totalCount").
	Total string `json:"total,omitempty"`
	// Offset and Limit are the query parameters of offset paging; Page and
	// Limit those of page paging.
	Offset string `json:"offset,omitempty"`
	Limit  string `json:"limit,omitempty"`
	Page   string `json:"page,omitempty"`
	// FirstPage is the number of the first page (default 1).
	FirstPage int `json:"firstPage,omitempty"`
	// PageSize is the page size the iterator asks for when the options set
	// none (0 lets the server choose; page paging needs one).
	PageSize int `json:"pageSize,omitempty"`
	// Cursor is the query parameter that takes the cursor, Next the
	// response property that holds the next one.
	Cursor string `json:"cursor,omitempty"`
	Next   string `json:"next,omitempty"`
}

// specOp is an annotated operation of the spec.
type specOp struct {
	id, method, path     string
	summary, description string
	service, name        string
	options              string
	result               string
	check                string
	// accept names the hand-written string type of the argument that picks
	// the media type a stream result is asked for in (Accept header).
	accept string
	pager  *pagerSpec
	// fixed are query parameters the method always sends with one value:
	// an action's value, or the only value a required enum allows.
	fixed map[string]string
	// noBody: the method sends no request body although the operation
	// takes an optional one (an action without a body).
	noBody bool
	// bodySchema is the component schema of the body an action sends, one
	// of those the operation's request body allows (actionSpec.Schema).
	bodySchema string
	// server is the index in specFile.servers of the server the path item
	// names instead of the spec's (-1: the spec's own).
	server int
	op     *openapi3.Operation
	params map[string]*openapi3.Parameter // by name (path ones included)
}

type specFile struct {
	product  string
	services map[string]string
	ops      []*specOp
	// root is the path of the spec's (first) server, servers the paths of
	// the servers path items name instead, in the order first met.
	root    string
	servers []string
}

// serverPath is the path of a server URL ("/v2" of
// "https://{instance}.example.com/v2"), without a trailing slash. Server
// URLs may hold variables, so the URL is not parsed.
func serverPath(u string) string {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = rest
		if i := strings.IndexByte(u, '/'); i >= 0 {
			u = u[i:]
		} else {
			u = ""
		}
	}
	return strings.TrimSuffix(u, "/")
}

// serverOf returns the index of the server a path item names in
// s.servers, adding it when new; -1 when the item names none.
func (s *specFile) serverOf(item *openapi3.PathItem) (int, error) {
	if len(item.Servers) == 0 {
		return -1, nil
	}
	if len(item.Servers) > 1 {
		return 0, fmt.Errorf("a path item names %d servers; servicegen takes one", len(item.Servers))
	}
	p := serverPath(item.Servers[0].URL)
	if p == s.root {
		return -1, nil
	}
	for i, have := range s.servers {
		if have == p {
			return i, nil
		}
	}
	s.servers = append(s.servers, p)
	return len(s.servers) - 1, nil
}

func loadSpec(file string) (*specFile, error) {
	l := openapi3.NewLoader()
	doc, err := l.LoadFromFile(file)
	if err != nil {
		return nil, err
	}
	s := &specFile{product: doc.Info.Title, services: map[string]string{}}
	if err := ext(doc.Extensions, extServices, &s.services); err != nil {
		return nil, err
	}
	if err := ext(doc.Extensions, extProduct, &s.product); err != nil {
		return nil, err
	}
	if len(doc.Servers) > 0 {
		s.root = serverPath(doc.Servers[0].URL)
	}
	for _, p := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(p)
		server, err := s.serverOf(item)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for method, op := range item.Operations() {
			var o specOp
			if err := ext(op.Extensions, extService, &o.service); err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			if o.service == "" {
				continue
			}
			if _, ok := s.services[o.service]; !ok {
				return nil, fmt.Errorf("%s: service %q is not listed in %s", op.OperationID, o.service, extServices)
			}
			o.id, o.method, o.path, o.op, o.server = op.OperationID, method, p, op, server
			o.summary, o.description = op.Summary, op.Description
			for _, e := range []struct {
				key string
				v   any
			}{{extMethod, &o.name}, {extOptions, &o.options}, {extPager, &o.pager}, {extResult, &o.result}, {extCheck, &o.check}, {extAccept, &o.accept}} {
				if err := ext(op.Extensions, e.key, e.v); err != nil {
					return nil, fmt.Errorf("%s: %w", op.OperationID, err)
				}
			}
			var acts actionsSpec
			if err := ext(op.Extensions, extActions, &acts); err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			if o.name == "" && len(acts.Methods) == 0 {
				return nil, fmt.Errorf("%s: %s without %s", op.OperationID, extService, extMethod)
			}
			o.params = map[string]*openapi3.Parameter{}
			o.fixed = map[string]string{}
			for _, ps := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				o.params[ps.Value.Name] = ps.Value
				if v := ps.Value; v.In == "query" && v.Required && v.Schema != nil && v.Schema.Value != nil && len(v.Schema.Value.Enum) == 1 {
					if only, ok := v.Schema.Value.Enum[0].(string); ok {
						o.fixed[v.Name] = only
					}
				}
			}
			if len(acts.Methods) == 0 {
				s.ops = append(s.ops, &o)
				continue
			}
			expanded, err := o.actions(acts)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", op.OperationID, extActions, err)
			}
			s.ops = append(s.ops, expanded...)
		}
	}
	sort.Slice(s.ops, func(i, j int) bool {
		if s.ops[i].service != s.ops[j].service {
			return s.ops[i].service < s.ops[j].service
		}
		return s.ops[i].name < s.ops[j].name
	})
	for i := 1; i < len(s.ops); i++ {
		a, b := s.ops[i-1], s.ops[i]
		if a.service == b.service && a.name == b.name {
			return nil, fmt.Errorf("%s and %s are both %sService.%s", a.id, b.id, a.service, a.name)
		}
	}
	return s, nil
}

// actions expands an operation into one operation per action.
func (o *specOp) actions(acts actionsSpec) ([]*specOp, error) {
	if o.name != "" {
		return nil, fmt.Errorf("an operation has either %s or %s", extMethod, extActions)
	}
	if o.pager != nil || o.options != "" {
		return nil, fmt.Errorf("actions take no %s or %s", extPager, extOptions)
	}
	p := o.params[acts.Param]
	if p == nil || p.In != "query" || !p.Required {
		return nil, fmt.Errorf("%q is not a required query parameter", acts.Param)
	}
	allowed := map[string]bool{}
	if p.Schema != nil && p.Schema.Value != nil {
		for _, e := range p.Schema.Value.Enum {
			if v, ok := e.(string); ok {
				allowed[v] = true
			}
		}
	}
	hasBody := o.op.RequestBody != nil && o.op.RequestBody.Value != nil
	out := make([]*specOp, 0, len(acts.Methods))
	for _, a := range acts.Methods {
		switch {
		case a.Method == "":
			return nil, fmt.Errorf("action %q has no method", a.Value)
		case !allowed[a.Value]:
			return nil, fmt.Errorf("action %q is not in the enum of %s", a.Value, acts.Param)
		case (a.Body || a.Schema != "") && !hasBody:
			return nil, fmt.Errorf("action %q takes a body the operation does not have", a.Value)
		case !a.Body && a.Schema == "" && hasBody && o.op.RequestBody.Value.Required:
			return nil, fmt.Errorf("action %q sends no body but the operation requires one", a.Value)
		case a.Schema != "" && !o.bodyAllows(a.Schema):
			return nil, fmt.Errorf("action %q sends %s, which is not one of the oneOf or anyOf schemas of every request media type", a.Value, a.Schema)
		}
		c := *o
		c.name = a.Method
		if a.Summary != "" {
			c.summary, c.description = a.Summary, ""
		}
		c.noBody = hasBody && !a.Body && a.Schema == ""
		c.bodySchema = a.Schema
		c.fixed = map[string]string{}
		for k, v := range o.fixed {
			c.fixed[k] = v
		}
		c.fixed[acts.Param] = a.Value
		out = append(out, &c)
	}
	return out, nil
}

// bodyAllows reports whether every media type of the operation's request
// body is a oneOf or anyOf that lists the component schema name.
func (o *specOp) bodyAllows(name string) bool {
	content := o.op.RequestBody.Value.Content
	if len(content) == 0 {
		return false
	}
	for _, mt := range content {
		if mt.Schema == nil || mt.Schema.Value == nil {
			return false
		}
		found := false
		for _, alt := range append(append(openapi3.SchemaRefs{}, mt.Schema.Value.OneOf...), mt.Schema.Value.AnyOf...) {
			if alt.Ref == "#/components/schemas/"+name {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// ext decodes the extension key of exts into v, if present.
func ext(exts map[string]any, key string, v any) error {
	raw, ok := exts[key]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

// managed returns the x-backupsdk-managed kind of a parameter, if any.
func managed(p *openapi3.Parameter) string {
	var k string
	_ = ext(p.Extensions, extManaged, &k)
	return k
}

// bodyKind says how the request body is sent: "" (none), "json" (a value
// the core encodes: JSON, or XML where the product speaks it) or "binary"
// (an io.Reader passed through).
func (o *specOp) bodyKind() (string, string) {
	rb := o.op.RequestBody
	if rb == nil || rb.Value == nil {
		return "", ""
	}
	for ct := range rb.Value.Content {
		if isStructured(ct) {
			return "json", ct
		}
	}
	for ct := range rb.Value.Content {
		return "binary", ct
	}
	return "", ""
}

// mediaTypes returns the media types of the success response with the given
// status, sorted: what a stream result asks for in its Accept header.
func (o *specOp) mediaTypes(status string) []string {
	r := o.op.Responses.Value(status)
	if r == nil || r.Value == nil {
		return nil
	}
	types := make([]string, 0, len(r.Value.Content))
	for ct := range r.Value.Content {
		types = append(types, ct)
	}
	sort.Strings(types)
	return types
}

// resultKind says what a success response carries: "json" (a decoded
// value), "stream" (a body handed to the caller) or "" (nothing).
func (o *specOp) resultKind() (kind string, status string) {
	switch o.result {
	case "none":
		return "", ""
	case "json", "stream":
		kind = o.result
	}
	codes := make([]string, 0, len(o.op.Responses.Map()))
	for code := range o.op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := o.op.Responses.Value(code)
		if r == nil || r.Value == nil || len(r.Value.Content) == 0 {
			continue
		}
		if kind != "" {
			return kind, code
		}
		for ct, mt := range r.Value.Content {
			if isStructured(ct) && (mt.Schema == nil || mt.Schema.Value == nil || mt.Schema.Value.Format != "binary") {
				return "json", code
			}
		}
		return "stream", code
	}
	return "", ""
}

// bodiless returns the success statuses whose responses carry no body, and
// those that do, when an operation has both (a 202 with a task or a 204
// without one): its result is nil for the former. It fails when the
// statuses with a body carry different schemas, which one result type
// cannot express: such a method is written by hand.
func (o *specOp) bodiless() (without, with []string, err error) {
	var ref string
	seen := false
	codes := make([]string, 0, len(o.op.Responses.Map()))
	for code := range o.op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := o.op.Responses.Value(code)
		if r == nil || r.Value == nil || len(r.Value.Content) == 0 {
			without = append(without, code)
			continue
		}
		with = append(with, code)
		for _, mt := range r.Value.Content {
			if mt.Schema == nil {
				continue
			}
			switch {
			case !seen:
				ref, seen = mt.Schema.Ref, true
			case mt.Schema.Ref != ref:
				return nil, nil, fmt.Errorf("the success responses %s carry different schemas (%s, %s): write the method by hand", strings.Join(with, ", "), ref, mt.Schema.Ref)
			}
		}
	}
	if len(with) == 0 {
		without = nil
	}
	return without, with, nil
}

func isStructured(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.Contains(ct, "json") || strings.HasSuffix(ct, "/xml") || strings.Contains(ct, "+xml")
}
