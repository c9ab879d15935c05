package specs_test

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/specs"
)

// tocEntry is one operation of the reference's table of contents.
type tocEntry struct{ section, method, summary string }

var tocOp = regexp.MustCompile(`^- (get|post|put|del)(\S.*)$`)

// readTOC parses the table of contents of the Veeam Backup for Google Cloud
// reference (testdata/vbgc-seed-toc.txt, a copy of the seed): "- Section"
// lines open a section, "- getGet ..." lines are its operations.
func readTOC(t *testing.T) []tocEntry {
	t.Helper()
	f, err := os.Open("testdata/vbgc-seed-toc.txt")
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	var out []tocEntry
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "- ") {
			if len(out) > 0 && !strings.HasPrefix(line, "-") {
				break // the table of contents ends where the prose starts
			}
			continue
		}
		if m := tocOp.FindStringSubmatch(line); m != nil {
			method := strings.ToUpper(m[1])
			if method == "DEL" {
				method = "DELETE"
			}
			out = append(out, tocEntry{section, method, m[2]})
			continue
		}
		section = strings.TrimPrefix(line, "- ")
	}
	require.NoError(t, sc.Err())
	return out
}

// TestVBGCCoversTableOfContents counts, per section, the operations of the
// seed's table of contents and finds each in the spec by tag, method and
// summary.
func TestVBGCCoversTableOfContents(t *testing.T) {
	doc := load(t, specs.VBGC)
	toc := readTOC(t)
	require.Len(t, toc, 116, "the seed lists 116 operations")

	type key struct{ tag, method, summary string }
	have := map[key]int{}
	inferred := 0
	total := 0
	for _, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			total++
			if v, ok := op.Extensions["x-backupsdk-inferred"]; ok && v == true {
				inferred++
			}
			for _, tag := range op.Tags {
				have[key{tag, method, op.Summary}]++
			}
		}
	}
	for _, e := range toc {
		k := key{e.section, e.method, e.summary}
		if assert.Positive(t, have[k], "missing %s %q in section %q", e.method, e.summary, e.section) {
			have[k]--
		}
	}
	t.Logf("vbgc: %d operations in the spec, %d of them inferred", total, inferred)
}

// TestVBGCDocumentedPaths checks every documented or corrected row of the
// reference table (testdata/vbgc-endpoints.tsv) against the spec, by exact
// method and path.
func TestVBGCDocumentedPaths(t *testing.T) {
	doc := load(t, specs.VBGC)
	b, err := os.ReadFile("testdata/vbgc-endpoints.tsv")
	require.NoError(t, err)
	checked := 0
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		cols := strings.Split(line, "\t")
		if i == 0 || len(cols) < 5 || (cols[4] != "documented" && cols[4] != "corrected") {
			continue
		}
		method, path := cols[1], cols[2]
		item := doc.Paths.Find(path)
		if assert.NotNil(t, item, "%s %s (%s) is missing", method, path, cols[4]) {
			assert.NotNil(t, item.GetOperation(method), "%s %s (%s) is missing", method, path, cols[4])
		}
		checked++
	}
	assert.Equal(t, 46, checked, "37 documented and 9 corrected rows")
}
