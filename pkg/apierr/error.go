package apierr

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Sentinels. An *Error matches the sentinel of its status code with
// errors.Is (and ErrServer for every 5xx); the auth packages wrap
// ErrMFARequired and ErrInvalidCredentials.
var (
	ErrBadRequest         = errors.New("bad request")
	ErrUnauthorized       = errors.New("unauthorized")
	ErrForbidden          = errors.New("forbidden")
	ErrNotFound           = errors.New("not found")
	ErrConflict           = errors.New("conflict")
	ErrRateLimited        = errors.New("rate limited")
	ErrServer             = errors.New("server error")
	ErrUnavailable        = errors.New("service unavailable")
	ErrTimeout            = errors.New("gateway timeout")
	ErrMFARequired        = errors.New("multi-factor authentication required")
	ErrInvalidCredentials = errors.New("invalid credentials")
	ErrUnexpectedResponse = errors.New("unexpected response")
	// ErrMissingID is returned by every product client, before any request,
	// for a call given an empty (or, for numeric ids, non-positive) id.
	ErrMissingID = errors.New("empty id")
)

// Error describes a non-2xx answer (or an answer the SDK could not use). All
// text fields are redacted before they are stored.
type Error struct {
	// StatusCode is the HTTP status code.
	StatusCode int
	// Code is the vendor's machine-readable error code (Veeam errorCode).
	Code string
	// Message is the vendor's human-readable message.
	Message string
	// Title, Type, Details and Instance follow RFC 7807 where the vendor
	// uses it.
	Title    string
	Type     string
	Details  string
	Instance string
	// ResourceID names the resource the error refers to, when given.
	ResourceID string
	// Data holds vendor-specific extra members.
	Data map[string]any
	// RequestID is the server's request identifier, when it sends one.
	RequestID string
	// Method and URL identify the request; the URL is redacted.
	Method string
	URL    string
	// Body is a redacted, truncated copy of the response body, kept for
	// diagnosis when the vendor body could not be decoded.
	Body string
	// Err is an underlying cause, such as ErrMFARequired.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.URL)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	} else {
		b.WriteString("request failed")
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = e.Title
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if msg == "" && e.Body != "" {
		// Without a vendor message the body is all there is to say what
		// went wrong (a web server's page, a proxy's refusal).
		if ex := excerpt(e.Body); ex != "" {
			fmt.Fprintf(&b, ": response body %q", ex)
		}
	}
	if e.Details != "" && e.Details != msg {
		b.WriteString(": ")
		b.WriteString(e.Details)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	if e.Err != nil && !isStatusSentinel(e.Err) {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinel of the status code, and ErrServer for every 5xx:
// a 503 is ErrUnavailable and ErrServer, a 504 ErrTimeout and ErrServer.
func (e *Error) Is(target error) bool {
	if target == ErrServer && e.StatusCode >= 500 {
		return true
	}
	s := StatusSentinel(e.StatusCode)
	return s != nil && s == target
}

// StatusSentinel returns the most specific sentinel for an HTTP status
// code, or nil. An *Error matches ErrServer too for any 5xx.
func StatusSentinel(code int) error {
	switch {
	case code == http.StatusBadRequest:
		return ErrBadRequest
	case code == http.StatusUnauthorized:
		return ErrUnauthorized
	case code == http.StatusForbidden:
		return ErrForbidden
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusConflict:
		return ErrConflict
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code == http.StatusServiceUnavailable:
		return ErrUnavailable
	case code == http.StatusGatewayTimeout:
		return ErrTimeout
	case code >= 500:
		return ErrServer
	}
	return nil
}

var statusSentinels = []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict,
	ErrRateLimited, ErrUnavailable, ErrTimeout, ErrServer}

// isStatusSentinel reports causes that only repeat the status line.
func isStatusSentinel(err error) bool {
	for _, s := range statusSentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// maxExcerpt bounds, in characters, the part of an undecoded body that
// Error shows; the whole (redacted) body stays in Body.
const maxExcerpt = 200

var (
	// Script and style elements hold no words a person would read.
	htmlScript = regexp.MustCompile(`(?is)<script\b.*?</script\s*>`)
	htmlStyle  = regexp.MustCompile(`(?is)<style\b.*?</style\s*>`)
	markupTag  = regexp.MustCompile(`(?s)<[^>]*>`)
)

// excerpt turns a kept body into one short line: the text of an HTML or
// XML page without its markup, whitespace collapsed, redacted again (taking
// markup out can bring a key and its value together) and cut.
func excerpt(body string) string {
	s := body
	if strings.Contains(s, "<") {
		s = htmlScript.ReplaceAllString(s, " ")
		s = htmlStyle.ReplaceAllString(s, " ")
		s = markupTag.ReplaceAllString(s, " ")
		s = html.UnescapeString(s)
	}
	s = Redact(strings.Join(strings.Fields(s), " "))
	if utf8.RuneCountInString(s) <= maxExcerpt {
		return s
	}
	runes := []rune(s)
	return string(runes[:maxExcerpt]) + "…"
}
