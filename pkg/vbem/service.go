package vbem

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/internal/respond"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// service is what every service shares: the generated client and the media
// type.
type service struct {
	api vbemapi.ClientInterface
	xml bool
}

// accept asks for the client's media type.
func (s service) accept() vbemapi.RequestEditorFn {
	mt := "application/json"
	if s.xml {
		mt = "application/xml"
	}
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept", mt)
		return nil
	}
}

// body encodes a request body in the client's media type; root is the XML
// root element. The generated types list their fields in the documented
// element order (x-order in the spec), which XML bodies must keep.
func (s service) body(root string, v any) (string, io.Reader, error) {
	if !s.xml {
		b, err := json.Marshal(v)
		if err != nil {
			return "", nil, fmt.Errorf("vbem: encode %s: %w", root, err)
		}
		return "application/json", bytes.NewReader(b), nil
	}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	if err := enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: root}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Namespace}}}); err != nil {
		return "", nil, fmt.Errorf("vbem: encode %s: %w", root, err)
	}
	return "application/xml", &buf, nil
}

// decodeAs checks resp and decodes its JSON or XML body into a new T. An
// answer without a body (204, or 201/202 with none) gives nil, nil.
func decodeAs[T any](resp *http.Response, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	defer drainClose(resp)
	if err := apierr.CheckResponse(resp, decodeError); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, respond.BodyError(resp, err)
	}
	if len(bytes.TrimSpace(trimBOM(raw))) == 0 {
		return nil, nil
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "html") {
		// A proxy's or a login page is well-formed enough to pass for XML.
		return nil, respond.BodyError(resp, errors.New("an HTML page is not an API answer"))
	}
	v := new(T)
	if err := unmarshal(resp.Header.Get("Content-Type"), raw, v); err != nil {
		return nil, respond.BodyError(resp, err)
	}
	return v, nil
}

// utf8BOM is the byte-order mark Enterprise Manager puts before its JSON.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }

// unmarshal decodes a JSON or XML body, by its Content-Type or else its
// first byte. Every body the client decodes (answers, the logon answer,
// errors) goes through it, because encoding/json refuses the byte-order
// mark that real appliances send.
func unmarshal(contentType string, raw []byte, v any) error {
	raw = bytes.TrimLeft(trimBOM(raw), " \t\r\n")
	if strings.Contains(contentType, "xml") || (len(raw) > 0 && raw[0] == '<') {
		return xml.Unmarshal(raw, v)
	}
	return json.Unmarshal(raw, v)
}

// noContent checks an answer that carries no body.
func noContent(resp *http.Response, err error) error {
	_, err = decodeAs[struct{}](resp, err)
	return err
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

// WaitOptions tune WaitTask. The zero value polls after 500ms, growing by
// half each time up to 10s.
type WaitOptions struct {
	Interval, MaxInterval time.Duration
}

// WaitTask polls a task (GET /api/tasks/{id}) until it is Finished and
// returns it; a task whose Result says Success=false gives a *TaskError. ctx
// bounds the wait.
func (c *Client) WaitTask(ctx context.Context, task *vbemapi.Task, opts *WaitOptions) (*vbemapi.Task, error) {
	if task == nil || task.TaskID == nil || *task.TaskID == "" {
		return nil, errors.New("vbem: WaitTask needs a task with a TaskId")
	}
	o := WaitOptions{Interval: 500 * time.Millisecond, MaxInterval: 10 * time.Second}
	if opts != nil {
		if opts.Interval > 0 {
			o.Interval = opts.Interval
		}
		if opts.MaxInterval > 0 {
			o.MaxInterval = opts.MaxInterval
		}
	}
	id, wait := *task.TaskID, time.Duration(0)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("vbem: waiting for task %s: %w", id, ctx.Err())
		case <-timer.C:
		}
		t, err := c.Tasks.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.State != nil && *t.State == vbemapi.TaskStateFinished {
			if t.Result != nil && t.Result.Success != nil && !*t.Result.Success {
				return t, &TaskError{Task: *t}
			}
			return t, nil
		}
		if wait == 0 {
			wait = o.Interval
		} else {
			wait = min(wait+wait/2, o.MaxInterval)
		}
		timer.Reset(wait)
	}
}

// Follow GETs the resource a link points to (for example a Task's Related
// link) and decodes it into v. Only links to the client's server are
// followed.
func (c *Client) Follow(ctx context.Context, link vbemapi.Link, v any) error {
	u, err := url.Parse(link.Href)
	if err != nil {
		return fmt.Errorf("vbem: follow %s: %w", link.Rel, err)
	}
	base, _ := url.Parse(c.sessions.server)
	if u.Host != "" && !strings.EqualFold(u.Host, base.Host) {
		return fmt.Errorf("vbem: follow %s: link leaves the server (%s)", link.Rel, u.Host)
	}
	u.Scheme, u.Host = base.Scheme, base.Host
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("vbem: follow %s: %w", link.Rel, err)
	}
	if err := c.accept()(ctx, req); err != nil {
		return err
	}
	resp, err := c.raw.ClientInterface.(*vbemapi.Client).Client.Do(req)
	if err != nil {
		return err
	}
	defer drainClose(resp)
	if err := apierr.CheckResponse(resp, decodeError); err != nil {
		return err
	}
	return decodeBody(resp, v)
}
