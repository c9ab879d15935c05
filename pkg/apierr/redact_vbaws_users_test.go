package apierr_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// TestRedactUserAndCertificateSecrets covers the secrets of the Veeam
// Backup for AWS user accounts and certificate upload: a current password
// (oldPassword), a certificate password, and the MFA secrets (secretKey,
// scratchCodes, token, and the otpauth URI in qrString), should an error
// body ever echo them.
func TestRedactUserAndCertificateSecrets(t *testing.T) {
	body := `{"errorCode":"UnexpectedContent","title":"t","status":400,"type":"t","message":"bad",` +
		`"data":{"password":"New-S3cret","oldPassword":"Old-S3cret","certificatePassword":"Pfx-S3cret",` +
		`"secretKey":"JBSWY3DPEHPK3PXP","token":"Tok-S3cret","scratchCodes":["40218113"],` +
		`"qrString":"otpauth://totp/x?secret=QRS3CRET&issuer=y","userName":"operator"}}`
	resp := &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {"application/problem+json"}},
		Body: io.NopCloser(strings.NewReader(body))}
	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	out := fmt.Sprintf("%v %+v %#v", err, err, err)
	for _, s := range []string{"New-S3cret", "Old-S3cret", "Pfx-S3cret", "JBSWY3DPEHPK3PXP", "Tok-S3cret", "40218113", "QRS3CRET"} {
		assert.NotContains(t, out, s)
	}
	assert.Contains(t, out, "operator", "what is no secret stays")

	text := apierr.Redact(`{"oldPassword":"Old-S3cret","certificatePassword":"Pfx-S3cret","qrString":"otpauth://totp/x?secret=QRS3CRET"}`)
	for _, s := range []string{"Old-S3cret", "Pfx-S3cret", "QRS3CRET"} {
		assert.NotContains(t, text, s)
	}
	assert.True(t, apierr.IsSensitive("certificatePassword"))
	assert.True(t, apierr.IsSensitive("oldPassword"))
}
