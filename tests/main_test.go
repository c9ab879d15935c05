package tests

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/specs"
)

// fakeServer is what the coverage gate needs of a fake: the answers of each
// operation of its spec (fake.Engine.Coverage).
type fakeServer interface {
	Coverage() map[string]fake.Coverage
}

// started records every fake the tests start, by product.
var started = struct {
	sync.Mutex
	byProduct map[string][]fakeServer
}{byProduct: map[string][]fakeServer{}}

// track records a fake of product (a key of specs.All) for the coverage gate.
// Every helper that starts a fake for a contract test calls it.
func track(product string, f fakeServer) {
	started.Lock()
	started.byProduct[product] = append(started.byProduct[product], f)
	started.Unlock()
}

// exampleOnly lists, by product, the operations the gate lets be answered
// only from the spec's examples, each with the reason a stateful handler
// makes no sense for it. It is empty: every operation has one. An entry
// must name an operation that a contract test reaches through the SDK and
// that has no stateful 2xx answer; a stale entry fails the gate.
var exampleOnly = map[string]map[string]string{}

// TestMain runs the tests and then, when the whole suite ran and passed,
// runs the contract coverage gate: every operation of every spec of
// specs.All must have been answered with success by a stateful handler of
// the product's fake, for a call of the SDK rather than of Raw().
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 {
		var out strings.Builder
		if why := partialRun(); why != "" {
			_, _ = fmt.Fprintf(&out, "contract coverage gate not run: %s\n", why)
		} else if !gate(&out) {
			code = 1
		}
		_, _ = fmt.Print(out.String())
		// make test names a file (CONTRACT_REPORT) and prints it, since go
		// test shows a passing package's output only with -v.
		if path := os.Getenv("CONTRACT_REPORT"); path != "" {
			if err := os.WriteFile(path, []byte(out.String()), 0o600); err != nil {
				fmt.Printf("contract coverage report: %v\n", err)
				code = 1
			}
		}
	}
	os.Exit(code)
}

// partialRun says why this run cannot judge coverage: it ran part of the
// suite (-run, -skip, -short) or none of it (-list).
func partialRun() string {
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return "-" + strings.TrimPrefix(name, "test.") + " selects part of the suite"
		}
	}
	if testing.Short() {
		return "-short skips part of the suite"
	}
	return ""
}

// opCoverage is one operation's answers over all the fakes of a product.
type opCoverage struct {
	fake.Answers
	inferred bool
	// source is where the operation's path and schema came from: its
	// x-backupsdk-source, else the spec's.
	source string
}

// status is the operation's column in the report: covered when a stateful
// handler answered an SDK call with success, raw-only when it answered
// only Raw() calls, example-only when the spec's examples answered, missing
// when nothing answered with success.
func (c opCoverage) status() string {
	switch {
	case c.Stateful > 0:
		return "covered"
	case c.StatefulRaw > 0:
		return "raw-only"
	case c.Examples+c.ExamplesRaw > 0:
		return "example-only"
	}
	return "missing"
}

// reportRow lays out a row of the report table.
const reportRow = "  %-16s %10s %8s %13s %9s %9s %8s\n"

// sourceRow lays out a row of the table of source kinds.
const sourceRow = "  %-16s %-16s %10s %8s %9s\n"

// gate writes the report to out and reports whether every operation passes.
func gate(out io.Writer) bool {
	started.Lock()
	defer started.Unlock()
	var failures []string
	fail := func(format string, args ...any) { failures = append(failures, fmt.Sprintf(format, args...)) }

	all := specs.All()
	products := make([]string, 0, len(all))
	for p := range all {
		products = append(products, p)
	}
	sort.Strings(products)
	for p := range started.byProduct {
		if _, ok := all[p]; !ok {
			fail("%s: a fake was tracked for a product specs.All does not know", p)
		}
	}

	_, _ = fmt.Fprintln(out, "contract coverage: operations answered 2xx by a stateful fake handler (authenticated, spec-valid request and response)")
	_, _ = fmt.Fprintf(out, reportRow, "product", "operations", "covered", "example-only", "raw-only", "inferred", "missing")
	var rows, notes, sources []string
	for _, p := range products {
		ops, err := specOperations(all[p])
		if err != nil {
			fail("%s: load spec: %v", p, err)
			continue
		}
		fakes := started.byProduct[p]
		if len(fakes) == 0 {
			fail("%s: no fake of this product was started by the contract tests (track): none of its %d operations is covered", p, len(ops))
			rows = append(rows, fmt.Sprintf(reportRow, p, strconv.Itoa(len(ops)), "-", "-", "-", strconv.Itoa(countInferred(ops)), strconv.Itoa(len(ops))))
			continue
		}
		for _, f := range fakes {
			for op, c := range f.Coverage() {
				oc, ok := ops[op]
				if !ok {
					fail("%s: the fake answers %s, which the spec does not have", p, op)
					continue
				}
				oc.Stateful += c.Stateful
				oc.StatefulRaw += c.StatefulRaw
				oc.Examples += c.Examples
				oc.ExamplesRaw += c.ExamplesRaw
				ops[op] = oc
			}
		}
		counts := map[string]int{}
		bySource := map[string]*[3]int{} // operations, covered, inferred
		for _, id := range sortedKeys(ops) {
			c := ops[id]
			st := c.status()
			counts[st]++
			if c.source == "" {
				fail("%s %s: says nowhere where its path and schema came from (x-backupsdk-source on the operation or the spec)", p, id)
			}
			k := bySource[c.source]
			if k == nil {
				k = &[3]int{}
				bySource[c.source] = k
			}
			k[0]++
			if st == "covered" {
				k[1]++
			}
			if c.inferred {
				k[2]++
			}
			reason, allowed := exampleOnly[p][id]
			switch {
			case allowed && (st != "example-only" || c.Examples == 0):
				fail("%s %s: allowed to be answered from examples, but it is %s, or only Raw() reaches it (fix exampleOnly)", p, id, st)
			case allowed:
				notes = append(notes, fmt.Sprintf("  allowed %s %s: example-only: %s\n", p, id, reason))
			case st == "example-only":
				fail("%s %s: answered only from the spec's examples: give it a stateful handler and a contract test", p, id)
			case st == "raw-only":
				fail("%s %s: reached only through Raw(): call it through the SDK", p, id)
			case st == "missing":
				fail("%s %s: no contract test gets a 2xx answer from it", p, id)
			}
		}
		for id := range exampleOnly[p] {
			if _, ok := ops[id]; !ok {
				fail("%s %s: allowed to be answered from examples, but the spec has no such operation", p, id)
			}
		}
		rows = append(rows, fmt.Sprintf(reportRow, p, strconv.Itoa(len(ops)), strconv.Itoa(counts["covered"]),
			strconv.Itoa(counts["example-only"]), strconv.Itoa(counts["raw-only"]), strconv.Itoa(countInferred(ops)), strconv.Itoa(counts["missing"])))
		for _, src := range sortedKeys(bySource) {
			k := bySource[src]
			name := src
			if name == "" {
				name = "(none)"
			}
			sources = append(sources, fmt.Sprintf(sourceRow, p, name, strconv.Itoa(k[0]), strconv.Itoa(k[1]), strconv.Itoa(k[2])))
		}
	}
	_, _ = io.WriteString(out, strings.Join(rows, "")+strings.Join(notes, ""))
	_, _ = fmt.Fprintln(out, "operations by source kind (x-backupsdk-source: where the path and schema came from)")
	_, _ = fmt.Fprintf(out, sourceRow, "product", "source", "operations", "covered", "inferred")
	_, _ = io.WriteString(out, strings.Join(sources, ""))
	for _, f := range failures {
		_, _ = fmt.Fprintf(out, "  FAIL %s\n", f)
	}
	if len(failures) > 0 {
		noun := "problems"
		if len(failures) == 1 {
			noun = "problem"
		}
		_, _ = fmt.Fprintf(out, "contract coverage gate failed: %d %s\n", len(failures), noun)
	}
	return len(failures) == 0
}

// countInferred counts the operations marked x-backupsdk-inferred.
func countInferred(ops map[string]opCoverage) int {
	n := 0
	for _, c := range ops {
		if c.inferred {
			n++
		}
	}
	return n
}

// specOperations returns the operations of a spec, with whether each is
// marked x-backupsdk-inferred and where it came from (its
// x-backupsdk-source, else the one the spec gives all its operations).
func specOperations(spec []byte) (map[string]opCoverage, error) {
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, err
	}
	dflt, _ := doc.Extensions["x-backupsdk-source"].(string)
	ops := map[string]opCoverage{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			v, _ := op.Extensions["x-backupsdk-inferred"].(bool)
			src, _ := op.Extensions["x-backupsdk-source"].(string)
			if src == "" {
				src = dflt
			}
			ops[op.OperationID] = opCoverage{inferred: v, source: src}
		}
	}
	return ops, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestRawCallsAreCountedApart checks the mark the gate relies on: the fake
// counts a call through Raw() apart from the same call through the service,
// and the login the pipeline makes as an SDK call.
func TestRawCallsAreCountedApart(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	_, err := c.Organizations.List(ctx, nil)
	require.NoError(t, err)
	for range 2 {
		resp, err := c.Raw().AmazonOrganizationsGetAllWithResponse(ctx, &vbawsapi.AmazonOrganizationsGetAllParams{})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode())
	}
	cov := srv.Coverage()
	assert.Equal(t, fake.Answers{Stateful: 1, StatefulRaw: 2}, cov["AmazonOrganizationsGetAll"].Answers)
	assert.Equal(t, fake.Answers{Stateful: 1}, cov["Authenticate"].Answers, "one login, by the pipeline")
}

// An operation's source kind is its own x-backupsdk-source, else the
// spec's; one with neither is reported with an empty source.
func TestSourceKindsComeFromOperationOrSpec(t *testing.T) {
	const spec = `openapi: 3.0.3
x-backupsdk-source: reference-1.7
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: A
      responses: {"200": {description: ok}}
  /b:
    get:
      operationId: B
      x-backupsdk-source: swagger-1.0
      x-backupsdk-inferred: true
      responses: {"200": {description: ok}}
`
	ops, err := specOperations([]byte(spec))
	require.NoError(t, err)
	assert.Equal(t, "reference-1.7", ops["A"].source)
	assert.False(t, ops["A"].inferred)
	assert.Equal(t, "swagger-1.0", ops["B"].source)
	assert.True(t, ops["B"].inferred)

	ops, err = specOperations([]byte(strings.Replace(spec, "x-backupsdk-source: reference-1.7\n", "", 1)))
	require.NoError(t, err)
	assert.Empty(t, ops["A"].source)
}
