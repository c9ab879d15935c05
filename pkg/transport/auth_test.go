package transport_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/transport"
)

// authServer answers 401 unless the request carries one of the accepted
// tokens, and records the Authorization header and body of every request.
type authServer struct {
	mu      sync.Mutex
	accept  map[string]bool
	headers []string
	bodies  []string
}

func (s *authServer) respond(req *http.Request) (*http.Response, error) {
	var body string
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		body = string(b)
	}
	h := req.Header.Get("Authorization")
	s.mu.Lock()
	s.headers = append(s.headers, h)
	s.bodies = append(s.bodies, body)
	ok := s.accept[h]
	s.mu.Unlock()
	if !ok {
		return httpmock.NewStringResponse(http.StatusUnauthorized, `{"errorCode":"Unauthorized","status":401}`), nil
	}
	return httpmock.NewStringResponse(http.StatusOK, "ok"), nil
}

func (s *authServer) seen() ([]string, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.headers...), append([]string(nil), s.bodies...)
}

func authClient(mt http.RoundTripper, a transport.Authorizer, rec *sleepRecorder) *http.Client {
	return &http.Client{Transport: transport.New(transport.Config{
		Base:  mt,
		Auth:  a,
		Retry: &transport.RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep},
	})}
}

func TestUnauthorizedReauthenticatesOnce(t *testing.T) {
	mt := httpmock.NewMockTransport()
	srv := &authServer{accept: map[string]bool{"Bearer tok-2": true}}
	mt.RegisterResponder(http.MethodGet, apiURL, srv.respond)
	a := newFakeAuth()
	rec := &sleepRecorder{}

	resp, err := authClient(mt, a, rec).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "ok", readBody(t, resp))

	headers, _ := srv.seen()
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2"}, headers)
	authorized, invalidated := a.counts()
	assert.Equal(t, 2, authorized, "one extra credential for the second try")
	assert.Equal(t, []uint64{1}, invalidated, "only the generation that got the 401 is dropped")
	assert.Empty(t, rec.Waits(), "a 401 is not a retry-with-backoff")
}

func TestPersistentUnauthorizedDoesNotLoop(t *testing.T) {
	mt := httpmock.NewMockTransport()
	srv := &authServer{accept: map[string]bool{}}
	mt.RegisterResponder(http.MethodGet, apiURL, srv.respond)
	a := newFakeAuth()
	rec := &sleepRecorder{}

	resp, err := authClient(mt, a, rec).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, readBody(t, resp), "Unauthorized", "the final 401 is returned with its body")
	headers, _ := srv.seen()
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2"}, headers, "exactly two tries")
	authorized, invalidated := a.counts()
	assert.Equal(t, 2, authorized)
	assert.Equal(t, []uint64{1}, invalidated)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestUnauthorizedPostResendsBody(t *testing.T) {
	mt := httpmock.NewMockTransport()
	srv := &authServer{accept: map[string]bool{"Bearer tok-2": true}}
	mt.RegisterResponder(http.MethodPost, apiURL, srv.respond)
	a := newFakeAuth()
	req, err := http.NewRequest(http.MethodPost, apiURL, bytes.NewReader([]byte(postBody)))
	require.NoError(t, err)

	resp, err := authClient(mt, a, &sleepRecorder{}).Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	headers, bodies := srv.seen()
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2"}, headers)
	assert.Equal(t, []string{postBody, postBody}, bodies)
}

// A 401 to a request whose body cannot be sent again is returned as it is,
// but the credential that got it is still dropped: otherwise every later call
// would go out with it and get 401 until it expired.
func TestUnauthorizedWithoutReplayableBodyInvalidates(t *testing.T) {
	mt := httpmock.NewMockTransport()
	srv := &authServer{accept: map[string]bool{"Bearer tok-2": true}}
	mt.RegisterResponder(http.MethodPost, apiURL, srv.respond)
	mt.RegisterResponder(http.MethodGet, apiURL, srv.respond)
	a := newFakeAuth()
	client := authClient(mt, a, &sleepRecorder{})

	// A streamed body: it can be read once and has no GetBody.
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, postBody)
		_ = pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPost, apiURL, pr)
	require.NoError(t, err)
	require.Nil(t, req.GetBody)

	resp, err := client.Do(req)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, readBody(t, resp), "Unauthorized")
	_, bodies := srv.seen()
	assert.Equal(t, []string{postBody}, bodies, "the request is not repeated")
	authorized, invalidated := a.counts()
	assert.Equal(t, 1, authorized)
	assert.Equal(t, []uint64{1}, invalidated, "the credential that got the 401 is dropped")

	// The next call goes out with a new credential and succeeds.
	resp, err = client.Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	readBody(t, resp)
	headers, _ := srv.seen()
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2"}, headers)
	_, invalidated = a.counts()
	assert.Equal(t, []uint64{1}, invalidated)
}

func TestAuthorizerErrorStopsTheRequest(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodGet, apiURL, func(*http.Request) (*http.Response, error) {
		calls.Add(1)
		return httpmock.NewStringResponse(200, ""), nil
	})
	a := newFakeAuth()
	boom := errors.New("token endpoint down")
	a.err = boom
	rec := &sleepRecorder{}
	req, err := http.NewRequest(http.MethodPut, apiURL, bytes.NewReader([]byte(postBody)))
	require.NoError(t, err)
	_, err = authClient(mt, a, rec).Do(req)
	require.Error(t, err)
	assert.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "authenticate")
	assert.Zero(t, calls.Load(), "nothing is sent without a credential")
	authorized, _ := a.counts()
	assert.Equal(t, 1, authorized, "an auth failure is not retried")
	assert.Empty(t, rec.Waits())
}

func TestRetriedTriesGetCurrentCredential(t *testing.T) {
	// Retry wraps auth: each try asks the authorizer again.
	mt := httpmock.NewMockTransport()
	sr := &seqResponder{mk: []func(*http.Request) (*http.Response, error){status(503), status(200)}}
	var headers []string
	var mu sync.Mutex
	mt.RegisterResponder(http.MethodGet, apiURL, func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		headers = append(headers, req.Header.Get("Authorization"))
		mu.Unlock()
		return sr.respond(req)
	})
	a := newFakeAuth()
	resp, err := authClient(mt, a, &sleepRecorder{}).Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	authorized, _ := a.counts()
	assert.Equal(t, 2, authorized)
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-1"}, headers)
}

func TestNoCredentialsOverPlainHTTP(t *testing.T) {
	const plainURL = "http://vb.example:11005/api/v1/policies"
	mt := httpmock.NewMockTransport()
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodGet, plainURL, func(req *http.Request) (*http.Response, error) {
		calls.Add(1)
		return httpmock.NewStringResponse(200, req.Header.Get("Authorization")), nil
	})
	a := newFakeAuth()
	rec := &sleepRecorder{}
	_, err := authClient(mt, a, rec).Get(plainURL)
	require.Error(t, err)
	assert.ErrorIs(t, err, transport.ErrInsecureTransport)
	assert.Zero(t, calls.Load())
	authorized, _ := a.counts()
	assert.Zero(t, authorized, "the credential is not even fetched")
	assert.Empty(t, rec.Waits(), "the refusal is not retried")

	// With the opt-in the request goes out with the credential.
	client := &http.Client{Transport: transport.New(transport.Config{Base: mt, Auth: a, AllowHTTP: true})}
	resp, err := client.Get(plainURL)
	require.NoError(t, err)
	assert.Equal(t, "Bearer tok-1", readBody(t, resp))
	assert.EqualValues(t, 1, calls.Load())
}

func TestPlainHTTPWithoutAuthIsAllowed(t *testing.T) {
	const plainURL = "http://vb.example/health"
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, plainURL, httpmock.NewStringResponder(200, "up"))
	resp, err := (&http.Client{Transport: transport.New(transport.Config{Base: mt})}).Get(plainURL)
	require.NoError(t, err)
	assert.Equal(t, "up", readBody(t, resp))
}

func TestCredentialsOnlyForAuthHost(t *testing.T) {
	const otherURL = "https://evil.example/steal"
	mt := httpmock.NewMockTransport()
	echo := func(req *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, req.Header.Get("Authorization")), nil
	}
	mt.RegisterResponder(http.MethodGet, apiURL, echo)
	mt.RegisterResponder(http.MethodGet, otherURL, echo)
	mt.RegisterResponder(http.MethodGet, "http://evil.example/plain", echo)
	a := newFakeAuth()
	client := &http.Client{Transport: transport.New(transport.Config{Base: mt, Auth: a, AuthHost: "VB.example:11005"})}

	resp, err := client.Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, "Bearer tok-1", readBody(t, resp), "the auth host (matched case-insensitively) gets the credential")

	resp, err = client.Get(otherURL)
	require.NoError(t, err)
	assert.Empty(t, readBody(t, resp), "another host gets no credential")

	// Another host over plain http is not refused either: it carries nothing.
	resp, err = client.Get("http://evil.example/plain")
	require.NoError(t, err)
	assert.Empty(t, readBody(t, resp))

	// Same host name but another port is another host.
	mt.RegisterResponder(http.MethodGet, "https://vb.example:443/x", echo)
	resp, err = client.Get("https://vb.example:443/x")
	require.NoError(t, err)
	assert.Empty(t, readBody(t, resp))

	authorized, _ := a.counts()
	assert.Equal(t, 1, authorized)
}

func TestRedirectToOtherHostCarriesNoCredential(t *testing.T) {
	const otherURL = "https://evil.example/landing"
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, apiURL, func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(http.StatusFound, "")
		r.Header.Set("Location", otherURL)
		return r, nil
	})
	var got atomic.Value
	mt.RegisterResponder(http.MethodGet, otherURL, func(req *http.Request) (*http.Response, error) {
		got.Store(req.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, "landed"), nil
	})
	client := &http.Client{Transport: transport.New(transport.Config{Base: mt, Auth: newFakeAuth(), AuthHost: "vb.example:11005"})}
	resp, err := client.Get(apiURL)
	require.NoError(t, err)
	assert.Equal(t, "landed", readBody(t, resp))
	assert.Equal(t, "", got.Load())
}

func TestAuthDoesNotModifyCallerRequest(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, apiURL, httpmock.NewStringResponder(200, ""))
	rt := transport.New(transport.Config{Base: mt, Auth: newFakeAuth(), UserAgent: "ua/1"})
	req, err := http.NewRequest(http.MethodGet, apiURL, nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	readBody(t, resp)
	assert.Empty(t, req.Header.Get("Authorization"))
	assert.Empty(t, req.Header.Get("User-Agent"))
}
