package fake

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
)

// FormParts reads a multipart/form-data body, as a handler of an upload
// receives it (the request's Content-Type and Input.Body), and returns the
// content of each part by its form name. It refuses another media type, a
// body it cannot read and a body without every part that want names.
func FormParts(contentType string, body []byte, want ...string) (map[string][]byte, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, errors.New("expected a multipart/form-data body")
	}
	parts := map[string][]byte{}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errors.New("malformed multipart body")
		}
		v, err := io.ReadAll(part)
		if err != nil {
			return nil, errors.New("malformed multipart body")
		}
		parts[part.FormName()] = v
	}
	for _, name := range want {
		if _, ok := parts[name]; !ok {
			return nil, errors.New("the form has no " + name + " part")
		}
	}
	return parts, nil
}
