package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/internal/specaudit"
	"github.com/backupsdk/backupsdk/specs"
)

// files writes a copy of the VBGC spec and a "vendor document": the same
// spec with GET /service/status moved to /service/state, as if the
// appliance named it differently.
func files(t *testing.T) (spec, vendor string) {
	t.Helper()
	dir := t.TempDir()
	spec = filepath.Join(dir, "openapi.yaml")
	vendor = filepath.Join(dir, "vendor.yaml")
	require.NoError(t, os.WriteFile(spec, specs.VBGC, 0o644))
	moved := strings.Replace(string(specs.VBGC), "\n  /api/v1/service/status:\n", "\n  /api/v1/service/state:\n", 1)
	require.NotEqual(t, string(specs.VBGC), moved, "the VBGC spec no longer has GET /api/v1/service/status; pick another operation")
	require.NoError(t, os.WriteFile(vendor, []byte(moved), 0o644))
	return spec, vendor
}

func inferredCount(t *testing.T, data []byte) int {
	t.Helper()
	doc, err := specaudit.LoadSpec(data)
	require.NoError(t, err)
	n := 0
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if inferred, _ := op.Extensions["x-backupsdk-inferred"].(bool); inferred {
				n++
			}
		}
	}
	return n
}

func TestReportAndApply(t *testing.T) {
	spec, vendor := files(t)
	before := inferredCount(t, specs.VBGC)
	require.Positive(t, before)

	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"-spec", spec, "-vendor", vendor}, &out, &errOut))
	report := out.String()
	assert.Contains(t, report, "Operations the vendor document does not have (1):\n  GET    /api/v1/service/status")
	assert.Contains(t, report, "Operations of the vendor document the spec lacks (1):\n  GET    /api/v1/service/state")
	assert.Empty(t, errOut.String())
	unchanged, err := os.ReadFile(spec)
	require.NoError(t, err)
	assert.Equal(t, specs.VBGC, unchanged, "without -apply the spec is not written")

	out.Reset()
	require.NoError(t, run([]string{"-spec", spec, "-vendor", vendor, "-apply", "-source", "appliance-1.4"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "marked ")
	applied, err := os.ReadFile(spec)
	require.NoError(t, err)
	assert.Equal(t, 1, inferredCount(t, applied), "only the operation the vendor lacks stays inferred")
	assert.Equal(t, before-1, strings.Count(string(applied), "x-backupsdk-source: appliance-1.4"))
}

func TestJSONReport(t *testing.T) {
	spec, vendor := files(t)
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"-json", "-spec", spec, "-vendor", vendor}, &out, &errOut))
	var r specaudit.Report
	require.NoError(t, json.Unmarshal(out.Bytes(), &r))
	require.Len(t, r.VendorOnly, 1)
	assert.Equal(t, "/api/v1/service/state", r.VendorOnly[0].Path)
	missing, _ := r.Count(specaudit.Missing)
	assert.Equal(t, 1, missing)
}

func TestUsageErrors(t *testing.T) {
	spec, vendor := files(t)
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"no flags":         {nil, "both -spec and -vendor are required"},
		"no vendor":        {[]string{"-spec", spec}, "both -spec and -vendor are required"},
		"apply, no source": {[]string{"-spec", spec, "-vendor", vendor, "-apply"}, "-apply needs -source"},
		"source, no apply": {[]string{"-spec", spec, "-vendor", vendor, "-source", "x"}, "-source is only used with -apply"},
		"extra argument":   {[]string{"-spec", spec, "-vendor", vendor, "more"}, `unexpected argument "more"`},
		"bad source kind":  {[]string{"-spec", spec, "-vendor", vendor, "-apply", "-source", "Bad Kind"}, `source kind "Bad Kind"`},
		"no such vendor":   {[]string{"-spec", spec, "-vendor", vendor + ".missing"}, "no such file"},
	} {
		t.Run(name, func(t *testing.T) {
			err := run(tc.args, &bytes.Buffer{}, &bytes.Buffer{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	notSpec := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(notSpec, []byte("just: notes\n"), 0o644))
	err := run([]string{"-spec", spec, "-vendor", notSpec}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "neither OpenAPI 3")

	var help bytes.Buffer
	assert.ErrorIs(t, run([]string{"-h"}, &bytes.Buffer{}, &help), flag.ErrHelp)
	assert.Contains(t, help.String(), "usage: backupsdk-specaudit")
}
