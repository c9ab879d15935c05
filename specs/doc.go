// Package specs embeds the hand-written OpenAPI 3.0.3 documents that are the
// source of truth of backupsdk, so the fake servers and tests can load them.
//
// The files themselves, specs/<product>/openapi.yaml, are meant to be used as
// they are by other language teams: `make test` lints them (Redocly and
// Spectral, no warnings), generates and compiles TypeScript from them, serves
// them with Prism, and validates them with kin-openapi, examples included.
// Anything a vendor's public reference does not show is marked
// `x-backupsdk-inferred: true`. The Go wire layer in gen/ is generated from
// them by oapi-codegen (see the root generate.go); specs/CHANGELOG.md
// records their changes.
//
//	doc, err := openapi3.NewLoader().LoadFromData(specs.VBGC)
package specs
