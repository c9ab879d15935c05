package apierr

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answer builds the error of a 400 whose body quotes what the request sent.
func answer(t *testing.T, contentType, reqBody, respBody string) *Error {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://appliance/api/v1/things", strings.NewReader(reqBody))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	resp := &http.Response{StatusCode: http.StatusBadRequest, Request: req, Header: http.Header{"Content-Type": {"application/json"}}}
	return FromResponse(resp, []byte(respBody), DecodeVeeam)
}

func TestErrorsDropTheSecretsTheRequestSent(t *testing.T) {
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	require.NoError(t, mw.WriteField("certificatePassword", "Pfx-Secret-9"))
	require.NoError(t, mw.Close())

	for name, tc := range map[string]struct{ contentType, body, secret string }{
		"json member":       {"application/json", `{"name":"svc","spec":{"Password":"Hunter2-Long"}}`, "Hunter2-Long"},
		"json in a list":    {"application/json", `{"users":[{"name":"a","password":"List-Secret-1"}]}`, "List-Secret-1"},
		"xml element":       {"application/xml", `<CreateCloudTenantSpec><Name>t1</Name><Password>Tenant-Pw-77</Password></CreateCloudTenantSpec>`, "Tenant-Pw-77"},
		"xml attribute":     {"application/xml; charset=utf-8", `<Creds Name="svc" password="Attr-Secret-5"/>`, "Attr-Secret-5"},
		"form value":        {"application/x-www-form-urlencoded", "grant_type=password&username=admin&password=Form-Secret-3", "Form-Secret-3"},
		"multipart field":   {mw.FormDataContentType(), form.String(), "Pfx-Secret-9"},
		"json without type": {"", `{"apiKey":"Key-0123456789"}`, "Key-0123456789"},
	} {
		t.Run(name, func(t *testing.T) {
			// The message quotes the secret in free text, where no pattern
			// of Redact finds it; data holds it under an innocent name.
			e := answer(t, tc.contentType, tc.body, `{"errorCode":"BadRequest","message":"the value '`+tc.secret+`' is not allowed",
				"data":{"given":["`+tc.secret+`"]}}`)
			assert.NotContains(t, e.Error(), tc.secret)
			assert.NotContains(t, e.Message, tc.secret)
			assert.Equal(t, []any{Redacted}, e.Data["given"])
			assert.Contains(t, e.Message, Redacted)
		})
	}
}

func TestErrorsKeepWhatIsNoSecret(t *testing.T) {
	// Names are no secrets, and a secret too short to tell apart from a
	// word is left alone.
	e := answer(t, "application/json", `{"name":"payroll","password":"abc"}`, `{"message":"payroll: abc is too short"}`)
	assert.Equal(t, "payroll: abc is too short", e.Message)

	// One secret inside another is replaced whole.
	e = answer(t, "application/json", `{"password":"Long-Secret-XYZ","oldPassword":"Secret"}`, `{"message":"Long-Secret-XYZ differs from Secret"}`)
	assert.Equal(t, Redacted+" differs from "+Redacted, e.Message)

	// A request without a body to read again changes nothing.
	req, err := http.NewRequest(http.MethodGet, "https://appliance/api/v1/things", nil)
	require.NoError(t, err)
	e = FromResponse(&http.Response{StatusCode: 404, Request: req, Header: http.Header{}}, []byte(`{"message":"gone"}`), DecodeVeeam)
	assert.Equal(t, "gone", e.Message)
}
