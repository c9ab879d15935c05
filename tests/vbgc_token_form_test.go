package tests

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// TestVBGCTokenFormAsTheApplianceReadsIt pins how the fake reads
// POST /api/v1/token, which is how the appliance reads it:
//
//   - The reference (helpcenter.veeam.com/references/vbgc/7/rest/tag/Token,
//     and the 1.0 page archive/vbgcp/20/rest/requesting_authorization.html)
//     spells the form fields in lower case and grant_type=password, and
//     marks x-api-version as required. The appliance binds the form to a
//     model (LoginSpec in the Veeam Backup for AWS 1.0 Swagger of
//     VeeamHub/veeam-aws-sdk-go) and matches names and enum values without
//     regard to case; the docs' own Offset example writes "?Offset=2" for
//     the "offset" parameter.
//   - Veeam's Grafana collector for this product (VeeamHub/grafana,
//     veeam-backup-gcp-grafana/veeam_gcp.sh), written against a 1.0
//     appliance, logs in with Username=, Password=, grant_type=Password,
//     empty refresh_token/mfa_token/mfa_code and no x-api-version header,
//     then reads access_token from the answer.
//   - The "Requesting Authorization" pages write the endpoint as
//     "api/v1/token/", with a trailing slash.
//
// The SDK itself keeps sending the documented lower-case form and header.
func TestVBGCTokenFormAsTheApplianceReadsIt(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(srv.CACertPEM()))
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}

	post := func(path, body string, headers map[string]string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer func() { _ = resp.Body.Close() }()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}

	// The collector's login, byte for byte but for the credentials.
	status, tok := post("/api/v1/token",
		"Username=admin&Password=gc-pass&refresh_token=&grant_type=Password&mfa_token=&mfa_code=", nil)
	require.Equal(t, http.StatusOK, status, "%v", tok)
	access, _ := tok["access_token"].(string)
	require.NotEmpty(t, access)
	assert.Equal(t, 1, srv.Tokens.Requests()["password"], "counted as the password grant")

	// Its next call, with the token it got and x-api-version 1.0-rev0.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/api/v1/vmInstance/policies", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("x-api-version", "1.0-rev0")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	// Mixed case, trailing slash, refresh grant spelled in capitals.
	refresh, _ := tok["refresh_token"].(string)
	status, tok = post("/api/v1/token/", "GRANT_TYPE=Refresh_Token&Refresh_Token="+refresh, map[string]string{"x-api-version": "1.1-rev0"})
	require.Equal(t, http.StatusOK, status, "%v", tok)
	assert.NotEqual(t, access, tok["access_token"])
	assert.Equal(t, 1, srv.Tokens.Requests()["refresh_token"])

	// Case does not make a wrong password right, nor an unknown grant known
	// (the engine refuses those two against the spec: count, not fail).
	var refused atomic.Int32
	srv.OnViolation(func(error) { refused.Add(1) })
	status, body := post("/api/v1/token", "Username=admin&Password=GC-PASS&grant_type=Password", nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.NotContains(t, body["details"], "GC-PASS", "no secret in the error")
	status, _ = post("/api/v1/token", "Username=admin&Password=gc-pass&grant_type=Client_Credentials", nil)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _ = post("/api/v1/token", "Username=admin&Password=gc-pass", nil)
	assert.Equal(t, http.StatusBadRequest, status, "grant_type stays required")
	status, _ = post("/api/v1/token", "%zz=1", nil)
	assert.Equal(t, http.StatusBadRequest, status, "a malformed form is refused")
	assert.EqualValues(t, 2, refused.Load(), "unknown grant type and missing grant_type")
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })

	// The SDK still sends the documented form and header.
	require.NoError(t, c.Login(ctx))
	assert.Equal(t, 3, srv.Tokens.Requests()["password"], "the collector, the wrong password and the SDK")
}
