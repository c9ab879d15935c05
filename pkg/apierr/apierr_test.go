package apierr_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// trackingBody records whether it was closed and how much was read.
type trackingBody struct {
	r      io.Reader
	read   int
	closed bool
}

func (b *trackingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

func (b *trackingBody) Close() error { b.closed = true; return nil }

func response(t *testing.T, status int, header http.Header, body string) (*http.Response, *trackingBody) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "https://user:pw@vb.example:11005/api/v1/policies?access_token=QSECRET&offset=10", nil)
	require.NoError(t, err)
	if header == nil {
		header = http.Header{}
	}
	tb := &trackingBody{r: strings.NewReader(body)}
	return &http.Response{StatusCode: status, Header: header, Body: tb, Request: req}, tb
}

func TestCheckResponseSuccessLeavesBodyAlone(t *testing.T) {
	for _, code := range []int{200, 201, 202, 204, 299} {
		resp, tb := response(t, code, nil, `{"ok":true}`)
		require.NoError(t, apierr.CheckResponse(resp, apierr.DecodeVeeam), "status %d", code)
		assert.Zero(t, tb.read, "a 2xx body must be left for the caller")
		assert.False(t, tb.closed)
	}
}

func TestCheckResponseNil(t *testing.T) {
	err := apierr.CheckResponse(nil, apierr.DecodeVeeam)
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse)
}

func TestCheckResponseDecodesVeeamProblem(t *testing.T) {
	body := `{"errorCode":"NotFound","message":"Policy was not found","type":"https://errors.example/notfound",
	"title":"Not Found","status":404,"details":"no policy 42","instance":"/api/v1/policies/42",
	"resourceId":"42","data":{"policyId":"42","count":3}}`
	h := http.Header{}
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Request-Id", "req-123")
	resp, tb := response(t, http.StatusNotFound, h, body)

	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	require.Error(t, err)
	assert.True(t, tb.closed, "the error body must be closed")

	var e *apierr.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	assert.Equal(t, "NotFound", e.Code)
	assert.Equal(t, "Policy was not found", e.Message)
	assert.Equal(t, "https://errors.example/notfound", e.Type)
	assert.Equal(t, "Not Found", e.Title)
	assert.Equal(t, "no policy 42", e.Details)
	assert.Equal(t, "/api/v1/policies/42", e.Instance)
	assert.Equal(t, "42", e.ResourceID)
	assert.Equal(t, map[string]any{"policyId": "42", "count": float64(3)}, e.Data)
	assert.Equal(t, "req-123", e.RequestID)
	assert.Equal(t, http.MethodGet, e.Method)
	assert.Empty(t, e.Body, "a decoded body is not kept raw")

	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.NotErrorIs(t, err, apierr.ErrUnauthorized)

	msg := err.Error()
	assert.Contains(t, msg, "GET https://vb.example:11005/api/v1/policies")
	assert.Contains(t, msg, "404 Not Found")
	assert.Contains(t, msg, "(NotFound)")
	assert.Contains(t, msg, "Policy was not found")
	assert.Contains(t, msg, "no policy 42")
	assert.Contains(t, msg, "[request id req-123]")
	// The URL in the error is redacted.
	assert.NotContains(t, msg, "QSECRET")
	assert.NotContains(t, msg, "user:pw")
	assert.NotContains(t, e.URL, "QSECRET")
	assert.NotContains(t, e.URL, "pw@")
	assert.Contains(t, e.URL, "offset=10")
}

func TestCheckResponseDataCapitalD(t *testing.T) {
	// Some products send "Data" with a capital D.
	body := `{"errorCode":"Conflict","title":"Conflict","status":409,"Data":{"jobId":"j-1"}}`
	resp, _ := response(t, http.StatusConflict, http.Header{"Content-Type": {"application/json"}}, body)
	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	var e *apierr.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, map[string]any{"jobId": "j-1"}, e.Data)
	assert.Equal(t, "Conflict", e.Code)
	assert.ErrorIs(t, err, apierr.ErrConflict)
}

func TestCheckResponseJSONWithoutContentType(t *testing.T) {
	resp, _ := response(t, http.StatusBadRequest, nil, `  {"errorCode":"BadThing","message":"bad"}  `)
	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	var e *apierr.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "BadThing", e.Code)
	assert.Equal(t, "bad", e.Message)
}

func TestCheckResponseUndecodableBodyIsKeptRedacted(t *testing.T) {
	body := "upstream exploded; password=hunter2 Authorization: Bearer abc.def.ghi"
	resp, _ := response(t, http.StatusBadGateway, http.Header{"Content-Type": {"text/plain"}}, body)
	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	var e *apierr.Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, e.Body, "upstream exploded")
	assert.NotContains(t, e.Body, "hunter2")
	assert.NotContains(t, e.Body, "abc.def.ghi")
	assert.Empty(t, e.Code)
	assert.ErrorIs(t, err, apierr.ErrServer)
}

func TestErrorShowsExcerptOfUndecodedBody(t *testing.T) {
	resp, _ := response(t, http.StatusBadRequest, http.Header{"Content-Type": {"text/plain"}},
		"Client sent an HTTP request to an HTTPS server.\n")
	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	assert.Equal(t, `GET https://vb.example:11005/api/v1/policies?access_token=%5BREDACTED%5D&offset=10: `+
		`400 Bad Request: response body "Client sent an HTTP request to an HTTPS server."`, err.Error())

	// An HTML page shows its text, without markup, scripts or styles.
	page := `<html><head><title>502 Bad Gateway</title><style>body{color:red}</style>
	<script>var token = "abc";</script></head><body><h1>Bad&nbsp;Gateway</h1>
	<p>password=hunter2 Authorization: Bearer abc.def.ghi</p></body></html>`
	resp, _ = response(t, http.StatusBadGateway, http.Header{"Content-Type": {"text/html"}}, page)
	err = apierr.CheckResponse(resp, apierr.DecodeVeeam)
	assert.Contains(t, err.Error(), `: response body "502 Bad Gateway Bad Gateway password=[REDACTED] Authorization: [REDACTED]"`)
	for _, secret := range []string{"hunter2", "abc.def.ghi", "color", "var token"} {
		assert.NotContains(t, err.Error(), secret)
	}

	// A long body is cut to 200 characters in the message; Body keeps more.
	long := strings.Repeat("é", 150) + " " + strings.Repeat("z", 300)
	resp, _ = response(t, http.StatusInternalServerError, nil, long)
	var e *apierr.Error
	require.ErrorAs(t, apierr.CheckResponse(resp, apierr.DecodeVeeam), &e)
	msg := e.Error()
	_, quoted, found := strings.Cut(msg, "response body ")
	require.True(t, found, msg)
	shown, err := strconv.Unquote(quoted)
	require.NoError(t, err)
	assert.Equal(t, 201, utf8.RuneCountInString(shown), "200 characters and an ellipsis")
	assert.True(t, strings.HasSuffix(shown, "…"))
	assert.Equal(t, long, e.Body)

	// A vendor message is shown instead, never both.
	resp, _ = response(t, http.StatusBadRequest, nil, `{"errorCode":"X","message":"vendor says"}`)
	err = apierr.CheckResponse(resp, apierr.DecodeVeeam)
	assert.NotContains(t, err.Error(), "response body")
}

func TestDecodeVeeamOAuthError(t *testing.T) {
	var e apierr.Error
	apierr.DecodeVeeam("application/json", []byte(`{"error":"invalid_grant","error_description":"bad password"}`), &e)
	assert.Equal(t, "invalid_grant", e.Code)
	assert.Equal(t, "bad password", e.Message)

	// Veeam's own members win; "error" as an object does not spoil the rest.
	e = apierr.Error{}
	apierr.DecodeVeeam("application/json", []byte(`{"errorCode":"AccessDenied","error":{"x":1},"error_description":2,"message":"m"}`), &e)
	assert.Equal(t, "AccessDenied", e.Code)
	assert.Equal(t, "m", e.Message)
}

func TestCheckResponseLongBodyTruncated(t *testing.T) {
	body := strings.Repeat("x", 10<<10)
	resp, _ := response(t, http.StatusInternalServerError, nil, body)
	var e *apierr.Error
	require.ErrorAs(t, apierr.CheckResponse(resp, apierr.DecodeVeeam), &e)
	assert.Less(t, len(e.Body), 3<<10)
	assert.True(t, strings.HasSuffix(e.Body, "…"))
}

func TestCheckResponseBoundsBodyRead(t *testing.T) {
	body := strings.Repeat("y", 1<<20)
	resp, tb := response(t, http.StatusInternalServerError, nil, body)
	require.Error(t, apierr.CheckResponse(resp, apierr.DecodeVeeam))
	assert.LessOrEqual(t, tb.read, 64<<10)
	assert.True(t, tb.closed)
}

func TestCheckResponseNilDecoderAndEmptyBody(t *testing.T) {
	resp, _ := response(t, http.StatusForbidden, nil, "")
	err := apierr.CheckResponse(resp, nil)
	var e *apierr.Error
	require.ErrorAs(t, err, &e)
	assert.Empty(t, e.Body)
	assert.ErrorIs(t, err, apierr.ErrForbidden)
	assert.Contains(t, err.Error(), "403 Forbidden")
}

func TestDecodeVeeamIgnoresForeignBodies(t *testing.T) {
	for _, tc := range []struct{ ct, body string }{
		{"text/html", "<html>oops</html>"},
		{"application/json", "not json"},
		{"", "plain"},
	} {
		var e apierr.Error
		apierr.DecodeVeeam(tc.ct, []byte(tc.body), &e)
		assert.Equal(t, apierr.Error{}, e, "%q", tc.body)
	}
}

func TestRequestIDHeaders(t *testing.T) {
	for _, h := range []string{"X-Request-Id", "X-Correlation-Id", "X-Ibm-Request-Id", "X-Global-Transaction-Id", "Request-Id"} {
		resp, _ := response(t, http.StatusInternalServerError, http.Header{h: {"id-" + h}}, "")
		var e *apierr.Error
		require.ErrorAs(t, apierr.CheckResponse(resp, nil), &e)
		assert.Equal(t, "id-"+h, e.RequestID, h)
	}
}

func TestRequestIDHeaderPriority(t *testing.T) {
	h := http.Header{}
	h.Set("Request-Id", "last")
	h.Set("X-Correlation-Id", "second")
	h.Set("X-Request-Id", "first")
	resp, _ := response(t, http.StatusInternalServerError, h, "")
	var e *apierr.Error
	require.ErrorAs(t, apierr.CheckResponse(resp, nil), &e)
	assert.Equal(t, "first", e.RequestID)
}

func TestStatusSentinels(t *testing.T) {
	cases := map[int]error{
		400: apierr.ErrBadRequest,
		401: apierr.ErrUnauthorized,
		403: apierr.ErrForbidden,
		404: apierr.ErrNotFound,
		409: apierr.ErrConflict,
		429: apierr.ErrRateLimited,
		500: apierr.ErrServer,
		501: apierr.ErrServer,
		502: apierr.ErrServer,
		503: apierr.ErrUnavailable,
		504: apierr.ErrTimeout,
		599: apierr.ErrServer,
		405: nil,
		422: nil,
		302: nil,
	}
	all := []error{apierr.ErrBadRequest, apierr.ErrUnauthorized, apierr.ErrForbidden, apierr.ErrNotFound,
		apierr.ErrConflict, apierr.ErrRateLimited, apierr.ErrServer, apierr.ErrUnavailable, apierr.ErrTimeout}
	for code, want := range cases {
		assert.Equal(t, want, apierr.StatusSentinel(code), "status %d", code)
		resp, _ := response(t, code, nil, "")
		err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
		require.Error(t, err)
		for _, s := range all {
			// Every 5xx is a server error as well as its own sentinel.
			if errors.Is(s, want) || (errors.Is(s, apierr.ErrServer) && code >= 500) {
				assert.ErrorIs(t, err, s, "status %d", code)
			} else {
				assert.NotErrorIs(t, err, s, "status %d should not match %v", code, s)
			}
		}
	}
}

// A caller testing for "the server failed" must not miss 503 and 504.
func TestEvery5xxMatchesErrServer(t *testing.T) {
	for code := 500; code < 600; code++ {
		resp, _ := response(t, code, nil, "")
		err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
		assert.ErrorIs(t, err, apierr.ErrServer, "status %d", code)
	}
	assert.ErrorIs(t, &apierr.Error{StatusCode: 503}, apierr.ErrUnavailable)
	assert.ErrorIs(t, &apierr.Error{StatusCode: 504}, apierr.ErrTimeout)
	assert.NotErrorIs(t, &apierr.Error{StatusCode: 499}, apierr.ErrServer)
}

func TestErrorWrapsCause(t *testing.T) {
	e := &apierr.Error{StatusCode: 401, Err: apierr.ErrInvalidCredentials, Code: "InvalidGrant"}
	assert.ErrorIs(t, e, apierr.ErrInvalidCredentials)
	assert.ErrorIs(t, e, apierr.ErrUnauthorized)
	assert.Contains(t, e.Error(), "invalid credentials")
	assert.Equal(t, "401 Unauthorized (InvalidGrant): invalid credentials", e.Error())

	// A status sentinel as cause is not repeated in the text.
	e2 := &apierr.Error{StatusCode: 404, Err: apierr.ErrNotFound}
	assert.Equal(t, "404 Not Found", e2.Error())

	// No status at all.
	e3 := &apierr.Error{Message: "broken", Err: errors.New("eof")}
	assert.Equal(t, "request failed: broken: eof", e3.Error())

	// Title is used when there is no message; equal details are not repeated.
	e4 := &apierr.Error{StatusCode: 400, Title: "Bad", Details: "Bad"}
	assert.Equal(t, "400 Bad Request: Bad", e4.Error())

	wrapped := fmt.Errorf("outer: %w", e)
	var got *apierr.Error
	require.ErrorAs(t, wrapped, &got)
	assert.Same(t, e, got)
}

func TestErrorFieldsAreRedacted(t *testing.T) {
	body := `{"errorCode":"InvalidToken","title":"Bearer tok.en.value rejected","status":401,"type":"t",
	"message":"{\"password\":\"hunter2\"}","details":"password=hunter2 access_token=AT-1 refresh_token=RT-1",
	"instance":"/token?mfa_code=123456","data":{"password":"hunter2","note":"refresh_token=RT-1","n":1}}`
	resp, _ := response(t, http.StatusUnauthorized, http.Header{"Content-Type": {"application/json"}}, body)
	err := apierr.CheckResponse(resp, apierr.DecodeVeeam)
	var e *apierr.Error
	require.ErrorAs(t, err, &e)
	for _, secret := range []string{"hunter2", "AT-1", "RT-1", "123456", "tok.en.value", "QSECRET"} {
		assert.NotContains(t, err.Error(), secret)
		assert.NotContains(t, e.Message, secret)
		assert.NotContains(t, e.Title, secret)
		assert.NotContains(t, e.Details, secret)
		assert.NotContains(t, e.Instance, secret)
		assert.NotContains(t, fmt.Sprint(e.Data), secret)
	}
	assert.Equal(t, apierr.Redacted, e.Data["password"])
	assert.Equal(t, float64(1), e.Data["n"])
	assert.Contains(t, e.Details, "password="+apierr.Redacted)
}

func TestRedact(t *testing.T) {
	cases := []struct {
		name, in   string
		secrets    []string
		mustRemain []string
	}{
		{
			name:       "json",
			in:         `{"username":"admin","password":"hunter2","access_token":"eyJ.a.b","Refresh_Token" : "r\"t1","expires_in":3600}`,
			secrets:    []string{"hunter2", "eyJ.a.b", `r\"t1`},
			mustRemain: []string{`"username":"admin"`, `"expires_in":3600`, `"password":"[REDACTED]"`},
		},
		{
			name:       "json mfa",
			in:         `{"mfa_token":"MT-1","mfa_code":"654321","client_secret":"cs","apiKey":"ak"}`,
			secrets:    []string{"MT-1", "654321", `"cs"`, `"ak"`},
			mustRemain: []string{`"mfa_token":"[REDACTED]"`},
		},
		{
			name:       "form",
			in:         "grant_type=password&username=admin&password=hunter2&refresh_token=RT-9&code=AC-7",
			secrets:    []string{"hunter2", "RT-9", "AC-7"},
			mustRemain: []string{"grant_type=password", "username=admin", "password=[REDACTED]"},
		},
		{
			name:       "query",
			in:         "GET /x?mfa_code=111222;access_token=AT-3,token=T-4 done",
			secrets:    []string{"111222", "AT-3", "T-4"},
			mustRemain: []string{"GET /x?", "done"},
		},
		{
			name:       "free text",
			in:         "details: password=hunter2 access_token=AT-5",
			secrets:    []string{"hunter2", "AT-5"},
			mustRemain: []string{"details:"},
		},
		{
			name:       "xml",
			in:         "<Login><UserName>admin</UserName><Password>hunter2</Password><SessionId>S-1</SessionId></Login>",
			secrets:    []string{"hunter2", "S-1"},
			mustRemain: []string{"<UserName>admin</UserName>", "<Password>[REDACTED]</Password>", "<SessionId>[REDACTED]</SessionId></Login>"},
		},
		{
			name:       "headers",
			in:         "Authorization: Basic YWRtaW46aHVudGVyMg==\r\nX-RestSvcSessionId: c2Vzc2lvbg\r\nx-api-key: K-1\r\nAccept: */*",
			secrets:    []string{"YWRtaW46aHVudGVyMg==", "c2Vzc2lvbg", "K-1"},
			mustRemain: []string{"Accept: */*"},
		},
		{
			name:       "bearer anywhere",
			in:         "rejected Bearer abc-DEF_123.xyz~+/= for user",
			secrets:    []string{"abc-DEF_123.xyz"},
			mustRemain: []string{"rejected Bearer [REDACTED] for user"},
		},
		{
			name:       "json error code is not a secret",
			in:         `{"errorCode":"InvalidToken","code":"E42"}`,
			mustRemain: []string{`"errorCode":"InvalidToken"`, `"code":"E42"`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := apierr.Redact(tc.in)
			for _, s := range tc.secrets {
				assert.NotContains(t, out, s)
			}
			for _, s := range tc.mustRemain {
				assert.Contains(t, out, s)
			}
			assert.Contains(t, out+apierr.Redacted, apierr.Redacted)
			if len(tc.secrets) > 0 {
				assert.Contains(t, out, apierr.Redacted)
			}
			// Redaction is idempotent.
			assert.Equal(t, out, apierr.Redact(out))
		})
	}
	assert.Equal(t, "", apierr.Redact(""))
	assert.Equal(t, "nothing to see", apierr.Redact("nothing to see"))
}

func TestRedactXMLKeepsDocumentWellFormed(t *testing.T) {
	assert.Equal(t, "<a><Password>"+apierr.Redacted+"</Password></a>", apierr.Redact("<a><Password>hunter2</Password></a>"))
}

func TestIsSensitive(t *testing.T) {
	for _, k := range []string{"password", "Password", "ACCESS_TOKEN", "refresh_token", "mfa_code", "Authorization", "X-RestSvcSessionId", "token", "client_secret"} {
		assert.True(t, apierr.IsSensitive(k), k)
	}
	for _, k := range []string{"username", "offset", "limit", "grant_type", "Content-Type", "code"} {
		assert.False(t, apierr.IsSensitive(k), k)
	}
}

func TestRedactURL(t *testing.T) {
	u, err := url.Parse("https://admin:hunter2@vb.example:11005/api/v1/token?access_token=AT-1&Refresh_Token=RT-1&limit=5&password=pw1#frag")
	require.NoError(t, err)
	out := apierr.RedactURL(u)
	for _, s := range []string{"hunter2", "admin", "AT-1", "RT-1", "pw1"} {
		assert.NotContains(t, out, s)
	}
	assert.Contains(t, out, "https://vb.example:11005/api/v1/token?")
	assert.Contains(t, out, "limit=5")
	assert.Contains(t, out, url.QueryEscape(apierr.Redacted))
	// The original URL is left alone.
	assert.Equal(t, "hunter2", func() string { p, _ := u.User.Password(); return p }())
	assert.Contains(t, u.RawQuery, "AT-1")

	assert.Equal(t, "", apierr.RedactURL(nil))
	plain, _ := url.Parse("https://vb.example/api/v1/policies")
	assert.Equal(t, "https://vb.example/api/v1/policies", apierr.RedactURL(plain))
}
