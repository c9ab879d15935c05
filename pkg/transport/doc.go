// Package transport builds the one request pipeline every backupsdk client
// uses, as a chain of http.RoundTripper links handed to the generated
// clients: headers -> retry -> auth -> logging -> base transport. Retry wraps
// auth, so every try gets a current credential; logging sits next to the wire,
// so every try is logged.
//
// Product clients assemble the pipeline from their options (see package
// option), so application code meets this package in two places only: a
// RetryPolicy given to WithRetry, and WithRetrySafe for a POST that may be
// repeated.
//
//	c, err := vbaws.NewClient(endpoint, creds, option.WithRetry(transport.RetryPolicy{
//		MaxRetries: 5, BaseDelay: time.Second, MaxDelay: 20 * time.Second,
//	}))
//	...
//	// A POST that only reads, so retrying it is harmless:
//	page, err := c.Organizations.IdentitiesInDB(transport.WithRetrySafe(ctx), id, scope, nil)
//
// The links do this, in order:
//
//   - headers: the User-Agent and fixed headers (x-api-version, Accept) on
//     every request that does not set them itself;
//   - retry: GET, HEAD, OPTIONS, PUT, DELETE and requests marked with
//     WithRetrySafe (unless also marked WithoutRetry, as logins mark
//     theirs) are tried again on 408, 429, 502, 503 and 504 and on
//     reset, refused or timed-out connections, after a jittered exponential
//     backoff or the server's Retry-After; cancelling the context ends a wait
//     at once;
//   - auth: an Authorizer (package auth) sets the credential, only for the
//     appliance's own host and only over https unless the caller opted in
//     (ErrInsecureTransport); every 401 drops that credential, and the
//     request, if its body can be sent again, goes once more with a fresh
//     one;
//   - logging: one debug-level slog record per try, with the URL and any
//     error redacted by package apierr.
//
// TLSConfig and ReadCAFile build the TLS settings for appliances with
// self-signed certificates (option.WithCACert, option.WithCACertFile).
package transport
