package vbgc

import (
	"encoding/json"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
)

// FuzzFilterAndOrderBy checks the wire form Filter and OrderBy build for
// ListOptions: JSON that decodes back to what was given and survives the
// generated client's query encoding; conditions and orders without their
// required members are errors.
func FuzzFilterAndOrderBy(f *testing.F) {
	f.Add("name", "contains", `prod "db"`, true, "status", "in", `["Running","Stopped"]`, "name", false)
	f.Add("type", "equals", "VM", false, "", "", "", "creationTime", true)
	f.Add("name", "like", "back\\slash&amp;=%20+#?", false, "x", "equals", "\u2028\u0000\U0001F600", "", false)
	f.Add("", "equals", "v", false, "", "", "", "", false)
	f.Add("p", "", "v", false, "", "", "", "", false)
	f.Add("p]}", "equals\"", "</script>\\u0041", true, "q", "or", "null", "o\"", true)
	f.Fuzz(func(t *testing.T, prop, op, value string, ignoreCase bool, prop2, op2, value2, orderProp string, desc bool) {
		conds := []Condition{{Property: prop, Operator: Operator(op), Value: value, IgnoreCase: ignoreCase}}
		if prop2 != "" || op2 != "" {
			conds = append(conds, Condition{Property: prop2, Operator: Operator(op2), Value: value2})
		}
		filter, err := Filter(conds...)
		wantErr := false
		for _, c := range conds {
			wantErr = wantErr || c.Property == "" || c.Operator == ""
		}
		if wantErr {
			if err == nil {
				t.Fatalf("Filter(%+v) gave no error", conds)
			}
			return
		}
		if err != nil {
			t.Fatalf("Filter(%+v): %v", conds, err)
		}
		var got []map[string]string
		if err := json.Unmarshal([]byte(filter), &got); err != nil {
			t.Fatalf("filter %q is not a JSON array of string members: %v", filter, err)
		}
		if len(got) != len(conds) {
			t.Fatalf("filter has %d conditions, want %d", len(got), len(conds))
		}
		for i, c := range conds {
			if len(got[i]) != 4 || got[i]["ignorecase"] != strconv.FormatBool(c.IgnoreCase) {
				t.Fatalf("condition %d = %v", i, got[i])
			}
			// JSON carries text only: invalid UTF-8 becomes U+FFFD.
			for name, want := range map[string]string{"property": c.Property, "operator": string(c.Operator), "value": c.Value} {
				if utf8.ValidString(want) && got[i][name] != want {
					t.Fatalf("condition %d %s = %q, want %q", i, name, got[i][name], want)
				}
			}
		}

		var orders []Order
		if orderProp != "" {
			orders = []Order{{Property: orderProp, Descending: desc}}
		}
		orderBy, err := OrderBy(orders...)
		if err != nil {
			t.Fatalf("OrderBy(%+v): %v", orders, err)
		}
		if orderProp == "" {
			if orderBy != "" {
				t.Fatalf("orderby %q without any order", orderBy)
			}
		} else {
			var ords []map[string]string
			if err := json.Unmarshal([]byte(orderBy), &ords); err != nil || len(ords) != 1 {
				t.Fatalf("orderby %q: %v", orderBy, err)
			}
			dir := "ASC"
			if desc {
				dir = "DESC"
			}
			if ords[0]["direction"] != dir || (utf8.ValidString(orderProp) && ords[0]["property"] != orderProp) {
				t.Fatalf("orderby = %v", ords[0])
			}
		}

		// The values survive the generated client's URL encoding.
		params := &vbgcapi.ProjectsGetAllParams{Filter: &filter}
		if orderBy != "" {
			params.OrderBy = &orderBy
		}
		req, err := vbgcapi.NewProjectsGetAllRequest("https://vbgc.example:13140", params)
		if err != nil {
			t.Fatalf("build request: %v", err)
		}
		vals := req.URL.Query()
		if vals.Get("filter") != filter {
			t.Fatalf("filter on the wire = %q, want %q", vals.Get("filter"), filter)
		}
		if orderBy != "" && vals.Get("orderby") != orderBy {
			t.Fatalf("orderby on the wire = %q, want %q", vals.Get("orderby"), orderBy)
		}
	})
}

// The empty builders send nothing, and an order without a property is
// refused as a condition without one is.
func TestFilterAndOrderByEdges(t *testing.T) {
	if f, err := Filter(); f != "" || err != nil {
		t.Fatalf("Filter() = %q, %v", f, err)
	}
	if o, err := OrderBy(); o != "" || err != nil {
		t.Fatalf("OrderBy() = %q, %v", o, err)
	}
	if _, err := OrderBy(Order{Descending: true}); err == nil {
		t.Fatal("an order without a property was accepted")
	}
	f, err := Filter(Condition{Property: "name", Operator: OpContains, Value: "prod", IgnoreCase: true})
	if err != nil || f != `[{"property":"name","operator":"contains","ignorecase":"true","value":"prod"}]` {
		t.Fatalf("Filter = %q, %v", f, err)
	}
	o, err := OrderBy(Order{Property: "name"}, Order{Property: "creationTimeUtc", Descending: true})
	if err != nil || o != `[{"property":"name","direction":"ASC"},{"property":"creationTimeUtc","direction":"DESC"}]` {
		t.Fatalf("OrderBy = %q, %v", o, err)
	}
}
