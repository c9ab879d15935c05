package vbem

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/internal/svc"
)

// A CDP action answered with the other action's success status is an
// error, not a value decoded from the wrong body.
func TestAnswerRefusesTheOtherActionsStatus(t *testing.T) {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"StartDate":"2023-02-16T16:57:44"}`))}
	task, err := answer[vbemapi.Task](&svc.Core{}, resp, nil, http.StatusAccepted)
	require.Error(t, err)
	assert.Nil(t, task)
	assert.Contains(t, err.Error(), "answered OK where Accepted was expected")
}
