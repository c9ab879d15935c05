package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// limits are the targets benchcheck holds the SDK to.
type limits struct {
	time, allocs float64
	minRuns      int
	products     []string
}

// result is every run of one benchmark (one full sub-benchmark name).
type result struct {
	name string
	// base is the top-level benchmark (BenchmarkList).
	base string
	// keys are the key=value parts of the sub-benchmark names.
	keys map[string]string
	// runs holds one value per unit ("ns/op", "allocs/op", "peak/page")
	// for each run.
	runs []map[string]float64
}

// values returns the values of unit over the runs that report it.
func (r *result) values(unit string) []float64 {
	var out []float64
	for _, run := range r.runs {
		if v, ok := run[unit]; ok {
			out = append(out, v)
		}
	}
	return out
}

// median returns the median of unit, and how many runs report it.
func (r *result) median(unit string) (float64, int) {
	v := r.values(unit)
	if len(v) == 0 {
		return 0, 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2], len(v)
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2, len(v)
}

// rowName is the name without its client=... part.
func (r *result) rowName() string {
	parts := strings.Split(r.name, "/")
	out := parts[:0:0]
	for _, p := range parts {
		if !strings.HasPrefix(p, "client=") {
			out = append(out, p)
		}
	}
	return strings.Join(out, "/")
}

// resultSet is what the benchmark output files hold.
type resultSet struct {
	results map[string]*result
	order   []string
	// failed are the FAIL lines of the input.
	failed []string
}

// procs is the -GOMAXPROCS suffix of a benchmark name.
var procs = regexp.MustCompile(`-\d+$`)

// read adds the benchmark lines of r (go test -bench output) to s.
func (s *resultSet) read(r io.Reader, file string) error {
	if s.results == nil {
		s.results = map[string]*result{}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "--- FAIL") || line == "FAIL" || strings.HasPrefix(line, "FAIL\t") {
			s.failed = append(s.failed, fmt.Sprintf("%s:%d: %s", file, n, strings.TrimSpace(line)))
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue // a benchmark's log line, not a result
		}
		run := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("%s:%d: %q is not a number", file, n, f[i])
			}
			run[f[i+1]] = v
		}
		name := procs.ReplaceAllString(f[0], "")
		res := s.results[name]
		if res == nil {
			parts := strings.Split(name, "/")
			res = &result{name: name, base: parts[0], keys: map[string]string{}}
			for _, p := range parts[1:] {
				if k, v, ok := strings.Cut(p, "="); ok {
					res.keys[k] = v
				}
			}
			s.results[name] = res
			s.order = append(s.order, name)
		}
		res.runs = append(res.runs, run)
	}
	return sc.Err()
}

// of returns the results of the top-level benchmark base, in input order.
func (s *resultSet) of(base string) []*result {
	var out []*result
	for _, name := range s.order {
		if r := s.results[name]; r.base == base {
			out = append(out, r)
		}
	}
	return out
}

// check writes what it compared to w and reports whether every target holds.
func check(w io.Writer, s *resultSet, lim limits) bool {
	ok := true
	for _, f := range s.failed {
		_, _ = fmt.Fprintln(w, "the benchmark run failed:", f)
		ok = false
	}
	ok = checkLists(w, s, lim) && ok
	ok = checkDownloads(w, s) && ok
	ok = checkMetrics(w, s) && ok
	return ok
}

// checkLists compares client=sdk with client=baseline on every row of
// BenchmarkList.
func checkLists(w io.Writer, s *resultSet, lim limits) bool {
	_, _ = fmt.Fprintf(w, "\nList calls: client=sdk against client=baseline (the same call with net/http): the median of the SDK's runs\n"+
		"over the median of the baseline's. Limits: time at most %.2fx, allocs at most %.2fx; at least %d runs a side.\n"+
		"(paired), for information: the median of the per-round ratios, SDK run over the baseline run next to it.\n",
		lim.time, lim.allocs, lim.minRuns)
	rows := map[string]map[string]*result{}
	var order []string
	seen := map[string]bool{}
	for _, r := range s.of("BenchmarkList") {
		row := r.rowName()
		if rows[row] == nil {
			rows[row] = map[string]*result{}
			order = append(order, row)
		}
		rows[row][r.keys["client"]] = r
		seen[r.keys["product"]] = true
	}
	ok := true
	pad := width(order)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if len(order) > 0 {
		_, _ = fmt.Fprintf(tw, "%-*s\truns\tbaseline ns/op\tsdk ns/op\ttime\t(paired)\tbaseline allocs\tsdk allocs\tallocs\t\n", pad, "row")
	}
	for _, row := range order {
		sdk, base := rows[row]["sdk"], rows[row]["baseline"]
		if sdk == nil || base == nil {
			_, _ = fmt.Fprintf(tw, "%-*s\t\t\t\t\t\t\t\t\t  FAIL: needs client=sdk and client=baseline\n", pad, row)
			ok = false
			continue
		}
		bt, bn := base.median("ns/op")
		st, sn := sdk.median("ns/op")
		ba, _ := base.median("allocs/op")
		sa, an := sdk.median("allocs/op")
		tr, ar := ratio(st, bt), ratio(sa, ba)
		var why []string
		if min(bn, sn) < lim.minRuns {
			why = append(why, fmt.Sprintf("%d runs, want %d", min(bn, sn), lim.minRuns))
		}
		if an == 0 {
			why = append(why, "no allocs/op (run with -benchmem)")
		}
		if tr > lim.time {
			why = append(why, fmt.Sprintf("time %.3fx > %.2fx", tr, lim.time))
		}
		if ar > lim.allocs {
			why = append(why, fmt.Sprintf("allocs %.3fx > %.2fx", ar, lim.allocs))
		}
		verdict := "ok"
		if len(why) > 0 {
			verdict, ok = "FAIL: "+strings.Join(why, "; "), false
		}
		_, _ = fmt.Fprintf(tw, "%-*s\t%d/%d\t%.0f\t%.0f\t%.3fx\t%s\t%.0f\t%.0f\t%.3fx\t  %s\n", pad, row, bn, sn, bt, st, tr, paired(sdk, base), ba, sa, ar, verdict)
	}
	_ = tw.Flush()
	if len(order) == 0 {
		_, _ = fmt.Fprintln(w, "FAIL: no BenchmarkList results")
		ok = false
	}
	for _, p := range lim.products {
		if !seen[p] {
			_, _ = fmt.Fprintf(w, "FAIL: no BenchmarkList results for product=%s\n", p)
			ok = false
		}
	}
	return ok
}

// checkDownloads checks that B/op and allocs/op of BenchmarkDownload do
// not grow with the size, for each product and client.
func checkDownloads(w io.Writer, s *resultSet) bool {
	_, _ = fmt.Fprintln(w, "\nDownloads: median B/op and allocs/op at the largest size against the smallest, each client.\n"+
		"Limits: at most 1024 B/op and 1 alloc/op more (nothing buffers the body).")
	type series struct {
		name  string
		sizes []*result
	}
	var all []*series
	by := map[string]*series{}
	for _, r := range s.of("BenchmarkDownload") {
		key := "product=" + r.keys["product"] + " client=" + r.keys["client"]
		if by[key] == nil {
			by[key] = &series{name: key}
			all = append(all, by[key])
		}
		by[key].sizes = append(by[key].sizes, r)
	}
	if len(all) == 0 {
		_, _ = fmt.Fprintln(w, "FAIL: no BenchmarkDownload results")
		return false
	}
	ok := true
	names := make([]string, len(all))
	for i, sr := range all {
		names[i] = sr.name
	}
	pad := width(names)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	_, _ = fmt.Fprintf(tw, "%-*s\tsizes\tB/op\tallocs/op\tns/op\t\n", pad, "download")
	for _, sr := range all {
		slices.SortFunc(sr.sizes, func(a, b *result) int { return cmp.Compare(sizeOf(a.keys["size"]), sizeOf(b.keys["size"])) })
		small, large := sr.sizes[0], sr.sizes[len(sr.sizes)-1]
		sb, _ := small.median("B/op")
		lb, _ := large.median("B/op")
		sa, n := small.median("allocs/op")
		la, _ := large.median("allocs/op")
		st, _ := small.median("ns/op")
		lt, _ := large.median("ns/op")
		verdict := "ok"
		switch {
		case len(sr.sizes) < 2:
			verdict, ok = "FAIL: needs two sizes", false
		case n == 0:
			verdict, ok = "FAIL: no allocs/op (run with -benchmem)", false
		case lb > sb+1024 || la > sa+1:
			verdict, ok = "FAIL: grows with the size", false
		}
		_, _ = fmt.Fprintf(tw, "%-*s\t%s -> %s\t%.0f -> %.0f\t%.0f -> %.0f\t%.0f -> %.0f\t  %s\n", pad, sr.name,
			small.keys["size"], large.keys["size"], sb, lb, sa, la, st, lt, verdict)
	}
	_ = tw.Flush()
	return ok
}

// checkMetrics re-checks the targets that BenchmarkAllFlatMemory and
// BenchmarkExpiredTokenStampede assert, on every run in the input.
func checkMetrics(w io.Writer, s *resultSet) bool {
	ok := true
	_, _ = fmt.Fprintln(w, "\nMetrics: every run's peak/page below 2; exactly 1 token request for 1,000 goroutines.")
	targets := []struct {
		base, unit, want string
		good             func(float64) bool
	}{
		{"BenchmarkAllFlatMemory", "peak/page", "< 2", func(v float64) bool { return v < 2 }},
		{"BenchmarkExpiredTokenStampede", "wait-token-requests", "= 1", func(v float64) bool { return v == 1 }},
		{"BenchmarkExpiredTokenStampede", "call-token-requests", "= 1", func(v float64) bool { return v == 1 }},
	}
	for _, t := range targets {
		rs := s.of(t.base)
		if len(rs) == 0 {
			_, _ = fmt.Fprintf(w, "%s %s: not in the input\n", t.base, t.unit)
			continue
		}
		for _, r := range rs {
			v := r.values(t.unit)
			verdict := "ok"
			if len(v) == 0 {
				verdict, ok = "FAIL: not reported", false
			}
			for _, x := range v {
				if !t.good(x) {
					verdict, ok = fmt.Sprintf("FAIL: %g", x), false
				}
			}
			lo, hi := 0.0, 0.0
			if len(v) > 0 {
				lo, hi = slices.Min(v), slices.Max(v)
			}
			_, _ = fmt.Fprintf(w, "%s %s %s: %d runs, %g to %g: %s\n", r.name, t.unit, t.want, len(v), lo, hi, verdict)
		}
	}
	return ok
}

// paired is the median of sdk's i-th time over base's i-th: the runs of
// one round, next to each other. It needs as many runs on both sides.
func paired(sdk, base *result) string {
	st, bt := sdk.values("ns/op"), base.values("ns/op")
	if len(st) != len(bt) || len(st) == 0 {
		return "-"
	}
	r := &result{}
	for i := range st {
		r.runs = append(r.runs, map[string]float64{"x": ratio(st[i], bt[i])})
	}
	m, _ := r.median("x")
	return fmt.Sprintf("%.3fx", m)
}

// width is the length of the longest of names.
func width(names []string) int {
	n := 0
	for _, s := range names {
		n = max(n, len(s))
	}
	return n
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// sizeOf reads a size= value such as 64MiB, for ordering.
func sizeOf(s string) int64 {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n * mult
}
