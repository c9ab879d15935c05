package auth_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
)

// fuzzTokenTransport answers every request with one fixed response.
type fuzzTokenTransport struct {
	status      int
	contentType string
	body        []byte
	calls       int
	closed      bool
}

func (f *fuzzTokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	f.calls++
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	h := http.Header{}
	if f.contentType != "" {
		h.Set("Content-Type", f.contentType)
	}
	return &http.Response{
		StatusCode: f.status,
		Header:     h,
		Body:       &fuzzBody{Reader: bytes.NewReader(f.body), closed: &f.closed},
		Request:    req,
	}, nil
}

type fuzzBody struct {
	io.Reader
	closed *bool
}

func (b *fuzzBody) Close() error {
	*b.closed = true
	return nil
}

// FuzzVeeamTokenResponse feeds arbitrary /token answers to the password
// grant of auth.Password.
func FuzzVeeamTokenResponse(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"access_token":"eyJ.a.b","token_type":"bearer","refresh_token":"r1","expires_in":3600,".issued":"2024-05-01T10:00:00Z",".expires":"2024-05-01T11:00:00Z"}`))
	f.Add(202, "application/json", []byte(`{"mfa_token":"mfa-123"}`))
	f.Add(202, "application/json", []byte(`{}`))
	f.Add(401, "application/problem+json", []byte(`{"errorCode":"InvalidCredentials","title":"Unauthorized","message":"password=S3cr3t-xyz is wrong"}`))
	f.Add(200, "application/json", []byte(`{"access_token":"","expires_in":-5}`))
	f.Add(200, "application/json", []byte(`{"access_token":"t","expires_in":9223372036854775807}`))
	f.Add(200, "text/plain", []byte(`not json`))
	f.Add(302, "", []byte(nil))
	f.Add(500, "application/json", []byte(`{"access_token":"leaked?"}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		// http.Client only sees three-digit status codes from real servers.
		status = 100 + fuzzAbs(status)%500
		if status == http.StatusSwitchingProtocols {
			// net/http insists on a writable body for 101.
			return
		}
		rt := &fuzzTokenTransport{status: status, contentType: contentType, body: body}
		now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
		cred := auth.Password("admin", "S3cr3t-xyz", auth.WithClock(func() time.Time { return now }))
		tok, err := cred.GetToken(context.Background(), auth.TokenRequest{
			Product: "vbaws", Endpoint: "https://vbaws.example:11005", HTTPClient: &http.Client{Transport: rt},
		})
		if rt.calls != 1 {
			t.Fatalf("%d token requests, want 1", rt.calls)
		}
		if !rt.closed {
			t.Fatal("response body not closed")
		}
		if err == nil {
			if status < 200 || status >= 300 || status == http.StatusAccepted {
				t.Fatalf("status %d gave a token", status)
			}
			if tok.AccessToken == "" {
				t.Fatal("success without an access token")
			}
			return
		}
		if tok != (auth.Token{}) {
			t.Fatalf("error %v with a token %+v", err, tok)
		}
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		var mfa *auth.MFARequiredError
		if errors.As(err, &mfa) {
			if status != http.StatusAccepted {
				t.Fatalf("MFA challenge from status %d", status)
			}
			if mfa.MFAToken == "" {
				t.Fatal("MFA challenge without an mfa_token")
			}
			if !errors.Is(err, apierr.ErrMFARequired) {
				t.Fatal("MFA challenge does not match ErrMFARequired")
			}
			return
		}
		if status >= 200 && status < 300 {
			if !errors.Is(err, apierr.ErrUnexpectedResponse) {
				t.Fatalf("2xx failure %v does not match ErrUnexpectedResponse", err)
			}
			return
		}
		var ae *apierr.Error
		if !errors.As(err, &ae) {
			t.Fatalf("status %d gave %T %v, want *apierr.Error", status, err, err)
		}
		if ae.StatusCode != status {
			t.Fatalf("StatusCode = %d, want %d", ae.StatusCode, status)
		}
		// Only the vendor's own refusal means wrong credentials: never
		// another status, nor a body the decoder did not understand.
		if errors.Is(err, apierr.ErrInvalidCredentials) {
			if status != http.StatusBadRequest && status != http.StatusUnauthorized {
				t.Fatalf("%d matches ErrInvalidCredentials", status)
			}
			if ae.Code == "" || ae.Body != "" {
				t.Fatalf("ErrInvalidCredentials without a Veeam refusal code (code %q, body %q)", ae.Code, ae.Body)
			}
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
