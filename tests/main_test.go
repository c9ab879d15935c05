package tests

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/backupsdk/backupsdk/specs"
)

// fakeServer is what the coverage gate needs of a fake.
type fakeServer interface {
	Calls() map[string]int
	Operations() []string
}

// started records every fake the tests start, by product.
var started = struct {
	sync.Mutex
	byProduct map[string][]fakeServer
}{byProduct: map[string][]fakeServer{}}

func track(product string, f fakeServer) {
	started.Lock()
	started.byProduct[product] = append(started.byProduct[product], f)
	started.Unlock()
}

// TestMain runs the tests and then, when the whole suite ran, fails if any
// operation of a product's spec was never called by a contract test.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		if missing := coverage(); missing > 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func coverage() int {
	out := os.Stdout
	// make test names a file (CONTRACT_REPORT) and prints it, since go test
	// shows a passing package's output only with -v.
	if path := os.Getenv("CONTRACT_REPORT"); path != "" {
		if f, err := os.Create(path); err == nil {
			defer func() { _ = f.Close() }()
			out = f
		}
	}
	started.Lock()
	defer started.Unlock()
	products := make([]string, 0, len(started.byProduct))
	for p := range started.byProduct {
		products = append(products, p)
	}
	sort.Strings(products)
	missing := 0
	for _, p := range products {
		fakes := started.byProduct[p]
		calls := map[string]int{}
		for _, f := range fakes {
			for op, n := range f.Calls() {
				calls[op] += n
			}
		}
		ops := fakes[0].Operations()
		var gaps []string
		for _, op := range ops {
			if calls[op] == 0 {
				gaps = append(gaps, op)
			}
		}
		_, _ = fmt.Fprintf(out, "contract coverage %s: %d of %d operations called; %d operations inferred (x-backupsdk-inferred)\n",
			p, len(ops)-len(gaps), len(ops), inferredOperations(p))
		for _, g := range gaps {
			_, _ = fmt.Fprintf(out, "  no contract test reaches %s\n", g)
			if out != os.Stdout {
				fmt.Printf("  no contract test reaches %s %s\n", p, g)
			}
		}
		missing += len(gaps)
	}
	return missing
}

// inferredOperations counts the operations of a product's spec marked
// x-backupsdk-inferred.
func inferredOperations(product string) int {
	doc, err := openapi3.NewLoader().LoadFromData(specs.All()[product])
	if err != nil {
		return -1
	}
	n := 0
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if v, ok := op.Extensions["x-backupsdk-inferred"].(bool); ok && v {
				n++
			}
		}
	}
	return n
}
