package transport

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// Authorizer puts a credential on a request. Authorize returns the
// credential's generation; the auth link passes it to Invalidate when the
// server answers 401, so only that generation is dropped.
type Authorizer interface {
	Authorize(req *http.Request) (gen uint64, err error)
	Invalidate(gen uint64)
}

// ErrInsecureTransport is returned when credentials would go over plain
// http without the caller's opt-in.
var ErrInsecureTransport = errors.New("transport: refusing to send credentials over plain http (opt in to allow it)")

// errAuthenticate marks a failure to obtain a credential. The retry link
// does not repeat it: a login has its own policy (a password POST is sent
// once, the IAM API key exchange retries itself).
var errAuthenticate = errors.New("authenticate")

type authLink struct {
	next      http.RoundTripper
	auth      Authorizer
	host      string
	allowHTTP bool
}

func (l *authLink) RoundTrip(req *http.Request) (*http.Response, error) {
	if l.host != "" && !strings.EqualFold(req.URL.Host, l.host) {
		// Another host (a redirect, say) never gets our credentials.
		return l.next.RoundTrip(req)
	}
	if req.URL.Scheme != "https" && !l.allowHTTP {
		closeBody(req)
		return nil, ErrInsecureTransport
	}
	resp, gen, err := l.try(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	// The credential is dropped whether or not this request can be sent
	// again; kept, every later call would carry it into another 401 until
	// it expired.
	l.auth.Invalidate(gen)
	// One re-authentication, never a loop. It needs a body we can resend.
	retry, ok := rewind(req)
	if !ok {
		return resp, nil
	}
	drain(resp)
	resp, _, err = l.try(retry)
	return resp, err
}

func (l *authLink) try(req *http.Request) (*http.Response, uint64, error) {
	r := req.Clone(req.Context())
	gen, err := l.auth.Authorize(r)
	if err != nil {
		closeBody(req)
		return nil, 0, fmt.Errorf("%w: %w", errAuthenticate, err)
	}
	resp, err := l.next.RoundTrip(r)
	return resp, gen, err
}

// rewind returns a copy of req whose body can be sent again.
func rewind(req *http.Request) (*http.Request, bool) {
	r := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r.Body = body
	return r, true
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

type idleCloser interface{ CloseIdleConnections() }

// closeIdle passes http.Client.CloseIdleConnections down the chain.
func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(idleCloser); ok {
		c.CloseIdleConnections()
	}
}

// CloseIdleConnections closes the idle connections of the base transport.
func (l *authLink) CloseIdleConnections() { closeIdle(l.next) }

// CloseIdleConnections closes the idle connections of the base transport.
func (l *retryLink) CloseIdleConnections() { closeIdle(l.next) }

// CloseIdleConnections closes the idle connections of the base transport.
func (l *headerLink) CloseIdleConnections() { closeIdle(l.next) }

// CloseIdleConnections closes the idle connections of the base transport.
func (l *logLink) CloseIdleConnections() { closeIdle(l.next) }

func redactURL(req *http.Request) string { return apierr.RedactURL(req.URL) }

func redactErr(err error) string { return apierr.Redact(err.Error()) }
