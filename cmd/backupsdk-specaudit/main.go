// Command backupsdk-specaudit checks one of the specs in specs/ against the
// OpenAPI (or Swagger 2.0) document that a vendor's appliance serves, so the
// operations the spec infers (x-backupsdk-inferred) can be verified in one
// run by anyone with access to an appliance.
//
// A Veeam appliance lists its documents in its Swagger UI
// (https://<appliance>:<port>/swagger/index.html, "Select a definition");
// save the one of the API version the spec targets, then:
//
//	go run ./cmd/backupsdk-specaudit -spec specs/vbgc/openapi.yaml -vendor vbgc-1.4-rev0.json
//
// The report lists, for each operation of the spec, whether the vendor has
// it as written, has it with differences (path spelling, parameters,
// status, media types, top-level body properties) or does not have it; and
// the vendor's operations the spec lacks. With -apply -source <kind> it also
// marks in the spec file every inferred operation the vendor document
// confirms as it is: x-backupsdk-source becomes the kind and the inferred
// marks go. Differences are never applied: fix them in the spec by hand and
// audit again.
//
// The exit status is 0 when the audit ran (whatever it found), 2 on a usage
// or input error.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/backupsdk/backupsdk/internal/specaudit"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "backupsdk-specaudit:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backupsdk-specaudit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	specFile := fs.String("spec", "", "the spec to audit (`file`, such as specs/vbgc/openapi.yaml)")
	vendorFile := fs.String("vendor", "", "the vendor's OpenAPI or Swagger 2.0 document (`file`, JSON or YAML)")
	asJSON := fs.Bool("json", false, "write the report as JSON")
	apply := fs.Bool("apply", false, "mark the inferred operations the vendor document confirms (needs -source)")
	source := fs.String("source", "", "the source `kind` -apply writes, such as appliance-1.4 (see docs/annotations.md)")
	fs.Usage = func() {
		_, _ = fmt.Fprintln(stderr, "usage: backupsdk-specaudit -spec FILE -vendor FILE [-json] [-apply -source KIND]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *specFile == "" || *vendorFile == "":
		return errors.New("both -spec and -vendor are required")
	case *apply && *source == "":
		return errors.New("-apply needs -source, the source kind to write (such as appliance-1.4)")
	case !*apply && *source != "":
		return errors.New("-source is only used with -apply")
	}

	specData, err := os.ReadFile(*specFile)
	if err != nil {
		return err
	}
	vendorData, err := os.ReadFile(*vendorFile)
	if err != nil {
		return err
	}
	spec, err := specaudit.LoadSpec(specData)
	if err != nil {
		return fmt.Errorf("%s: %w", *specFile, err)
	}
	vendor, err := specaudit.LoadVendor(vendorData)
	if err != nil {
		return fmt.Errorf("%s: %w", *vendorFile, err)
	}
	report := specaudit.Compare(spec, vendor)

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else if err := report.WriteText(stdout, *specFile, *vendorFile); err != nil {
		return err
	}
	if !*apply {
		return nil
	}

	out, marked, err := specaudit.Apply(specData, report, *source)
	if err != nil {
		return fmt.Errorf("%s: %w", *specFile, err)
	}
	if len(marked) > 0 {
		info, err := os.Stat(*specFile)
		if err != nil {
			return err
		}
		// G703: writing back the spec the user named is what -apply is for.
		if err := os.WriteFile(*specFile, out, info.Mode().Perm()); err != nil { //nolint:gosec
			return err
		}
	}
	_, _ = fmt.Fprintf(stderr, "marked %d inferred operations of %s as %s\n", len(marked), *specFile, *source)
	return nil
}
