package apierr_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// fuzzSecret is placed in form-encoded members that Redact must always
// remove.
const fuzzSecret = "S3cr3t-xyz"

// closeTracker records whether CheckResponse closed the body.
type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error {
	c.closed = true
	return nil
}

// checkAPIError asserts what holds for every *Error built from a non-2xx
// response, whatever its body.
func checkAPIError(t *testing.T, e *apierr.Error, status int) {
	t.Helper()
	if e == nil {
		t.Fatal("nil *Error")
	}
	if e.StatusCode != status {
		t.Fatalf("StatusCode = %d, want %d", e.StatusCode, status)
	}
	msg := e.Error()
	if msg == "" {
		t.Fatal("Error() is empty")
	}
	if status != 0 && !strings.Contains(msg, strconv.Itoa(status)) {
		t.Fatalf("Error() %q does not show the status %d", msg, status)
	}
	if s := apierr.StatusSentinel(status); s != nil && !errors.Is(e, s) {
		t.Fatalf("error for %d does not match its sentinel %v", status, s)
	}
	// Every text field has been through Redact, so it is a fixed point. Body
	// is redacted and then cut, which may leave a cut "[REDACTED]".
	fields := map[string]string{
		"Code": e.Code, "Message": e.Message, "Title": e.Title, "Type": e.Type, "Details": e.Details,
		"Instance": e.Instance, "ResourceID": e.ResourceID, "RequestID": e.RequestID,
	}
	if !strings.HasSuffix(e.Body, "…") {
		fields["Body"] = e.Body
	}
	for name, v := range fields {
		if r := apierr.Redact(v); r != v {
			t.Fatalf("%s is not redacted: %q, Redact gives %q", name, v, r)
		}
	}
	for k, v := range e.Data {
		if apierr.IsSensitive(k) && v != apierr.Redacted {
			t.Fatalf("Data[%q] = %v, want %s", k, v, apierr.Redacted)
		}
	}
}

func fuzzResponse(status int, contentType, requestID string, body []byte) (*http.Response, *closeTracker) {
	b := &closeTracker{Reader: bytes.NewReader(body)}
	resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: b}
	if contentType != "" {
		resp.Header.Set("Content-Type", contentType)
	}
	if requestID != "" {
		resp.Header.Set("X-Request-Id", requestID)
	}
	return resp, b
}

func addErrorBodySeeds(f *testing.F) {
	f.Add("application/problem+json", []byte(`{"type":"https://veeam.com/errors/invalid","title":"Bad Request","status":400,"errorCode":"InvalidCredentials","message":"The user name or password is incorrect.","data":{"password":"S3cr3t-xyz","user":"admin"}}`))
	f.Add("application/json", []byte(`{"errorCode":"AUTH_FAILED","errorMessage":"Provided API key could not be found. password=S3cr3t-xyz","context":{"requestId":"abc-123"}}`))
	f.Add("application/json", []byte(`{"code":"KBR0001","message":"Bearer eyJhbGciOi.payload.sig is invalid"}`))
	f.Add("text/plain", []byte("upstream connect error\nauthorization: Bearer abc.def"))
	f.Add("", []byte(`[1,2,3]`))
	f.Add("application/json", []byte(`{"message":`))
	f.Add("application/json", []byte(`{"Data":{"Token":123,"secret":{"nested":"x"}},"Message":null}`))
	f.Add("text/html", []byte("<html><body><password>S3cr3t-xyz</password></body></html>"))
}

func FuzzDecodeVeeam(f *testing.F) {
	addErrorBodySeeds(f)
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		e := &apierr.Error{StatusCode: http.StatusTeapot, RequestID: "rid-1", Method: http.MethodGet, URL: "https://h/x"}
		apierr.DecodeVeeam(contentType, body, e)
		if e.StatusCode != http.StatusTeapot || e.RequestID != "rid-1" || e.Method != http.MethodGet || e.URL != "https://h/x" {
			t.Fatalf("DecodeVeeam changed fields it does not own: %+v", e)
		}
		for _, status := range []int{http.StatusBadRequest, http.StatusConflict, http.StatusInternalServerError} {
			resp, _ := fuzzResponse(status, contentType, "", nil)
			checkAPIError(t, apierr.FromResponse(resp, body, apierr.DecodeVeeam), status)
		}
	})
}

func FuzzDecodeIBM(f *testing.F) {
	addErrorBodySeeds(f)
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		e := &apierr.Error{StatusCode: http.StatusTeapot, RequestID: "rid-1"}
		apierr.DecodeIBM(contentType, body, e)
		if e.StatusCode != http.StatusTeapot || e.RequestID != "rid-1" {
			t.Fatalf("DecodeIBM changed fields it does not own: %+v", e)
		}
		for _, status := range []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusBadGateway} {
			resp, _ := fuzzResponse(status, contentType, "hdr-id", nil)
			e := apierr.FromResponse(resp, body, apierr.DecodeIBM)
			checkAPIError(t, e, status)
			if e.RequestID != "hdr-id" {
				t.Fatalf("RequestID = %q, want the header's", e.RequestID)
			}
		}
	})
}

func FuzzCheckResponse(f *testing.F) {
	f.Add(400, "application/problem+json", []byte(`{"errorCode":"BadRequest","title":"Invalid filter","details":"access_token=abc","data":{"apiKey":"k"}}`), "req-1", "https://user:pw@vbaws.example:11005/api/v1/token?code=abc&state=1", 1)
	f.Add(401, "application/json", []byte(`{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found","context":{"requestId":"r-9"}}`), "", "https://iam.cloud.ibm.com/identity/token", 2)
	f.Add(503, "text/html", []byte("<html>Service Unavailable</html>"), "", "", 0)
	f.Add(204, "", []byte(nil), "", "https://h/", 1)
	f.Add(0, "application/json", []byte(`{}`), "", "::bad", 1)
	f.Add(-1, "json", []byte(` {"message":"x"} `), "", "mailto:a@b?password=x", 2)
	f.Add(999, "application/json", bytes.Repeat([]byte(`{"a":`), 5000), "", "/relative?token=1&x=2", 1)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte, requestID, rawURL string, which int) {
		var decode apierr.Decoder
		switch which % 3 {
		case 1, -1:
			decode = apierr.DecodeVeeam
		case 2, -2:
			decode = apierr.DecodeIBM
		}
		resp, b := fuzzResponse(status, contentType, requestID, body)
		if u, err := url.Parse(rawURL); err == nil {
			resp.Request = &http.Request{Method: http.MethodPost, URL: u}
		}
		err := apierr.CheckResponse(resp, decode)
		if status >= 200 && status < 300 {
			if err != nil {
				t.Fatalf("%d gave %v", status, err)
			}
			return
		}
		var e *apierr.Error
		if !errors.As(err, &e) {
			t.Fatalf("%d gave %T %v, want *apierr.Error", status, err, err)
		}
		checkAPIError(t, e, status)
		if !b.closed {
			t.Fatal("body not closed")
		}
		if requestID != "" && e.RequestID != apierr.Redact(requestID) {
			t.Fatalf("RequestID = %q, want %q redacted", e.RequestID, requestID)
		}
		if resp.Request != nil {
			if u, perr := url.Parse(e.URL); perr == nil && u.User != nil {
				t.Fatalf("URL %q keeps user information", e.URL)
			}
		}
	})
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		`{"password":"S3cr3t-xyz","user":"admin"}`,
		`grant_type=password&username=admin&password=S3cr3t-xyz`,
		`Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig`,
		`<PasswordKeyInfoSpec><Hint>h</Hint><Password>S3cr3t-xyz</Password></PasswordKeyInfoSpec>`,
		`"token": 123e4, ".expires": "x", "refresh_token":"a\"b"`,
		"X-RestSvcSessionId: abc\r\nx-api-key:k",
		`code=&code=&code=`,
		"Basic \xff\xfe YWRtaW46cGFzcw==",
		``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := apierr.Redact(s)
		if rr := apierr.Redact(r); rr != r {
			t.Fatalf("Redact is not idempotent:\n in   %q\n once %q\n twice %q", s, r, rr)
		}
		if len(r) > 3*len(s)+len(apierr.Redacted) {
			t.Fatalf("Redact grew %d bytes to %d: %q", len(s), len(r), r)
		}
		if s == "" && r != "" {
			t.Fatalf("Redact(\"\") = %q", r)
		}
		// A form member appended after a separator is always removed,
		// whatever precedes it.
		if !strings.Contains(s, fuzzSecret) {
			if out := apierr.Redact(s + " password=" + fuzzSecret); strings.Contains(out, fuzzSecret) {
				t.Fatalf("secret survived: %q", out)
			}
		}
	})
}

func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{
		"https://admin:S3cr3t-xyz@em.example.com:9398/api/sessionMngr/?v=latest",
		"https://h/cb?code=abc123&state=s&Access_Token=t&access_token=u",
		"https://h/p?%zz=1&password=%zz&token",
		"mailto:user@example.com?password=x",
		"/relative/path?apikey=k#frag",
		"//host:-1/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		before := u.String()
		r := apierr.RedactURL(u)
		if u.String() != before {
			t.Fatalf("RedactURL changed its argument: %q -> %q", before, u.String())
		}
		v, err := url.Parse(r)
		if err != nil {
			return
		}
		if v.User != nil {
			t.Fatalf("%q keeps user information", r)
		}
		for k, vals := range v.Query() {
			if !apierr.IsSensitive(k) && !strings.EqualFold(k, "code") {
				continue
			}
			for _, val := range vals {
				if val != apierr.Redacted {
					t.Fatalf("%q keeps %s=%s", r, k, val)
				}
			}
		}
	})
}

// FuzzKeptBodySecret places a credential member in a body that no decoder
// understands, so that FromResponse keeps a redacted copy cut to 2 KiB; cut
// says how many bytes of the member fall before the cut. No part of the
// secret may survive, wherever the body is cut.
func FuzzKeptBodySecret(f *testing.F) {
	f.Add(0, 0, []byte("trailing text"))
	f.Add(40, 1, []byte(nil))
	f.Add(63, 2, []byte("&a=b"))
	f.Add(5, 3, []byte("\n<html>"))
	f.Fuzz(func(t *testing.T, cut, form int, tail []byte) {
		const kept = 2 << 10 // what FromResponse keeps of a body
		members := []string{
			`"password":"` + fuzzSecret + `"`,
			`<Password>` + fuzzSecret + `</Password>`,
			`password=` + fuzzSecret,
			`Authorization: Bearer ` + fuzzSecret,
		}
		if bytes.Contains(tail, []byte(fuzzSecret[:3])) {
			return
		}
		member := members[fuzzAbs(form)%len(members)]
		body := strings.Repeat("x", kept-1-fuzzAbs(cut)%64) + " " + member + "\n" + string(tail)
		resp, _ := fuzzResponse(http.StatusBadGateway, "text/plain", "", nil)
		e := apierr.FromResponse(resp, []byte(body), nil)
		checkAPIError(t, e, http.StatusBadGateway)
		if strings.Contains(e.Body, fuzzSecret[:3]) {
			t.Fatalf("part of the secret survives in Body: ...%q", e.Body[max(0, len(e.Body)-60):])
		}
	})
}

func fuzzAbs(n int) int {
	if n < 0 {
		if n == -n { // math.MinInt
			return 0
		}
		return -n
	}
	return n
}
