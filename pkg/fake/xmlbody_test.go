package fake_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

const xmlSpec = `
openapi: 3.0.3
info: {title: xml, version: "1"}
paths:
  /passwords:
    post:
      operationId: CreatePassword
      requestBody:
        required: true
        content:
          application/xml:
            schema: {$ref: "#/components/schemas/PasswordKeyInfoSpec"}
          application/json:
            schema: {$ref: "#/components/schemas/PasswordKeyInfoSpec"}
      responses:
        "201":
          description: Created
          content:
            application/xml:
              schema: {$ref: "#/components/schemas/PasswordKeyInfo"}
            application/json:
              schema: {$ref: "#/components/schemas/PasswordKeyInfo"}
components:
  schemas:
    PasswordKeyInfoSpec:
      type: object
      xml: {name: PasswordKeyInfoSpec, namespace: "http://www.veeam.com/ent/v1.0"}
      required: [Password]
      properties:
        Hint: {type: string}
        Password: {type: string}
    Link:
      type: object
      xml: {name: Link}
      properties:
        Rel: {type: string, xml: {attribute: true}}
        Href: {type: string, xml: {attribute: true}}
    PasswordKeyInfo:
      type: object
      xml: {name: PasswordKeyInfo, namespace: "http://www.veeam.com/ent/v1.0"}
      properties:
        Href: {type: string, xml: {attribute: true}}
        Type: {type: string, xml: {attribute: true}}
        Links:
          type: array
          xml: {wrapped: true}
          items: {$ref: "#/components/schemas/Link"}
        Id: {type: string}
        Hint: {type: string}
        Version: {type: integer}
`

func xmlEngine(t *testing.T) *fake.Engine {
	t.Helper()
	e, err := fake.New([]byte(xmlSpec), writeErr)
	require.NoError(t, err)
	require.NoError(t, e.Handle("CreatePassword", func(w http.ResponseWriter, _ *http.Request, in *fake.Input) {
		in.Respond(w, http.StatusCreated, map[string]any{
			"Href": "/passwords/1", "Type": "PasswordKey", "Id": "1", "Hint": "vault", "Version": 3,
			"Links": []any{map[string]any{"Rel": "Delete", "Href": "/passwords/1"}},
		})
	}))
	return e
}

func post(e http.Handler, contentType, accept, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/passwords", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestXMLBodiesInDocumentedOrder(t *testing.T) {
	e := xmlEngine(t)
	rec := post(e, "application/xml", "", `<PasswordKeyInfoSpec xmlns="http://www.veeam.com/ent/v1.0"><Hint>vault</Hint><Password>p</Password></PasswordKeyInfoSpec>`)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	assert.Equal(t, "application/xml", rec.Header().Get("Content-Type"), "XML when no Accept is sent")
	body, _ := io.ReadAll(rec.Body)
	assert.Contains(t, string(body), `<PasswordKeyInfo xmlns="http://www.veeam.com/ent/v1.0" Href="/passwords/1" Type="PasswordKey"><Links><Link Rel="Delete" Href="/passwords/1"></Link></Links><Id>1</Id><Hint>vault</Hint><Version>3</Version></PasswordKeyInfo>`)
	assert.Empty(t, e.Violations())
}

func TestXMLBodyOutOfOrderIsRejected(t *testing.T) {
	e := xmlEngine(t)
	rec := post(e, "application/xml", "", `<PasswordKeyInfoSpec xmlns="http://www.veeam.com/ent/v1.0"><Password>p</Password><Hint>vault</Hint></PasswordKeyInfoSpec>`)
	assert.Equal(t, 400, rec.Code)
	require.Len(t, e.Violations(), 1)
	assert.Contains(t, e.Violations()[0].Error(), "out of order")
}

func TestXMLBodyWrongRootOrNamespaceIsRejected(t *testing.T) {
	e := xmlEngine(t)
	assert.Equal(t, 400, post(e, "application/xml", "", `<Other xmlns="http://www.veeam.com/ent/v1.0"><Password>p</Password></Other>`).Code)
	assert.Equal(t, 400, post(e, "application/xml", "", `<PasswordKeyInfoSpec><Password>p</Password></PasswordKeyInfoSpec>`).Code)
	assert.Equal(t, 400, post(e, "application/xml", "", `<PasswordKeyInfoSpec xmlns="http://www.veeam.com/ent/v1.0"><Hint>h</Hint></PasswordKeyInfoSpec>`).Code, "required Password")
	assert.Equal(t, 400, post(e, "application/xml", "", `<PasswordKeyInfoSpec xmlns="http://www.veeam.com/ent/v1.0"><Secret>x</Secret></PasswordKeyInfoSpec>`).Code)
	assert.Len(t, e.Violations(), 4)
}

func TestJSONWhenAsked(t *testing.T) {
	e := xmlEngine(t)
	rec := post(e, "application/json", "application/json", `{"Hint":"vault","Password":"p"}`)
	require.Equal(t, 201, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.JSONEq(t, `{"Href":"/passwords/1","Type":"PasswordKey","Id":"1","Hint":"vault","Version":3,"Links":[{"Rel":"Delete","Href":"/passwords/1"}]}`, rec.Body.String())
	assert.Empty(t, e.Violations())
}

const oneOfSpec = `
openapi: 3.0.3
info: {title: xml, version: "1"}
paths:
  /servers:
    post:
      operationId: ServerAction
      requestBody:
        required: true
        content:
          application/xml:
            schema:
              oneOf:
              - $ref: "#/components/schemas/ZipSpec"
              - $ref: "#/components/schemas/QuickSpec"
      responses:
        "204":
          description: No Content
components:
  schemas:
    ZipSpec:
      type: object
      additionalProperties: false
      xml: {name: ZipSpec, namespace: "http://www.veeam.com/ent/v1.0"}
      required: [VmRef, Level]
      properties:
        VmRef: {type: string}
        Level: {type: integer}
    QuickSpec:
      type: object
      additionalProperties: false
      xml: {name: QuickSpec, namespace: "http://www.veeam.com/ent/v1.0"}
      required: [VmRef]
      properties:
        VmRef: {type: string}
`

// A body that may be one of several schemas is read with the schema whose
// root element it has, in that schema's order.
func TestXMLBodyOneOfPicksTheRootsSchema(t *testing.T) {
	e, err := fake.New([]byte(oneOfSpec), writeErr)
	require.NoError(t, err)
	require.NoError(t, e.Handle("ServerAction", func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
		w.WriteHeader(http.StatusNoContent)
	}))
	send := func(body string) int {
		req := httptest.NewRequest(http.MethodPost, "/servers", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/xml")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec.Code
	}
	const ns = ` xmlns="http://www.veeam.com/ent/v1.0"`
	assert.Equal(t, 204, send(`<ZipSpec`+ns+`><VmRef>vm-1</VmRef><Level>5</Level></ZipSpec>`))
	assert.Equal(t, 204, send(`<QuickSpec`+ns+`><VmRef>vm-1</VmRef></QuickSpec>`))
	assert.Empty(t, e.Violations())
	assert.Equal(t, 400, send(`<ZipSpec`+ns+`><Level>5</Level><VmRef>vm-1</VmRef></ZipSpec>`), "out of the zip order")
	assert.Equal(t, 400, send(`<QuickSpec`+ns+`><VmRef>vm-1</VmRef><Level>5</Level></QuickSpec>`), "a zip element in a quick body")
	assert.Equal(t, 400, send(`<OtherSpec`+ns+`><VmRef>vm-1</VmRef></OtherSpec>`))
	require.Len(t, e.Violations(), 3)
	assert.Contains(t, e.Violations()[2].Error(), "want one of <ZipSpec>, <QuickSpec>")
}
