// Package specaudit compares one of our specs with the OpenAPI (or Swagger
// 2.0) document a vendor's appliance serves, operation by operation, so that
// what the spec infers (x-backupsdk-inferred) can be checked against the real
// API in one run, and the operations it confirms can be marked as such.
//
// The comparison is about what reaches the wire: method and path (with the
// servers' base path), the names of query and header parameters and whether
// they are required, their enums, the media types, the success status, and
// the top-level properties of the request body and of the success response.
// Descriptions, examples and nested schemas are not compared.
package specaudit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// Status says how one operation of the spec fares against the vendor's
// document.
type Status string

const (
	// Confirmed means the vendor document has the operation under exactly
	// the same path, and nothing compared differs.
	Confirmed Status = "confirmed"
	// Differs means the vendor document has the operation (its path may be
	// spelled differently: other parameter names or letter case), but
	// something compared differs; Details says what.
	Differs Status = "differs"
	// Missing means the vendor document has no operation with this method
	// on this path.
	Missing Status = "missing"
)

// Operation is one operation of the spec and what the audit found for it.
type Operation struct {
	Method      string   `json:"method"`
	Path        string   `json:"path"`
	OperationID string   `json:"operationId,omitempty"`
	Inferred    bool     `json:"inferred"`
	Status      Status   `json:"status"`
	VendorPath  string   `json:"vendorPath,omitempty"` // when the vendor spells the path differently
	Details     []string `json:"details,omitempty"`

	specPath string // the path key in the spec (Path has the server's base path too)
}

// VendorOperation is an operation of the vendor's document that the spec
// lacks.
type VendorOperation struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	OperationID string `json:"operationId,omitempty"`
	Summary     string `json:"summary,omitempty"`
}

// Report is the outcome of Compare.
type Report struct {
	Title      string            `json:"title,omitempty"`   // the vendor document's info.title
	Version    string            `json:"version,omitempty"` // and info.version
	Operations []Operation       `json:"operations"`        // every operation of the spec, in path order
	VendorOnly []VendorOperation `json:"vendorOnly"`        // in path order
}

// Count returns how many operations of the spec have the status, and how
// many of those are inferred.
func (r *Report) Count(s Status) (all, inferred int) {
	for _, op := range r.Operations {
		if op.Status == s {
			all++
			if op.Inferred {
				inferred++
			}
		}
	}
	return all, inferred
}

// LoadSpec loads one of our specs (OpenAPI 3).
func LoadSpec(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load the spec: %w", err)
	}
	return doc, nil
}

// LoadVendor loads a vendor's document, JSON or YAML, OpenAPI 3 or Swagger
// 2.0. It does not validate it: an appliance's document is taken as it is.
func LoadVendor(data []byte) (*openapi3.T, error) {
	var probe struct {
		Swagger string `yaml:"swagger"`
		OpenAPI string `yaml:"openapi"`
	}
	if err := yaml.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("read the vendor document: %w", err)
	}
	switch {
	case strings.HasPrefix(probe.Swagger, "2."):
		var raw any
		if err := yaml.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("read the vendor document: %w", err)
		}
		js, err := json.Marshal(raw)
		if err != nil {
			return nil, fmt.Errorf("read the vendor document: %w", err)
		}
		var doc2 openapi2.T
		if err := json.Unmarshal(js, &doc2); err != nil {
			return nil, fmt.Errorf("read the vendor's Swagger 2.0 document: %w", err)
		}
		doc, err := openapi2conv.ToV3(&doc2)
		if err != nil {
			return nil, fmt.Errorf("convert the vendor's Swagger 2.0 document: %w", err)
		}
		return doc, nil
	case strings.HasPrefix(probe.OpenAPI, "3."):
		doc, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			return nil, fmt.Errorf("load the vendor document: %w", err)
		}
		return doc, nil
	default:
		return nil, errors.New("the vendor document is neither OpenAPI 3 (openapi: 3.x) nor Swagger 2.0 (swagger: \"2.0\")")
	}
}

// op is an operation with its full path: the path of its server URL (the
// path item's servers, else the document's) joined to its path key.
type op struct {
	method, path string // path: the server URL's path joined to key
	key          string // the path key in the document
	item         *openapi3.PathItem
	op           *openapi3.Operation
}

var paramName = regexp.MustCompile(`\{[^}]*\}`)

// key is what two operations must share to be the same operation: the
// method, and the path with its parameter names blanked out, in lower case
// (the vendors' routers ignore case; a difference in case is still
// reported).
func (o op) match() string {
	return o.method + " " + strings.ToLower(paramName.ReplaceAllString(o.path, "{}"))
}

func operations(doc *openapi3.T) []op {
	var out []op
	if doc.Paths == nil {
		return nil
	}
	for p, item := range doc.Paths.Map() {
		servers := doc.Servers
		if len(item.Servers) > 0 {
			servers = item.Servers
		}
		full := joinPath(serverPath(servers), p)
		for m, o := range item.Operations() {
			out = append(out, op{method: strings.ToUpper(m), path: full, key: p, item: item, op: o})
		}
	}
	slices.SortFunc(out, func(a, b op) int {
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return strings.Compare(a.method, b.method)
	})
	return out
}

// serverPath is the path part of the first server URL, its variables set
// to their defaults ("" when there is no server or no path).
func serverPath(servers openapi3.Servers) string {
	if len(servers) == 0 || servers[0] == nil {
		return ""
	}
	s := servers[0]
	raw := s.URL
	for name, v := range s.Variables {
		if v != nil {
			raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
		}
	}
	raw = paramName.ReplaceAllString(raw, "x") // a variable without a default
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

func joinPath(base, p string) string {
	full := strings.TrimRight(base, "/") + "/" + strings.TrimLeft(p, "/")
	if len(full) > 1 {
		full = strings.TrimRight(full, "/")
	}
	return full
}

// Compare audits every operation of spec against vendor.
func Compare(spec, vendor *openapi3.T) *Report {
	r := &Report{}
	if vendor.Info != nil {
		r.Title, r.Version = vendor.Info.Title, vendor.Info.Version
	}
	byKey := map[string]op{}
	vendorOps := operations(vendor)
	for _, v := range vendorOps {
		byKey[v.match()] = v
	}
	seen := map[string]bool{}
	for _, o := range operations(spec) {
		inferred, _ := o.op.Extensions["x-backupsdk-inferred"].(bool)
		res := Operation{Method: o.method, Path: o.path, OperationID: o.op.OperationID, Inferred: inferred, specPath: o.key}
		v, ok := byKey[o.match()]
		switch {
		case !ok:
			res.Status = Missing
		default:
			seen[o.match()] = true
			if v.path != o.path {
				res.VendorPath = v.path
				res.Details = append(res.Details, fmt.Sprintf("path spelled %s by the vendor", v.path))
			}
			res.Details = append(res.Details, compareParams(o, v)...)
			res.Details = append(res.Details, compareBodies(o.op, v.op)...)
			res.Status = Confirmed
			if len(res.Details) > 0 {
				res.Status = Differs
			}
		}
		r.Operations = append(r.Operations, res)
	}
	for _, v := range vendorOps {
		if !seen[v.match()] {
			r.VendorOnly = append(r.VendorOnly, VendorOperation{Method: v.method, Path: v.path, OperationID: v.op.OperationID, Summary: v.op.Summary})
		}
	}
	return r
}

// ignoredHeaders are sent by every client of the product, or by HTTP
// itself; the spec models them once (x-api-version) or not at all.
var ignoredHeaders = map[string]bool{"authorization": true, "accept": true, "content-type": true, "x-api-version": true}

// params collects an operation's query and header parameters (the path item's
// and its own), by location and name.
func params(o op) map[string]*openapi3.Parameter {
	out := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{o.item.Parameters, o.op.Parameters} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			switch {
			case p.In == openapi3.ParameterInQuery:
				out["query parameter "+p.Name] = p
			case p.In == openapi3.ParameterInHeader && !ignoredHeaders[strings.ToLower(p.Name)]:
				out["header "+strings.ToLower(p.Name)] = p
			}
		}
	}
	return out
}

func compareParams(ours, vendor op) []string {
	a, b := params(ours), params(vendor)
	var out []string
	for _, name := range sortedKeys(a, b) {
		pa, pb := a[name], b[name]
		switch {
		case pb == nil:
			out = append(out, name+": not in the vendor document")
		case pa == nil:
			out = append(out, fmt.Sprintf("%s: the vendor's only%s", name, requiredNote(pb.Required)))
		default:
			if pa.Required != pb.Required {
				out = append(out, fmt.Sprintf("%s: required %t here, %t by the vendor", name, pa.Required, pb.Required))
			}
			if d := enumDiff(schemaOf(pa.Schema), schemaOf(pb.Schema)); d != "" {
				out = append(out, name+": "+d)
			}
		}
	}
	return out
}

func requiredNote(required bool) string {
	if required {
		return " (required)"
	}
	return ""
}

func schemaOf(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil {
		return nil
	}
	return ref.Value
}

// enumDiff compares the enums of two schemas (of a parameter, or of a
// property); it says nothing when either has none.
func enumDiff(a, b *openapi3.Schema) string {
	if a == nil || b == nil || len(a.Enum) == 0 || len(b.Enum) == 0 {
		return ""
	}
	ea, eb := enumStrings(a.Enum), enumStrings(b.Enum)
	onlyA, onlyB := without(ea, eb), without(eb, ea)
	if len(onlyA) == 0 && len(onlyB) == 0 {
		return ""
	}
	var parts []string
	if len(onlyA) > 0 {
		parts = append(parts, "enum values not in the vendor document: "+strings.Join(onlyA, ", "))
	}
	if len(onlyB) > 0 {
		parts = append(parts, "the vendor's only enum values: "+strings.Join(onlyB, ", "))
	}
	return strings.Join(parts, "; ")
}

func enumStrings(vals []any) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, fmt.Sprint(v))
	}
	slices.Sort(out)
	return out
}

// without returns the items of a that are not in b.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func sortedKeys[V any](maps ...map[string]V) []string {
	var keys []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

func compareBodies(ours, vendor *openapi3.Operation) []string {
	var out []string
	var ca, cb openapi3.Content
	if ours.RequestBody != nil && ours.RequestBody.Value != nil {
		ca = ours.RequestBody.Value.Content
	}
	if vendor.RequestBody != nil && vendor.RequestBody.Value != nil {
		cb = vendor.RequestBody.Value.Content
	}
	switch {
	case ca == nil && cb != nil:
		out = append(out, "request body: the vendor's only")
	case ca != nil && cb == nil:
		out = append(out, "request body: not in the vendor document")
	case ca != nil:
		out = append(out, compareContent("request body", ca, cb)...)
	}

	sa, sb := successStatus(ours), successStatus(vendor)
	if sa != sb {
		out = append(out, fmt.Sprintf("success status: %s here, %s by the vendor", orNone(sa), orNone(sb)))
	}
	if sa == "" || sb == "" {
		return out
	}
	ra, rb := ours.Responses.Value(sa), vendor.Responses.Value(sb)
	if ra == nil || rb == nil || ra.Value == nil || rb.Value == nil {
		return out
	}
	return append(out, compareContent("response "+sb, ra.Value.Content, rb.Value.Content)...)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// successStatus is the lowest 2xx status an operation documents.
func successStatus(o *openapi3.Operation) string {
	if o.Responses == nil {
		return ""
	}
	var codes []string
	for code := range o.Responses.Map() {
		if len(code) == 3 && code[0] == '2' {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	if len(codes) == 0 {
		return ""
	}
	return codes[0]
}

// compareContent compares the media types of two bodies and, for one media
// type both have, the top-level properties of its schema.
func compareContent(what string, a, b openapi3.Content) []string {
	ta, tb := sortedKeys(a), sortedKeys(b)
	var common []string
	for _, t := range ta {
		if slices.Contains(tb, t) {
			common = append(common, t)
		}
	}
	if len(common) == 0 {
		if len(ta) == 0 || len(tb) == 0 {
			return nil // one side documents no body for this status
		}
		return []string{fmt.Sprintf("%s: media types %s here, %s by the vendor", what, strings.Join(ta, ", "), strings.Join(tb, ", "))}
	}
	mt := common[0]
	if slices.Contains(common, "application/json") {
		mt = "application/json"
	}
	pa, pb := properties(schemaOf(a[mt].Schema), 0), properties(schemaOf(b[mt].Schema), 0)
	if pa == nil || pb == nil {
		return nil // not an object on one side (a stream, a scalar): nothing to compare member by member
	}
	var out []string
	for _, name := range sortedKeys(pa, pb) {
		switch {
		case pb[name] == nil:
			out = append(out, fmt.Sprintf("%s property %q: not in the vendor document", what, name))
		case pa[name] == nil:
			out = append(out, fmt.Sprintf("%s property %q: the vendor's only", what, name))
		default:
			if d := enumDiff(pa[name], pb[name]); d != "" {
				out = append(out, fmt.Sprintf("%s property %q: %s", what, name, d))
			}
		}
	}
	return out
}

// properties returns the top-level properties of an object schema (merging
// allOf, looking through an array to its items), or nil when the schema is
// not an object.
func properties(s *openapi3.Schema, depth int) map[string]*openapi3.Schema {
	if s == nil || depth > 8 {
		return nil
	}
	if s.Type.Is(openapi3.TypeArray) && s.Items != nil {
		return properties(s.Items.Value, depth+1)
	}
	var out map[string]*openapi3.Schema
	add := func(name string, v *openapi3.Schema) {
		if out == nil {
			out = map[string]*openapi3.Schema{}
		}
		if v == nil {
			v = &openapi3.Schema{}
		}
		out[name] = v
	}
	for _, part := range s.AllOf {
		for name, v := range properties(schemaOf(part), depth+1) {
			add(name, v)
		}
	}
	for name, ref := range s.Properties {
		add(name, schemaOf(ref))
	}
	if out == nil && s.Type.Is(openapi3.TypeObject) {
		return map[string]*openapi3.Schema{}
	}
	return out
}
