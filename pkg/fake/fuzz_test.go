package fake

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// fuzzXMLSpec is a small spec exercising what the XML decoder supports:
// attributes of every scalar type, wrapped and repeated arrays, a nested
// object behind an allOf, a namespaced root and a free-form object.
const fuzzXMLSpec = `
openapi: 3.0.3
info: {title: fuzz, version: "1"}
paths: {}
components:
  schemas:
    Link:
      type: object
      xml: {name: Link}
      properties:
        Rel: {type: string, xml: {attribute: true}}
        Href: {type: string, xml: {attribute: true}}
        Size: {type: integer, xml: {attribute: true}}
    Result:
      type: object
      properties:
        Success: {type: boolean, xml: {attribute: true}}
        Message: {type: string}
    Task:
      type: object
      xml: {name: Task, namespace: "http://www.veeam.com/ent/v1.0"}
      properties:
        Href: {type: string, xml: {attribute: true}}
        Links:
          type: array
          xml: {wrapped: true}
          items: {$ref: "#/components/schemas/Link"}
        TaskId: {type: string}
        Progress: {type: number}
        Done: {type: boolean}
        Result:
          allOf: [{$ref: "#/components/schemas/Result"}]
          description: outcome
        Tags:
          type: array
          items: {type: string, xml: {name: Tag}}
    Bag:
      type: object
      additionalProperties: true
      properties:
        Name: {type: string}
        Count: {type: integer}
`

func fuzzSchemas(f *testing.F) (task, bag *openapi3.SchemaRef) {
	f.Helper()
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true // property order, as the engine loads specs
	doc, err := loader.LoadFromData([]byte(fuzzXMLSpec))
	if err != nil {
		f.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		f.Fatal(err)
	}
	return doc.Components.Schemas["Task"], doc.Components.Schemas["Bag"]
}

// FuzzDecodeXMLBody decodes arbitrary XML against the schema-guided decoder
// the fake registers for application/xml. What it accepts must encode again
// with EncodeXML and decode to the same value.
func FuzzDecodeXMLBody(f *testing.F) {
	task, bag := fuzzSchemas(f)
	f.Add([]byte(`<?xml version="1.0" encoding="utf-8"?>
<Task xmlns="http://www.veeam.com/ent/v1.0" Href="https://em/api/tasks/task-1">
  <Links><Link Rel="Up" Href="https://em/api" Size="3"/><Link Rel="Delete" Href="https://em/api/tasks/task-1"/></Links>
  <TaskId> task-1 </TaskId><Progress>42.5</Progress><Done>true</Done>
  <Result Success="false"><Message>Password=S3cr3t-xyz rejected</Message></Result>
  <Tag>a</Tag><Tag>b</Tag>
</Task>`))
	f.Add([]byte(`<Task xmlns="http://www.veeam.com/ent/v1.0"><TaskId>x</TaskId><Links/></Task>`))
	f.Add([]byte(`<Bag><Name>n</Name><Count>7</Count><Anything><Deep>1</Deep></Anything></Bag>`))
	f.Add([]byte(`<Task xmlns="http://www.veeam.com/ent/v1.0"><Done>maybe</Done></Task>`))
	f.Add([]byte(`<Task xmlns="urn:other"/>`))
	f.Add([]byte(`<Task xmlns="http://www.veeam.com/ent/v1.0"><a:TaskId xmlns:a="urn:a">1</a:TaskId><Progress>1e999</Progress></Task>`))
	f.Add([]byte(`<Task xmlns="http://www.veeam.com/ent/v1.0" Unknown="1"/>`))
	f.Add([]byte(`<Task xmlns="http://www.veeam.com/ent/v1.0"><Tag>a</Tag><TaskId>late</TaskId></Task>`))
	f.Add([]byte(`<A/><B/>`))
	f.Add([]byte(strings.Repeat("<Task>", 2000)))
	f.Add([]byte(``))
	f.Add([]byte(`<Task xmlns="http://www.veeam.com/ent/v1.0"><Progress>NaN</Progress><Done>T</Done></Task>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := decodeXMLBody(bytes.NewReader(body), nil, bag, nil); err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
		v, err := decodeXMLBody(bytes.NewReader(body), nil, task, nil)
		if err != nil {
			if v != nil {
				t.Fatalf("error %v with a value %v", err, v)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("object schema decoded to %T", v)
		}
		if !fuzzFinite(m) {
			// strconv.ParseFloat takes NaN and Inf; schema validation,
			// which runs on what the decoder returns, rejects them.
			return
		}
		var buf bytes.Buffer
		if err := EncodeXML(&buf, task, m); err != nil {
			t.Fatalf("decoded value %v does not encode: %v", m, err)
		}
		again, err := decodeXMLBody(bytes.NewReader(buf.Bytes()), nil, task, nil)
		if err != nil {
			t.Fatalf("re-encoded body does not decode: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(m, again) {
			t.Fatalf("round trip changed the value:\n first  %#v\n second %#v\n xml %s", m, again, buf.Bytes())
		}
	})
}

// fuzzFinite reports whether every number in a decoded value is finite.
func fuzzFinite(v any) bool {
	switch x := v.(type) {
	case float64:
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	case map[string]any:
		for _, e := range x {
			if !fuzzFinite(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !fuzzFinite(e) {
				return false
			}
		}
	}
	return true
}
