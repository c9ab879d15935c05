package vbem_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

const (
	emServer   = "https://em.example:9398"
	emLogonURL = emServer + "/api/sessionMngr/"
	emSessions = emServer + "/api/logonSessions"
)

// mockEM returns a client whose requests go to a mock transport, retrying
// up to three times without waiting.
func mockEM(t *testing.T) (*vbem.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	c, err := vbem.NewClient(emServer, vbem.BasicCredentials(`CORP\admin`, "em-secret"),
		option.WithHTTPClient(&http.Client{Transport: mt}),
		option.WithRetry(transport.RetryPolicy{MaxRetries: 3, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}))
	require.NoError(t, err)
	return c, mt
}

func jsonResponse(status int, body string) *http.Response {
	r := httpmock.NewStringResponse(status, body)
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	return r
}

func logonOK() *http.Response {
	r := jsonResponse(http.StatusCreated, `{"UserName":"CORP\\admin","SessionId":"s-1"}`)
	r.Header.Set(vbem.SessionHeader, "c2Vzc2lvbi10b2tlbg==")
	return r
}

// The logon POST inherits the values of the call that started it; one marked
// WithRetrySafe must still not repeat the logon, which carries the password.
func TestLogonIsNotRetriedForRetrySafeCall(t *testing.T) {
	c, mt := mockEM(t)
	var logons atomic.Int32
	mt.RegisterResponder(http.MethodPost, emLogonURL, func(*http.Request) (*http.Response, error) {
		if logons.Add(1) == 1 {
			return jsonResponse(http.StatusServiceUnavailable, `{"Message":"busy","StatusCode":503}`), nil
		}
		return logonOK(), nil
	})
	mt.RegisterResponder(http.MethodGet, emSessions, httpmock.NewStringResponder(http.StatusOK, `{"LogonSessions":[]}`))

	_, err := c.Sessions.List(transport.WithRetrySafe(context.Background()))
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrUnavailable)
	assert.EqualValues(t, 1, logons.Load(), "the logon is sent once")
	assert.Zero(t, mt.GetCallCountInfo()["GET "+emSessions])
}

func TestLogonRefusalNeedsTheServersErrorBody(t *testing.T) {
	for name, r := range map[string]struct {
		contentType, body string
		refused           bool
	}{
		"json Error": {"application/json", `{"FirstChanceExceptionMessage":null,"StackTrace":null,"Message":"Access is denied","StatusCode":401,"Status":"Unauthorized"}`, true},
		"xml Error":  {"application/xml", `<Error xmlns="http://www.veeam.com/ent/v1.0" Message="Access is denied" StatusCode="401" Status="Unauthorized"/>`, true},
		"proxy page": {"text/html", `<html><body>401 Authorization Required</body></html>`, false},
		"no body":    {"", "", false},
		"plain text": {"text/plain", "Unauthorized", false},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := mockEM(t)
			mt.RegisterResponder(http.MethodPost, emLogonURL, func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(http.StatusUnauthorized, r.body)
				if r.contentType != "" {
					resp.Header.Set("Content-Type", r.contentType)
				}
				return resp, nil
			})
			err := c.Login(context.Background())
			require.Error(t, err)
			assert.ErrorIs(t, err, apierr.ErrUnauthorized)
			if r.refused {
				assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
			} else {
				assert.NotErrorIs(t, err, apierr.ErrInvalidCredentials)
			}
			assert.NotContains(t, err.Error(), "em-secret")
		})
	}
}

// bom is the UTF-8 byte-order mark Enterprise Manager puts before its JSON.
const bom = "\xef\xbb\xbf"

func TestBOMPrefixedJSONDecodes(t *testing.T) {
	c, mt := mockEM(t)
	mt.RegisterResponder(http.MethodPost, emLogonURL, func(*http.Request) (*http.Response, error) {
		r := jsonResponse(http.StatusCreated, bom+`{"UserName":"CORP\\admin","SessionId":"s-1"}`)
		r.Header.Set(vbem.SessionHeader, "c2Vzc2lvbi10b2tlbg==")
		return r, nil
	})
	mt.RegisterResponder(http.MethodGet, emSessions, func(*http.Request) (*http.Response, error) {
		return jsonResponse(http.StatusOK, bom+`{"LogonSessions":[{"UserName":"CORP\\admin","SessionId":"s-1"}]}`), nil
	})

	s, err := c.Token(context.Background())
	require.NoError(t, err, "the logon answer")
	assert.Equal(t, "s-1", s.ID)
	assert.Equal(t, "c2Vzc2lvbi10b2tlbg==", s.AccessToken)

	list, err := c.Sessions.List(context.Background())
	require.NoError(t, err, "a service answer")
	require.Len(t, list.LogonSessions, 1)
	assert.Equal(t, "s-1", *list.LogonSessions[0].SessionID)
	assert.Equal(t, `CORP\admin`, *list.LogonSessions[0].UserName)
}

func TestBOMPrefixedJSONErrorDecodes(t *testing.T) {
	c, mt := mockEM(t)
	mt.RegisterResponder(http.MethodPost, emLogonURL, func(*http.Request) (*http.Response, error) {
		return jsonResponse(http.StatusUnauthorized, bom+`{"Message":"Access is denied","StatusCode":401,"Status":"Unauthorized"}`), nil
	})
	err := c.Login(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, apierr.ErrInvalidCredentials)
	var ae *apierr.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "Access is denied", ae.Message)
	assert.Equal(t, "Unauthorized", ae.Code)
}
