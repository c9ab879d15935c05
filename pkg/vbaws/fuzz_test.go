package vbaws

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// fuzzDoer records the request and answers with an empty page.
type fuzzDoer struct{ reqs []*http.Request }

func (d *fuzzDoer) Do(req *http.Request) (*http.Response, error) {
	d.reqs = append(d.reqs, req)
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader([]byte(`{"results":[],"totalCount":0}`))),
		Request:    req,
	}, nil
}

var fuzzSortColumns = []vbawsapi.AmazonOrganizationSortColumns{
	vbawsapi.AmazonOrganizationSortColumnsNameAsc,
	vbawsapi.AmazonOrganizationSortColumnsDescriptionDesc,
	vbawsapi.AmazonOrganizationSortColumnsIAMRoleAsc,
	vbawsapi.AmazonOrganizationSortColumnsIAMRoleDesc,
}

// FuzzListOrganizationsOptions checks that ListOrganizationsOptions reach
// the wire unchanged, and that negative bounds are errors before sending.
func FuzzListOrganizationsOptions(f *testing.F) {
	f.Add("prod*", 0, 0, 0)
	f.Add("", 100, 50, 1)
	f.Add("a&b=c #d+e%20f", 1, 1, 15)
	f.Add("\x00\xff\u00e9\U0001F600", 7, 2147483647, 6)
	f.Add("x", -1, 10, 0)
	f.Add("x", 0, -5, 0)
	f.Add("x", 2147483648, 10, 0)
	f.Add("x", 10, 4294967297, 0)
	f.Fuzz(func(t *testing.T, search string, offset, limit, sortMask int) {
		d := &fuzzDoer{}
		api, err := vbawsapi.NewClient("https://vbaws.example:11005", vbawsapi.WithHTTPClient(d))
		if err != nil {
			t.Fatal(err)
		}
		s := &OrganizationsService{c: &core{api: api, Core: svc.Core{Product: "vbaws", Decode: apierr.DecodeVeeam,
			Managed: map[string]func(context.Context) (string, error){"apiVersion": func(context.Context) (string, error) { return "1.7-rev0", nil }}}}}
		if offset > math.MaxInt32 || limit > math.MaxInt32 || offset < math.MinInt32 || limit < math.MinInt32 {
			return // the option types are the API's int32: such values do not compile
		}
		opts := &ListOrganizationsOptions{SearchPattern: search, Offset: vbawsapi.Offset(offset), Limit: vbawsapi.Limit(limit)}
		for i, c := range fuzzSortColumns {
			if sortMask&(1<<i) != 0 {
				opts.Sort = append(opts.Sort, c)
			}
		}
		page, err := s.List(context.Background(), opts)
		if offset < 0 || limit < 0 {
			if err == nil {
				t.Fatalf("List(%+v) gave no error", opts)
			}
			if len(d.reqs) != 0 {
				t.Fatalf("List(%+v) sent a request", opts)
			}
			return
		}
		if err != nil || page == nil {
			t.Fatalf("List(%+v) = %v, %v", opts, page, err)
		}
		if len(d.reqs) != 1 {
			t.Fatalf("%d requests, want 1", len(d.reqs))
		}
		q := d.reqs[0].URL.Query()
		checkParam(t, q, "SearchPattern", search != "", search)
		checkParam(t, q, "Offset", offset > 0, strconv.Itoa(offset))
		checkParam(t, q, "Limit", limit > 0, strconv.Itoa(limit))
		var sorts []string
		for _, c := range opts.Sort {
			sorts = append(sorts, string(c))
		}
		if !slices.Equal(q["Sort"], sorts) {
			t.Fatalf("Sort on the wire = %q, want %q", q["Sort"], sorts)
		}
		if got := d.reqs[0].Header.Get("x-api-version"); got != "1.7-rev0" {
			t.Fatalf("x-api-version = %q", got)
		}
	})
}

func checkParam(t *testing.T, q url.Values, name string, present bool, want string) {
	t.Helper()
	got, ok := q[name]
	switch {
	case !present && ok:
		t.Fatalf("%s = %q, want none", name, got)
	case present && (len(got) != 1 || got[0] != want):
		t.Fatalf("%s on the wire = %q, want %q", name, got, want)
	}
}
