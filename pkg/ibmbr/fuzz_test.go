package ibmbr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
)

// fuzzIAMTransport answers every request with one fixed response.
type fuzzIAMTransport struct {
	status      int
	contentType string
	body        []byte
	calls       int
	closed      bool
}

func (f *fuzzIAMTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	f.calls++
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	h := http.Header{}
	if f.contentType != "" {
		h.Set("Content-Type", f.contentType)
	}
	return &http.Response{StatusCode: f.status, Header: h, Body: &fuzzIAMBody{Reader: bytes.NewReader(f.body), closed: &f.closed}, Request: req}, nil
}

type fuzzIAMBody struct {
	io.Reader
	closed *bool
}

func (b *fuzzIAMBody) Close() error {
	*b.closed = true
	return nil
}

// FuzzIAMTokenResponse feeds arbitrary IAM token answers to the API key
// exchange.
func FuzzIAMTokenResponse(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"access_token":"eyJraWQiOi.a.b","refresh_token":"not_supported","token_type":"Bearer","expires_in":3600,"expiration":1714561200,"scope":"ibm openid"}`))
	f.Add(200, "application/json", []byte(`{"access_token":"t","expiration":1714561200}`))
	f.Add(400, "application/json", []byte(`{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found. apikey=S3cr3t-xyz","context":{"requestId":"r-1"}}`))
	f.Add(200, "application/json", []byte(`{"access_token":null}`))
	f.Add(200, "application/json", []byte(`{"access_token":"t","expires_in":"3600"}`))
	f.Add(200, "application/json", []byte(`{"access_token":"t","expires_in":-1,"expiration":-9223372036854775808}`))
	f.Add(429, "text/html", []byte(`<html>Too Many Requests</html>`))
	f.Add(204, "", []byte(nil))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		status = 100 + fuzzAbs(status)%500
		if status == http.StatusSwitchingProtocols {
			return // net/http insists on a writable body for 101
		}
		rt := &fuzzIAMTransport{status: status, contentType: contentType, body: body}
		now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
		it := &iamTokens{url: "https://iam.test", hc: &http.Client{Transport: rt}, now: func() time.Time { return now }}
		tok, err := it.exchange(context.Background(), "S3cr3t-xyz")
		if rt.calls != 1 {
			t.Fatalf("%d token requests, want 1", rt.calls)
		}
		if !rt.closed {
			t.Fatal("response body not closed")
		}
		if err == nil {
			if status < 200 || status >= 300 {
				t.Fatalf("status %d gave a token", status)
			}
			if tok.AccessToken == "" {
				t.Fatal("success without an access token")
			}
			var b iamTokenBody
			if json.NewDecoder(bytes.NewReader(body)).Decode(&b) != nil {
				t.Fatal("success from a body that does not decode")
			}
			switch {
			case b.ExpiresIn > 0 && b.ExpiresIn <= 365*24*3600: // longer lifetimes are capped at a year
				if want := now.Add(time.Duration(b.ExpiresIn) * time.Second); !tok.Expiry.Equal(want) {
					t.Fatalf("Expiry = %v, want %v", tok.Expiry, want)
				}
			case b.ExpiresIn <= 0 && b.Expiration > 0:
				if !tok.Expiry.Equal(time.Unix(b.Expiration, 0)) {
					t.Fatalf("Expiry = %v, want %v", tok.Expiry, time.Unix(b.Expiration, 0))
				}
			case b.ExpiresIn <= 0 && b.Expiration <= 0:
				if !tok.Expiry.IsZero() {
					t.Fatalf("Expiry = %v without any expiry in the body", tok.Expiry)
				}
			}
			return
		}
		if tok != (auth.Token{}) {
			t.Fatalf("error %v with a token %+v", err, tok)
		}
		if err.Error() == "" {
			t.Fatal("empty error message")
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
				t.Fatalf("ErrInvalidCredentials without an IAM error code (code %q, body %q)", ae.Code, ae.Body)
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
