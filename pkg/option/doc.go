// Package option holds the functional options every backupsdk product client
// accepts (vbaws.NewClient, vbgc.NewClient, ...). The product packages
// re-export them, so most code writes vbaws.WithLogger rather than
// option.WithLogger.
//
//	c, err := vbgc.NewClient("https://vbgc.example.com:13140", creds,
//		vbgc.WithCACertFile("/etc/ssl/vbgc-ca.pem"), // trust the appliance's self-signed certificate
//		vbgc.WithLogger(slog.Default()),              // one redacted debug record per HTTP try
//		vbgc.WithTimeout(30*time.Second))             // per call, retries included
//
// The defaults are the safe ones: TLS verification is on (WithCACert and
// WithCACertFile add a certificate to the system roots; WithInsecureSkipVerify
// has to be asked for), endpoints must be https unless WithInsecureHTTP is
// given, and the retry policy of package transport applies unless WithRetry
// replaces it. An option that cannot work (an empty PEM, an unreadable CA
// file, a negative retry count) makes NewClient fail before any request.
//
// Some options matter to one product only and are re-exported only there:
// WithTenant by ibmbr, WithXML by vbem. Apply, Settings.ParseEndpoint and
// Settings.Clients are for the product packages, which turn the Settings into
// the two HTTP clients of a product: one running the whole pipeline with
// credentials, and a bare one for the login calls.
package option
