package svc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// Core is what the generated services of a product call. A product package
// embeds it in its own core type:
//
//	type core struct {
//		svc.Core
//		api vbawsapi.ClientInterface
//	}
//
// and fills Decode, Managed and, where bodies are not plain JSON, Codec.
type Core struct {
	// Product names the product in errors ("vbaws").
	Product string
	// Decode reads the product's error bodies.
	Decode apierr.Decoder
	// Managed gives the values of the parameters the client fills in itself
	// (x-backupsdk-managed in the spec: an API version, a tenant), by kind.
	Managed map[string]func(ctx context.Context) (string, error)
	// Codec, when set, encodes request bodies and decodes results instead of
	// JSON (Enterprise Manager speaks XML too).
	Codec Codec
}

// Codec encodes request bodies and decodes response bodies.
type Codec interface {
	Encode(op string, body any) (contentType string, r io.Reader, err error)
	Decode(resp *http.Response, v any) error
}

// Value returns the value of the managed parameter kind.
func (c *Core) Value(ctx context.Context, kind string) (string, error) {
	f, ok := c.Managed[kind]
	if !ok {
		return "", fmt.Errorf("%s: no value for the %q parameter (a servicegen annotation without a client value)", c.Product, kind)
	}
	return f(ctx)
}

// Encode encodes a request body as JSON, or with the Codec. An encoding
// error names the operation and the field.
func (c *Core) Encode(op string, body any) (string, io.Reader, error) {
	if c.Codec != nil {
		return c.Codec.Encode(op, body)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", c.Product, respond.Encode(op, body, err))
	}
	return "application/json", bytes.NewReader(b), nil
}

// Empty checks a response that carries no value.
func (c *Core) Empty(resp *http.Response, err error) error {
	return respond.Empty(resp, err, c.Decode)
}

// Stream checks a response and hands its body to the caller.
func (c *Core) Stream(resp *http.Response, err error) (io.ReadCloser, error) {
	return respond.Stream(resp, err, c.Decode)
}

// Result checks a response and decodes its body into a new T.
func Result[T any](c *Core, resp *http.Response, err error) (*T, error) {
	if c.Codec == nil {
		return respond.JSON[T](resp, err, c.Decode)
	}
	return respond.Decode[T](resp, err, c.Decode, c.Codec.Decode)
}

// MissingID is the error of a call whose path parameter param holds no id
// (an empty string, or a number below 1); nothing is sent.
func (c *Core) MissingID(param string) error {
	return fmt.Errorf("%s: %w (%s)", c.Product, apierr.ErrMissingID, param)
}
