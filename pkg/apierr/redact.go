package apierr

import (
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every secret the SDK removes from errors and logs.
const Redacted = "[REDACTED]"

// sensitiveKeys are the names of fields, form values, query parameters and
// headers whose values are secrets. Matching is case-insensitive.
var sensitiveKeys = []string{
	"password", "passwd", "access_token", "refresh_token", "id_token",
	"mfa_token", "mfa_code", "apikey", "api_key", "client_secret",
	"authorization", "x-restsvcsessionid", "sessionid", "token", "secret",
	"secretkey", "scratchcodes", "accesstoken", "refreshtoken", "mfatoken",
	"mfacode", "clientsecret", "x-ibm-api-key", "oldpassword",
	"certificatepassword", "qrstring",
}

var (
	keyAlt = strings.Join(sensitiveKeys, "|")
	// formKeyAlt adds names that are secrets only in forms and queries: an
	// OAuth authorization code, but not a vendor's JSON error "code".
	formKeyAlt = keyAlt + "|code"
	// "key": "value" (JSON), with an optional leading dot as in ".expires".
	jsonPair = regexp.MustCompile(`(?i)("(?:` + keyAlt + `)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*)`)
	// key=value (forms and query strings).
	formPair = regexp.MustCompile(`(?i)(^|[?&\s;,])((?:` + formKeyAlt + `)=)[^&\s;,"]*`)
	// <Key>value</Key> (XML elements).
	xmlPair = regexp.MustCompile(`(?i)(<(` + keyAlt + `)>)[^<]*(</)`)
	// Authorization schemes and bare header lines.
	schemeValue = regexp.MustCompile(`(?i)\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/=]+`)
	headerLine  = regexp.MustCompile(`(?i)((?:authorization|x-restsvcsessionid|x-api-key)\s*:\s*)[^\r\n]*`)
)

// Redact removes secrets from free text such as a response body or a log
// message: JSON members, form and query values, XML elements and headers
// whose names denote credentials, and bearer or basic credentials anywhere.
func Redact(s string) string {
	if s == "" {
		return s
	}
	s = jsonPair.ReplaceAllString(s, `${1}"`+Redacted+`"`)
	s = xmlPair.ReplaceAllString(s, `${1}`+Redacted+`${3}`)
	s = headerLine.ReplaceAllString(s, `${1}`+Redacted)
	s = schemeValue.ReplaceAllString(s, `${1} `+Redacted)
	s = formPair.ReplaceAllString(s, `${1}${2}`+Redacted)
	return s
}

// IsSensitive reports whether a header, field or parameter name carries a
// secret.
func IsSensitive(name string) bool {
	n := strings.ToLower(name)
	for _, k := range sensitiveKeys {
		if n == k {
			return true
		}
	}
	return false
}

// RedactURL returns u as text with user information removed and the values
// of sensitive query parameters replaced.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if IsSensitive(k) || strings.EqualFold(k, "code") {
				q[k] = []string{Redacted}
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}
