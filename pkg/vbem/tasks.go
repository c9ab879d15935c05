package vbem

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
	"github.com/backupsdk/backupsdk/pkg/poll"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// ErrTaskFailed matches the error WaitTask returns for a task whose Result
// says Success=false.
var ErrTaskFailed = errors.New("vbem: task failed")

// TaskError is returned by WaitTask for a failed task; it carries the task.
type TaskError struct{ Task vbemapi.Task }

func (e *TaskError) Error() string {
	msg := "vbem: task " + to.Value(e.Task.TaskID) + " (" + to.Value(e.Task.Operation) + ") failed"
	if e.Task.Result != nil && e.Task.Result.Message != nil {
		msg += ": " + *e.Task.Result.Message
	}
	return msg
}

// Is matches ErrTaskFailed.
func (e *TaskError) Is(target error) bool { return target == ErrTaskFailed }

// taskPacing is WaitTask's pacing when the options set none: the first poll
// at once, then after 500ms, growing by half each time up to 10s.
var taskPacing = poll.Defaults{Interval: 500 * time.Millisecond, MaxInterval: 10 * time.Second}

// WaitTask polls a task (GET /api/tasks/{id}) until it is Finished and
// returns it; a task whose Result says Success=false gives a *TaskError
// (matching ErrTaskFailed) with the task. opts tune the pacing (nil: the
// first poll at once, then after 500ms, growing by half up to 10s) and
// can watch each state read. ctx bounds the wait; when it ends, WaitTask
// returns the last state read and an error matching ctx.Err().
func (c *Client) WaitTask(ctx context.Context, task *vbemapi.Task, opts *poll.Options) (*vbemapi.Task, error) {
	if task == nil || to.Value(task.TaskID) == "" {
		return nil, errors.New("vbem: WaitTask needs a task with a TaskId")
	}
	id := *task.TaskID
	var readErr error
	t, err := poll.Until(ctx, "task "+id, opts, taskPacing, func(ctx context.Context) (*vbemapi.Task, bool, error) {
		t, err := c.Tasks.Get(ctx, id)
		if err != nil {
			readErr = err
			return nil, true, err
		}
		if t.State == nil || *t.State != vbemapi.TaskStateFinished {
			return t, false, nil
		}
		if t.Result != nil && t.Result.Success != nil && !*t.Result.Success {
			readErr = &TaskError{Task: *t}
			return t, true, readErr
		}
		return t, true, nil
	})
	if err != nil && !errors.Is(err, readErr) {
		// The wait itself ended (the context): say whose wait it was.
		err = fmt.Errorf("vbem: %w", err)
	}
	return t, err
}

// Follow GETs the resource a link points to (for example a Task's Related
// link) and decodes it into v. Only links to the client's server are
// followed.
func (c *Client) Follow(ctx context.Context, link vbemapi.Link, v any) error {
	u, err := url.Parse(link.Href)
	if err != nil {
		return fmt.Errorf("vbem: follow %s: %w", link.Rel, err)
	}
	base, _ := url.Parse(c.c.sessions.server)
	if u.Host != "" && !strings.EqualFold(u.Host, base.Host) {
		return fmt.Errorf("vbem: follow %s: link leaves the server (%s)", link.Rel, u.Host)
	}
	u.Scheme, u.Host = base.Scheme, base.Host
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("vbem: follow %s: %w", link.Rel, err)
	}
	resp, err := c.c.authed.Do(req)
	if err != nil {
		return err
	}
	defer drainClose(resp)
	if err := apierr.CheckResponse(resp, decodeError); err != nil {
		return err
	}
	if err := c.c.codec.Decode(resp, v); err != nil {
		return respond.BodyError(resp, err)
	}
	return nil
}

// IDFromHref returns the last path segment of an Href: the id of resources
// such as restore scopes, which have no Id element.
func IDFromHref(href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Path == "" {
		return ""
	}
	return path.Base(strings.TrimRight(u.Path, "/"))
}
