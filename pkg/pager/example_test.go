package pager_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/backupsdk/backupsdk/pkg/pager"
)

// item and listItems stand for a collection the facades do not cover and
// the one call that reads a page of it (through c.Raw(), say).
type item struct{ Name string }

type itemsPage struct {
	Items []item
	Total int
}

func listItems(_ context.Context, offset, limit int) (*itemsPage, error) {
	all := []item{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}}
	end := min(offset+limit, len(all))
	return &itemsPage{Items: all[min(offset, end):end], Total: len(all)}, nil
}

// ExampleOffset turns one page-reading call into an iterator over the whole
// collection, with the same behaviour as the clients' All methods: a page
// at a time as the loop goes, an error yielded once, a stop at the total.
func ExampleOffset() {
	ctx := context.Background()
	seq := pager.Offset(ctx, 0, 2, func(ctx context.Context, offset, limit int) (pager.OffsetPage[item], error) {
		page, err := listItems(ctx, offset, limit)
		if err != nil {
			return pager.OffsetPage[item]{}, err
		}
		return pager.OffsetPage[item]{Items: page.Items, Total: page.Total, HasTotal: true}, nil
	})
	var names []string
	for it, err := range seq {
		if err != nil {
			fmt.Println(err)
			return
		}
		names = append(names, it.Name)
	}
	fmt.Println(names)
	// Output:
	// [a b c d e]
}

// ExampleCursor follows the cursors of a server that hands one out twice:
// rather than loop forever, the iterator ends with ErrRepeatedCursor after
// the items it got.
func ExampleCursor() {
	ctx := context.Background()
	pages := map[string][]string{"": {"a", "b"}, "p2": {"c"}}
	next := map[string]string{"": "p2", "p2": "p2"} // p2 again: a server bug
	seq := pager.Cursor(ctx, func(ctx context.Context, cursor string) ([]string, string, error) {
		return pages[cursor], next[cursor], nil
	})
	for s, err := range seq {
		if errors.Is(err, pager.ErrRepeatedCursor) {
			fmt.Println("the server repeated a cursor; the results may be incomplete")
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(s)
	}
	// Output:
	// a
	// b
	// c
	// the server repeated a cursor; the results may be incomplete
}
