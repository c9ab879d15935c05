package vbem

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
	"github.com/backupsdk/backupsdk/pkg/pager"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The typed queries of this file are written by hand: one operation
// (GET /api/query) answers every type, and the items of each sit in a
// different part of the QueryResult.

// DefaultPageSize is the page size AllPasswords and AllTasks ask for when
// QueryOptions.PageSize is 0 (page paging needs one).
const DefaultPageSize = 100

// ErrRepeatedPage is yielded by the query iterators when the server hands
// back a page it already gave, which would otherwise loop forever.
var ErrRepeatedPage = errors.New("vbem: the server repeated a query page")

// QueryPage is one page of a typed query.
type QueryPage[T any] struct {
	Items []T
	// PageNum, PageSize and PagesCount come from PagingInfo (0 when the
	// server sent none).
	PageNum, PageSize, PagesCount int
	// Result is the whole answer, links included.
	Result *vbemapi.QueryResult
}

// Passwords returns one page of encryption password records of all backup
// servers (type=Passwords&format=Entities).
func (s *QueryService) Passwords(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.PasswordKeyInfo], error) {
	o := withFormat(opts, vbemapi.QueryParamsFormatEntities)
	if o.Format != vbemapi.QueryParamsFormatEntities {
		return nil, errors.New("vbem: Passwords reads entities; use Query for references")
	}
	return typedPage(ctx, s, vbemapi.QueryParamsTypePasswords, o, passwordsOf)
}

// AllPasswords iterates over the encryption password records of all backup
// servers, page after page from opts.Page (default 1), opts.PageSize
// (default DefaultPageSize) a page, as long as the server's PagingInfo
// announces more. A server that repeats a page ends the loop with
// ErrRepeatedPage.
func (s *QueryService) AllPasswords(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.PasswordKeyInfo, error] {
	o := withFormat(opts, vbemapi.QueryParamsFormatEntities)
	return queryAll(ctx, s, vbemapi.QueryParamsTypePasswords, o, passwordsOf, func(p vbemapi.PasswordKeyInfo) string {
		if p.ID != nil {
			return *p.ID
		}
		return to.Value(p.Href)
	})
}

// Tasks returns one page of the tasks (type=Task).
func (s *QueryService) Tasks(ctx context.Context, opts *QueryOptions) (*QueryPage[vbemapi.Task], error) {
	return typedPage(ctx, s, vbemapi.QueryParamsTypeTask, withFormat(opts, ""), tasksOf)
}

// AllTasks iterates over the tasks, page after page, like AllPasswords.
func (s *QueryService) AllTasks(ctx context.Context, opts *QueryOptions) iter.Seq2[vbemapi.Task, error] {
	return queryAll(ctx, s, vbemapi.QueryParamsTypeTask, withFormat(opts, ""), tasksOf, func(t vbemapi.Task) string {
		if t.TaskID != nil {
			return *t.TaskID
		}
		return to.Value(t.Href)
	})
}

func passwordsOf(r *vbemapi.QueryResult) []vbemapi.PasswordKeyInfo {
	var out []vbemapi.PasswordKeyInfo
	if r.Resources != nil && r.Resources.PasswordKeyInfoList != nil {
		out = append(out, r.Resources.PasswordKeyInfoList.PasswordKeyInfos...)
	}
	if r.Entities != nil && r.Entities.Passwords != nil {
		out = append(out, r.Entities.Passwords.PasswordKeyInfos...)
	}
	return out
}

func tasksOf(r *vbemapi.QueryResult) []vbemapi.Task {
	if r.Resources != nil && r.Resources.Tasks != nil {
		return r.Resources.Tasks.Tasks
	}
	return nil
}

// withFormat copies opts, defaulting the format.
func withFormat(opts *QueryOptions, def vbemapi.QueryParamsFormat) QueryOptions {
	var o QueryOptions
	if opts != nil {
		o = *opts
	}
	if o.Format == "" {
		o.Format = def
	}
	return o
}

func typedPage[T any](ctx context.Context, s *QueryService, typ vbemapi.QueryParamsType, o QueryOptions, items func(*vbemapi.QueryResult) []T) (*QueryPage[T], error) {
	if o.SortAsc != "" && o.SortDesc != "" {
		return nil, errors.New("vbem: query sorts by SortAsc or SortDesc, not both")
	}
	r, err := s.Query(ctx, typ, &o)
	if err != nil {
		return nil, err
	}
	p := &QueryPage[T]{Result: r, Items: items(r)}
	if pi := r.PagingInfo; pi != nil {
		p.PageNum, p.PageSize, p.PagesCount = int(to.Value(pi.PageNum)), int(to.Value(pi.PageSize)), int(to.Value(pi.PagesCount))
	}
	return p, nil
}

// more reports whether the server announces a page after p, by PagesCount
// or, without one, by a Next link.
func more[T any](p *QueryPage[T], num int) bool {
	pi := p.Result.PagingInfo
	switch {
	case pi == nil:
		return false
	case pi.PagesCount != nil:
		return num < p.PagesCount
	}
	for _, l := range pi.Links {
		if strings.EqualFold(l.Rel, "Next") {
			return true
		}
	}
	return false
}

// queryAll pages through a query with pager.Pages. It stops after the page
// the server calls the last, or an empty one, and fails with
// ErrRepeatedPage when the server gives a page number it gave before or the
// same items twice in a row.
func queryAll[T any](ctx context.Context, s *QueryService, typ vbemapi.QueryParamsType, o QueryOptions, items func(*vbemapi.QueryResult) []T, key func(T) string) iter.Seq2[T, error] {
	size := int(o.PageSize)
	if size <= 0 {
		size = DefaultPageSize
	}
	return func(yield func(T, error) bool) {
		// The state of one loop; the iterator may be ranged over again.
		seen, last, count := map[int]bool{}, "", 0
		fetch := func(ctx context.Context, page, size int) (pager.OffsetPage[T], error) {
			q := o
			var err error
			if q.Page, err = svc.Conv[vbemapi.Page](page); err != nil {
				return pager.OffsetPage[T]{}, err
			}
			if q.PageSize, err = svc.Conv[vbemapi.PageSize](size); err != nil {
				return pager.OffsetPage[T]{}, err
			}
			p, err := typedPage(ctx, s, typ, q, items)
			if err != nil {
				return pager.OffsetPage[T]{}, err
			}
			num := page
			if p.PageNum > 0 {
				num = p.PageNum
			}
			keys := make([]string, 0, len(p.Items))
			for _, it := range p.Items {
				keys = append(keys, key(it))
			}
			fp := strings.Join(keys, "\x00")
			if seen[num] || (len(p.Items) > 0 && fp == last) {
				return pager.OffsetPage[T]{}, fmt.Errorf("%w: page %d", ErrRepeatedPage, num)
			}
			seen[num], last = true, fp
			count += len(p.Items)
			// The server counts pages, not items: the total is what has come
			// so far on the last page, and out of reach before it, so that a
			// short page (a server that caps the page size) does not end the
			// loop early.
			total := count
			if more(p, num) {
				total = math.MaxInt
			}
			return pager.OffsetPage[T]{Items: p.Items, Total: total, HasTotal: true}, nil
		}
		for it, err := range pager.Pages(ctx, max(int(o.Page), 1), size, fetch) {
			if !yield(it, err) {
				return
			}
		}
	}
}
