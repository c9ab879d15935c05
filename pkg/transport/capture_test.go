package transport_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/transport"
)

func TestWithCaptureResponseSeesTheFinalTry(t *testing.T) {
	mock := httpmock.NewMockTransport()
	tries := 0
	mock.RegisterResponder(http.MethodGet, "https://appliance/api/things", func(*http.Request) (*http.Response, error) {
		tries++
		if tries == 1 {
			return httpmock.NewStringResponse(http.StatusServiceUnavailable, ""), nil
		}
		r := httpmock.NewStringResponse(http.StatusOK, `{}`)
		r.Header.Set("X-Request-Id", "req-7")
		return r, nil
	})
	noSleep := func(context.Context, time.Duration) error { return nil }
	hc := &http.Client{Transport: transport.New(transport.Config{Base: mock, Retry: &transport.RetryPolicy{MaxRetries: 2, Sleep: noSleep}})}

	var resp *http.Response
	ctx := transport.WithCaptureResponse(context.Background(), &resp)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://appliance/api/things", nil)
	require.NoError(t, err)
	got, err := hc.Do(req)
	require.NoError(t, err)
	_ = got.Body.Close()
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "req-7", resp.Header.Get("X-Request-Id"))
	assert.Equal(t, 2, tries)

	// Without the marker nothing is recorded anywhere.
	req2, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://appliance/api/things", nil)
	resp = nil
	got, err = hc.Do(req2)
	require.NoError(t, err)
	_ = got.Body.Close()
	assert.Nil(t, resp)
}
