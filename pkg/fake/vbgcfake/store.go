package vbgcfake

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The pieces the sections share: a table of items in the order they were
// added, the paged list answer, the look-ups of path parameters that
// answer 400 or 404 themselves, and the list, get and delete handlers made
// of them. The Fake's mutex guards every table; the handlers take it.

// table keeps items by key in the order they were added.
type table[K comparable, V any] struct {
	items map[K]V
	order []K
}

func newTable[K comparable, V any]() *table[K, V] { return &table[K, V]{items: map[K]V{}} }

// put adds v under k, or replaces the item with that key in its place.
func (t *table[K, V]) put(k K, v V) {
	if _, ok := t.items[k]; !ok {
		t.order = append(t.order, k)
	}
	t.items[k] = v
}

func (t *table[K, V]) get(k K) (V, bool) {
	v, ok := t.items[k]
	return v, ok
}

func (t *table[K, V]) remove(k K) {
	delete(t.items, k)
	t.order = slices.DeleteFunc(t.order, func(x K) bool { return x == k })
}

// list returns the items in order.
func (t *table[K, V]) list() []V {
	out := make([]V, 0, len(t.order))
	for _, k := range t.order {
		out = append(out, t.items[k])
	}
	return out
}

func (t *table[K, V]) len() int { return len(t.order) }

// listModel is the answer of every paged list: a page of data and its
// pagination.
type listModel[T any] struct {
	Data       []T                     `json:"data"`
	Pagination vbgcapi.PaginationModel `json:"pagination"`
}

// writeList answers the page of items the query asks for, or 400 when its
// paging parameters are wrong.
func writeList[T any](w http.ResponseWriter, r *http.Request, items []T) {
	if data, pg, ok := writePage(w, r, items); ok {
		veeamfake.WriteJSON(w, http.StatusOK, listModel[T]{Data: data, Pagination: pg})
	}
}

func badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	veeamfake.WriteJSONError(w, r, http.StatusBadRequest, "UnexpectedContent", msg)
}

func notFound(w http.ResponseWriter, r *http.Request, what string) {
	veeamfake.WriteJSONError(w, r, http.StatusNotFound, "NotFound", what+" was not found")
}

func decodeBody[T any](w http.ResponseWriter, r *http.Request, in *fake.Input) (T, bool) {
	var v T
	if err := json.Unmarshal(in.Body, &v); err != nil {
		badRequest(w, r, "malformed JSON body")
		return v, false
	}
	return v, true
}

// uuidParam parses the path parameter name, answering 400 when it is not
// a UUID.
func uuidParam(w http.ResponseWriter, r *http.Request, in *fake.Input, name string) (uuid.UUID, bool) {
	id, err := uuid.Parse(in.PathParams[name])
	if err != nil {
		badRequest(w, r, name+" is not a UUID")
	}
	return id, err == nil
}

// lookup finds the item of key in t, answering 404 ("<what> was not
// found") when there is none.
func lookup[K comparable, V any](w http.ResponseWriter, r *http.Request, t *table[K, V], key K, what string) (V, bool) {
	v, ok := t.get(key)
	if !ok {
		notFound(w, r, what)
	}
	return v, ok
}

// finder resolves the path parameters of a request to the key of an item
// that exists, answering 400 or 404 itself otherwise. The caller holds
// f.mu.
type finder[K comparable] func(w http.ResponseWriter, r *http.Request, in *fake.Input) (K, bool)

// byUUID is the finder of the items of t named by a UUID path parameter.
func byUUID[V any](t *table[uuid.UUID, V], param, what string) finder[uuid.UUID] {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, bool) {
		id, ok := uuidParam(w, r, in, param)
		if ok {
			_, ok = lookup(w, r, t, id, what)
		}
		return id, ok
	}
}

// byName is the finder of the items of t named by a path parameter.
func byName[V any](t *table[string, V], param, what string) finder[string] {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) (string, bool) {
		key := in.PathParams[param]
		_, ok := lookup(w, r, t, key, what)
		return key, ok
	}
}

// listHandler answers a page of what read returns with f.mu held.
func listHandler[T any](f *Fake, read func() []T) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
		f.mu.Lock()
		items := read()
		f.mu.Unlock()
		writeList(w, r, items)
	}
}

// subListHandler answers a page of what read returns for the item that
// find resolves, both with f.mu held.
func subListHandler[K comparable, T any](f *Fake, find finder[K], read func(key K) []T) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		k, ok := find(w, r, in)
		var items []T
		if ok {
			items = read(k)
		}
		f.mu.Unlock()
		if ok {
			writeList(w, r, items)
		}
	}
}

// getHandler answers the item of t that find resolves.
func getHandler[K comparable, V any](f *Fake, t *table[K, V], find finder[K]) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if k, ok := find(w, r, in); ok {
			veeamfake.WriteJSON(w, http.StatusOK, t.items[k])
		}
	}
}

// deleteHandler removes the item of t that find resolves and answers 204.
func deleteHandler[K comparable, V any](f *Fake, t *table[K, V], find finder[K]) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if k, ok := find(w, r, in); ok {
			t.remove(k)
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

// answerSession starts a session (see startSessionLocked) and answers its
// id with status. The caller holds f.mu.
func (f *Fake) answerSession(w http.ResponseWriter, status int, typ vbgcapi.ESessionType, name string, policyID *uuid.UUID) uuid.UUID {
	sid := f.startSessionLocked(typ, name, policyID)
	veeamfake.WriteJSON(w, status, vbgcapi.SessionIDModel{SessionID: sid})
	return sid
}

// readHandler answers what read returns, read with f.mu held.
func readHandler[T any](f *Fake, read func() T) fake.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		veeamfake.WriteJSON(w, http.StatusOK, read())
	}
}

// withBody serves an operation with a JSON body of type S: it answers 400
// for a malformed body, and runs do on the body with f.mu held.
func withBody[S any](f *Fake, do func(w http.ResponseWriter, r *http.Request, in *fake.Input, spec S)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		spec, ok := decodeBody[S](w, r, in)
		if !ok {
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		do(w, r, in, spec)
	}
}

// onItem serves an operation on the item that find resolves: do runs on
// its key with f.mu held.
func onItem[K comparable](f *Fake, find finder[K], do func(w http.ResponseWriter, r *http.Request, key K)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if k, ok := find(w, r, in); ok {
			do(w, r, k)
		}
	}
}

// withItem serves an operation on the item that find resolves, with a
// JSON body of type S: it answers 400 for a malformed body, and runs do on
// the body and the item's key with f.mu held.
func withItem[S any, K comparable](f *Fake, find finder[K], do func(w http.ResponseWriter, r *http.Request, in *fake.Input, spec S, key K)) fake.HandlerFunc {
	return withBody(f, func(w http.ResponseWriter, r *http.Request, in *fake.Input, spec S) {
		if k, ok := find(w, r, in); ok {
			do(w, r, in, spec, k)
		}
	})
}
