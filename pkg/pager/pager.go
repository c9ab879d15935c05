package pager

import (
	"context"
	"errors"
	"iter"
)

// ErrRepeatedCursor is yielded when a server hands back a cursor it already
// gave, which would otherwise loop forever.
var ErrRepeatedCursor = errors.New("pager: server repeated a page cursor")

// OffsetPage is one page of an offset-paged list.
type OffsetPage[T any] struct {
	Items []T
	// Total is the size of the whole collection when the server reports it.
	Total    int
	HasTotal bool
}

// OffsetFetch fetches the page that starts at offset with at most limit
// items.
type OffsetFetch[T any] func(ctx context.Context, offset, limit int) (OffsetPage[T], error)

// Offset iterates an offset-paged collection from start, limit items a page.
// It stops at an empty page, at the reported total, or (when the server
// reports no total) after a short page.
func Offset[T any](ctx context.Context, start, limit int, fetch OffsetFetch[T]) iter.Seq2[T, error] {
	start = max(start, 0)
	return pages(ctx, start, limit, func(ctx context.Context, _, seen int) (OffsetPage[T], error) {
		return fetch(ctx, start+seen, limit)
	})
}

// pages is the loop of Offset and Pages: fetch the i-th page (seen items
// so far), yield its items, and stop at an empty page, once base+seen
// reaches the reported total, or after a short page when there is none.
func pages[T any](ctx context.Context, base, size int, fetch func(ctx context.Context, i, seen int) (OffsetPage[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := 0
		for i := 0; ; i++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, i, seen)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
			n := len(page.Items)
			seen += n
			switch {
			case n == 0:
				return
			case page.HasTotal && base+seen >= page.Total:
				return
			case !page.HasTotal && size > 0 && n < size:
				return
			}
		}
	}
}

// CursorFetch fetches the page after cursor ("" for the first) and returns
// the next cursor, "" at the end.
type CursorFetch[T any] func(ctx context.Context, cursor string) (items []T, next string, err error)

// Cursor iterates a cursor-paged collection.
func Cursor[T any](ctx context.Context, fetch CursorFetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]struct{}{}
		cursor := ""
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == "" || len(items) == 0 {
				return
			}
			if _, dup := seen[next]; dup {
				yield(zero, ErrRepeatedCursor)
				return
			}
			seen[next] = struct{}{}
			cursor = next
		}
	}
}

// SingleFetch fetches a whole collection in one response.
type SingleFetch[T any] func(ctx context.Context) ([]T, error)

// Single iterates a collection that the server returns in one response, so
// that every list of every product can be ranged over the same way. The
// request is made when the loop starts, not when Single is called.
func Single[T any](ctx context.Context, fetch SingleFetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		items, err := fetch(ctx)
		if err != nil {
			yield(zero, err)
			return
		}
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}

// PageFetch fetches page number page (counted from the first page number
// the API uses) holding at most size items.
type PageFetch[T any] func(ctx context.Context, page, size int) (OffsetPage[T], error)

// Pages iterates a collection paged by page number, size items a page,
// starting at page first (0 or 1, as the API counts). Like Offset, it stops
// at an empty page, at the reported total, or (without a total) after a
// short page.
func Pages[T any](ctx context.Context, first, size int, fetch PageFetch[T]) iter.Seq2[T, error] {
	if size <= 0 {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, errors.New("pager: page paging needs a page size above 0"))
		}
	}
	return pages(ctx, 0, size, func(ctx context.Context, i, _ int) (OffsetPage[T], error) {
		return fetch(ctx, first+i, size)
	})
}
