package specs_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"

	"github.com/backupsdk/backupsdk/specs"
)

// TestEveryResponseHasAnExample checks that every response body of every
// spec carries an example (on the media type or on its schema), so that
// mock servers such as Prism answer with realistic data. kin-openapi's
// validation (TestSpecsValidate) checks that the examples fit their schemas.
func TestEveryResponseHasAnExample(t *testing.T) {
	for name, data := range specs.All() {
		doc := load(t, data)
		missing := 0
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				for code, resp := range op.Responses.Map() {
					for mt, media := range resp.Value.Content {
						if hasExample(media) {
							continue
						}
						missing++
						t.Errorf("%s: %s %s %s %s has no example", name, method, path, code, mt)
					}
				}
			}
		}
		assert.Zero(t, missing, name)
	}
}

func hasExample(m *openapi3.MediaType) bool {
	if m.Example != nil || len(m.Examples) > 0 {
		return true
	}
	return m.Schema != nil && m.Schema.Value != nil && m.Schema.Value.Example != nil
}
