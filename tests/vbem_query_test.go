package tests

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

// vbemQSeed creates 23 passwords: pw-00..pw-22, even ones on srv01, odd ones
// on srv02. With the two seeded ones that makes 25.
func vbemQSeed(t *testing.T, c *vbem.Client) {
	t.Helper()
	for i := range 23 {
		server := vbemfake.SeedBackupServer1ID
		if i%2 == 1 {
			server = vbemfake.SeedBackupServer2ID
		}
		_, err := c.Passwords.Create(context.Background(), server, fmt.Sprintf("pw-%02d", i), fmt.Sprintf("secret-%02d", i))
		require.NoError(t, err)
	}
}

func vbemQHints(items []vbemapi.PasswordKeyInfo) []string {
	out := make([]string, 0, len(items))
	for _, p := range items {
		out = append(out, *p.Hint)
	}
	return out
}

func vbemQLinks(links []vbemapi.Link) []string {
	var rels []string
	for _, l := range links {
		rels = append(rels, l.Rel)
	}
	return rels
}

func TestVBEMQueryPasswords(t *testing.T) {
	ctx := context.Background()
	srv, seeder := startVBEM(t, nil)
	vbemQSeed(t, seeder)

	type reads struct {
		svc      *vbemapi.QuerySvc
		all      []vbemapi.PasswordKeyInfo
		page2    *vbem.QueryPage[vbemapi.PasswordKeyInfo]
		refs     *vbemapi.QueryResult
		filtered []string
	}
	got := map[string]reads{}
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			c := vbemPwClient(t, srv, m.opts)
			var r reads
			var err error
			r.svc, err = c.Query.Service(ctx)
			require.NoError(t, err)
			assert.Equal(t, "QueryService", *r.svc.Type)
			assert.Contains(t, vbemQLinks(r.svc.Links), "Down")

			before := srv.Calls()["Query"]
			for p, err := range c.Query.AllPasswords(ctx, &vbem.QueryOptions{PageSize: 5, SortAsc: "Hint"}) {
				require.NoError(t, err)
				r.all = append(r.all, p)
			}
			assert.Equal(t, 5, srv.Calls()["Query"]-before, "25 passwords in pages of 5")
			require.Len(t, r.all, 25)
			want := []string{"My password"}
			for i := range 23 {
				want = append(want, fmt.Sprintf("pw-%02d", i))
			}
			assert.Equal(t, append(want, "Tape vault key"), vbemQHints(r.all), "sorted by Hint, ignoring case")
			ids := map[string]bool{}
			for _, p := range r.all {
				ids[*p.ID] = true
			}
			assert.Len(t, ids, 25, "no page repeated, none skipped")

			// Stop early: one page is enough.
			n := 0
			for _, err := range c.Query.AllPasswords(ctx, &vbem.QueryOptions{PageSize: 5}) {
				require.NoError(t, err)
				if n++; n == 3 {
					break
				}
			}

			r.page2, err = c.Query.Passwords(ctx, &vbem.QueryOptions{PageSize: 5, Page: 2, SortDesc: "Hint"})
			require.NoError(t, err)
			assert.Equal(t, 2, r.page2.PageNum)
			assert.Equal(t, 5, r.page2.PageSize)
			assert.Equal(t, 5, r.page2.PagesCount)
			assert.Equal(t, []string{"pw-18", "pw-17", "pw-16", "pw-15", "pw-14"}, vbemQHints(r.page2.Items))
			assert.Equal(t, []string{"First", "Previous", "Next", "Last"}, vbemQLinks(r.page2.Result.PagingInfo.Links))
			last, err := c.Query.Passwords(ctx, &vbem.QueryOptions{PageSize: 5, Page: 5, SortDesc: "Hint"})
			require.NoError(t, err)
			assert.Equal(t, []string{"pw-03", "pw-02", "pw-01", "pw-00", "My password"}, vbemQHints(last.Items))
			assert.Equal(t, []string{"First", "Previous", "Last"}, vbemQLinks(last.Result.PagingInfo.Links))

			// References (the server's default format).
			r.refs, err = c.Query.Query(ctx, vbemapi.QueryParamsTypePasswords, nil)
			require.NoError(t, err)
			require.NotNil(t, r.refs.Refs)
			assert.Len(t, r.refs.Refs.Refs, 25)
			assert.Equal(t, "PasswordKeyReference", *r.refs.Refs.Refs[0].Type)
			assert.Equal(t, int32(1), *r.refs.PagingInfo.PagesCount)

			// Filters: == and != joined by ';' (AND) and ',' (OR).
			for _, tc := range []struct {
				filter string
				want   int
			}{
				{`BackupServerName=="` + vbemfake.SeedBackupServer1Name + `"`, 13},
				{`BackupServerUid==urn:veeam:BackupServer:` + vbemfake.SeedBackupServer2ID + `;Hint!="My password"`, 11},
				{`Hint=="pw-01",Hint=="pw-02",Hint=="nope"`, 2},
				{`(Hint=="pw-01",Hint=="pw-02");BackupServerName==` + vbemfake.SeedBackupServer1Name, 1},
				{`PasswordKeyID==` + vbemfake.SeedPassword1ID, 1},
				{`Hint=="Tape vault key"`, 1},
				{`Hint>="pw-20"`, 4}, // pw-20, pw-21, pw-22, Tape vault key
			} {
				page, err := c.Query.Passwords(ctx, &vbem.QueryOptions{Filter: tc.filter, SortAsc: "Hint"})
				require.NoError(t, err, tc.filter)
				assert.Len(t, page.Items, tc.want, tc.filter)
				r.filtered = append(r.filtered, vbemQHints(page.Items)...)
			}

			_, err = c.Query.Passwords(ctx, &vbem.QueryOptions{Filter: `Secret=="x"`})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.Query.Passwords(ctx, &vbem.QueryOptions{SortAsc: "Hint", SortDesc: "Hint"})
			assert.Error(t, err)
			_, err = c.Query.Passwords(ctx, &vbem.QueryOptions{PageSize: -1})
			assert.Error(t, err)
			_, err = c.Query.Passwords(ctx, &vbem.QueryOptions{Format: vbemapi.QueryParamsFormatReferences})
			assert.Error(t, err)
			got[m.name] = r
		})
	}
	require.Len(t, got, 2)
	assert.Equal(t, got["json"], got["xml"], "JSON and XML decode to the same values")
}

// TestVBEMQueryRepeatedPages has a server ignore the page asked for; the
// iterator stops with ErrRepeatedPage instead of looping.
func TestVBEMQueryRepeatedPages(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			f, c := vbemPwStartWrapped(t, m.opts, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/api/query" {
						q := r.URL.Query()
						q.Set("page", "1")
						r.URL.RawQuery = q.Encode()
					}
					next.ServeHTTP(w, r)
				})
			})
			vbemQSeed(t, c)
			var n int
			var last error
			for _, err := range c.Query.AllPasswords(context.Background(), &vbem.QueryOptions{PageSize: 5}) {
				if err != nil {
					last = err
					continue
				}
				n++
			}
			assert.Equal(t, 5, n, "the first page once")
			assert.ErrorIs(t, last, vbem.ErrRepeatedPage)
			assert.Equal(t, 2, f.Calls()["Query"])
			assert.Empty(t, f.Violations())
		})
	}
}

func TestVBEMQueryTasks(t *testing.T) {
	ctx := context.Background()
	srv, seeder := startVBEM(t, nil)
	srv.SetPasswordCreateStatus(http.StatusAccepted)
	for i := range 5 {
		task, err := seeder.Passwords.Create(ctx, vbemfake.SeedBackupServer1ID, fmt.Sprintf("t-%d", i), "S3cret")
		require.NoError(t, err)
		require.NotNil(t, task)
		if i < 2 {
			_, err = seeder.WaitTask(ctx, task, &poll.Options{Interval: 1})
			require.NoError(t, err)
		}
	}
	got := map[string][]vbemapi.Task{}
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			c := vbemPwClient(t, srv, m.opts)
			var all []vbemapi.Task
			for task, err := range c.Query.AllTasks(ctx, &vbem.QueryOptions{PageSize: 2}) {
				require.NoError(t, err)
				all = append(all, task)
			}
			require.Len(t, all, 5)
			assert.Equal(t, "task-1", *all[0].TaskID)

			page, err := c.Query.Tasks(ctx, &vbem.QueryOptions{Filter: `State=="Finished"`, SortDesc: "TaskId"})
			require.NoError(t, err)
			require.Len(t, page.Items, 2)
			assert.Equal(t, "task-2", *page.Items[0].TaskID)
			page, err = c.Query.Tasks(ctx, &vbem.QueryOptions{Filter: `State!=Finished;Operation==CreatePassword`, PageSize: 2, Page: 2})
			require.NoError(t, err)
			assert.Equal(t, 2, page.PagesCount)
			require.Len(t, page.Items, 1)
			assert.Equal(t, "task-5", *page.Items[0].TaskID)
			got[m.name] = all
		})
	}
	require.Len(t, got, 2)
	assert.Equal(t, got["json"], got["xml"])
}
