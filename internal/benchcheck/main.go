// Command benchcheck reads the output of the benchmarks in tests/ (go test
// -bench, any -count) and fails when the SDK misses its targets:
//
//   - BenchmarkList: on every product=<p>/items=<n> row, the median time of
//     client=sdk over the median time of client=baseline must be at most
//     -time (1.10), and the same ratio of allocs/op at most -allocs (1.05).
//     Every product of -products must have rows, and every side at least
//     -min-runs runs, so that a renamed or skipped benchmark cannot pass.
//   - BenchmarkDownload: for each product and client, the median B/op and
//     allocs/op at the largest size must not exceed those at the smallest
//     by more than 1 KiB and 1 allocation: nothing buffers the body.
//   - BenchmarkAllFlatMemory (if present): every run's peak/page below 2.
//   - BenchmarkExpiredTokenStampede (if present): exactly one token request
//     in every run, for the waits and for the calls.
//
// Medians, not means: the machine may be shared, and one slow run must not
// decide. A "--- FAIL" or "FAIL" line in the input fails the check too.
//
//	go run ./internal/benchcheck .tools/bench.txt .tools/bench-metrics.txt
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	var lim limits
	var products string
	flag.Float64Var(&lim.time, "time", 1.10, "the largest SDK/baseline ratio of median sec/op on a list call")
	flag.Float64Var(&lim.allocs, "allocs", 1.05, "the largest SDK/baseline ratio of median allocs/op on a list call")
	flag.IntVar(&lim.minRuns, "min-runs", 10, "the fewest runs (-count) each side of a comparison needs")
	flag.StringVar(&products, "products", "vbaws,vbgc,vbem,ibmbr", "the products whose list calls must be present")
	flag.Usage = func() {
		_, _ = fmt.Fprintln(flag.CommandLine.Output(), "usage: benchcheck [flags] bench-output-file...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	lim.products = strings.Split(products, ",")
	var set resultSet
	for _, name := range flag.Args() {
		if err := readFile(&set, name); err != nil {
			fmt.Fprintln(os.Stderr, "benchcheck:", err)
			os.Exit(2)
		}
	}
	fmt.Printf("benchcheck: %s\n", strings.Join(flag.Args(), ", "))
	if !check(os.Stdout, &set, lim) {
		fmt.Println("benchcheck: FAIL")
		os.Exit(1)
	}
	fmt.Println("benchcheck: ok")
}

func readFile(set *resultSet, name string) error {
	f, err := os.Open(name) //nolint:gosec // the caller names the benchmark output to read
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return set.read(io.Reader(f), name)
}
