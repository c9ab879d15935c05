package svc

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

func answer(status int, body string) (*http.Response, *closeTracker) {
	b := &closeTracker{Reader: strings.NewReader(body)}
	req, _ := http.NewRequest(http.MethodDelete, "https://example.com/api/x/1", nil)
	h := http.Header{"Content-Type": {"application/json"}}
	return &http.Response{StatusCode: status, Header: h, Body: b, Request: req}, b
}

type task struct {
	ID string `json:"id"`
}

func TestOptionalDecodesOnlyWhereABodyIsDocumented(t *testing.T) {
	c := &Core{Product: "p", Decode: func(string, []byte, *apierr.Error) {}}
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		statuses []int
		want     *task
	}{
		{"202 with a task", 202, `{"id":"t-1"}`, []int{202}, &task{ID: "t-1"}},
		{"204 without", 204, "", []int{202}, nil},
		{"a body on an undocumented status is ignored", 200, `{"id":"t-2"}`, []int{202}, nil},
		{"a blank documented body", 202, " \r\n\t", []int{202}, nil},
		{"a byte-order mark and white space", 202, "\xef\xbb\xbf \n", []int{202}, nil},
		{"any status when none are named", 201, `{"id":"t-3"}`, nil, &task{ID: "t-3"}},
		{"after a byte-order mark", 201, "\xef\xbb\xbf" + `{"id":"t-4"}`, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := answer(tc.status, tc.body)
			got, err := Optional[task](c, resp, nil, tc.statuses...)
			assert.True(t, b.closed, "the body is closed")
			if tc.name == "after a byte-order mark" {
				// Plain JSON refuses the mark; a product whose server sends
				// one decodes with a Codec that strips it.
				assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	resp, b := answer(http.StatusNotFound, `{"message":"gone"}`)
	got, err := Optional[task](c, resp, nil, 202)
	assert.Nil(t, got)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.True(t, b.closed)

	resp, _ = answer(202, `{"id":`)
	_, err = Optional[task](c, resp, nil, 202)
	assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse, "a cut body is not a blank one")

	resp, _ = answer(202, strings.Repeat(" ", 10_000)+`{"id":"t-5"}`)
	got, err = Optional[task](c, resp, nil, 202)
	require.NoError(t, err, "white space beyond the read buffer")
	assert.Equal(t, &task{ID: "t-5"}, got)
}

func TestMissingIDNamesTheParameter(t *testing.T) {
	c := &Core{Product: "p"}
	err := c.MissingID("task ID")
	assert.ErrorIs(t, err, apierr.ErrMissingID)
	assert.Equal(t, "p: empty id: task ID", err.Error())
}
