package transport

import (
	"context"
	"net/http"
)

const captureKey contextKey = 100

// WithCaptureResponse returns a context that records, in *resp, the final
// HTTP response of each call made with it (after retries and
// re-authentication), so that a caller can read the status, the headers or
// the request id of a successful call without dropping to the generated
// client. The body has been read and closed by the time the call returns.
// As with azcore's runtime.WithCaptureResponse, a context carries one
// destination: use a fresh one per call whose response you want.
func WithCaptureResponse(ctx context.Context, resp **http.Response) context.Context {
	return context.WithValue(ctx, captureKey, resp)
}

// captureLink is the outermost link, so it sees what the caller gets.
type captureLink struct{ next http.RoundTripper }

func (l *captureLink) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	if dst, ok := req.Context().Value(captureKey).(**http.Response); ok && dst != nil && resp != nil {
		*dst = resp
	}
	return resp, err
}

// CloseIdleConnections closes the idle connections of the base transport.
func (l *captureLink) CloseIdleConnections() { closeIdle(l.next) }
