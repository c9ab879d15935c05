package pager_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/pager"
)

type call struct{ offset, limit int }

// errRunaway ends an iteration that would otherwise never stop, so a broken
// pager fails the test instead of hanging it.
var errRunaway = errors.New("test: too many fetches")

const maxFetches = 50

// offsetServer serves a collection of n ints, reporting the total or not.
type offsetServer struct {
	n        int
	hasTotal bool
	calls    []call
	// failAt makes the fetch at this call index fail.
	failAt int
	err    error
}

func (s *offsetServer) fetch(_ context.Context, offset, limit int) (pager.OffsetPage[int], error) {
	s.calls = append(s.calls, call{offset, limit})
	if len(s.calls) > maxFetches {
		return pager.OffsetPage[int]{}, errRunaway
	}
	if s.err != nil && len(s.calls)-1 == s.failAt {
		return pager.OffsetPage[int]{}, s.err
	}
	var items []int
	for i := offset; i < s.n && i < offset+limit; i++ {
		items = append(items, i)
	}
	return pager.OffsetPage[int]{Items: items, Total: s.n, HasTotal: s.hasTotal}, nil
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, []error) {
	t.Helper()
	var items []T
	var errs []error
	for it, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
	return items, errs
}

func seqInts(from, to int) []int {
	var s []int
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

func TestOffsetStopsAtTotal(t *testing.T) {
	s := &offsetServer{n: 10, hasTotal: true}
	items, errs := collect(t, pager.Offset(context.Background(), 0, 5, s.fetch))
	assert.Empty(t, errs)
	assert.Equal(t, seqInts(0, 10), items)
	// Two full pages and no third fetch: the total says we are done.
	assert.Equal(t, []call{{0, 5}, {5, 5}}, s.calls)
}

func TestOffsetStopsAtTotalWithStart(t *testing.T) {
	s := &offsetServer{n: 10, hasTotal: true}
	items, errs := collect(t, pager.Offset(context.Background(), 4, 3, s.fetch))
	assert.Empty(t, errs)
	assert.Equal(t, seqInts(4, 10), items)
	assert.Equal(t, []call{{4, 3}, {7, 3}}, s.calls)
}

func TestOffsetNegativeStartIsZero(t *testing.T) {
	s := &offsetServer{n: 3, hasTotal: true}
	items, errs := collect(t, pager.Offset(context.Background(), -7, 10, s.fetch))
	assert.Empty(t, errs)
	assert.Equal(t, seqInts(0, 3), items)
	assert.Equal(t, []call{{0, 10}}, s.calls)
}

func TestOffsetStopsAtEmptyPage(t *testing.T) {
	// The server reports no total and always fills pages, so only the empty
	// page ends the iteration.
	s := &offsetServer{n: 6, hasTotal: false}
	items, errs := collect(t, pager.Offset(context.Background(), 0, 3, s.fetch))
	assert.Empty(t, errs)
	assert.Equal(t, seqInts(0, 6), items)
	assert.Equal(t, []call{{0, 3}, {3, 3}, {6, 3}}, s.calls)
}

func TestOffsetStopsAtEmptyPageDespiteWrongTotal(t *testing.T) {
	// A server that claims more items than it serves must not page forever.
	fetches := 0
	fetch := func(_ context.Context, offset, limit int) (pager.OffsetPage[int], error) {
		fetches++
		if fetches > maxFetches {
			return pager.OffsetPage[int]{}, errRunaway
		}
		if offset >= 4 {
			return pager.OffsetPage[int]{Total: 100, HasTotal: true}, nil
		}
		return pager.OffsetPage[int]{Items: []int{offset, offset + 1}, Total: 100, HasTotal: true}, nil
	}
	items, errs := collect(t, pager.Offset(context.Background(), 0, 2, fetch))
	assert.Empty(t, errs)
	assert.Equal(t, []int{0, 1, 2, 3}, items)
	assert.Equal(t, 3, fetches)
}

func TestOffsetStopsAtShortPageWithoutTotal(t *testing.T) {
	s := &offsetServer{n: 7, hasTotal: false}
	items, errs := collect(t, pager.Offset(context.Background(), 0, 3, s.fetch))
	assert.Empty(t, errs)
	assert.Equal(t, seqInts(0, 7), items)
	// 3 + 3 + 1: the short third page ends it, no fourth fetch.
	assert.Equal(t, []call{{0, 3}, {3, 3}, {6, 3}}, s.calls)
}

func TestOffsetShortPageWithTotalContinues(t *testing.T) {
	// With a total, a short page (servers may cap the limit) is not the end.
	fetches := 0
	fetch := func(_ context.Context, offset, limit int) (pager.OffsetPage[int], error) {
		fetches++
		if fetches > maxFetches {
			return pager.OffsetPage[int]{}, errRunaway
		}
		var items []int
		for i := offset; i < 5 && i < offset+2; i++ { // server caps pages at 2
			items = append(items, i)
		}
		return pager.OffsetPage[int]{Items: items, Total: 5, HasTotal: true}, nil
	}
	items, errs := collect(t, pager.Offset(context.Background(), 0, 10, fetch))
	assert.Empty(t, errs)
	assert.Equal(t, seqInts(0, 5), items)
	assert.Equal(t, 3, fetches)
}

func TestOffsetStopsFetchingWhenLoopBreaks(t *testing.T) {
	s := &offsetServer{n: 1000, hasTotal: true}
	var got []int
	for it, err := range pager.Offset(context.Background(), 0, 10, s.fetch) {
		require.NoError(t, err)
		got = append(got, it)
		if len(got) == 15 {
			break
		}
	}
	assert.Equal(t, seqInts(0, 15), got)
	assert.Len(t, s.calls, 2, "only the pages the loop reached are fetched")

	// Breaking on the very first item fetches one page.
	s2 := &offsetServer{n: 1000, hasTotal: true}
	for _, err := range pager.Offset(context.Background(), 0, 10, s2.fetch) {
		require.NoError(t, err)
		break
	}
	assert.Len(t, s2.calls, 1)
}

func TestOffsetYieldsErrorOnceAndStops(t *testing.T) {
	boom := errors.New("boom")
	s := &offsetServer{n: 100, hasTotal: true, failAt: 1, err: boom}
	var items []int
	var errs []error
	for it, err := range pager.Offset(context.Background(), 0, 10, s.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue // keep looping: the iterator itself must stop
		}
		items = append(items, it)
	}
	assert.Equal(t, seqInts(0, 10), items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)
	assert.Len(t, s.calls, 2, "no fetch after the failing one")
}

func TestOffsetContextCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &offsetServer{n: 10, hasTotal: true}
	items, errs := collect(t, pager.Offset(ctx, 0, 5, s.fetch))
	assert.Empty(t, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Empty(t, s.calls, "nothing is fetched with a cancelled context")
}

func TestOffsetContextCancelledBetweenPages(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &offsetServer{n: 100, hasTotal: true}
	var items []int
	var errs []error
	for it, err := range pager.Offset(ctx, 0, 5, s.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
		if it == 4 {
			cancel()
		}
	}
	assert.Equal(t, seqInts(0, 5), items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Len(t, s.calls, 1)
}

func TestOffsetIteratorIsReusable(t *testing.T) {
	s := &offsetServer{n: 4, hasTotal: true}
	seq := pager.Offset(context.Background(), 0, 3, s.fetch)
	a, _ := collect(t, seq)
	b, _ := collect(t, seq)
	assert.Equal(t, a, b)
	assert.Equal(t, seqInts(0, 4), a)
}

// cursorServer serves pages keyed by cursor.
type cursorServer struct {
	pages map[string]struct {
		items []string
		next  string
	}
	calls []string
	err   error
}

func (s *cursorServer) fetch(_ context.Context, cursor string) ([]string, string, error) {
	s.calls = append(s.calls, cursor)
	if len(s.calls) > maxFetches {
		return nil, "", errRunaway
	}
	if s.err != nil && cursor == "fail" {
		return nil, "", s.err
	}
	p, ok := s.pages[cursor]
	if !ok {
		return nil, "", errors.New("unknown cursor " + strconv.Quote(cursor))
	}
	return p.items, p.next, nil
}

type page = struct {
	items []string
	next  string
}

func TestCursorWalksAllPages(t *testing.T) {
	s := &cursorServer{pages: map[string]page{
		"":   {[]string{"a", "b"}, "c1"},
		"c1": {[]string{"c", "d"}, "c2"},
		"c2": {[]string{"e"}, ""},
	}}
	items, errs := collect(t, pager.Cursor(context.Background(), s.fetch))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, items)
	assert.Equal(t, []string{"", "c1", "c2"}, s.calls)
}

func TestCursorStopsAtEmptyPage(t *testing.T) {
	s := &cursorServer{pages: map[string]page{
		"":   {[]string{"a"}, "c1"},
		"c1": {nil, "c2"},
	}}
	items, errs := collect(t, pager.Cursor(context.Background(), s.fetch))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a"}, items)
	assert.Equal(t, []string{"", "c1"}, s.calls)
}

func TestCursorRepeatedCursor(t *testing.T) {
	s := &cursorServer{pages: map[string]page{
		"":   {[]string{"a"}, "c1"},
		"c1": {[]string{"b"}, "c2"},
		"c2": {[]string{"c"}, "c1"}, // back to c1: would loop forever
	}}
	var items []string
	var errs []error
	for it, err := range pager.Cursor(context.Background(), s.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
	assert.Equal(t, []string{"a", "b", "c"}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], pager.ErrRepeatedCursor)
	assert.Equal(t, []string{"", "c1", "c2"}, s.calls)
}

func TestCursorSameCursorTwiceInARow(t *testing.T) {
	calls := 0
	fetch := func(_ context.Context, cursor string) ([]int, string, error) {
		calls++
		if calls > maxFetches {
			return nil, "", errRunaway
		}
		return []int{calls}, "same", nil
	}
	items, errs := collect(t, pager.Cursor(context.Background(), fetch))
	assert.Equal(t, []int{1, 2}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], pager.ErrRepeatedCursor)
	assert.Equal(t, 2, calls)
}

func TestCursorErrorYieldedOnce(t *testing.T) {
	boom := errors.New("boom")
	s := &cursorServer{err: boom, pages: map[string]page{
		"": {[]string{"a"}, "fail"},
	}}
	items, errs := collect(t, pager.Cursor(context.Background(), s.fetch))
	assert.Equal(t, []string{"a"}, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)
	assert.Equal(t, []string{"", "fail"}, s.calls)
}

func TestCursorStopsFetchingWhenLoopBreaks(t *testing.T) {
	s := &cursorServer{pages: map[string]page{
		"":   {[]string{"a", "b"}, "c1"},
		"c1": {[]string{"c", "d"}, "c2"},
		"c2": {[]string{"e"}, ""},
	}}
	var got []string
	for it, err := range pager.Cursor(context.Background(), s.fetch) {
		require.NoError(t, err)
		got = append(got, it)
		if it == "c" {
			break
		}
	}
	assert.Equal(t, []string{"a", "b", "c"}, got)
	assert.Equal(t, []string{"", "c1"}, s.calls)
}

func TestCursorContextCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &cursorServer{}
	items, errs := collect(t, pager.Cursor(ctx, s.fetch))
	assert.Empty(t, items)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Empty(t, s.calls)
}

func TestCursorDeadlineExceeded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-ctx.Done()
	s := &cursorServer{}
	_, errs := collect(t, pager.Cursor(ctx, s.fetch))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.DeadlineExceeded)
}

func TestPagesCountsPagesAndStopsAtTotal(t *testing.T) {
	var asked []int
	all := []int{1, 2, 3, 4, 5}
	seq := pager.Pages(context.Background(), 1, 2, func(_ context.Context, page, size int) (pager.OffsetPage[int], error) {
		asked = append(asked, page)
		lo := min((page-1)*size, len(all))
		hi := min(lo+size, len(all))
		return pager.OffsetPage[int]{Items: all[lo:hi], Total: len(all), HasTotal: true}, nil
	})
	var got []int
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if fmt.Sprint(got) != "[1 2 3 4 5]" || fmt.Sprint(asked) != "[1 2 3]" {
		t.Fatalf("got %v after asking pages %v", got, asked)
	}
}

func TestPagesNeedsASize(t *testing.T) {
	for _, err := range pager.Pages(context.Background(), 0, 0, func(context.Context, int, int) (pager.OffsetPage[int], error) {
		t.Fatal("fetched without a page size")
		return pager.OffsetPage[int]{}, nil
	}) {
		if err == nil || !strings.Contains(err.Error(), "page size") {
			t.Fatalf("err = %v", err)
		}
	}
}

func TestSingleFetchesWhenRangedAndStopsOnBreak(t *testing.T) {
	calls := 0
	seq := pager.Single(context.Background(), func(context.Context) ([]string, error) {
		calls++
		return []string{"a", "b", "c"}, nil
	})
	if calls != 0 {
		t.Fatal("Single fetched before the loop started")
	}
	var got []string
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
		if v == "b" {
			break
		}
	}
	if fmt.Sprint(got) != "[a b]" || calls != 1 {
		t.Fatalf("got %v with %d calls", got, calls)
	}
	wantErr := errors.New("boom")
	for _, err := range pager.Single(context.Background(), func(context.Context) ([]string, error) { return nil, wantErr }) {
		if !errors.Is(err, wantErr) {
			t.Fatalf("err = %v", err)
		}
	}
}
