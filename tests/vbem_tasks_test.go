package tests

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

var fastTask = &vbem.WaitOptions{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond}

func TestVBEMWaitTask(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts, vbemfake.WithTaskSteps(3))
			req := httptest.NewRequest("GET", srv.URL()+"/api/", nil)

			ok := srv.StartTask(req, "StartRebuildScope", false, "/api/logonSessions")
			done, err := c.WaitTask(ctx, &ok, fastTask)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.TaskStateFinished, *done.State)
			require.NotNil(t, done.Result)
			assert.True(t, *done.Result.Success)

			// The Related link leads to the affected resource.
			var related vbemapi.LogonSessions
			for _, l := range done.Links {
				if l.Rel == "Related" {
					require.NoError(t, c.Follow(ctx, l, &related))
				}
			}
			assert.NotEmpty(t, related.LogonSessions)

			bad := srv.StartTask(req, "StartRebuildScope", true, "")
			_, err = c.WaitTask(ctx, &bad, fastTask)
			require.ErrorIs(t, err, vbem.ErrTaskFailed)
			var te *vbem.TaskError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, *bad.TaskID, *te.Task.TaskID)

			require.NoError(t, c.Tasks.Delete(ctx, *done.TaskID))
			tasks, err := c.Tasks.List(ctx)
			require.NoError(t, err)
			assert.Len(t, tasks.Tasks, 1)

			slow := srv.StartTask(req, "StartJob", false, "")
			cctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(20*time.Millisecond, cancel)
			_, err = c.WaitTask(cctx, &slow, &vbem.WaitOptions{Interval: time.Hour})
			assert.ErrorIs(t, err, context.Canceled)

			assert.Error(t, c.Follow(ctx, vbemapi.Link{Rel: "Up", Href: "https://elsewhere.example.com/api/"}, &related), "links to other hosts are not followed")
			_, err = c.WaitTask(ctx, nil, nil)
			assert.Error(t, err)
		})
	}
}
