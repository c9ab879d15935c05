// Package respond turns the raw responses of the generated clients into the
// values and errors the product facades return, through apierr.CheckResponse,
// and (Encode) names the operation and field of a request body that failed to
// encode.
package respond

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// JSON checks resp and decodes its JSON body into a new T.
func JSON[T any](resp *http.Response, err error, decode apierr.Decoder) (*T, error) {
	return Decode[T](resp, err, decode, decodeJSON)
}

func decodeJSON(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

// Empty checks resp and discards its body.
func Empty(resp *http.Response, err error, decode apierr.Decoder) error {
	if err != nil {
		return transportError(err)
	}
	defer drainClose(resp)
	return apierr.CheckResponse(resp, decode)
}

// Stream checks resp and hands its body to the caller, who must close it.
// Nothing is buffered.
func Stream(resp *http.Response, err error, decode apierr.Decoder) (io.ReadCloser, error) {
	if err != nil {
		return nil, transportError(err)
	}
	if err := apierr.CheckResponse(resp, decode); err != nil {
		return nil, err
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		// A proxy's or a login page is not the file asked for.
		drainClose(resp)
		return nil, BodyError(resp, errors.New("an HTML page is not a download"))
	}
	return resp.Body, nil
}

// transportError redacts the URL that http.Client puts in its *url.Error.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = apierr.RedactURL(u)
		}
	}
	return err
}

// BodyError is the error for a 2xx answer whose body could not be read or
// decoded. It matches the context's error (context.DeadlineExceeded,
// context.Canceled) when the caller's deadline, WithTimeout or cancellation
// cut the body short, and apierr.ErrUnexpectedResponse otherwise.
func BodyError(resp *http.Response, err error) error {
	e := &apierr.Error{StatusCode: resp.StatusCode, Err: apierr.ErrUnexpectedResponse,
		Message: fmt.Sprintf("cannot decode %s body: %v", resp.Header.Get("Content-Type"), err)}
	if resp.Request != nil {
		e.Method, e.URL = resp.Request.Method, apierr.RedactURL(resp.Request.URL)
	}
	if cerr := interrupted(resp, err); cerr != nil {
		e.Err, e.Message = cerr, "the body was cut short"
	}
	return e
}

// interrupted returns the context error that ended a body read, if any.
// The request's context carries http.Client.Timeout too.
func interrupted(resp *http.Response, err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		return context.Canceled
	case resp.Request != nil:
		return resp.Request.Context().Err()
	}
	return nil
}

func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
