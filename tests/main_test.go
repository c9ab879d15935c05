package tests

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
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
		fmt.Printf("contract coverage %s: %d of %d operations called\n", p, len(ops)-len(gaps), len(ops))
		for _, g := range gaps {
			fmt.Printf("  no contract test reaches %s\n", g)
		}
		missing += len(gaps)
	}
	return missing
}
