package settings_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/pkg/internal/settings"
	"github.com/backupsdk/backupsdk/pkg/option"
)

// A 307 to another host would resend a login form with its password; the
// clients stop at such a redirect and hand it back instead.
func TestRedirectsStayOnTheHost(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	var same atomic.Int32
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
		case "/here":
			http.Redirect(w, r, "/final", http.StatusTemporaryRedirect)
		default:
			same.Add(1)
			_, _ = io.WriteString(w, "ok")
		}
	}))
	defer origin.Close()

	s, err := settings.Apply("test", "v1", []option.Option{option.WithInsecureHTTP()})
	require.NoError(t, err)
	u, err := url.Parse(origin.URL)
	require.NoError(t, err)
	authed, bare, err := s.Clients(u, nil, nil)
	require.NoError(t, err)
	for name, hc := range map[string]*http.Client{"authed": authed, "bare": bare} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, origin.URL+"/away", strings.NewReader("password=S3cret"))
		resp, err := hc.Do(req)
		require.NoError(t, err, name)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode, "%s: the redirect comes back to the caller", name)

		req, _ = http.NewRequestWithContext(context.Background(), http.MethodPost, origin.URL+"/here", strings.NewReader("x"))
		resp, err = hc.Do(req)
		require.NoError(t, err, name)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "%s: a redirect on the same host is followed", name)
	}
	assert.Zero(t, elsewhere.Load(), "nothing reached the other host")
	assert.EqualValues(t, 2, same.Load())
	assert.Error(t, settings.SameHostRedirects(&http.Request{URL: u}, make([]*http.Request, 10)))
}

// Raw() calls say so in the comment of the SDK's User-Agent, after the
// caller's own product; the services' calls do not, and a request that sets
// its own User-Agent keeps it.
func TestRawClientMarksTheUserAgent(t *testing.T) {
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.Header.Get("User-Agent"))
	}))
	defer srv.Close()

	s, err := settings.Apply("vbaws", "v1", []option.Option{option.WithInsecureHTTP(), option.WithUserAgent("backup-report/2.0")})
	require.NoError(t, err)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	authed, _, err := s.Clients(u, nil, nil)
	require.NoError(t, err)
	raw := s.RawClient(authed)
	get := func(hc *http.Client, ua string) {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
		if ua != "" {
			req.Header.Set("User-Agent", ua)
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
	}
	get(authed, "")
	get(raw, "")
	get(raw, "mine/1")
	assert.Equal(t, []string{
		"backup-report/2.0 backupsdk-go/" + settings.Version + " (vbaws)",
		"backup-report/2.0 backupsdk-go/" + settings.Version + " (vbaws; raw)",
		"mine/1",
	}, agents)
	assert.False(t, settings.IsRawUserAgent(agents[0]))
	assert.True(t, settings.IsRawUserAgent(agents[1]))
	assert.False(t, settings.IsRawUserAgent(agents[2]))
	assert.False(t, settings.IsRawUserAgent("raw (raw)"), "only the SDK's comment counts")
	assert.False(t, settings.IsRawUserAgent("backupsdk-go/0.1.0 (vbaws; rawish)"))
}
