package svc

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/pager"
)

type listOptions struct {
	Offset offset
	Limit  int32
	Page   int64
}

func TestOffsetAllSetsTheOptionsOfEachPage(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	o := listOptions{Offset: 1}
	var asked [][2]int
	var got []int
	for v, err := range OffsetAll(context.Background(), &o.Offset, &o.Limit, 2, func(context.Context) (pager.OffsetPage[int], error) {
		asked = append(asked, [2]int{int(o.Offset), int(o.Limit)})
		lo := min(int(o.Offset), len(all))
		return pager.OffsetPage[int]{Items: all[lo:min(lo+int(o.Limit), len(all))], Total: len(all), HasTotal: true}, nil
	}) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{2, 3, 4, 5}, got, "from the caller's offset")
	assert.Equal(t, [][2]int{{1, 2}, {3, 2}}, asked, "the page size when the caller sets none")
}

func TestPageAllCountsPages(t *testing.T) {
	o := listOptions{Limit: 3}
	var pages []int64
	n := 0
	for _, err := range PageAll(context.Background(), &o.Page, &o.Limit, 1, 100, func(context.Context) (pager.OffsetPage[string], error) {
		pages = append(pages, o.Page)
		items := []string{"a", "b", "c"}
		if o.Page == 2 {
			items = items[:1]
		}
		return pager.OffsetPage[string]{Items: items}, nil
	}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n)
	assert.Equal(t, []int64{1, 2}, pages, "the caller's size, not the default; a short page ends it")
}

func TestOffsetAllRefusesAnOffsetBeyondTheParameter(t *testing.T) {
	o := listOptions{Offset: math.MaxInt32, Limit: 1}
	calls := 0
	for _, err := range OffsetAll(context.Background(), &o.Offset, &o.Limit, 1, func(context.Context) (pager.OffsetPage[int], error) {
		calls++
		return pager.OffsetPage[int]{Items: []int{1}}, nil
	}) {
		if err != nil {
			assert.ErrorContains(t, err, "32-bit")
			break
		}
	}
	assert.Equal(t, 1, calls, "the second page's offset does not fit an int32")
}
