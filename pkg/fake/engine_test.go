package fake_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

const miniSpec = `
openapi: 3.0.3
info: {title: mini, version: "1"}
security: [{Bearer: []}]
paths:
  /items/{id}:
    get:
      operationId: GetItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: x-api-version, in: header, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: {type: integer}
                  name: {type: string}
        "404":
          description: Not Found
          content:
            application/json:
              schema: {type: object, properties: {code: {type: string}}}
  /public:
    get:
      operationId: Public
      security: []
      responses:
        "204": {description: No Content}
components:
  securitySchemes:
    Bearer: {type: http, scheme: bearer}
`

func writeErr(w http.ResponseWriter, _ *http.Request, status int, code, _ string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"code":"`+code+`"}`)
}

func newEngine(t *testing.T, good bool) *fake.Engine {
	t.Helper()
	e, err := fake.New([]byte(miniSpec), writeErr)
	require.NoError(t, err)
	e.SetAuthenticator(func(r *http.Request) (any, error) {
		if r.Header.Get("Authorization") != "Bearer ok" {
			return nil, errors.New("no")
		}
		return "user", nil
	})
	require.NoError(t, e.Handle("GetItem", func(w http.ResponseWriter, _ *http.Request, in *fake.Input) {
		w.Header().Set("Content-Type", "application/json")
		if good {
			_, _ = io.WriteString(w, `{"id":`+in.PathParams["id"]+`,"name":"x"}`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"not a number"}`)
	}))
	return e
}

func do(t *testing.T, h http.Handler, path string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var okHeaders = map[string]string{"Authorization": "Bearer ok", "x-api-version": "1"}

func TestEngineServesValidTraffic(t *testing.T) {
	e := newEngine(t, true)
	rec := do(t, e, "/items/7", okHeaders)
	assert.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"id":7,"name":"x"}`, rec.Body.String())
	assert.Empty(t, e.Violations())
	assert.Equal(t, map[string]int{"GetItem": 1}, e.Calls())
	assert.Equal(t, []string{"GetItem", "Public"}, e.Operations())
}

func TestEngineRejectsResponseThatBreaksSpec(t *testing.T) {
	e := newEngine(t, false)
	var seen []error
	e.OnViolation(func(err error) { seen = append(seen, err) })
	rec := do(t, e, "/items/7", okHeaders)
	assert.Equal(t, 500, rec.Code)
	require.Len(t, e.Violations(), 1)
	assert.Contains(t, e.Violations()[0].Error(), "response 200 violates the spec")
	assert.Len(t, seen, 1)
}

func TestEngineRejectsRequestThatBreaksSpec(t *testing.T) {
	e := newEngine(t, true)
	rec := do(t, e, "/items/abc", okHeaders)
	assert.Equal(t, 400, rec.Code)
	rec = do(t, e, "/items/7", map[string]string{"Authorization": "Bearer ok"}) // no x-api-version
	assert.Equal(t, 400, rec.Code)
	assert.Len(t, e.Violations(), 2)
}

func TestEngineAuthAndRouting(t *testing.T) {
	e := newEngine(t, true)
	rec := do(t, e, "/items/7", map[string]string{"x-api-version": "1"})
	assert.Equal(t, 401, rec.Code)
	assert.Empty(t, e.Violations(), "a missing credential is the server's answer, not a violation")

	rec = do(t, e, "/nowhere", okHeaders)
	assert.Equal(t, 404, rec.Code)
	require.Len(t, e.Violations(), 1)

	rec = do(t, e, "/public", nil)
	assert.Equal(t, 500, rec.Code, "an operation without a handler")
	require.Len(t, e.Violations(), 2)
	assert.True(t, strings.Contains(e.Violations()[1].Error(), "no handler"))

	assert.Error(t, e.Handle("NoSuchOperation", nil))
}

func TestEngineRejectsInvalidSpec(t *testing.T) {
	_, err := fake.New([]byte("openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n"), writeErr)
	assert.Error(t, err)
	_, err = fake.New([]byte(":::"), writeErr)
	assert.Error(t, err)
}

func TestEngineAnswersFromExamplesAndSchemas(t *testing.T) {
	e, err := fake.New([]byte(miniSpec), writeErr)
	require.NoError(t, err)
	e.SetAuthenticator(func(*http.Request) (any, error) { return nil, nil })
	require.NoError(t, e.AnswerUnhandledWithExamples())
	rec := do(t, e, "/items/3", okHeaders)
	assert.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"id":1,"name":"string"}`, rec.Body.String(), "built from the schema")
	rec = do(t, e, "/public", nil)
	assert.Equal(t, 204, rec.Code)
	assert.Empty(t, e.Violations())
	_, err = e.ExampleHandler("Nope")
	assert.Error(t, err)
}

// Coverage counts only what the contract coverage gate may: authenticated,
// spec-valid requests answered 2xx, validly, by a stateful handler; the
// calls of a client's Raw() apart.
func TestEngineCoverageCountsValidSuccessOnly(t *testing.T) {
	e := newEngine(t, true)
	assert.Equal(t, 401, do(t, e, "/items/7", map[string]string{"x-api-version": "1"}).Code)
	assert.Equal(t, 400, do(t, e, "/items/abc", okHeaders).Code)
	assert.Equal(t, 200, do(t, e, "/items/7", okHeaders).Code)
	raw := map[string]string{"Authorization": "Bearer ok", "x-api-version": "1", "User-Agent": "backupsdk-go/0.1.0 (vbaws; raw)"}
	assert.Equal(t, 200, do(t, e, "/items/8", raw).Code)
	assert.Equal(t, 500, do(t, e, "/public", nil).Code, "no handler")

	assert.Equal(t, map[string]int{"GetItem": 4, "Public": 1}, e.Calls(), "Calls counts every routed request")
	cov := e.Coverage()
	assert.Equal(t, fake.Coverage{StatefulHandler: true, Answers: fake.Answers{Stateful: 1, StatefulRaw: 1}}, cov["GetItem"])
	assert.Equal(t, fake.Coverage{}, cov["Public"])

	bad := newEngine(t, false)
	bad.OnViolation(func(error) {})
	assert.Equal(t, 500, do(t, bad, "/items/7", okHeaders).Code)
	assert.Zero(t, bad.Coverage()["GetItem"].Stateful, "a response that breaks the spec")

	notFound := newEngine(t, true)
	require.NoError(t, notFound.Handle("GetItem", func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"code":"NotFound"}`)
	}))
	assert.Equal(t, 404, do(t, notFound, "/items/7", okHeaders).Code)
	assert.Zero(t, notFound.Coverage()["GetItem"].Stateful, "not a success")
	assert.Empty(t, notFound.Violations())
}

func TestEngineCoverageTellsExamplesApart(t *testing.T) {
	e := newEngine(t, true)
	require.NoError(t, e.Serve())
	assert.Equal(t, 204, do(t, e, "/public", nil).Code)
	assert.Equal(t, 200, do(t, e, "/items/3", okHeaders).Code)
	cov := e.Coverage()
	assert.Equal(t, fake.Coverage{Answers: fake.Answers{Examples: 1}}, cov["Public"], "answered from the spec")
	assert.Equal(t, fake.Coverage{StatefulHandler: true, Answers: fake.Answers{Stateful: 1}}, cov["GetItem"])
}

func TestEngineCoverageOfStreams(t *testing.T) {
	for _, tc := range []struct {
		contentType string
		counted     int
	}{{"application/json", 1}, {"text/csv", 0}} {
		e := newEngine(t, true)
		var violations []error
		e.OnViolation(func(err error) { violations = append(violations, err) })
		require.NoError(t, e.HandleStream("GetItem", func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
			w.Header().Set("Content-Type", tc.contentType)
			_, _ = io.WriteString(w, `{"id":1,"name":"x"}`)
		}))
		assert.Equal(t, 200, do(t, e, "/items/1", okHeaders).Code)
		assert.Equal(t, tc.counted, e.Coverage()["GetItem"].Stateful, tc.contentType)
		assert.Len(t, violations, 1-tc.counted, tc.contentType)
	}
}

const serversSpec = `
openapi: 3.0.3
info: {title: servers, version: "1"}
servers: [{url: "https://{host}.example.com/v2", variables: {host: {default: a}}}]
paths:
  /items:
    get:
      operationId: ListItems
      responses:
        "204": {description: No Content}
  /legacy/items:
    servers: [{url: "https://{host}.example.com/api/v1", variables: {host: {default: a}}}]
    get:
      operationId: ListLegacyItems
      responses:
        "204": {description: No Content}
`

// Under serves each operation below the path of its server only: the
// spec's, or its path item's.
func TestUnderServesEachBasePath(t *testing.T) {
	e, err := fake.New([]byte(serversSpec), writeErr)
	require.NoError(t, err)
	require.NoError(t, e.Serve())
	for _, id := range []string{"ListItems", "ListLegacyItems"} {
		require.NoError(t, e.Handle(id, func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
			w.WriteHeader(http.StatusNoContent)
		}))
	}
	mux := http.NewServeMux()
	mux.Handle("/v2/", e.Under("/v2"))
	mux.Handle("/api/v1/", e.Under("/api/v1"))
	for path, want := range map[string]int{
		"/v2/items":            http.StatusNoContent,
		"/api/v1/legacy/items": http.StatusNoContent,
		"/v2/legacy/items":     http.StatusNotFound,
		"/api/v1/items":        http.StatusNotFound,
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		assert.Equal(t, want, rec.Code, path)
	}
	v := e.Violations()
	require.Len(t, v, 2, "one violation per misrouted request")
	assert.Contains(t, v[0].Error()+v[1].Error(), `operation ListLegacyItems is served under "/api/v1", not "/v2"`)
	assert.Equal(t, 1, e.Coverage()["ListLegacyItems"].Stateful)
}
