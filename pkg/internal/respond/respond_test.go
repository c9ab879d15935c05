package respond

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func response(status int, body string) (*http.Response, *closeCounter) {
	cc := &closeCounter{Reader: strings.NewReader(body)}
	req, _ := http.NewRequest(http.MethodGet, "https://h/x?password=pw", nil)
	return &http.Response{StatusCode: status, Body: cc, Header: http.Header{"Content-Type": {"application/json"}}, Request: req}, cc
}

func TestJSONDecodesAndCloses(t *testing.T) {
	resp, cc := response(200, `{"a":1}`)
	v, err := JSON[map[string]int](resp, nil, apierr.DecodeVeeam)
	require.NoError(t, err)
	assert.Equal(t, 1, (*v)["a"])
	assert.Equal(t, 1, cc.closed)
}

func TestJSONErrorStatus(t *testing.T) {
	resp, cc := response(404, `{"errorCode":"NotFound","title":"Not Found","status":404,"type":"t"}`)
	_, err := JSON[map[string]int](resp, nil, apierr.DecodeVeeam)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	assert.NotContains(t, err.Error(), "password=pw")
	assert.Positive(t, cc.closed)
}

func TestJSONUndecodableBody(t *testing.T) {
	resp, _ := response(200, `<html>oops</html>`)
	_, err := JSON[map[string]int](resp, nil, apierr.DecodeVeeam)
	assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse)
}

func TestTransportErrorRedactsURL(t *testing.T) {
	in := &url.Error{Op: "Get", URL: "https://h/x?apikey=sekrit", Err: errors.New("boom")}
	err := Empty(nil, in, apierr.DecodeVeeam)
	assert.NotContains(t, err.Error(), "sekrit")
	_, err = Stream(nil, in, apierr.DecodeVeeam)
	assert.NotContains(t, err.Error(), "sekrit")
}

func TestStreamLeavesBodyOpen(t *testing.T) {
	resp, cc := response(200, "a,b\n")
	rc, err := Stream(resp, nil, apierr.DecodeVeeam)
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	assert.Equal(t, "a,b\n", string(b))
	assert.Equal(t, 0, cc.closed)
}

func TestStreamRefusesHTMLPages(t *testing.T) {
	resp, cc := response(200, "<html><body>Please log in</body></html>")
	resp.Header.Set("Content-Type", "text/html; charset=utf-8")
	_, err := Stream(resp, nil, apierr.DecodeVeeam)
	assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse)
	assert.Positive(t, cc.closed)
}
