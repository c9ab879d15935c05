package apierr

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// maxErrorBody bounds how much of an error body is read and kept.
const (
	maxErrorBody = 64 << 10
	maxKeptBody  = 2 << 10
)

// Decoder fills e from a product's error body. It is called only for bodies
// that are not empty; it leaves e alone when the body is not in its format.
type Decoder func(contentType string, body []byte, e *Error)

// requestIDHeaders are the headers vendors use for a request identifier.
var requestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "X-Ibm-Request-Id", "X-Global-Transaction-Id", "Request-Id"}

// CheckResponse returns nil for a 2xx response. Otherwise it reads (a bounded
// part of) the body, closes it, and returns an *Error decoded with decode.
func CheckResponse(resp *http.Response, decode Decoder) error {
	if resp == nil {
		return &Error{Err: ErrUnexpectedResponse, Message: "no response"}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	return FromResponse(resp, body, decode)
}

// FromResponse builds an *Error from a response whose body was already read.
func FromResponse(resp *http.Response, body []byte, decode Decoder) *Error {
	e := &Error{StatusCode: resp.StatusCode}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		e.URL = RedactURL(resp.Request.URL)
	}
	for _, h := range requestIDHeaders {
		if v := resp.Header.Get(h); v != "" {
			e.RequestID = v
			break
		}
	}
	body = bytes.TrimSpace(body)
	if len(body) > 0 && decode != nil {
		decode(resp.Header.Get("Content-Type"), body, e)
	}
	if e.Code == "" && e.Message == "" && e.Title == "" && len(body) > 0 {
		// Redact before cutting: a member cut in two escapes the patterns.
		e.Body = truncate(Redact(string(body)), maxKeptBody)
	}
	e.redact()
	e.withoutSecrets(requestSecrets(resp.Request))
	return e
}

func (e *Error) redact() {
	e.Code = Redact(e.Code)
	e.Type = Redact(e.Type)
	e.ResourceID = Redact(e.ResourceID)
	e.RequestID = Redact(e.RequestID)
	e.Message = Redact(e.Message)
	e.Title = Redact(e.Title)
	e.Details = Redact(e.Details)
	e.Instance = Redact(e.Instance)
	for k, v := range e.Data {
		e.Data[k] = redactValue(k, v)
	}
}

// redactValue redacts a member of Data at any depth: sensitive keys lose
// their value, strings are redacted, maps and lists are walked.
func redactValue(key string, v any) any {
	if IsSensitive(key) {
		return Redacted
	}
	switch x := v.(type) {
	case string:
		return Redact(x)
	case map[string]any:
		for k, inner := range x {
			x[k] = redactValue(k, inner)
		}
		return x
	case []any:
		for i, inner := range x {
			x[i] = redactValue("", inner)
		}
		return x
	}
	return v
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// veeamProblem is the error body of the Veeam cloud backup REST APIs, an
// RFC 7807 problem document with Veeam's own members. Some products send
// "Data" with a capital D, so members are matched case-insensitively, which
// encoding/json does.
//
// The /token endpoint may answer in the OAuth 2.0 form instead (RFC 6749
// section 5.2: "error", "error_description"). Those two are raw so that a
// body using the names for something else still decodes.
type veeamProblem struct {
	Error            json.RawMessage `json:"error"`
	ErrorDescription json.RawMessage `json:"error_description"`
	ErrorCode        string          `json:"errorCode"`
	Message          string          `json:"message"`
	Type             string          `json:"type"`
	Title            string          `json:"title"`
	Status           int             `json:"status"`
	Details          string          `json:"details"`
	Instance         string          `json:"instance"`
	ResourceID       string          `json:"resourceId"`
	Data             map[string]any  `json:"data"`
}

// DecodeVeeam decodes the Veeam problem body used by Veeam Backup for AWS
// and Veeam Backup for Google Cloud (application/json or
// application/problem+json).
func DecodeVeeam(contentType string, body []byte, e *Error) {
	if !looksJSON(contentType, body) {
		return
	}
	var p veeamProblem
	if json.Unmarshal(body, &p) != nil {
		return
	}
	e.Code = p.ErrorCode
	e.Message = p.Message
	if e.Code == "" {
		e.Code = rawString(p.Error)
	}
	if e.Message == "" {
		e.Message = rawString(p.ErrorDescription)
	}
	e.Type = p.Type
	e.Title = p.Title
	e.Details = p.Details
	e.Instance = p.Instance
	e.ResourceID = p.ResourceID
	e.Data = p.Data
}

// rawString is the JSON string in raw, or "" when raw holds anything else.
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func looksJSON(contentType string, body []byte) bool {
	if strings.Contains(contentType, "json") {
		return true
	}
	return len(body) > 0 && (body[0] == '{' || body[0] == '[')
}

// ibmProblem covers the error bodies of IBM Cloud Backup and Recovery
// (Cohesity: errorCode, message) and of IBM Cloud IAM (errorCode,
// errorMessage, context.requestId).
type ibmProblem struct {
	ErrorCode    string `json:"errorCode"`
	Code         string `json:"code"`
	Message      string `json:"message"`
	ErrorMessage string `json:"errorMessage"`
	Context      struct {
		RequestID string `json:"requestId"`
	} `json:"context"`
}

// DecodeIBM decodes the error body of IBM Cloud Backup and Recovery and of
// the IAM token service.
func DecodeIBM(contentType string, body []byte, e *Error) {
	if !looksJSON(contentType, body) {
		return
	}
	var p ibmProblem
	if json.Unmarshal(body, &p) != nil {
		return
	}
	e.Code = p.ErrorCode
	if e.Code == "" {
		e.Code = p.Code
	}
	e.Message = p.Message
	if e.Message == "" {
		e.Message = p.ErrorMessage
	}
	if e.RequestID == "" {
		e.RequestID = p.Context.RequestID
	}
}
