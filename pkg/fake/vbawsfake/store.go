package vbawsfake

import (
	"net/http"
	"slices"
	"strings"

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

// collection serves the items of a store under the path parameter that
// names one: the list, get, delete and create-or-update handlers that
// repositories, worker profiles and configurations, IAM roles and standard
// accounts share. Every handler takes f.mu.
type collection[T any] struct {
	f     *Fake
	s     *store[T]
	param string // the path parameter naming an item
	what  string // the item in errors: "the repository"
	// name gives an item's name, for SearchPattern, the name sort and
	// name clashes; nil for the collections without names.
	name          func(T) string
	offset, limit string // the paging query parameters
	// view, when given, is what the list and get answer of an item: the
	// item with what it shows of others (run with f.mu held).
	view func(T) T
}

// byPath is byPath for the collection. The caller holds f.mu.
func (c collection[T]) byPath(w http.ResponseWriter, r *http.Request, in *fake.Input) (*T, uuid.UUID, bool) {
	return byPath(c.f, w, r, in, c.s, c.param, c.what)
}

// list answers a page of the items whose names match SearchPattern, in
// name order when Sort asks for it.
func (c collection[T]) list(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	c.f.mu.Lock()
	all := c.s.list(func(x *T) bool { return c.name == nil || matches(c.name(*x), q.Get("SearchPattern")) })
	if c.view != nil {
		for i := range all {
			all[i] = c.view(all[i])
		}
	}
	c.f.mu.Unlock()
	if c.name != nil {
		for _, s := range q["Sort"] {
			if strings.HasPrefix(s, "name") {
				sortBy(all, c.name, s == "nameDesc")
			}
		}
	}
	writeTypedPage(w, r, all, c.offset, c.limit)
}

func (c collection[T]) get(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if x, _, ok := c.byPath(w, r, in); ok {
		if c.view != nil {
			veeamfake.WriteJSON(w, http.StatusOK, c.view(*x))
			return
		}
		veeamfake.WriteJSON(w, http.StatusOK, x)
	}
}

// remove deletes the item of the path and answers status, unless inUse
// (when given) says what still uses it; gone (when given) drops what the
// Fake keeps beside the item.
func (c collection[T]) remove(status int, inUse func(uuid.UUID) string, gone func(uuid.UUID)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		c.f.mu.Lock()
		defer c.f.mu.Unlock()
		_, id, ok := c.byPath(w, r, in)
		if !ok {
			return
		}
		if inUse != nil {
			if why := inUse(id); why != "" {
				veeamfake.WriteError(w, r, http.StatusBadRequest, "AccessDenied", why)
				return
			}
		}
		c.s.remove(id)
		if gone != nil {
			gone(id)
		}
		w.WriteHeader(status)
	}
}

// target is where a create-or-update handler saves: for an Update*
// operation the item of the path, its ID and 200; else a new ID and 201.
// It answers 400 or 404 itself when the path names no item. The caller
// holds f.mu.
func (c collection[T]) target(w http.ResponseWriter, r *http.Request, in *fake.Input) (*T, uuid.UUID, int, bool) {
	if !strings.HasPrefix(in.OperationID, "Update") {
		return nil, uuid.New(), http.StatusCreated, true
	}
	x, id, ok := c.byPath(w, r, in)
	return x, id, http.StatusOK, ok
}

// nameTaken reports whether an item other than except has the name, in
// any case. The caller holds f.mu.
func (c collection[T]) nameTaken(name string, except uuid.UUID) bool {
	for _, id := range c.s.order {
		if id != except && strings.EqualFold(c.name(*c.s.byID[id]), name) {
			return true
		}
	}
	return false
}

// withBody serves an operation with a JSON body of type S: it answers 400
// for a malformed body, and runs do on the body with f.mu held.
func withBody[S any](f *Fake, do func(w http.ResponseWriter, r *http.Request, in *fake.Input, spec S)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		var spec S
		if !decodeBody(w, r, in, &spec) {
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		do(w, r, in, spec)
	}
}
