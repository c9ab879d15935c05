// Package option holds the functional options of every backupsdk product
// client, in the manner of google.golang.org/api/option. Every NewClient
// takes them the same way:
//
//	c, err := vbgc.NewClient("https://vbgc.example.com:13140", creds,
//		option.WithCACertFile("/etc/ssl/vbgc-ca.pem"), // trust the appliance's self-signed certificate
//		option.WithLogger(slog.Default()),              // one redacted debug record per HTTP try
//		option.WithTimeout(30*time.Second))             // per call, retries included
//
// The defaults are the safe ones: TLS verification is on (WithCACert and
// WithCACertFile add a certificate to the system roots; WithInsecureSkipVerify
// has to be asked for), endpoints must be https unless WithInsecureHTTP is
// given, and the retry policy of package transport applies unless WithRetry
// replaces it. An option that cannot work (an empty PEM, an unreadable CA
// file, a negative retry count) makes NewClient fail before any request.
//
// An Option is opaque: it can only be built by the With* functions, here or
// in a product package. Options that matter to one product live in that
// product's package and return an Option as well: ibmbr.WithTenant,
// vbem.WithXML. Every option knows which products use it, and NewClient
// refuses, with an error naming the option and the product, one that its
// product would ignore (ibmbr.WithTenant given to vbaws.NewClient,
// WithAPIVersion given to ibmbr.NewClient).
package option
