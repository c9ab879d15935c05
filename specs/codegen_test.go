package specs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/specs"
)

// TestCodegenSettings pins the generator settings that shape the Go names
// of gen/ (docs/regenerating.md, "Go names"), the same for every product.
func TestCodegenSettings(t *testing.T) {
	for name := range specs.All() {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(specs.Files()[name].Config)
			require.NoError(t, err)
			var settings []string
			for _, line := range strings.Split(string(data), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					settings = append(settings, line)
				}
			}
			for _, want := range []string{
				"name-normalizer: ToCamelCaseWithInitialisms",
				"prefer-skip-optional-pointer-on-container-types: true",
				"response-type-suffix: HTTPResponse",
			} {
				assert.Contains(t, settings, want)
			}
			for _, s := range settings {
				assert.NotContains(t, s, "resolve-type-name-collisions",
					"a clash must fail generation, not rename a type: settle it with x-go-name")
			}
		})
	}
}

// TestGeneratedModels checks what the settings promise: no optional slice or
// map behind a pointer, every client response wrapper named
// <operationId>HTTPResponse, and no type name told apart from another by a
// trailing number.
func TestGeneratedModels(t *testing.T) {
	for name := range specs.All() {
		t.Run(name, func(t *testing.T) {
			gen := specs.Files()[name].Gen
			path := filepath.Join("..", "gen", gen, gen+".gen.go")
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			types := map[string]bool{}
			for _, d := range f.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
					for _, s := range gd.Specs {
						types[s.(*ast.TypeSpec).Name.Name] = true
					}
				}
			}
			for typ := range types {
				if stem := strings.TrimRight(typ, "0123456789"); stem != typ {
					assert.False(t, types[stem], "%s is told apart from %s by a number", typ, stem)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if ts, ok := n.(*ast.TypeSpec); ok {
					if st, ok := ts.Type.(*ast.StructType); ok && isResponseWrapper(st) {
						assert.True(t, strings.HasSuffix(ts.Name.Name, "HTTPResponse"), "%s: a response wrapper", ts.Name.Name)
						return false // its JSON200 and the like are nil unless the status matched
					}
				}
				st, ok := n.(*ast.StructType)
				if !ok {
					return true
				}
				for _, field := range st.Fields.List {
					star, ok := field.Type.(*ast.StarExpr)
					if !ok {
						continue
					}
					switch star.X.(type) {
					case *ast.ArrayType, *ast.MapType:
						for _, id := range field.Names {
							assert.False(t, id.IsExported(), "%s is a pointer to a slice or map", id.Name)
						}
					}
				}
				return true
			})
		})
	}
}

// isResponseWrapper tells the client's typed response (Body, HTTPResponse,
// JSON200, ...) from a model.
func isResponseWrapper(st *ast.StructType) bool {
	var body, resp bool
	for _, field := range st.Fields.List {
		for _, id := range field.Names {
			body = body || id.Name == "Body"
			resp = resp || id.Name == "HTTPResponse"
		}
	}
	return body && resp
}
