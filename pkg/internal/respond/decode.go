package respond

import (
	"net/http"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// Decode checks resp and decodes its body into a new T with decodeBody, for
// products whose bodies are not always JSON.
func Decode[T any](resp *http.Response, err error, decode apierr.Decoder, decodeBody func(*http.Response, any) error) (*T, error) {
	if err != nil {
		return nil, transportError(err)
	}
	defer drainClose(resp)
	if err := apierr.CheckResponse(resp, decode); err != nil {
		return nil, err
	}
	v := new(T)
	if err := decodeBody(resp, v); err != nil {
		return nil, BodyError(resp, err)
	}
	return v, nil
}
