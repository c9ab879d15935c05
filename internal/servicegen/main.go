// Command servicegen writes the service layer of a product facade from the
// x-backupsdk-* annotations of its OpenAPI spec and from the client that
// oapi-codegen generated for that spec.
//
// The spec says what a user sees (service, method, options, iterator); the
// generated client says the exact Go types (path parameters, Params fields,
// body and result types), so the two can never disagree. See
// docs/annotations.md for the annotations.
//
//	go run ./internal/servicegen -spec specs/vbaws/openapi.yaml \
//	    -api gen/vbawsapi/vbawsapi.gen.go -pkg vbaws -out pkg/vbaws/services.gen.go
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.spec, "spec", "", "the OpenAPI spec (specs/<product>/openapi.yaml)")
	flag.StringVar(&cfg.api, "api", "", "the file oapi-codegen generated from the spec")
	flag.StringVar(&cfg.pkg, "pkg", "", "the package name of the facade")
	flag.StringVar(&cfg.out, "out", "", "the file to write")
	flag.Parse()
	if cfg.spec == "" || cfg.api == "" || cfg.pkg == "" || cfg.out == "" {
		flag.Usage()
		os.Exit(2)
	}
	src, err := generate(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "servicegen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(cfg.out, src, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "servicegen:", err)
		os.Exit(1)
	}
}

type config struct {
	spec, api, pkg, out string
}
