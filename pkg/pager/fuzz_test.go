package pager_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/backupsdk/backupsdk/pkg/pager"
)

var errFuzzFetch = errors.New("fetch failed")

func fuzzAbs(n int) int {
	if n < 0 {
		if n == -n { // math.MinInt
			return 0
		}
		return -n
	}
	return n
}

// drain ranges over seq the way callers do, stopping after stop items when
// stop > 0. It fails the test on an item after an error or on a second
// error.
func drain(t *testing.T, seq func(func(int, error) bool), stop int) (got []int, err error) {
	t.Helper()
	for v, e := range seq {
		if err != nil {
			t.Fatalf("value %d, %v after the error %v", v, e, err)
		}
		if e != nil {
			err = e
			continue
		}
		got = append(got, v)
		if stop > 0 && len(got) == stop {
			break
		}
	}
	return got, err
}

func checkUnique(t *testing.T, got []int) {
	t.Helper()
	seen := map[int]bool{}
	for _, v := range got {
		if seen[v] {
			t.Fatalf("item %d yielded twice: %v", v, got)
		}
		seen[v] = true
	}
}

// Offset flags.
const (
	offsetHasTotal = 1 << iota // the server reports a total
	offsetLieTotal             // ... and it is wrong by totalDelta
	offsetCapPage              // the server returns at most serverPage items
)

// FuzzOffset pages a fixed list through a server that honours offset and
// limit but may report a wrong total or cap its pages.
func FuzzOffset(f *testing.F) {
	f.Add(10, 0, 3, 5, 0, offsetHasTotal, 0, 0)
	f.Add(10, 0, 3, 5, 0, 0, 0, 0)
	f.Add(9, 0, 3, 5, 0, 0, 0, 0)
	f.Add(25, 4, 0, 7, 0, 0, 0, 0)
	f.Add(25, -5, 10, 4, 0, offsetHasTotal|offsetCapPage, 0, 0)
	f.Add(30, 0, 10, 10, 1000, offsetHasTotal|offsetLieTotal, 0, 0)
	f.Add(30, 0, 10, 10, -25, offsetHasTotal|offsetLieTotal, 0, 0)
	f.Add(30, 0, 10, 3, 0, offsetCapPage, 0, 0)
	f.Add(100, 9223372036854775807, -1, 1, 0, offsetHasTotal, 0, 0)
	f.Add(100, 0, 9223372036854775807, 1, 0, 0, 7, 0)
	f.Add(50, 0, 5, 5, 0, offsetHasTotal, 0, 3)
	f.Add(0, 0, 0, 0, 0, 0, 0, 1)
	f.Fuzz(func(t *testing.T, n, start, limit, serverPage, totalDelta, flags, stop, failAt int) {
		n = fuzzAbs(n) % 301
		serverPage = 1 + fuzzAbs(serverPage)%40
		stop = fuzzAbs(stop) % (n + 3)
		failAt = fuzzAbs(failAt) % 12 // 0: never
		hasTotal := flags&offsetHasTotal != 0
		lie := hasTotal && flags&offsetLieTotal != 0 && totalDelta != 0
		capPage := flags&offsetCapPage != 0

		first := min(max(start, 0), n)
		want := make([]int, 0, n-first)
		for i := first; i < n; i++ {
			want = append(want, i)
		}
		// Each fetch but the last yields at least one item.
		maxFetches := len(want) + 1
		fetches := 0
		runaway := false
		fetch := func(_ context.Context, offset, lim int) (pager.OffsetPage[int], error) {
			fetches++
			if fetches > maxFetches {
				runaway = true
				return pager.OffsetPage[int]{}, errors.New("runaway")
			}
			if fetches == failAt {
				return pager.OffsetPage[int]{}, errFuzzFetch
			}
			if offset < 0 {
				t.Fatalf("fetch at negative offset %d", offset)
			}
			if lim != limit {
				t.Fatalf("fetch with limit %d, want %d", lim, limit)
			}
			size := lim
			if size <= 0 {
				size = serverPage
			}
			if capPage {
				size = min(size, serverPage)
			}
			var p pager.OffsetPage[int]
			for i := offset; i < n && len(p.Items) < size; i++ {
				p.Items = append(p.Items, i)
			}
			if hasTotal {
				p.HasTotal, p.Total = true, n
				if lie {
					p.Total = n + totalDelta%50
				}
			}
			return p, nil
		}
		got, err := drain(t, pager.Offset(context.Background(), start, limit, fetch), stop)
		if runaway {
			t.Fatalf("more than %d fetches for %d items", maxFetches, len(want))
		}
		checkUnique(t, got)
		if len(got) > len(want) || !slices.Equal(got, want[:len(got)]) {
			t.Fatalf("got %v, not a prefix of %v", got, want)
		}
		if err != nil && !errors.Is(err, errFuzzFetch) {
			t.Fatalf("unexpected error %v", err)
		}
		if stop > 0 && len(got) > stop {
			t.Fatalf("%d items after the loop stopped at %d", len(got), stop)
		}
		honest := !lie && (!capPage || hasTotal || limit <= 0)
		switch {
		case err != nil || !honest:
		case stop > 0 && stop <= len(want):
			if len(got) != stop {
				t.Fatalf("stopped after %d items, want %d", len(got), stop)
			}
		case !slices.Equal(got, want):
			t.Fatalf("honest server: got %v, want %v", got, want)
		}
		if err == nil && failAt > 0 && failAt <= fetches {
			t.Fatal("the failed fetch's error was not yielded")
		}
	})
}

// Cursor flags.
const (
	cursorRepeat      = 1 << iota // from fetch repeatAt on, hand back an old cursor
	cursorIgnore                  // ignore the cursor: always serve the first page
	cursorTrailingRef             // send a next cursor with the last (empty) page too
)

// FuzzCursor pages a fixed list through a server that may repeat cursors.
func FuzzCursor(f *testing.F) {
	f.Add(10, 3, 0, 0, 0, 0, 0)
	f.Add(9, 3, 0, 0, 0, 0, 0)
	f.Add(0, 5, 0, 0, 0, 0, 0)
	f.Add(20, 4, cursorRepeat, 3, 0, 0, 0)
	f.Add(20, 4, cursorRepeat, 2, 7, 0, 0)
	f.Add(20, 4, cursorIgnore, 0, 0, 0, 0)
	f.Add(20, 4, cursorTrailingRef, 0, 0, 0, 0)
	f.Add(20, 1, 0, 0, 0, 5, 0)
	f.Add(20, 6, 0, 0, 0, 0, 2)
	f.Fuzz(func(t *testing.T, n, pageSize, flags, repeatAt, pick, stop, failAt int) {
		n = fuzzAbs(n) % 301
		pageSize = 1 + fuzzAbs(pageSize)%40
		stop = fuzzAbs(stop) % (n + 3)
		failAt = fuzzAbs(failAt) % 12
		repeatAt = fuzzAbs(repeatAt) % 12
		repeat, ignore, trailing := flags&cursorRepeat != 0, flags&cursorIgnore != 0, flags&cursorTrailingRef != 0

		maxFetches := n + 2
		fetches := 0
		runaway, lied := false, false
		var given []string
		fetch := func(_ context.Context, cursor string) ([]int, string, error) {
			fetches++
			if fetches > maxFetches {
				runaway = true
				return nil, "", errors.New("runaway")
			}
			if fetches == failAt {
				return nil, "", errFuzzFetch
			}
			offset := 0
			if cursor != "" && !ignore {
				o, err := strconv.Atoi(cursor[1:])
				if err != nil || cursor[0] != 'c' {
					t.Fatalf("cursor %q was never handed out", cursor)
				}
				offset = o
			}
			var items []int
			for i := offset; i < n && len(items) < pageSize; i++ {
				items = append(items, i)
			}
			end := offset + len(items)
			next := ""
			if end < n || trailing {
				next = "c" + strconv.Itoa(end)
			}
			if repeat && fetches >= repeatAt && len(given) > 0 && next != "" {
				next = given[fuzzAbs(pick)%len(given)]
				lied = len(items) > 0
			}
			if ignore && next != "" {
				lied = lied || len(given) > 0
			}
			given = append(given, next)
			return items, next, nil
		}
		got, err := drain(t, pager.Cursor(context.Background(), fetch), stop)
		if runaway {
			t.Fatalf("more than %d fetches for %d items", maxFetches, n)
		}
		if err != nil && !errors.Is(err, errFuzzFetch) && !errors.Is(err, pager.ErrRepeatedCursor) {
			t.Fatalf("unexpected error %v", err)
		}
		if errors.Is(err, pager.ErrRepeatedCursor) && !lied {
			t.Fatalf("ErrRepeatedCursor from an honest server (cursors %q)", given)
		}
		if ignore {
			return // items repeat by design; termination is what counts
		}
		checkUnique(t, got)
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		if len(got) > n || !slices.Equal(got, all[:len(got)]) {
			t.Fatalf("got %v, not a prefix of the list", got)
		}
		switch {
		case err != nil:
		case stop > 0 && stop <= n:
			if len(got) != stop {
				t.Fatalf("stopped after %d items, want %d", len(got), stop)
			}
		case lied:
			t.Fatalf("repeated cursor not reported (cursors %q)", given)
		case !slices.Equal(got, all):
			t.Fatalf("honest server: got %v, want all %d items", got, n)
		}
	})
}
