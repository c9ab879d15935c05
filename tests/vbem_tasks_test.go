package tests

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

var fastTask = &poll.Options{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond}

func TestVBEMWaitTask(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts, vbemfake.WithTaskSteps(3))
			req := httptest.NewRequest("GET", srv.URL()+"/api/", nil)

			ok := srv.StartTask(req, "StartRebuildScope", false, "/api/logonSessions")
			var states []vbemapi.TaskState
			watch := *fastTask
			watch.OnPoll = func(s any) { states = append(states, *s.(*vbemapi.Task).State) }
			done, err := c.WaitTask(ctx, &ok, &watch)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.TaskStateFinished, *done.State)
			require.GreaterOrEqual(t, len(states), 2, "OnPoll sees the running task too")
			assert.Equal(t, vbemapi.TaskStateFinished, states[len(states)-1])
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
			last, err := c.WaitTask(cctx, &slow, &poll.Options{Interval: time.Hour})
			assert.ErrorIs(t, err, context.Canceled)
			assert.ErrorContains(t, err, "vbem: waiting for task "+*slow.TaskID)
			require.NotNil(t, last, "the last state read comes back with the error")
			assert.Equal(t, vbemapi.TaskStateRunning, *last.State)

			assert.Error(t, c.Follow(ctx, vbemapi.Link{Rel: "Up", Href: "https://elsewhere.example.com/api/"}, &related), "links to other hosts are not followed")
			_, err = c.WaitTask(ctx, nil, nil)
			assert.Error(t, err)
			_, err = c.WaitTask(ctx, &vbemapi.Task{TaskID: to.Ptr("task-404")}, fastTask)
			assert.ErrorIs(t, err, apierr.ErrNotFound, "a failed read ends the wait with its own error")
			assert.NotContains(t, err.Error(), "waiting for")
		})
	}
}
