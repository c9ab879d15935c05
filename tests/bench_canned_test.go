package tests

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// The benchmarks of this package measure the client alone: no server runs,
// in this process or elsewhere. cannedTransport, an http.RoundTripper, is
// the end of the chain for the SDK (given with option.WithHTTPClient, under
// the SDK's own pipeline: headers, retry, auth, logging, the credential
// cache) and for the plain net/http baseline alike, so both sides pay for
// it the same: one *http.Response, a copy of its header and one body reader
// per request, over the same canned bytes.

// cannedRoute is the answer to one path.
type cannedRoute struct {
	status int
	header http.Header
	// body is the canned answer; each request reads it with a fresh reader.
	body []byte
	// size, when body is nil, is the length of a streamed answer that is
	// generated as it is read (a download), so that nothing of its size is
	// held in memory.
	size int64
	// authHeader and authValue, when set, are the credential the request
	// must carry; a request without it is answered 401.
	authHeader, authValue string
	// token marks a token endpoint: its requests are counted.
	token bool
	// delay is how long the answer takes (an identity service that is
	// slow to issue a token).
	delay time.Duration
	// dynamic, when set, answers instead of body, by the request (a page
	// of a paged list, a token that expires by the benchmark's clock); nil
	// means no answer for this request.
	dynamic func(*http.Request) []byte
}

// cannedTransport answers every request from its routes, by URL path.
type cannedTransport struct {
	routes map[string]*cannedRoute
	// tokens counts the requests to token endpoints (logins, refreshes).
	tokens atomic.Int64
	// misses counts requests that had no route or no credential.
	misses atomic.Int64
}

func newCanned() *cannedTransport { return &cannedTransport{routes: map[string]*cannedRoute{}} }

// jsonRoute adds a 200 application/json answer at path.
func (t *cannedTransport) jsonRoute(path string, body []byte) *cannedRoute {
	r := &cannedRoute{status: http.StatusOK, body: body, header: http.Header{
		"Content-Type":   {"application/json; charset=utf-8"},
		"Content-Length": {strconv.Itoa(len(body))},
	}}
	t.routes[path] = r
	return r
}

// requireAuth makes r answer 401 to requests without header: value.
func (r *cannedRoute) requireAuth(header, value string) *cannedRoute {
	r.authHeader, r.authValue = header, value
	return r
}

// veeamTokenRoute answers the /api/v1/token endpoint of Veeam Backup for
// AWS and Google Cloud with a one-hour token, "bench".
func (t *cannedTransport) veeamTokenRoute() *cannedRoute {
	r := t.jsonRoute("/api/v1/token", []byte(`{"access_token":"bench","token_type":"bearer","refresh_token":"r","expires_in":3600}`))
	r.token = true
	return r
}

// ibmTokenRoute answers the IAM token endpoint with a one-hour token,
// "bench".
func (t *cannedTransport) ibmTokenRoute() *cannedRoute {
	r := t.jsonRoute("/identity/token", []byte(`{"access_token":"bench","refresh_token":"r","token_type":"Bearer","expires_in":3600,"expiration":4102444800}`))
	r.token = true
	return r
}

// vbemLogonRoute answers Enterprise Manager's logon (201, the session in
// X-RestSvcSessionId and the SessionId in the body) in the client's media
// type.
func (t *cannedTransport) vbemLogonRoute(xml bool) *cannedRoute {
	body := []byte(`{"UserName":"u","SessionId":"6d7f2f0e-3d7b-4b8e-9d5a-2f4c1a0b9e11"}`)
	ct := "application/json; charset=utf-8"
	if xml {
		body = []byte(`<LogonSession xmlns="http://www.veeam.com/ent/v1.0"><UserName>u</UserName><SessionId>6d7f2f0e-3d7b-4b8e-9d5a-2f4c1a0b9e11</SessionId></LogonSession>`)
		ct = "application/xml; charset=utf-8"
	}
	r := &cannedRoute{status: http.StatusCreated, body: body, token: true, header: http.Header{
		"Content-Type":       {ct},
		"Content-Length":     {strconv.Itoa(len(body))},
		"X-Restsvcsessionid": {"bench-session"},
	}}
	t.routes["/api/sessionMngr/"] = r
	return r
}

// downloadRoute adds a streamed application/octet-stream answer of size
// bytes at path.
func (t *cannedTransport) downloadRoute(path string, size int64) *cannedRoute {
	r := &cannedRoute{status: http.StatusOK, size: size, header: http.Header{
		"Content-Type":        {"application/octet-stream"},
		"Content-Length":      {strconv.FormatInt(size, 10)},
		"Content-Disposition": {`attachment; filename="files.zip"`},
	}}
	t.routes[path] = r
	return r
}

var notFound = []byte(`{"message":"no canned answer"}`)

func (t *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		// A RoundTripper reads and closes the request body, as a
		// connection would.
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	r := t.routes[req.URL.Path]
	var body []byte
	switch {
	case r == nil:
		t.misses.Add(1)
		return answer(req, http.StatusNotFound, nil, notFound), nil
	case r.authHeader != "" && req.Header.Get(r.authHeader) != r.authValue:
		t.misses.Add(1)
		return answer(req, http.StatusUnauthorized, nil, notFound), nil
	case r.dynamic != nil:
		if body = r.dynamic(req); body == nil {
			t.misses.Add(1)
			return answer(req, http.StatusNotFound, nil, notFound), nil
		}
	default:
		body = r.body
	}
	if r.token {
		t.tokens.Add(1)
	}
	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	if body == nil {
		return respond(req, r.status, r.header, &patternBody{size: r.size}, r.size), nil
	}
	resp := answer(req, r.status, r.header, body)
	if r.dynamic != nil {
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return resp, nil
}

// answer is a response with a copy of header and a fresh reader over body.
func answer(req *http.Request, status int, header http.Header, body []byte) *http.Response {
	b := &cannedBody{}
	b.Reset(body)
	return respond(req, status, header, b, int64(len(body)))
}

// respond is a response with a copy of header (net/http makes a new header
// for every response too) and body.
func respond(req *http.Request, status int, header http.Header, body io.ReadCloser, n int64) *http.Response {
	h := header.Clone()
	if h == nil {
		h = http.Header{"Content-Type": {"application/json"}}
	}
	return &http.Response{
		Status: strconv.Itoa(status) + " " + http.StatusText(status), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: body, ContentLength: n, Request: req,
	}
}

// cannedBody reads canned bytes; closing it does nothing.
type cannedBody struct{ bytes.Reader }

func (*cannedBody) Close() error { return nil }

// pattern is what a streamed answer repeats: byte i of a download is
// byte(i % 251), and pattern holds a whole number of periods.
var pattern = func() []byte {
	b := make([]byte, 251*256)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}()

// patternBody streams size bytes of the pattern without holding them.
type patternBody struct{ off, size int64 }

func (p *patternBody) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	if left := p.size - p.off; int64(len(b)) > left {
		b = b[:left]
	}
	n := 0
	for n < len(b) {
		n += copy(b[n:], pattern[(p.off+int64(n))%int64(len(pattern)):])
	}
	p.off += int64(n)
	return n, nil
}

func (*patternBody) Close() error { return nil }

// cannedClient is the *http.Client both sides of a comparison use: the
// canned transport and nothing else (no timeout, the default redirect
// policy).
func cannedClient(t *cannedTransport) *http.Client { return &http.Client{Transport: t} }

// checkCanned fails b if the canned transport saw a request it had no
// answer for, or a number of token requests other than want.
func checkCanned(b *testing.B, t *cannedTransport, wantTokens int64) {
	b.Helper()
	if n := t.misses.Load(); n != 0 {
		b.Fatalf("%d requests had no canned answer or no credential", n)
	}
	if n := t.tokens.Load(); n != wantTokens {
		b.Fatalf("%d token requests, want %d (the credential cache must serve every call after the login)", n, wantTokens)
	}
}

// side is one client of a comparison: its operation and its own canned
// transport.
type side struct {
	op         func() error
	ct         *cannedTransport
	wantTokens int64
}

// compare runs the sides, named client=<name>, as sub-benchmarks: first a
// warm-up of each (untimed: at least one call, and calls for 50 ms), then
// one timed run of each, one right after the other, in the reverse order
// in every second round, so that neither side always runs first, after the
// other's garbage, or on a machine that has just become busier. bytes, if
// not zero, is what one operation transfers (b.SetBytes). Each side fails
// if its transport saw a request it had no answer for, or a token request
// other than the login.
//
// go test -count cannot interleave: it repeats each sub-benchmark back to
// back. So make bench runs the compiled benchmarks once per round, with
// -test.count=1 and BENCH_ROUND=1, 2, ... in the environment: odd rounds
// run the sides in the order given (the baseline first), even rounds in the
// reverse order.
func compare(b *testing.B, names []string, sides map[string]*side, bytes int64) {
	b.Helper()
	order := names
	if round, _ := strconv.Atoi(os.Getenv("BENCH_ROUND")); round > 0 && round%2 == 0 {
		order = make([]string, len(names))
		for i, n := range names {
			order[len(names)-1-i] = n
		}
	}
	for _, n := range order {
		for start := time.Now(); ; {
			if err := sides[n].op(); err != nil {
				b.Fatal("warm-up: ", err)
			}
			if time.Since(start) > 50*time.Millisecond {
				break
			}
		}
	}
	for _, n := range order {
		s := sides[n]
		b.Run("client="+n, func(b *testing.B) {
			if bytes > 0 {
				b.SetBytes(bytes)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.op(); err != nil {
					b.Fatal(err)
				}
			}
			checkCanned(b, s.ct, s.wantTokens)
		})
	}
}
