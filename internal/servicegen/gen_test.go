package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed service layer is what the generator writes today, twice
// in a row (map order must not leak into the output).
func TestGenerateIsStableAndMatchesTheCommittedFile(t *testing.T) {
	cfg := config{spec: "../../specs/vbaws/openapi.yaml", api: "../../gen/vbawsapi/vbawsapi.gen.go", pkg: "vbaws"}
	first, err := generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("two runs wrote different code")
		}
	}
	committed, err := os.ReadFile("../../pkg/vbaws/services.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	// The header names the spec path as given on the command line.
	got := strings.Replace(string(first), "../../specs/", "specs/", 1)
	if got != string(committed) {
		t.Fatal("pkg/vbaws/services.gen.go is not what servicegen writes: run go generate ./...")
	}
}

func TestAnnotationMistakesAreReported(t *testing.T) {
	base, err := os.ReadFile("../../specs/vbaws/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ from, to, want string }{
		"unlisted service": {
			"x-backupsdk-service: Organizations\n      x-backupsdk-method: Rescan",
			"x-backupsdk-service: Nowhere\n      x-backupsdk-method: Rescan",
			`service "Nowhere" is not listed`,
		},
		"service without method": {
			"x-backupsdk-method: Rescan\n", "\n", "without x-backupsdk-method",
		},
		"method twice": {
			"x-backupsdk-method: Rescan\n", "x-backupsdk-method: Add\n", "are both OrganizationsService.Add",
		},
		"options shared by different parameters": {
			"x-backupsdk-options: RescanIdentitiesOptions", "x-backupsdk-options: IdentitiesOptions",
			"shared by operations whose parameters differ",
		},
		"pager on a missing property": {
			"items: results", "items: nothing", `has no property "nothing"`,
		},
		"unknown pager kind": {
			"kind: offset\n        offset: Offset", "kind: sideways\n        offset: Offset", `unknown kind "sideways"`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			spec := strings.Replace(string(base), tc.from, tc.to, 1)
			if spec == string(base) {
				t.Fatalf("the fixture text %q is not in the spec", tc.from)
			}
			file := filepath.Join(t.TempDir(), "openapi.yaml")
			if err := os.WriteFile(file, []byte(spec), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := generate(config{spec: file, api: "../../gen/vbawsapi/vbawsapi.gen.go", pkg: "vbaws"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestCommentsWrapAndKeepInitialisms(t *testing.T) {
	got := comment("List calls AmazonOrganizationsGetAll: Get collection of AWS Organizations that the appliance protects today.")
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if !strings.HasPrefix(line, "// ") || len(line) > 80 {
			t.Fatalf("bad comment line %q", line)
		}
	}
	if lowerWord("Specifies the limit") != "specifies the limit" || lowerWord("AWS ID of a unit") != "AWS ID of a unit" {
		t.Fatal("lowerWord must lower a capitalised word only")
	}
}
