package vbem

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
)

// codec is the svc.Codec of Enterprise Manager: request bodies in the
// client's media type, answers in whichever the server sent.
type codec struct{ xml bool }

// mediaType is the media type the client sends and asks for.
func (c codec) mediaType() string {
	if c.xml {
		return "application/xml"
	}
	return "application/json"
}

// Encode writes a request body. XML bodies get the root element of the
// body's type (the generated types are named after their XML roots:
// PasswordKeyInfoSpec, HierarchyScopeCreateSpec, ...) in the Enterprise
// Manager namespace, and their children in the documented order, which the
// generated types keep (x-order in the spec) and the server requires.
func (c codec) Encode(op string, body any) (string, io.Reader, error) {
	if !c.xml {
		b, err := json.Marshal(body)
		if err != nil {
			return "", nil, fmt.Errorf("vbem: %w", respond.Encode(op, body, err))
		}
		return "application/json", bytes.NewReader(b), nil
	}
	t := reflect.TypeOf(body)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Name() == "" {
		return "", nil, fmt.Errorf("vbem: %s: encode request body: %T names no XML root element", op, body)
	}
	name := t.Name()
	if r, ok := xmlRoots[name]; ok {
		name = r
	}
	var buf bytes.Buffer
	root := xml.StartElement{Name: xml.Name{Local: name}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Namespace}}}
	if err := xml.NewEncoder(&buf).EncodeElement(body, root); err != nil {
		return "", nil, fmt.Errorf("vbem: %w", respond.Encode(op, body, err))
	}
	return "application/xml", &buf, nil
}

// xmlRoots names the XML root element of the request bodies whose Go type
// is not named after it: a schema that shares its root element with
// another (RestoreSpec is the body of the VM restore and of the vApp
// restore, with different children).
var xmlRoots = map[string]string{
	"VAppRestoreSpec": "RestoreSpec",
}

// maxBody bounds the answers the client reads.
const maxBody = 32 << 20

// Decode reads an answer, JSON or XML by its Content-Type (or its first
// byte), after the byte-order mark real servers put before their JSON.
func (c codec) Decode(resp *http.Response, v any) error {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return err
	}
	ct := resp.Header.Get("Content-Type")
	if strings.Contains(ct, "html") {
		// A proxy's or a login page is well-formed enough to pass for XML.
		return errors.New("an HTML page is not an API answer")
	}
	if len(bytes.TrimSpace(trimBOM(raw))) == 0 {
		return errors.New("the answer has no body")
	}
	return unmarshal(ct, raw, v)
}

// utf8BOM is the byte-order mark Enterprise Manager puts before its JSON.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }

// unmarshal decodes a JSON or XML body, by its Content-Type or else its
// first byte. Every body the client decodes (answers, the logon answer,
// errors) goes through it, because encoding/json refuses the byte-order
// mark that real appliances send.
func unmarshal(contentType string, raw []byte, v any) error {
	raw = bytes.TrimLeft(trimBOM(raw), " \t\r\n")
	if strings.Contains(contentType, "xml") || (len(raw) > 0 && raw[0] == '<') {
		return xml.Unmarshal(raw, v)
	}
	return json.Unmarshal(raw, v)
}

// errorBody is Enterprise Manager's Error element, in either media type.
type errorBody struct {
	Message                     string  `json:"Message" xml:"Message,attr"`
	StatusCode                  int     `json:"StatusCode" xml:"StatusCode,attr"`
	Status                      *string `json:"Status" xml:"Status,attr"`
	FirstChanceExceptionMessage *string `json:"FirstChanceExceptionMessage" xml:"FirstChanceExceptionMessage"`
}

// decodeError decodes the Error element (XML or JSON).
func decodeError(contentType string, body []byte, e *apierr.Error) {
	var b errorBody
	if unmarshal(contentType, body, &b) != nil {
		return
	}
	e.Message = b.Message
	if b.Status != nil {
		e.Code = *b.Status
	}
	if b.FirstChanceExceptionMessage != nil && *b.FirstChanceExceptionMessage != b.Message {
		e.Details = *b.FirstChanceExceptionMessage
	}
}

func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
