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
		"a format picked for a JSON result": {
			"x-backupsdk-service: Organizations\n      x-backupsdk-method: Rescan",
			"x-backupsdk-service: Organizations\n      x-backupsdk-method: Rescan\n      x-backupsdk-accept: ExportFormat",
			"x-backupsdk-accept needs a stream result",
		},
		"a format picked among one media type": {
			"x-backupsdk-method: Logs\n", "x-backupsdk-method: Logs\n      x-backupsdk-accept: ExportFormat\n",
			"needs a success response with two media types or more",
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

// An operation whose action parameter selects what it does becomes one
// method per action, each sending its value; mistakes in the annotation
// are reported.
func TestActionsBecomeMethods(t *testing.T) {
	base, err := os.ReadFile("../../specs/vbem/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "operationId: CreatePassword\n"
	run := func(t *testing.T, annotation string) ([]byte, error) {
		t.Helper()
		spec := strings.Replace(string(base), anchor, anchor+"      x-backupsdk-service: Passwords\n      x-backupsdk-actions: "+annotation+"\n", 1)
		if spec == string(base) {
			t.Fatalf("the fixture text %q is not in the spec", anchor)
		}
		file := filepath.Join(t.TempDir(), "openapi.yaml")
		if err := os.WriteFile(file, []byte(spec), 0o600); err != nil {
			t.Fatal(err)
		}
		return generate(config{spec: file, api: "../../gen/vbemapi/vbemapi.gen.go", pkg: "vbem"})
	}
	out, err := run(t, "{param: action, methods: [{value: create, method: Make, body: true, summary: Makes a password.}]}")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// Make calls CreatePassword: Makes a password.",
		"// POST /api/backupServers/{backupServerId}/passwords?action=create (operation CreatePassword)",
		"func (s *PasswordsService) Make(ctx context.Context, backupServerID string, body vbemapi.PasswordKeyInfoSpec)",
		`params.Action = vbemapi.CreatePasswordParamsAction("create")`,
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	for name, tc := range map[string]struct{ annotation, want string }{
		"value not in enum":      {"{param: action, methods: [{value: start, method: Start}]}", `action "start" is not in the enum`},
		"not a query parameter":  {"{param: backupServerId, methods: [{value: create, method: Make, body: true}]}", "is not a required query parameter"},
		"required body not sent": {"{param: action, methods: [{value: create, method: Make}]}", "sends no body but the operation requires one"},
		"no method name":         {"{param: action, methods: [{value: create, body: true}]}", "has no method"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := run(t, tc.annotation)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

// Operations whose path item names its own server are called through the
// client of that server, which the generated servers variable lists.
func TestPathLevelServers(t *testing.T) {
	cfg := config{spec: "../../specs/ibmbr/openapi.yaml", api: "../../gen/ibmbrapi/ibmbrapi.gen.go", pkg: "ibmbr"}
	src, err := generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"var servers = []svc.Server{\n\t{From: \"/v2\", To: \"/irisservices/api/v1\"},\n}",
		"s.c.servers[0].ListProtectionSources(ctx, params)",
		"s.c.servers[0].ListProtectionSourcesRegistrationInfo(ctx, params)",
		"s.c.servers[0].GetProgressMonitorsWithBody(ctx, params, contentType, reader)",
		"// GET /irisservices/api/v1/public/protectionSources on the instance (operation listProtectionSources)",
		"s.c.api.GetProtectionRunProgress(ctx, runID, params)",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("the ibmbr services lack %q", want)
		}
	}
	for in, want := range map[string]string{
		"https://{instance}.example.com/v2":                   "/v2",
		"https://{instance}.example.com/irisservices/api/v1/": "/irisservices/api/v1",
		"https://example.com":                                 "",
		"/api":                                                "/api",
	} {
		if got := serverPath(in); got != want {
			t.Errorf("serverPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Actions of one operation that send different bodies (a oneOf request
// body) each take their own schema's type.
func TestActionSchemasPickTheBody(t *testing.T) {
	out, err := generate(config{spec: "../../specs/vbem/openapi.yaml", api: "../../gen/vbemapi/vbemapi.gen.go", pkg: "vbem"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"func (s *BackupServersService) VeeamZIP(ctx context.Context, backupServerID string, body vbemapi.VeeamZipStartupSpec) (*vbemapi.Task, error)",
		"func (s *BackupServersService) QuickBackup(ctx context.Context, backupServerID string, body vbemapi.QuickBackupStartupSpec) (*vbemapi.Task, error)",
		"func (s *BackupServersService) Collect(ctx context.Context, backupServerID string) (*vbemapi.Task, error)",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	base, err := os.ReadFile("../../specs/vbem/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ old, new, want string }{
		"schema not in the oneOf": {"schema: QuickBackupStartupSpec", "schema: Job", `sends Job, which is not one of the oneOf`},
	} {
		t.Run(name, func(t *testing.T) {
			spec := strings.Replace(string(base), tc.old, tc.new, 1)
			if spec == string(base) {
				t.Fatalf("the fixture text %q is not in the spec", tc.old)
			}
			file := filepath.Join(t.TempDir(), "openapi.yaml")
			if err := os.WriteFile(file, []byte(spec), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := generate(config{spec: file, api: "../../gen/vbemapi/vbemapi.gen.go", pkg: "vbem"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}
