package vbemfake

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// What the resources of the fake share: most Enterprise Manager
// collections answer a list of references (EntityReferences), one item in
// its reference form or, with ?format=Entity, in its entity form, and 404
// for an unknown id. A coll states what differs between them; its handlers
// do the locking, the lookup and the 404.

// item is an element of a collection: its id (as in its path) and Name.
type item interface{ ident() (id, name string) }

// coll is one collection of the fake's state; items is called with f.mu
// held.
type coll[T item] struct {
	f     *Fake
	kind  string     // the entity type (Job, Replica, ...)
	base  string     // the path of the collection, with a trailing slash
	param string     // the path parameter of an item's id
	what  string     // how a 404 names an item
	items func() []T // the items, in order
	// up, if set, gives the links a reference carries after Alternate.
	up func(*http.Request, T) []vbemapi.Link
}

func idOf[T item](it T) string {
	id, _ := it.ident()
	return id
}

// path is the path of an item.
func (c coll[T]) path(it T) string { return c.base + idOf(it) }

// find returns the item with the given id; f.mu must be held.
func (c coll[T]) find(id string) (T, bool) {
	for _, it := range c.items() {
		if idOf(it) == id {
			return it, true
		}
	}
	var zero T
	return zero, false
}

// form gives the Href, UID and Type of an item in its entity or reference
// form.
func (c coll[T]) form(r *http.Request, it T, entity bool) (href, uid, typ *string) {
	return form(r, c.kind, c.path(it), idOf(it), entity)
}

// of finds the item of the request's path, or answers 404; f.mu must be
// held.
func (c coll[T]) of(w http.ResponseWriter, r *http.Request, in *fake.Input) (T, bool) {
	it, ok := c.find(in.PathParams[c.param])
	if !ok {
		notFound(w, r, c.what)
	}
	return it, ok
}

// ref is the reference form of an item in a list.
func (c coll[T]) ref(r *http.Request, it T) vbemapi.EntityReference {
	var links []vbemapi.Link
	if c.up != nil {
		links = c.up(r, it)
	}
	id, name := it.ident()
	return ref(r, c.kind, c.path(it), id, name, links...)
}

// refs lists the references of the items that keep accepts (all when it
// is nil); f.mu must be held.
func (c coll[T]) refs(r *http.Request, keep func(T) bool) vbemapi.EntityReferences {
	list := []vbemapi.EntityReference{}
	for _, it := range c.items() {
		if keep == nil || keep(it) {
			list = append(list, c.ref(r, it))
		}
	}
	return vbemapi.EntityReferences{Refs: list}
}

// list answers the references of every item.
func (c coll[T]) list() fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		c.f.mu.Lock()
		defer c.f.mu.Unlock()
		in.Respond(w, http.StatusOK, c.refs(r, nil))
	}
}

// with runs do on the item of the path, under f.mu, or answers 404.
func (c coll[T]) with(do func(w http.ResponseWriter, r *http.Request, in *fake.Input, it T)) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		c.f.mu.Lock()
		defer c.f.mu.Unlock()
		if it, ok := c.of(w, r, in); ok {
			do(w, r, in, it)
		}
	}
}

// get answers the item of the path in the form the request asks for.
func (c coll[T]) get(model func(r *http.Request, it T, entity bool) any) fake.HandlerFunc {
	return c.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, it T) {
		in.Respond(w, http.StatusOK, model(r, it, entityForm(r)))
	})
}

// under answers the references of the items of kids that belong to the
// item of parents named by the path.
func under[P, C item](parents coll[P], kids coll[C], belongs func(C, P) bool) fake.HandlerFunc {
	return parents.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p P) {
		in.Respond(w, http.StatusOK, kids.refs(r, func(c C) bool { return belongs(c, p) }))
	})
}

// notFound answers 404 naming what was not found.
func notFound(w http.ResponseWriter, r *http.Request, what string) {
	WriteError(w, r, http.StatusNotFound, "NotFound", what+" not found")
}

// badRequest answers 400 with the product's error body.
func badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	WriteError(w, r, http.StatusBadRequest, "BadRequest", msg)
}

// accept answers 202 with a new task; f.mu must be held.
func (f *Fake) accept(w http.ResponseWriter, r *http.Request, in *fake.Input, operation string, fail bool, related string) {
	in.Respond(w, http.StatusAccepted, f.startTaskLocked(r, operation, fail, related))
}

// ref builds an entity reference with its Alternate link.
func ref(r *http.Request, kind, path, id, name string, links ...vbemapi.Link) vbemapi.EntityReference {
	return vbemapi.EntityReference{UID: to.Ptr("urn:veeam:" + kind + ":" + id), Name: to.Ptr(name), Href: to.Ptr(Href(r, path)), Type: to.Ptr(kind + "Reference"),
		Links: append([]vbemapi.Link{alternate(r, kind, path)}, links...)}
}

// alternate is the link from a reference to its entity form.
func alternate(r *http.Request, kind, path string) vbemapi.Link {
	return link(r, "Alternate", path+"?format=Entity", kind)
}

func named(l vbemapi.Link, name string) vbemapi.Link {
	l.Name = &name
	return l
}

func entityForm(r *http.Request) bool { return r.URL.Query().Get("format") == "Entity" }

// form gives the Href, UID and Type of an item in its entity or
// reference form.
func form(r *http.Request, kind, path, id string, entity bool) (href, uid, typ *string) {
	uid = to.Ptr("urn:veeam:" + kind + ":" + id)
	if entity {
		return to.Ptr(Href(r, path+"?format=Entity")), uid, to.Ptr(kind)
	}
	return to.Ptr(Href(r, path)), uid, to.Ptr(kind + "Reference")
}

// decodeBody reads a JSON or XML request body into v.
func decodeBody(r *http.Request, in *fake.Input, v any) error {
	if strings.Contains(r.Header.Get("Content-Type"), "json") {
		return json.Unmarshal(in.Body, v)
	}
	return xml.Unmarshal(in.Body, v)
}

// withSub runs do on the item of the path and on its sub-item whose id is
// the path parameter param (with its index in subs), under f.mu, or
// answers 404.
func withSub[P, C item](parents coll[P], subs func(P) []C, param, what string, do func(w http.ResponseWriter, r *http.Request, in *fake.Input, p P, i int, c C)) fake.HandlerFunc {
	return parents.with(func(w http.ResponseWriter, r *http.Request, in *fake.Input, p P) {
		for i, c := range subs(p) {
			if idOf(c) == in.PathParams[param] {
				do(w, r, in, p, i, c)
				return
			}
		}
		notFound(w, r, what)
	})
}
