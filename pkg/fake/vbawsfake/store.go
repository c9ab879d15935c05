package vbawsfake

import (
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// store keeps items by ID in the order they were added. The Fake's mutex
// guards every store.
type store[T any] struct {
	byID  map[uuid.UUID]*T
	order []uuid.UUID
}

func newStore[T any]() *store[T] { return &store[T]{byID: map[uuid.UUID]*T{}} }

func (s *store[T]) put(id uuid.UUID, v T) *T {
	if _, ok := s.byID[id]; !ok {
		s.order = append(s.order, id)
	}
	s.byID[id] = &v
	return &v
}

func (s *store[T]) get(id uuid.UUID) (*T, bool) {
	v, ok := s.byID[id]
	return v, ok
}

func (s *store[T]) remove(id uuid.UUID) bool {
	if _, ok := s.byID[id]; !ok {
		return false
	}
	delete(s.byID, id)
	s.order = slices.DeleteFunc(s.order, func(x uuid.UUID) bool { return x == id })
	return true
}

// list returns copies of the items keep accepts (all when keep is nil).
func (s *store[T]) list(keep func(*T) bool) []T {
	out := []T{}
	for _, id := range s.order {
		if v := s.byID[id]; keep == nil || keep(v) {
			out = append(out, *v)
		}
	}
	return out
}

// pageOf is the {results, totalCount} answer of the paged collections.
type pageOf[T any] struct {
	Results    []T `json:"results"`
	TotalCount int `json:"totalCount"`
}

// writePage answers a window of all, read from the Offset and Limit query
// parameters named offset and limit.
func writeTypedPage[T any](w http.ResponseWriter, r *http.Request, all []T, offset, limit string) {
	page := window(all, queryInt(r, offset, 0), queryInt(r, limit, 0))
	veeamfake.WriteJSON(w, http.StatusOK, pageOf[T]{Results: orEmpty(page), TotalCount: len(all)})
}

// byPath looks the item named by the path parameter up in s, answering 400
// or 404 itself when there is none. The caller holds f.mu.
func byPath[T any](f *Fake, w http.ResponseWriter, r *http.Request, in *fake.Input, s *store[T], param, what string) (*T, uuid.UUID, bool) {
	id, ok := f.pathID(w, r, in, param)
	if !ok {
		return nil, id, false
	}
	v, ok := s.get(id)
	if !ok {
		f.notFound(w, r, what+" "+id.String())
		return nil, id, false
	}
	return v, id, true
}

func badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	veeamfake.WriteError(w, r, http.StatusBadRequest, "UnexpectedContent", msg)
}
