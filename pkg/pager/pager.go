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
	return func(yield func(T, error) bool) {
		var zero T
		offset := max(start, 0)
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, offset, limit)
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
			offset += n
			switch {
			case n == 0:
				return
			case page.HasTotal && offset >= page.Total:
				return
			case !page.HasTotal && limit > 0 && n < limit:
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
	return func(yield func(T, error) bool) {
		var zero T
		if size <= 0 {
			yield(zero, errors.New("pager: page paging needs a page size above 0"))
			return
		}
		seen := 0
		for page := first; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, page, size)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			n := len(p.Items)
			seen += n
			if n == 0 || (p.HasTotal && seen >= p.Total) || (!p.HasTotal && n < size) {
				return
			}
		}
	}
}
