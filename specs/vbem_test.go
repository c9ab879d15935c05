package specs_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/specs"
)

var idSegment = regexp.MustCompile(`\{[^}]*\}`)

// TestVBEMCoversEndpointTable finds every row of the Enterprise Manager
// endpoint table (testdata/vbem-endpoints.tsv) in the spec by method and
// path. The table writes every id as {ID} and some query strings into the
// path; the spec names its path parameters and declares the query
// parameters, so paths are compared with parameters normalised and query
// strings dropped, and the query parameters are checked separately.
func TestVBEMCoversEndpointTable(t *testing.T) {
	doc := load(t, specs.VBEM)
	b, err := os.ReadFile("testdata/vbem-endpoints.tsv")
	require.NoError(t, err)

	spec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			spec[method+" "+idSegment.ReplaceAllString(path, "{}")] = true
		}
	}
	rows := 0
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 3 {
			continue
		}
		rows++
		method, path := cols[0], cols[1]
		path, query, _ := strings.Cut(path, "?")
		key := method + " " + idSegment.ReplaceAllString(path, "{}")
		assert.True(t, spec[key], "row %d: %s %s is missing", i, method, cols[1])
		if query == "" || !spec[key] {
			continue
		}
		item := doc.Paths.Find(findPath(doc.Paths.InMatchingOrder(), path))
		require.NotNil(t, item, path)
		op := item.GetOperation(method)
		name, _, _ := strings.Cut(query, "=")
		assert.NotNil(t, op.Parameters.GetByInAndName("query", name), "%s %s lacks query parameter %s", method, path, name)
	}
	assert.Equal(t, 259, rows)

	// Every body offers both media types.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody != nil {
				c := op.RequestBody.Value.Content
				assert.NotNil(t, c.Get("application/xml"), "%s %s request lacks XML", method, path)
				assert.NotNil(t, c.Get("application/json"), "%s %s request lacks JSON", method, path)
			}
			for code, r := range op.Responses.Map() {
				if len(r.Value.Content) > 0 {
					assert.NotNil(t, r.Value.Content.Get("application/xml"), "%s %s %s lacks XML", method, path, code)
					assert.NotNil(t, r.Value.Content.Get("application/json"), "%s %s %s lacks JSON", method, path, code)
				}
			}
		}
	}
}

// findPath maps a table path with {ID} placeholders to the spec's template.
func findPath(paths []string, tablePath string) string {
	want := idSegment.ReplaceAllString(tablePath, "{}")
	for _, p := range paths {
		if idSegment.ReplaceAllString(p, "{}") == want {
			return p
		}
	}
	return tablePath
}
