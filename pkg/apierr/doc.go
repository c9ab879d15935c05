// Package apierr holds the one error type every backupsdk client returns for
// a failed HTTP exchange, the sentinels to test it with errors.Is, and the
// redaction applied to everything that reaches an error message or a log.
//
// Every product client (vbaws, vbgc, vbem, ibmbr) turns a non-2xx answer into
// an *Error carrying the HTTP status, the vendor's machine-readable code
// (Veeam's errorCode, IBM's errorCode or code), its message, the request id
// and the method and redacted URL of the request. Callers rarely build one
// themselves; they test what they got:
//
//	_, err := c.Organizations.Get(ctx, id)
//	switch {
//	case errors.Is(err, apierr.ErrNotFound):
//		// 404: gone, or never there
//	case errors.Is(err, apierr.ErrInvalidCredentials):
//		// the token endpoint refused the user name and password
//	}
//	var apiErr *apierr.Error
//	if errors.As(err, &apiErr) {
//		log.Printf("%d %s: %s (request %s)", apiErr.StatusCode, apiErr.Code, apiErr.Message, apiErr.RequestID)
//	}
//
// An *Error matches the sentinel of its status code (ErrBadRequest,
// ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited,
// ErrServer, ErrUnavailable, ErrTimeout; see StatusSentinel; every 5xx
// matches ErrServer as well as its own) and, through
// Unwrap, a cause the SDK attached, such as ErrInvalidCredentials on a login
// the vendor refused in its own error body. Package auth adds ErrMFARequired
// for a login that needs a second factor nobody supplied. Every product
// client refuses a call with an empty id, before sending it, with an error
// matching ErrMissingID. When the body is
// not the vendor's (a proxy's page, say), Error shows a short redacted
// excerpt of it.
//
// For product packages, CheckResponse and FromResponse build the *Error from
// an *http.Response with a Decoder for the vendor's error body (DecodeVeeam,
// DecodeIBM). Redact, RedactURL and IsSensitive remove passwords, tokens, API
// keys and session ids from free text, URLs and header names; every text field
// of an *Error has been through them, and so has every line the transport
// package logs.
package apierr
