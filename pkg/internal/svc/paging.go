package svc

import (
	"context"
	"iter"

	"github.com/backupsdk/backupsdk/pkg/pager"
)

// Integer is the type of a paging parameter in an options struct.
type Integer interface{ ~int | ~int32 | ~int64 }

// OffsetAll is the All iterator of an offset-paged list. off and lim point
// into the options that fetch sends: it starts at *off, asks for *lim items a
// page (pageSize when *lim is not set) and sets both before each fetch.
func OffsetAll[T any, O, L Integer](ctx context.Context, off *O, lim *L, pageSize int, fetch func(context.Context) (pager.OffsetPage[T], error)) iter.Seq2[T, error] {
	size := int(*lim)
	if size <= 0 {
		size = pageSize
	}
	return pager.Offset(ctx, int(*off), size, func(ctx context.Context, offset, limit int) (pager.OffsetPage[T], error) {
		if err := set(off, offset); err != nil {
			return pager.OffsetPage[T]{}, err
		}
		if err := set(lim, limit); err != nil {
			return pager.OffsetPage[T]{}, err
		}
		return fetch(ctx)
	})
}

// PageAll is the All iterator of a list paged by page number: it asks for
// page first, first+1, ... of *size items (pageSize when *size is not set),
// setting *page and *size before each fetch.
func PageAll[T any, P, S Integer](ctx context.Context, page *P, size *S, first, pageSize int, fetch func(context.Context) (pager.OffsetPage[T], error)) iter.Seq2[T, error] {
	n := int(*size)
	if n <= 0 {
		n = pageSize
	}
	return pager.Pages(ctx, first, n, func(ctx context.Context, p, s int) (pager.OffsetPage[T], error) {
		if err := set(page, p); err != nil {
			return pager.OffsetPage[T]{}, err
		}
		if err := set(size, s); err != nil {
			return pager.OffsetPage[T]{}, err
		}
		return fetch(ctx)
	})
}

func set[T Integer](dst *T, n int) error {
	v, err := Conv[T](n)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}
