package ibmbr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
)

const secretKey = "ibm-api-key-0123456789-secret"

func mockClient(t *testing.T, opts ...option.Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]option.Option{option.WithHTTPClient(&http.Client{Transport: mt}), WithTenant("tenant-a/"),
		option.WithRetry(transport.RetryPolicy{MaxRetries: 3, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})}, opts...)
	c, err := NewClient("https://inst.us-east.backup-recovery.cloud.ibm.com/v2", APIKey(secretKey, WithIAMURL("https://iam.test")), opts...)
	require.NoError(t, err)
	return c, mt
}

func TestIAMExchangeForm(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodPost, "https://iam.test/identity/token", func(r *http.Request) (*http.Response, error) {
		require.NoError(t, r.ParseForm())
		assert.Equal(t, GrantTypeAPIKey, r.PostForm.Get("grant_type"))
		assert.Equal(t, secretKey, r.PostForm.Get("apikey"))
		assert.Equal(t, "cloud_iam", r.PostForm.Get("response_type"))
		assert.Empty(t, r.Header.Get("Authorization"), "the exchange carries no bearer token")
		return httpmock.NewStringResponse(200, `{"access_token":"tok-1","token_type":"Bearer","expires_in":3600,"expiration":1}`), nil
	})
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)
	assert.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)
}

func TestIAMOneExchangeForManyGoroutines(t *testing.T) {
	c, mt := mockClient(t)
	var exchanges atomic.Int32
	mt.RegisterResponder(http.MethodPost, "https://iam.test/identity/token", func(*http.Request) (*http.Response, error) {
		exchanges.Add(1)
		time.Sleep(20 * time.Millisecond) // keep the exchange in flight while callers pile up
		return httpmock.NewStringResponse(200, `{"access_token":"tok","expires_in":3600}`), nil
	})
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			_, err := c.Token(context.Background())
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, exchanges.Load())
}

func TestIAMRefreshesEarly(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c, mt := mockClient(t, option.WithCredentialCache(auth.CacheOptions{Now: clock}))
	n := 0
	mt.RegisterResponder(http.MethodPost, "https://iam.test/identity/token", func(*http.Request) (*http.Response, error) {
		n++
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"access_token":"tok-%d","expires_in":3600}`, n)), nil
	})
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)

	// At 80% of the lifetime the old token is still handed out while a new
	// one is fetched in the background.
	mu.Lock()
	now = now.Add(49 * time.Minute)
	mu.Unlock()
	tok, err = c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)
	require.Eventually(t, func() bool {
		tok, err := c.Token(context.Background())
		return err == nil && tok.AccessToken == "tok-2"
	}, 2*time.Second, 5*time.Millisecond)
}

func TestIAMInvalidKeyIsTypedAndRedacted(t *testing.T) {
	var logs bytes.Buffer
	c, mt := mockClient(t, option.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	mt.RegisterResponder(http.MethodPost, "https://iam.test/identity/token",
		httpmock.NewStringResponder(400, `{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found: apikey=`+secretKey+`","context":{"requestId":"req-42"}}`))
	err := c.Login(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	var ae *apierr.Error
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "BXNIM0415E", ae.Code)
	assert.Equal(t, "req-42", ae.RequestID)
	assert.NotContains(t, err.Error(), secretKey)
	assert.NotContains(t, logs.String(), secretKey)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", APIKey(secretKey), APIKey(secretKey), APIKey(secretKey)), secretKey)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "a refused key is not retried")
}

// Only IAM's own error body refuses the key; a page from something in front
// of IAM (a proxy, a plain-http mistake) is shown, not called a wrong key.
func TestIAMNonVendorRefusalIsNotInvalidCredentials(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodPost, "https://iam.test/identity/token", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(400, "<html><body><h1>400 Bad Request</h1>The plain HTTP request was sent to HTTPS port</body></html>")
		r.Header.Set("Content-Type", "text/html")
		return r, nil
	})
	err := c.Login(context.Background())
	require.Error(t, err)
	assert.NotErrorIs(t, err, apierr.ErrInvalidCredentials)
	assert.ErrorIs(t, err, apierr.ErrBadRequest)
	assert.Contains(t, err.Error(), "The plain HTTP request was sent to HTTPS port")
	assert.NotContains(t, err.Error(), secretKey)
}

func TestIAMServerErrorsAreRetried(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodPost, "https://iam.test/identity/token",
		httpmock.ResponderFromMultipleResponses([]*http.Response{
			httpmock.NewStringResponse(503, `{"errorCode":"BXNIM0001E","errorMessage":"busy"}`),
			httpmock.NewStringResponse(200, `{"access_token":"tok","expires_in":3600}`),
		}))
	require.NoError(t, c.Login(context.Background()))
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestBearerTokenAndBadInput(t *testing.T) {
	c, err := NewClient("https://inst.backup-recovery.cloud.ibm.com/v2", BearerToken("static-token"))
	require.NoError(t, err)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "static-token", tok.AccessToken)

	_, err = NewClient("https://x/v2", nil)
	assert.Error(t, err)
	_, err = NewClient("https://x/v2", BearerToken(""))
	assert.Error(t, err)
	_, err = NewClient("https://x/v2", APIKey(" "))
	assert.Error(t, err)
	_, err = NewClient("https://x/v2", APIKey("k", WithIAMURL("http://iam.plain")))
	assert.Error(t, err, "the API key never goes over plain http unless allowed")
	_, err = NewClient("https://x/v2", APIKey("k"), WithTenant(" "))
	assert.Error(t, err)

	_, err = c.c.Value(context.Background(), "tenant")
	assert.ErrorIs(t, err, ErrNoTenant)
	tenant, err := c.c.Value(ContextWithTenant(context.Background(), "tenant-b/"), "tenant")
	require.NoError(t, err)
	assert.Equal(t, "tenant-b/", tenant)
}

// IBM has nothing to revoke: Logout forgets the token, sends nothing, and
// the next call exchanges the key again.
func TestLogoutForgetsTheToken(t *testing.T) {
	c, mt := mockClient(t)
	var exchanges atomic.Int32
	mt.RegisterResponder(http.MethodPost, "https://iam.test/identity/token", func(*http.Request) (*http.Response, error) {
		n := exchanges.Add(1)
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"access_token":"tok-%d","expires_in":3600}`, n)), nil
	})
	ctx := context.Background()
	require.NoError(t, c.Logout(ctx), "logging out before logging in is no error")
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken)
	tok, err = c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok.AccessToken, "the token is kept until Logout")

	require.NoError(t, c.Logout(ctx))
	assert.Equal(t, 1, mt.GetTotalCallCount(), "Logout sends nothing")
	tok, err = c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "tok-2", tok.AccessToken)
	assert.EqualValues(t, 2, exchanges.Load())
}
