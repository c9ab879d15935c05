package ibmbr

import (
	"context"
	"iter"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/pager"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The indexed object search pages with a paginationCookie in its request
// body, which the generated iterators do not do; these two are written by
// hand on pager.Cursor.

// AllIndexedObjects iterates over the pages of an indexed object search,
// passing each page's pagination cookie back for the next, only as far as
// the loop goes; a PaginationCookie in req is where it starts. The objects
// of a page are in the member its ObjectType names (Files, Emails, ...);
// AllIndexedFiles yields files directly.
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
	return pager.Cursor(ctx, func(ctx context.Context, cursor string) ([]T, string, error) {
		q := req
		if cursor != "" {
			q.PaginationCookie = &cursor
		}
		r, err := s.IndexedObjects(ctx, q)
		if err != nil {
			return nil, "", err
		}
		return items(r), to.Value(r.PaginationCookie), nil
	})
}
