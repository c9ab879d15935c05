package vbem

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// QueryService covers the query service (/api/query, /api/querySvc).
type QueryService struct{ service }

// QueryOptions narrow and page a query. The zero value asks for everything
// in the server's default order and page size.
type QueryOptions struct {
	// Filter is a filter expression, for example
	// `BackupServerName=="srv02.tech.local";Hint!="old"` (';' is AND, ','
	// is OR). Password fields: PasswordKeyID, Hint, BackupServerUid,
	// BackupServerName; task fields: TaskId, State, Operation.
	Filter string
	// SortAsc or SortDesc (not both) name the field to sort by.
	SortAsc, SortDesc string
	// PageSize is the number of items a page (0: the server's default);
	// Page the 1-based page (0: the first).
	PageSize, Page int
	// Format is References (the server's default) or Entities. Passwords
	// and AllPasswords ask for Entities.
	Format vbemapi.QueryParamsFormat
}

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

// Service returns the query service resource and its preconfigured
// query links.
func (s *QueryService) Service(ctx context.Context) (*vbemapi.QuerySvc, error) {
	resp, err := s.api.GetQueryService(ctx, s.accept())
	return decodeAs[vbemapi.QuerySvc](resp, err)
}

// Query runs one query of type typ (Passwords or Task) and returns one page.
// Passwords, AllPasswords, Tasks and AllTasks give typed results.
func (s *QueryService) Query(ctx context.Context, typ vbemapi.QueryParamsType, opts *QueryOptions) (*vbemapi.QueryResult, error) {
	if typ == "" {
		return nil, errors.New("vbem: query needs a type")
	}
	params := vbemapi.QueryParams{Type: typ}
	if opts != nil {
		if opts.SortAsc != "" && opts.SortDesc != "" {
			return nil, errors.New("vbem: query sorts by SortAsc or SortDesc, not both")
		}
		if opts.PageSize < 0 || opts.Page < 0 {
			return nil, fmt.Errorf("vbem: query page %d of size %d: must not be negative", opts.Page, opts.PageSize)
		}
		if opts.PageSize > 1<<31-1 || opts.Page > 1<<31-1 {
			return nil, fmt.Errorf("vbem: query page %d of size %d: too large", opts.Page, opts.PageSize)
		}
		params.Filter = nonEmpty(opts.Filter)
		params.SortAsc = nonEmpty(opts.SortAsc)
		params.SortDesc = nonEmpty(opts.SortDesc)
		if opts.Format != "" {
			f := opts.Format
			params.Format = &f
		}
		if opts.PageSize > 0 {
			n := int32(opts.PageSize) //nolint:gosec // bounded above
			params.PageSize = &n
		}
		if opts.Page > 0 {
			n := int32(opts.Page) //nolint:gosec // bounded above
			params.Page = &n
		}
	}
	resp, err := s.api.Query(ctx, &params, s.accept())
	return decodeAs[vbemapi.QueryResult](resp, err)
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
// servers, page after page from opts.Page (default 1), following PagingInfo.
// A server that repeats a page ends the loop with ErrRepeatedPage.
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

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
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
	r, err := s.Query(ctx, typ, &o)
	if err != nil {
		return nil, err
	}
	p := &QueryPage[T]{Result: &vbemapi.QueryResult{}}
	if r != nil {
		p.Result = r
	}
	p.Items = items(p.Result)
	if pi := p.Result.PagingInfo; pi != nil {
		p.PageNum, p.PageSize, p.PagesCount = intOf(pi.PageNum), intOf(pi.PageSize), intOf(pi.PagesCount)
	}
	return p, nil
}

func intOf(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

// nextPage returns the page after p, which was asked for as page asked: by
// PageNum and PagesCount when the server sends them, else by the Next link.
func nextPage[T any](p *QueryPage[T], asked int) (int, bool) {
	pi := p.Result.PagingInfo
	if pi == nil {
		return 0, false
	}
	cur := asked
	if p.PageNum > 0 {
		cur = p.PageNum
	}
	if pi.PagesCount != nil {
		return cur + 1, cur < p.PagesCount
	}
	for _, l := range pi.Links {
		if !strings.EqualFold(l.Rel, "Next") {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil {
			return 0, false
		}
		n, err := strconv.Atoi(u.Query().Get("page"))
		return n, err == nil && n > 0
	}
	return 0, false
}

// queryAll pages through a query. It stops after the last page or an empty
// one, and yields ErrRepeatedPage when the server gives a page number it gave
// before or the same items twice in a row.
func queryAll[T any](ctx context.Context, s *QueryService, typ vbemapi.QueryParamsType, o QueryOptions, items func(*vbemapi.QueryResult) []T, key func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		page := max(o.Page, 1)
		seen := map[int]bool{}
		last := ""
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			o.Page = page
			p, err := typedPage(ctx, s, typ, o, items)
			if err != nil {
				yield(zero, err)
				return
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
				yield(zero, fmt.Errorf("%w: page %d", ErrRepeatedPage, num))
				return
			}
			seen[num], last = true, fp
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			next, ok := nextPage(p, page)
			if !ok || len(p.Items) == 0 {
				return
			}
			if seen[next] {
				yield(zero, fmt.Errorf("%w: page %d", ErrRepeatedPage, next))
				return
			}
			page = next
		}
	}
}
