package apierr_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

func TestRedactCamelCaseAndNumbers(t *testing.T) {
	in := `{"accessToken":"tok-123","refreshToken":"ref-456","password":987654,"name":"kept"}`
	out := apierr.Redact(in)
	for _, secret := range []string{"tok-123", "ref-456", "987654"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, `"name":"kept"`)
}

func TestRedactURLCode(t *testing.T) {
	u, err := url.Parse("https://h/cb?code=abc123&state=s")
	assert.NoError(t, err)
	out := apierr.RedactURL(u)
	assert.NotContains(t, out, "abc123")
	assert.Contains(t, out, "state=s")
}

func TestNestedDataIsRedacted(t *testing.T) {
	resp := &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"errorCode":"x","title":"t","status":400,"type":"t","data":{"request":{"password":"Nested-S3cret","note":"token=Also-S3cret"},"list":[{"apikey":"List-S3cret"}]}}`))}
	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	out := fmt.Sprintf("%v %+v %#v", err, err, err)
	for _, s := range []string{"Nested-S3cret", "Also-S3cret", "List-S3cret"} {
		assert.NotContains(t, out, s)
	}
}
