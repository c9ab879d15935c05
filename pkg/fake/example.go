package fake

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// ExampleHandler answers with the first success response the spec documents
// for the operation: its example when it has one, otherwise a value built
// from its schema. It lets a fake answer operations that need no state with
// spec-valid data.
func (e *Engine) ExampleHandler(operationID string) (HandlerFunc, error) {
	var op *openapi3.Operation
	for _, item := range e.doc.Paths.Map() {
		for _, o := range item.Operations() {
			if o.OperationID == operationID {
				op = o
			}
		}
	}
	if op == nil {
		return nil, errNoOperation(operationID)
	}
	codes := make([]int, 0)
	for code := range op.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 {
			codes = append(codes, n)
		}
	}
	sort.Ints(codes)
	if len(codes) == 0 {
		return nil, errNoOperation(operationID + " (no success response)")
	}
	status := codes[0]
	resp := op.Responses.Status(status).Value
	mt, media := pickMedia(resp.Content)
	if media == nil {
		return func(w http.ResponseWriter, _ *http.Request, _ *Input) { w.WriteHeader(status) }, nil
	}
	var body []byte
	if media.Example != nil {
		body = encode(mt, media.Example)
	} else {
		body = encode(mt, Synthesize(media.Schema))
	}
	return func(w http.ResponseWriter, _ *http.Request, _ *Input) {
		w.Header().Set("Content-Type", mt)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}, nil
}

// Serve registers the handlers of every map (a later map wins for the same
// operation) and answers every other operation of the spec from its
// examples. The handlers of the maps are the stateful ones (Coverage); the
// example answers are counted apart.
func (e *Engine) Serve(handlers ...map[string]HandlerFunc) error {
	for _, m := range handlers {
		for id, h := range m {
			if err := e.Handle(id, h); err != nil {
				return err
			}
		}
	}
	return e.AnswerUnhandledWithExamples()
}

// AnswerUnhandledWithExamples registers ExampleHandler for every operation
// that has no handler yet.
func (e *Engine) AnswerUnhandledWithExamples() error {
	for _, id := range e.Operations() {
		e.mu.Lock()
		_, ok := e.handlers[id]
		e.mu.Unlock()
		if ok {
			continue
		}
		h, err := e.ExampleHandler(id)
		if err != nil {
			return err
		}
		if err := e.handle(id, h, true); err != nil {
			return err
		}
	}
	return nil
}

func pickMedia(content openapi3.Content) (string, *openapi3.MediaType) {
	if m, ok := content["application/json"]; ok {
		return "application/json", m
	}
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return "", nil
	}
	return keys[0], content[keys[0]]
}

func encode(mediaType string, v any) []byte {
	if s, ok := v.(string); ok && !isJSON(mediaType) {
		return []byte(s)
	}
	b, _ := json.Marshal(v)
	return b
}

func isJSON(mt string) bool {
	return mt == "application/json" || mt == "application/problem+json"
}

// Synthesize builds a value that satisfies ref: the schema's example or
// default when given, the first enum value, or a value built member by
// member.
func Synthesize(ref *openapi3.SchemaRef) any {
	return synth(ref, 0)
}

func synth(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil {
		return map[string]any{}
	}
	s := ref.Value
	switch {
	case s.Example != nil:
		return s.Example
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.AllOf) > 0:
		out := map[string]any{}
		for _, part := range s.AllOf {
			if m, ok := synth(part, depth+1).(map[string]any); ok {
				for k, v := range m {
					out[k] = v
				}
			}
		}
		return out
	case len(s.OneOf) > 0:
		return synth(s.OneOf[0], depth+1)
	case len(s.AnyOf) > 0:
		return synth(s.AnyOf[0], depth+1)
	}
	switch {
	case s.Type.Is("object") || (s.Type == nil && len(s.Properties) > 0):
		out := map[string]any{}
		for name, p := range s.Properties {
			required := false
			for _, r := range s.Required {
				required = required || r == name
			}
			// Optional members are filled near the top, so the answer shows
			// real shapes, but not deep down, where recursion would explode.
			if required || depth < 3 {
				if p.Value != nil && p.Value.ReadOnly && !required {
					continue
				}
				out[name] = synth(p, depth+1)
			}
		}
		return out
	case s.Type.Is("array"):
		if depth > 4 {
			return []any{}
		}
		n := 1
		if s.MinItems > 1 {
			n = int(s.MinItems) //nolint:gosec // small
		}
		out := make([]any, 0, n)
		for range n {
			out = append(out, synth(s.Items, depth+1))
		}
		return out
	case s.Type.Is("integer"):
		if s.Min != nil {
			return int64(*s.Min)
		}
		return 1
	case s.Type.Is("number"):
		if s.Min != nil {
			return *s.Min
		}
		return 1.5
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("string"):
		return synthString(s)
	}
	return map[string]any{}
}

func synthString(s *openapi3.Schema) string {
	switch s.Format {
	case "uuid":
		return "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	case "date-time":
		return "2026-01-01T00:00:00Z"
	case "date":
		return "2026-01-01"
	case "uri", "url":
		return "https://example.com/"
	case "email":
		return "user@example.com"
	case "byte":
		return "AA=="
	}
	v := "string"
	if s.MinLength > uint64(len(v)) {
		for uint64(len(v)) < s.MinLength {
			v += "x"
		}
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

type errNoOperation string

func (e errNoOperation) Error() string { return "fake: no operation " + string(e) + " in the spec" }
