package svc

import (
	"fmt"
	"net/url"
	"strings"
)

// Server is a server that path items of a spec name instead of the spec's
// own (OpenAPI's path-level servers), which oapi-codegen ignores. From is the
// path of the spec's server ("/v2"), To the path of the path items' server
// ("/irisservices/api/v1"). servicegen writes them into the product's
// services.gen.go as the variable servers; the product's NewClient builds a
// generated client for each at ServerURL(endpoint, s) and the generated
// methods of those path items call it.
type Server struct {
	From, To string
}

// ServerURL returns the base URL of the operations of s for a client of
// endpoint: endpoint with its path ending From replaced by To. An endpoint
// whose path does not end in From gets To appended to its path, as IBM's
// own SDK does (it trims "/v2" when present and appends the legacy path).
// The query and fragment are dropped.
func ServerURL(endpoint *url.URL, s Server) (string, error) {
	if endpoint == nil || endpoint.Host == "" {
		return "", fmt.Errorf("server %s: endpoint %v has no host", s.To, endpoint)
	}
	u := *endpoint
	u.RawQuery, u.Fragment, u.RawPath = "", "", ""
	p := strings.TrimSuffix(u.Path, "/")
	p = strings.TrimSuffix(p, strings.TrimSuffix(s.From, "/"))
	u.Path = p + s.To
	return u.String(), nil
}
