package specaudit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/specs"
)

// ours is a spec as we write them: paths carry the /api/v1 prefix, the
// server URL has none.
const ours = `openapi: 3.0.3
info: {title: ours, version: "1"}
servers:
- url: https://{host}:{port}
  variables:
    host: {default: appliance}
    port: {default: "13140"}
x-backupsdk-source: reference-1.4
paths:
  /api/v1/things:
    get:
      operationId: ListThings
      parameters:
      - {name: x-api-version, in: header, required: true, schema: {type: string}}
      - {name: Offset, in: query, schema: {type: integer}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /api/v1/things/{thingId}:
    parameters:
    - {name: thingId, in: path, required: true, schema: {type: string}}
    get:
      operationId: GetThing
      x-backupsdk-inferred: true
      x-backupsdk-inferred-note: >-
        follows the list operation, one level down; a note long enough to be
        folded over two lines.
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    put:
      operationId: UpdateThing
      x-backupsdk-inferred: true
      x-backupsdk-inferred-note: guessed.
      parameters:
      - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, slow]}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              allOf:
              - $ref: '#/components/schemas/Thing'
              - type: object
                properties:
                  colour: {type: string}
      responses:
        "200":
          description: OK
    delete:
      operationId: DeleteThing
      x-backupsdk-source: changelog-1.1
      x-backupsdk-inferred: true
      x-backupsdk-inferred-note: guessed from the changelog.
      responses:
        "204": {description: No Content}
  /api/v1/things/{thingId}/start:
    post:
      operationId: StartThing
      x-backupsdk-inferred: true
      x-backupsdk-inferred-note: as the policies.
      parameters:
      - {name: thingId, in: path, required: true, schema: {type: string}}
      responses:
        "202": {description: Accepted}
  /api/v1/things/{thingId}/stop:
    post:
      operationId: StopThing
      x-backupsdk-inferred: true
      parameters:
      - {name: thingId, in: path, required: true, schema: {type: string}}
      responses:
        "202": {description: Accepted}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        state: {type: string, enum: [Ready, Busy]}
`

// vendor is what an appliance might serve for the same API: its server URL
// holds the /api/v1 base, one path is spelled differently, one operation is
// absent and one is the vendor's only.
const vendor = `{
  "openapi": "3.0.1",
  "info": {"title": "Vendor API", "version": "1.4-rev0"},
  "servers": [{"url": "/api/v1"}],
  "paths": {
    "/things": {"get": {"operationId": "Things_List",
      "parameters": [{"name": "Offset", "in": "query", "schema": {"type": "integer"}},
                     {"name": "x-api-version", "in": "header", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
    "/things/{id}": {
      "get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
      "put": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                             {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["fast", "careful"]}},
                             {"name": "x-request-id", "in": "header", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
          "id": {"type": "string"}, "state": {"type": "string", "enum": ["Ready", "Busy", "Failed"]}, "size": {"type": "integer"}}}}}},
        "responses": {"204": {"description": "No Content"}}}
    },
    "/things/{id}/Start": {"post": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"202": {"description": "Accepted"}}}},
    "/things/{id}/stop": {"post": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"202": {"description": "Accepted"}}}},
    "/others": {"get": {"operationId": "Others_List", "summary": "List others", "responses": {"200": {"description": "OK"}}}}
  },
  "components": {"schemas": {"Thing": {"type": "object", "properties": {
    "id": {"type": "string"}, "state": {"type": "string", "enum": ["Ready", "Busy"]}}}}}
}`

func compare(t *testing.T, spec, vendorDoc string) *Report {
	t.Helper()
	s, err := LoadSpec([]byte(spec))
	require.NoError(t, err)
	v, err := LoadVendor([]byte(vendorDoc))
	require.NoError(t, err)
	return Compare(s, v)
}

func find(t *testing.T, r *Report, method, path string) Operation {
	t.Helper()
	for _, op := range r.Operations {
		if op.Method == method && op.Path == path {
			return op
		}
	}
	t.Fatalf("%s %s is not in the report", method, path)
	return Operation{}
}

func TestCompareSortsEachOperation(t *testing.T) {
	r := compare(t, ours, vendor)
	assert.Equal(t, "Vendor API", r.Title)
	assert.Equal(t, "1.4-rev0", r.Version)
	require.Len(t, r.Operations, 6)

	list := find(t, r, "GET", "/api/v1/things")
	assert.Equal(t, Confirmed, list.Status, list.Details)
	assert.False(t, list.Inferred)

	get := find(t, r, "GET", "/api/v1/things/{thingId}")
	assert.Equal(t, Differs, get.Status)
	assert.True(t, get.Inferred)
	assert.Equal(t, "/api/v1/things/{id}", get.VendorPath)
	assert.Equal(t, []string{"path spelled /api/v1/things/{id} by the vendor"}, get.Details)

	assert.Equal(t, Missing, find(t, r, "DELETE", "/api/v1/things/{thingId}").Status)

	start := find(t, r, "POST", "/api/v1/things/{thingId}/start")
	assert.Equal(t, Differs, start.Status)
	assert.Equal(t, "/api/v1/things/{id}/Start", start.VendorPath, "letter case is matched loosely but reported")

	put := find(t, r, "PUT", "/api/v1/things/{thingId}")
	assert.Equal(t, Differs, put.Status)
	assert.Equal(t, []string{
		"path spelled /api/v1/things/{id} by the vendor",
		`header x-request-id: the vendor's only (required)`,
		"query parameter mode: required true here, false by the vendor",
		"query parameter mode: enum values not in the vendor document: slow; the vendor's only enum values: careful",
		`request body property "colour": not in the vendor document`,
		`request body property "size": the vendor's only`,
		`request body property "state": the vendor's only enum values: Failed`,
		"success status: 200 here, 204 by the vendor",
	}, put.Details)

	require.Len(t, r.VendorOnly, 1)
	assert.Equal(t, VendorOperation{Method: "GET", Path: "/api/v1/others", OperationID: "Others_List", Summary: "List others"}, r.VendorOnly[0])

	all, inferred := r.Count(Differs) // get, put, start and stop (spelled {id} by the vendor)
	assert.Equal(t, 4, all)
	assert.Equal(t, 4, inferred)
}

func TestCompareConfirmsAnExactMatch(t *testing.T) {
	r := compare(t, ours, vendor)
	stop := find(t, r, "POST", "/api/v1/things/{thingId}/stop")
	// The vendor names the path parameter {id}: a different spelling.
	assert.Equal(t, Differs, stop.Status)

	exact := strings.ReplaceAll(vendor, `"/things/{id}/stop"`, `"/things/{thingId}/stop"`)
	exact = strings.Replace(exact, `{"post": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"202": {"description": "Accepted"}}}},
    "/others"`, `{"post": {"parameters": [{"name": "thingId", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"202": {"description": "Accepted"}}}},
    "/others"`, 1)
	r = compare(t, ours, exact)
	stop = find(t, r, "POST", "/api/v1/things/{thingId}/stop")
	assert.Equal(t, Confirmed, stop.Status, stop.Details)
	assert.True(t, stop.Inferred)
}

func TestLoadVendorReadsSwagger2(t *testing.T) {
	const swagger = `swagger: "2.0"
info: {title: Old API, version: 1.0-rev0}
host: appliance:13140
basePath: /api/v1
paths:
  /things:
    get:
      parameters:
      - {name: Offset, in: query, type: integer}
      responses:
        "200":
          description: OK
          schema: {$ref: '#/definitions/Thing'}
definitions:
  Thing:
    type: object
    properties:
      id: {type: string}
      state: {type: string, enum: [Ready, Busy]}
`
	r := compare(t, ours, swagger)
	assert.Equal(t, "Old API", r.Title)
	list := find(t, r, "GET", "/api/v1/things")
	assert.Equal(t, Confirmed, list.Status, list.Details)
	assert.Equal(t, Missing, find(t, r, "GET", "/api/v1/things/{thingId}").Status)
}

func TestLoadVendorRefusesOtherDocuments(t *testing.T) {
	for name, doc := range map[string]string{
		"not yaml":      "{{",
		"no version":    "info: {title: x}\npaths: {}\n",
		"swagger 1.2":   `{"swaggerVersion": "1.2"}`,
		"openapi 2 key": "openapi: 2.0\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadVendor([]byte(doc))
			assert.Error(t, err)
		})
	}
}

// Each of our specs, audited against itself, is confirmed in full: the
// audit reads every layout the specs use, path-level servers included.
func TestOurSpecsAgainstThemselves(t *testing.T) {
	for name, data := range specs.All() {
		t.Run(name, func(t *testing.T) {
			r := compare(t, string(data), string(data))
			assert.Empty(t, r.VendorOnly)
			for _, op := range r.Operations {
				assert.Equal(t, Confirmed, op.Status, "%s %s: %v", op.Method, op.Path, op.Details)
			}
		})
	}
}
