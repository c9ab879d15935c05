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
