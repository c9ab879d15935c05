package main

import (
	"fmt"
	"strings"
	"testing"
)

// output is go test -bench output with count runs of each side, the SDK's
// time and allocs at the given multiples of the baseline's.
func output(count int, products []string, timeX, allocsX float64) string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: github.com/backupsdk/backupsdk/tests\ncpu: AMD EPYC\n")
	for i := range count {
		for _, p := range products {
			// One slow run of the SDK: the median must not care.
			slow := 1.0
			if i == 0 {
				slow = 3
			}
			fmt.Fprintf(&b, "BenchmarkList/product=%s/items=100/client=baseline-2 \t 1000\t 200000 ns/op\t 124616 B/op\t 1000 allocs/op\n", p)
			fmt.Fprintf(&b, "BenchmarkList/product=%s/items=100/client=sdk-2 \t 1000\t %.0f ns/op\t 127771 B/op\t %.0f allocs/op\n", p, 200000*timeX*slow, 1000*allocsX)
		}
		if i%2 == 0 {
			b.WriteString("BenchmarkList/product=vbem/items=100/client=baseline-stream-2 \t 1000\t 300000 ns/op\t 1 B/op\t 1 allocs/op\n")
		}
		b.WriteString("BenchmarkDownload/product=ibmbr/size=1MiB/client=sdk-2 \t 30000\t 11662 ns/op\t 89910.08 MB/s\t 5504 B/op\t 51 allocs/op\n")
		b.WriteString("BenchmarkDownload/product=ibmbr/size=64MiB/client=sdk-2 \t 700\t 470054 ns/op\t 142768.52 MB/s\t 5504 B/op\t 51 allocs/op\n")
	}
	b.WriteString("PASS\nok  \tgithub.com/backupsdk/backupsdk/tests\t100.000s\n")
	return b.String()
}

func run(t *testing.T, in string, lim limits) (bool, string) {
	t.Helper()
	var s resultSet
	if err := s.read(strings.NewReader(in), "bench.txt"); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	ok := check(&out, &s, lim)
	return ok, out.String()
}

var all = []string{"vbaws", "vbgc", "vbem", "ibmbr"}

func std() limits { return limits{time: 1.10, allocs: 1.05, minRuns: 10, products: all} }

func TestWithinLimits(t *testing.T) {
	ok, out := run(t, output(10, all, 1.09, 1.04), std())
	if !ok {
		t.Fatal(out)
	}
	for _, want := range []string{"product=vbaws/items=100", "10/10", "1.090x", "1.040x", "ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTooSlow(t *testing.T) {
	ok, out := run(t, output(10, all, 1.12, 1.0), std())
	if ok || !strings.Contains(out, "time 1.120x > 1.10x") {
		t.Fatal(out)
	}
}

func TestTooManyAllocs(t *testing.T) {
	ok, out := run(t, output(10, all, 1.0, 1.06), std())
	if ok || !strings.Contains(out, "allocs 1.060x > 1.05x") {
		t.Fatal(out)
	}
}

func TestTooFewRuns(t *testing.T) {
	ok, out := run(t, output(5, all, 1.0, 1.0), std())
	if ok || !strings.Contains(out, "5 runs, want 10") {
		t.Fatal(out)
	}
}

func TestMissingProduct(t *testing.T) {
	ok, out := run(t, output(10, all[:3], 1.0, 1.0), std())
	if ok || !strings.Contains(out, "no BenchmarkList results for product=ibmbr") {
		t.Fatal(out)
	}
}

func TestMissingSide(t *testing.T) {
	in := strings.ReplaceAll(output(10, all, 1.0, 1.0), "product=vbgc/items=100/client=baseline", "product=vbgc/items=100/client=other")
	ok, out := run(t, in, std())
	if ok || !strings.Contains(out, "needs client=sdk and client=baseline") {
		t.Fatal(out)
	}
}

func TestFailedRun(t *testing.T) {
	in := output(10, all, 1.0, 1.0) + "--- FAIL: BenchmarkAllFlatMemory\n    perf_bench_test.go:80: the live heap grew\nFAIL\n"
	ok, out := run(t, in, std())
	if ok || !strings.Contains(out, "the benchmark run failed: bench.txt") {
		t.Fatal(out)
	}
}

func TestDownloadThatBuffers(t *testing.T) {
	in := strings.ReplaceAll(output(10, all, 1.0, 1.0), "142768.52 MB/s\t 5504 B/op", "142768.52 MB/s\t 67114000 B/op")
	ok, out := run(t, in, std())
	if ok || !strings.Contains(out, "grows with the size") {
		t.Fatal(out)
	}
}

func TestMetrics(t *testing.T) {
	good := "BenchmarkAllFlatMemory-2 \t 2\t 526854751 ns/op\t 0.2912 page-MiB\t 0.2858 peak-MiB\t 0.9817 peak/page\n" +
		"BenchmarkExpiredTokenStampede-2 \t 16\t 68336216 ns/op\t 26.58 call-p99-ms\t 1.000 call-token-requests\t 21.10 wait-p50-ms\t 21.57 wait-p99-ms\t 1.000 wait-token-requests\n"
	ok, out := run(t, output(10, all, 1.0, 1.0)+good, std())
	if !ok || !strings.Contains(out, "BenchmarkAllFlatMemory peak/page < 2: 1 runs, 0.9817 to 0.9817: ok") {
		t.Fatal(out)
	}
	bad := strings.Replace(good, "1.000 call-token-requests", "2.000 call-token-requests", 1)
	ok, out = run(t, output(10, all, 1.0, 1.0)+bad, std())
	if ok || !strings.Contains(out, "call-token-requests = 1: 1 runs, 2 to 2: FAIL") {
		t.Fatal(out)
	}
}

func TestPaired(t *testing.T) {
	base := &result{runs: []map[string]float64{{"ns/op": 100}, {"ns/op": 200}, {"ns/op": 100}}}
	sdk := &result{runs: []map[string]float64{{"ns/op": 110}, {"ns/op": 180}, {"ns/op": 300}}}
	if got := paired(sdk, base); got != "1.100x" {
		t.Fatal(got)
	}
	if got := paired(&result{runs: sdk.runs[:2]}, base); got != "-" {
		t.Fatal(got)
	}
}

func TestMedian(t *testing.T) {
	r := &result{runs: []map[string]float64{{"x": 5}, {"x": 1}, {"x": 3}, {"y": 100}, {"x": 4}}}
	if m, n := r.median("x"); m != 3.5 || n != 4 {
		t.Fatal(m, n)
	}
}
