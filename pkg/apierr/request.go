package apierr

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const (
	// maxRequestBody bounds how much of a request body is searched for the
	// secrets it sent.
	maxRequestBody = 256 << 10
	// minSecret is the shortest value taken for a secret: shorter ones
	// would redact unrelated words of an error message.
	minSecret = 4
)

// requestSecrets returns the values the request sent under sensitive names
// (IsSensitive): JSON members at any depth, XML elements and attributes,
// form values and multipart form fields. A server may quote them back in
// an error message ("password 'x' is too short") where no pattern of
// Redact can tell them apart, so the error drops them wherever they occur.
// The body is read again through GetBody; a request without one yields
// nothing.
func requestSecrets(req *http.Request) []string {
	if req == nil || req.GetBody == nil {
		return nil
	}
	rc, err := req.GetBody()
	if err != nil {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(rc, maxRequestBody))
	_ = rc.Close()
	if len(body) == 0 {
		return nil
	}
	var found []string
	add := func(v string) {
		if v = strings.TrimSpace(v); len(v) >= minSecret {
			found = append(found, v)
		}
	}
	mt, params, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	switch {
	case mt == "application/x-www-form-urlencoded":
		values, _ := url.ParseQuery(string(body))
		for k, vs := range values {
			if IsSensitive(k) {
				for _, v := range vs {
					add(v)
				}
			}
		}
	case mt == "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if IsSensitive(part.FormName()) {
				v, _ := io.ReadAll(io.LimitReader(part, maxRequestBody))
				add(string(v))
			}
		}
	case strings.HasSuffix(mt, "xml"):
		xmlSecrets(body, add)
	default:
		var v any
		if json.Unmarshal(body, &v) == nil {
			jsonSecrets("", v, add)
		}
	}
	return found
}

func jsonSecrets(key string, v any, add func(string)) {
	switch x := v.(type) {
	case string:
		if IsSensitive(key) {
			add(x)
		}
	case map[string]any:
		for k, inner := range x {
			jsonSecrets(k, inner, add)
		}
	case []any:
		for _, inner := range x {
			jsonSecrets(key, inner, add)
		}
	}
}

func xmlSecrets(body []byte, add func(string)) {
	d := xml.NewDecoder(bytes.NewReader(body))
	var inSecret int // depth inside sensitive elements
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return // the end, or a body that is not XML after all
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				if IsSensitive(a.Name.Local) {
					add(a.Value)
				}
			}
			if inSecret > 0 || IsSensitive(t.Name.Local) {
				inSecret++
			}
		case xml.CharData:
			if inSecret > 0 {
				text.Write(t)
			}
		case xml.EndElement:
			if inSecret > 0 {
				if inSecret--; inSecret == 0 {
					add(text.String())
					text.Reset()
				}
			}
		}
	}
}

// withoutSecrets replaces every occurrence of the secrets in the error's
// text and data.
func (e *Error) withoutSecrets(secrets []string) {
	if len(secrets) == 0 {
		return
	}
	// Longer secrets first, so one that holds another is replaced whole.
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, Redacted)
	}
	r := strings.NewReplacer(pairs...)
	for _, f := range []*string{&e.Code, &e.Type, &e.ResourceID, &e.Message, &e.Title, &e.Details, &e.Instance, &e.Body} {
		*f = r.Replace(*f)
	}
	for k, v := range e.Data {
		e.Data[k] = replaceIn(v, r)
	}
}

func replaceIn(v any, r *strings.Replacer) any {
	switch x := v.(type) {
	case string:
		return r.Replace(x)
	case map[string]any:
		for k, inner := range x {
			x[k] = replaceIn(inner, r)
		}
	case []any:
		for i, inner := range x {
			x[i] = replaceIn(inner, r)
		}
	}
	return v
}
