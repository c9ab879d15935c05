package vbgc

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
)

// FuzzListOptionsEncode checks the wire form of ListOptions: filter and
// orderby are JSON that decodes back to what was given, and survive the
// generated client's query encoding; bad bounds are errors.
func FuzzListOptionsEncode(f *testing.F) {
	f.Add("name", "contains", `prod "db"`, true, "status", "in", `["Running","Stopped"]`, "name", false, 0, 100)
	f.Add("type", "equals", "VM", false, "", "", "", "creationTime", true, 200, 50)
	f.Add("name", "like", "back\\slash&amp;=%20+#?", false, "x", "equals", "\u2028\u0000\U0001F600", "", false, 1, 1)
	f.Add("", "equals", "v", false, "", "", "", "", false, 0, 0)
	f.Add("p", "", "v", false, "", "", "", "", false, 0, 0)
	f.Add("p", "equals", "v", false, "", "", "", "", false, -1, 10)
	f.Add("p", "equals", "v", false, "", "", "", "", false, 0, -10)
	f.Add("p", "equals", "v", false, "", "", "", "", false, 2147483647, 2147483647)
	f.Add("p", "equals", "v", false, "", "", "", "", false, 2147483648, 4294967297)
	f.Add("p]}", "equals\"", "</script>\\u0041", true, "q", "or", "null", "o\"", true, 5, 5)
	f.Fuzz(func(t *testing.T, prop, op, value string, ignoreCase bool, prop2, op2, value2, orderProp string, desc bool, offset, limit int) {
		opts := &ListOptions{
			Filter: []Condition{{Property: prop, Operator: Operator(op), Value: value, IgnoreCase: ignoreCase}},
			Offset: offset,
			Limit:  limit,
		}
		if prop2 != "" || op2 != "" {
			opts.Filter = append(opts.Filter, Condition{Property: prop2, Operator: Operator(op2), Value: value2})
		}
		if orderProp != "" {
			opts.OrderBy = []Order{{Property: orderProp, Descending: desc}}
		}
		q, err := opts.encode("1.4-rev0")
		wantErr := offset < 0 || limit < 0 || offset > math.MaxInt32 || limit > math.MaxInt32
		for _, c := range opts.Filter {
			wantErr = wantErr || c.Property == "" || c.Operator == ""
		}
		if wantErr {
			if err == nil {
				t.Fatalf("encode(%+v) gave no error", opts)
			}
			return
		}
		if err != nil {
			t.Fatalf("encode(%+v): %v", opts, err)
		}
		if q.XAPIVersion != "1.4-rev0" {
			t.Fatalf("XAPIVersion = %q", q.XAPIVersion)
		}
		checkBound(t, "Offset", q.Offset, offset)
		checkBound(t, "Limit", q.Limit, limit)
		if q.Filter == nil {
			t.Fatal("no filter")
		}
		var conds []map[string]string
		if err := json.Unmarshal([]byte(*q.Filter), &conds); err != nil {
			t.Fatalf("filter %q is not a JSON array of string members: %v", *q.Filter, err)
		}
		if len(conds) != len(opts.Filter) {
			t.Fatalf("filter has %d conditions, want %d", len(conds), len(opts.Filter))
		}
		for i, c := range opts.Filter {
			got := conds[i]
			if len(got) != 4 || got["ignorecase"] != strconv.FormatBool(c.IgnoreCase) {
				t.Fatalf("condition %d = %v", i, got)
			}
			// JSON carries text only: invalid UTF-8 becomes U+FFFD.
			for name, want := range map[string]string{"property": c.Property, "operator": string(c.Operator), "value": c.Value} {
				if utf8.ValidString(want) && got[name] != want {
					t.Fatalf("condition %d %s = %q, want %q", i, name, got[name], want)
				}
			}
		}
		if orderProp == "" {
			if q.Orderby != nil {
				t.Fatalf("orderby %q without any order", *q.Orderby)
			}
		} else {
			var ords []map[string]string
			if err := json.Unmarshal([]byte(*q.Orderby), &ords); err != nil || len(ords) != 1 {
				t.Fatalf("orderby %q: %v", *q.Orderby, err)
			}
			dir := "ASC"
			if desc {
				dir = "DESC"
			}
			if ords[0]["direction"] != dir || (utf8.ValidString(orderProp) && ords[0]["property"] != orderProp) {
				t.Fatalf("orderby = %v", ords[0])
			}
		}

		// The query survives the generated client's URL encoding.
		req, err := vbgcapi.NewProjectsGetAllRequest("https://vbgc.example:13140", (*vbgcapi.ProjectsGetAllParams)(&q))
		if err != nil {
			t.Fatalf("build request: %v", err)
		}
		vals := req.URL.Query()
		if vals.Get("filter") != *q.Filter {
			t.Fatalf("filter on the wire = %q, want %q", vals.Get("filter"), *q.Filter)
		}
		if q.Orderby != nil && vals.Get("orderby") != *q.Orderby {
			t.Fatalf("orderby on the wire = %q, want %q", vals.Get("orderby"), *q.Orderby)
		}
		if q.Offset != nil && vals.Get("offset") != strconv.Itoa(offset) {
			t.Fatalf("offset on the wire = %q, want %d", vals.Get("offset"), offset)
		}
		if q.Limit != nil && vals.Get("limit") != strconv.Itoa(limit) {
			t.Fatalf("limit on the wire = %q, want %d", vals.Get("limit"), limit)
		}
	})
}

// checkBound checks the encoding of Offset or Limit: absent when zero, the
// same number otherwise.
func checkBound(t *testing.T, name string, got *int32, want int) {
	t.Helper()
	switch {
	case want == 0 && got != nil:
		t.Fatalf("%s = %d, want none", name, *got)
	case want > 0 && (got == nil || int(*got) != want):
		t.Fatalf("%s = %v, want %d", name, got, want)
	}
}
