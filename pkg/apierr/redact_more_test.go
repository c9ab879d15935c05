package apierr_test

import (
	"net/url"
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
