package ibmbr

import (
	"context"
	"errors"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
	"github.com/backupsdk/backupsdk/pkg/pager"
)

// SearchService covers Search (/data-protect/search): objects, protected objects and indexed objects, with paginationCookie iterators.
type SearchService struct{ service }

// SearchObjectsOptions filter an object search. Count is the page size;
// PaginationCookie (from the previous page) selects the page. The zero value
// returns the first page of all objects.
type SearchObjectsOptions = ibmbrapi.SearchObjectsParams

// SearchProtectedObjectsOptions filter a protected object search. The zero
// value searches all protected objects.
type SearchProtectedObjectsOptions = ibmbrapi.SearchProtectedObjectsParams

// Objects returns one page of the objects matching opts (nil for the first
// page of all); its PaginationCookie, when set, fetches the next.
func (s *SearchService) Objects(ctx context.Context, opts *SearchObjectsOptions) (*ibmbrapi.ObjectsSearchResponseBody, error) {
	p := SearchObjectsOptions{}
	if opts != nil {
		p = *opts
	}
	if p.Count != nil && *p.Count < 1 {
		return nil, errors.New("ibmbr: search page size (Count) must be at least 1")
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.SearchObjects(ctx, &p)
	return respond.JSON[ibmbrapi.ObjectsSearchResponseBody](resp, err, decode)
}

// AllObjects iterates over every object matching opts, fetching page after
// page (opts.Count objects a page) by pagination cookie, only as far as the
// loop goes. A PaginationCookie in opts is where it starts.
func (s *SearchService) AllObjects(ctx context.Context, opts *SearchObjectsOptions) iter.Seq2[ibmbrapi.SearchObject, error] {
	p := SearchObjectsOptions{}
	if opts != nil {
		p = *opts
	}
	first := p.PaginationCookie
	return pager.Cursor(ctx, func(ctx context.Context, cursor string) ([]ibmbrapi.SearchObject, string, error) {
		q := p
		q.PaginationCookie = first
		if cursor != "" {
			q.PaginationCookie = &cursor
		}
		r, err := s.Objects(ctx, &q)
		if err != nil {
			return nil, "", err
		}
		return r.Objects, cookieOf(r.PaginationCookie), nil
	})
}

// IndexedObjects returns one page of the indexed objects (files, emails,
// and so on, by req.ObjectType) matching req; its PaginationCookie, when
// set, fetches the next.
func (s *SearchService) IndexedObjects(ctx context.Context, req ibmbrapi.SearchIndexedObjectsRequest) (*ibmbrapi.SearchIndexedObjectsResponse, error) {
	if req.ObjectType == "" {
		return nil, errors.New("ibmbr: an indexed object search needs an object type")
	}
	if req.Count != nil && *req.Count < 1 {
		return nil, errors.New("ibmbr: search page size (Count) must be at least 1")
	}
	tenant, err := s.tenantFor(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.api.SearchIndexedObjects(ctx, &ibmbrapi.SearchIndexedObjectsParams{XIBMTenantID: tenant}, req)
	return respond.JSON[ibmbrapi.SearchIndexedObjectsResponse](resp, err, decode)
}

// AllIndexedObjects iterates over the pages of an indexed object search,
// passing each page's pagination cookie back for the next, only as far as
// the loop goes. The objects of a page are in the member its ObjectType
// names (Files, Emails, ...); AllIndexedFiles yields files directly.
func (s *SearchService) AllIndexedObjects(ctx context.Context, req ibmbrapi.SearchIndexedObjectsRequest) iter.Seq2[ibmbrapi.SearchIndexedObjectsResponse, error] {
	return indexedPages(ctx, s, req, func(r *ibmbrapi.SearchIndexedObjectsResponse) []ibmbrapi.SearchIndexedObjectsResponse {
		return []ibmbrapi.SearchIndexedObjectsResponse{*r}
	})
}

// AllIndexedFiles iterates over the files of an indexed file search
// (req.ObjectType is set to Files), page after page by pagination cookie.
func (s *SearchService) AllIndexedFiles(ctx context.Context, req ibmbrapi.SearchIndexedObjectsRequest) iter.Seq2[ibmbrapi.File, error] {
	req.ObjectType = ibmbrapi.SearchIndexedObjectsRequestObjectTypeFiles
	return indexedPages(ctx, s, req, func(r *ibmbrapi.SearchIndexedObjectsResponse) []ibmbrapi.File {
		return r.Files
	})
}

// indexedPages pages an indexed object search by cookie, taking the items
// of each page with items.
func indexedPages[T any](ctx context.Context, s *SearchService, req ibmbrapi.SearchIndexedObjectsRequest,
	items func(*ibmbrapi.SearchIndexedObjectsResponse) []T) iter.Seq2[T, error] {
	first := req.PaginationCookie
	return pager.Cursor(ctx, func(ctx context.Context, cursor string) ([]T, string, error) {
		q := req
		q.PaginationCookie = first
		if cursor != "" {
			q.PaginationCookie = &cursor
		}
		r, err := s.IndexedObjects(ctx, q)
		if err != nil {
			return nil, "", err
		}
		return items(r), cookieOf(r.PaginationCookie), nil
	})
}

// ProtectedObjects returns the protected objects matching opts (nil for
// all), with their snapshots; the service answers them in one response.
func (s *SearchService) ProtectedObjects(ctx context.Context, opts *SearchProtectedObjectsOptions) (*ibmbrapi.ProtectedObjectsSearchResponse, error) {
	p := SearchProtectedObjectsOptions{}
	if opts != nil {
		p = *opts
	}
	var err error
	if p.XIBMTenantID, err = s.tenantFor(ctx); err != nil {
		return nil, err
	}
	resp, err := s.api.SearchProtectedObjects(ctx, &p)
	return respond.JSON[ibmbrapi.ProtectedObjectsSearchResponse](resp, err, decode)
}

// AllProtectedObjects iterates over the protected objects matching opts.
func (s *SearchService) AllProtectedObjects(ctx context.Context, opts *SearchProtectedObjectsOptions) iter.Seq2[ibmbrapi.ProtectedObject, error] {
	return each(func() ([]ibmbrapi.ProtectedObject, error) {
		r, err := s.ProtectedObjects(ctx, opts)
		if err != nil {
			return nil, err
		}
		return r.Objects, nil
	})
}

// cookieOf returns the pagination cookie of a page, "" at the end.
func cookieOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
