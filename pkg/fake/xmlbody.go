package fake

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// The engine validates XML bodies too. OpenAPI describes them with the xml
// object of each schema (element and attribute names, namespaces, wrapped
// lists); the order of child elements is the order in which the spec lists
// a schema's properties, which is what XSD-based servers such as Veeam
// Backup Enterprise Manager enforce, so the decoder rejects elements out of
// that order.
func init() {
	openapi3filter.RegisterBodyDecoder("application/xml", decodeXMLBody)
}

type xmlNode struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*xmlNode
	text     strings.Builder
}

func parseXML(r io.Reader) (*xmlNode, error) {
	dec := xml.NewDecoder(r)
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: t.Name, attrs: t.Attr}
			switch {
			case len(stack) > 0:
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			case root != nil:
				return nil, fmt.Errorf("malformed XML: more than one root element")
			default:
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("empty XML body")
	}
	return root, nil
}

func decodeXMLBody(r io.Reader, _ http.Header, s *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	root, err := parseXML(r)
	if err != nil {
		return nil, err
	}
	if s, err = alternative(root, s); err != nil {
		return nil, err
	}
	if x := xmlOf(s); x != nil {
		if x.Name != "" && root.name.Local != x.Name {
			return nil, fmt.Errorf("root element is <%s>, want <%s>", root.name.Local, x.Name)
		}
		if x.Namespace != "" && root.name.Space != x.Namespace {
			return nil, fmt.Errorf("root element <%s> has namespace %q, want %q", root.name.Local, root.name.Space, x.Namespace)
		}
	}
	return fromXML(root, s)
}

// alternative picks, for a body whose schema is a oneOf or anyOf (an
// operation that takes one of several bodies), the schema whose XML root
// element is the body's; other schemas are returned as they are.
func alternative(root *xmlNode, s *openapi3.SchemaRef) (*openapi3.SchemaRef, error) {
	if s == nil || s.Value == nil {
		return s, nil
	}
	alts := append(append(openapi3.SchemaRefs{}, s.Value.OneOf...), s.Value.AnyOf...)
	if len(alts) == 0 {
		return s, nil
	}
	var names []string
	for _, alt := range alts {
		if x := xmlOf(alt); x != nil && x.Name != "" {
			if x.Name == root.name.Local {
				return alt, nil
			}
			names = append(names, "<"+x.Name+">")
		}
	}
	return nil, fmt.Errorf("root element is <%s>, want one of %s", root.name.Local, strings.Join(names, ", "))
}

func xmlOf(s *openapi3.SchemaRef) *openapi3.XML {
	if s == nil || s.Value == nil {
		return nil
	}
	return s.Value.XML
}

// xmlProp is one property of an object schema as it appears in XML.
type xmlProp struct {
	name     string // JSON property name
	elem     string // element or attribute name
	schema   *openapi3.SchemaRef
	attr     bool
	array    bool
	wrapped  bool
	itemElem string
}

// xmlProps returns the properties of s in the order the spec lists them.
func xmlProps(s *openapi3.Schema) []xmlProp {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	line := func(n string) int {
		if o := s.Properties[n].Origin; o != nil && o.Key != nil {
			return o.Key.Line
		}
		return math.MaxInt
	}
	sort.SliceStable(names, func(i, j int) bool {
		if line(names[i]) != line(names[j]) {
			return line(names[i]) < line(names[j])
		}
		return names[i] < names[j]
	})
	props := make([]xmlProp, 0, len(names))
	for _, n := range names {
		ref := s.Properties[n]
		p := xmlProp{name: n, elem: n, schema: ref}
		if x := xmlOf(ref); x != nil {
			if x.Name != "" {
				p.elem = x.Name
			}
			p.attr = x.Attribute
			p.wrapped = x.Wrapped
		}
		if v := effective(ref).Value; v != nil && v.Type.Is("array") {
			ref = effective(ref)
			p.schema = ref
			p.array = true
			p.itemElem = n
			if x := xmlOf(ref.Value.Items); x != nil && x.Name != "" {
				p.itemElem = x.Name
			}
			if !p.wrapped {
				p.elem = p.itemElem
			}
		}
		props = append(props, p)
	}
	return props
}

// effective looks through an allOf of one schema, the way specs attach
// extensions to a $ref.
func effective(s *openapi3.SchemaRef) *openapi3.SchemaRef {
	for s != nil && s.Value != nil && s.Value.Type == nil && len(s.Value.Properties) == 0 && len(s.Value.AllOf) == 1 {
		s = s.Value.AllOf[0]
	}
	return s
}

func fromXML(n *xmlNode, s *openapi3.SchemaRef) (any, error) {
	s = effective(s)
	if s == nil || s.Value == nil {
		return strings.TrimSpace(n.text.String()), nil
	}
	v := s.Value
	if !v.Type.Is("object") && len(v.Properties) == 0 {
		return scalar(strings.TrimSpace(n.text.String()), v)
	}
	out := map[string]any{}
	props := xmlProps(v)
	for _, a := range n.attrs {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" {
			continue
		}
		matched := false
		for _, p := range props {
			if p.attr && p.elem == a.Name.Local {
				val, err := scalar(a.Value, p.schema.Value)
				if err != nil {
					return nil, fmt.Errorf("attribute %s: %w", a.Name.Local, err)
				}
				out[p.name] = val
				matched = true
			}
		}
		if !matched {
			return nil, fmt.Errorf("<%s> has an unknown attribute %s", n.name.Local, a.Name.Local)
		}
	}
	last := -1
	for _, c := range n.children {
		idx := -1
		for i, p := range props {
			if !p.attr && p.elem == c.name.Local {
				idx = i
				break
			}
		}
		if idx < 0 {
			if v.AdditionalProperties.Has != nil && *v.AdditionalProperties.Has {
				out[c.name.Local] = strings.TrimSpace(c.text.String())
				continue
			}
			return nil, fmt.Errorf("<%s> has an unexpected element <%s>", n.name.Local, c.name.Local)
		}
		if idx < last {
			return nil, fmt.Errorf("<%s>: element <%s> is out of order (the documented order is %s)", n.name.Local, c.name.Local, order(props))
		}
		last = idx
		p := props[idx]
		switch {
		case p.array && p.wrapped:
			items := []any{}
			for _, it := range c.children {
				val, err := fromXML(it, p.schema.Value.Items)
				if err != nil {
					return nil, err
				}
				items = append(items, val)
			}
			out[p.name] = items
		case p.array:
			val, err := fromXML(c, p.schema.Value.Items)
			if err != nil {
				return nil, err
			}
			items, _ := out[p.name].([]any)
			out[p.name] = append(items, val)
		default:
			val, err := fromXML(c, p.schema)
			if err != nil {
				return nil, err
			}
			out[p.name] = val
		}
	}
	return out, nil
}

func order(props []xmlProp) string {
	var names []string
	for _, p := range props {
		if !p.attr {
			names = append(names, p.elem)
		}
	}
	return strings.Join(names, ", ")
}

func scalar(text string, s *openapi3.Schema) (any, error) {
	switch {
	case s.Type.Is("integer"), s.Type.Is("number"):
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", text)
		}
		return f, nil
	case s.Type.Is("boolean"):
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, fmt.Errorf("%q is not a boolean", text)
		}
		return b, nil
	}
	return text, nil
}

// EncodeXML writes v (any value that marshals to JSON) as XML following
// the xml objects and the property order of schema s.
func EncodeXML(w io.Writer, s *openapi3.SchemaRef, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return err
	}
	name, ns := "Root", ""
	if x := xmlOf(s); x != nil {
		if x.Name != "" {
			name = x.Name
		}
		ns = x.Namespace
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: name}}
	if ns != "" {
		start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: ns})
	}
	if err := toXML(enc, start, s, generic); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func toXML(enc *xml.Encoder, start xml.StartElement, s *openapi3.SchemaRef, v any) error {
	s = effective(s)
	m, isMap := v.(map[string]any)
	if !isMap || s == nil || s.Value == nil {
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		if v != nil {
			if err := enc.EncodeToken(xml.CharData(text(v))); err != nil {
				return err
			}
		}
		return enc.EncodeToken(start.End())
	}
	props := xmlProps(s.Value)
	for _, p := range props {
		if val, ok := m[p.name]; ok && p.attr && val != nil {
			start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: p.elem}, Value: text(val)})
		}
	}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	for _, p := range props {
		val, ok := m[p.name]
		if !ok || p.attr || val == nil {
			continue
		}
		switch {
		case p.array:
			items, _ := val.([]any)
			inner := enc
			if p.wrapped {
				if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: p.elem}}); err != nil {
					return err
				}
			}
			for _, it := range items {
				if err := toXML(inner, xml.StartElement{Name: xml.Name{Local: p.itemElem}}, p.schema.Value.Items, it); err != nil {
					return err
				}
			}
			if p.wrapped {
				if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: p.elem}}); err != nil {
					return err
				}
			}
		default:
			if err := toXML(enc, xml.StartElement{Name: xml.Name{Local: p.elem}}, p.schema, val); err != nil {
				return err
			}
		}
	}
	return enc.EncodeToken(start.End())
}

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}
