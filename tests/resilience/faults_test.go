package resilience_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/transport"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// partialResponse is the start of a response cut off before its headers
// end: what a client sees when the connection is reset mid-response.
const partialResponse = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"

// prompt is how long a call may take after its deadline before the test
// calls it slow; what it is told apart from is the 2s of a server that
// gives up, a 30s Retry-After or a 2min login timeout.
const prompt = 1500 * time.Millisecond

// --- connection resets -----------------------------------------------------

func TestGetResetMidResponseIsRetriedUntilTheServerRecovers(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, r *http.Request, n int) {
				if n <= 2 {
					hijack(t, w, partialResponse)
					return
				}
				ok(w, r, n)
			})
			rec := &sleeps{}
			pr := app.dial(t, p, retry(3, rec))

			require.NoError(t, pr.call(context.Background()))
			assert.Equal(t, 3, app.hits.get(key(http.MethodGet, p.apiPath)), "two resets, then the answer")
			assert.Len(t, rec.all(), 2, "one backoff per reset")
			assert.Equal(t, 1, app.hits.get(key(http.MethodPost, p.loginPath)), "the retries reuse the login")
		})
	}
}

func TestGetResetThatNeverRecoversEndsWithNetworkError(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, _ *http.Request, _ int) { hijack(t, w, partialResponse) })
			rec := &sleeps{}
			pr := app.dial(t, p, retry(2, rec))

			err := pr.call(context.Background())
			require.Error(t, err)
			assert.Equal(t, 3, app.hits.get(key(http.MethodGet, p.apiPath)), "the first try and MaxRetries retries, no more")
			assert.Len(t, rec.all(), 2)
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the cause stays inspectable")
			var ue *url.Error
			require.ErrorAs(t, err, &ue, "a transport failure, with the operation and URL")
			assert.Equal(t, "Get", ue.Op)
			var ae *apierr.Error
			assert.False(t, errors.As(err, &ae), "not disguised as an HTTP answer")
		})
	}
}

// dropListener closes the first drop connections it accepts, before a byte
// is read: a server that accepts and hangs up.
type dropListener struct {
	net.Listener
	drop     int32
	accepted atomic.Int32
}

func (l *dropListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.accepted.Add(1) <= l.drop {
			_ = c.Close()
			continue
		}
		return c, nil
	}
}

// startDropping serves ok over TLS behind a dropListener. The client is IBM
// with a bearer token, so the first connection already carries the GET.
func startDropping(t *testing.T, drop int32, opts ...option.Option) (*dropListener, *hits, *ibmbr.Client) {
	t.Helper()
	var h hits
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(key(r.Method, r.URL.Path))
		ok(w, r, 0)
	}))
	dl := &dropListener{Listener: srv.Listener, drop: drop}
	srv.Listener = dl
	quiet(srv)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := ibmbr.NewClient(srv.URL+"/v2", ibmbr.BearerToken(accessToken),
		append([]option.Option{ibmbr.WithTenant(tenant), option.WithCACert(caPEMOf(srv))}, opts...)...)
	require.NoError(t, err)
	newProbe(t, c.Raw().ClientInterface.(*ibmbrapi.Client).Client, nil, nil)
	return dl, &h, c
}

func TestAcceptAndCloseIsRetriedThenSucceeds(t *testing.T) {
	checkLeaks(t)
	rec := &sleeps{}
	dl, h, c := startDropping(t, 2, retry(3, rec))

	_, err := c.Policies.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, int32(3), dl.accepted.Load(), "two hang-ups, then a served connection")
	assert.Equal(t, 1, h.get(key(http.MethodGet, "/v2/data-protect/policies")))
	assert.Len(t, rec.all(), 2)
}

func TestAcceptAndCloseForeverIsBounded(t *testing.T) {
	checkLeaks(t)
	rec := &sleeps{}
	dl, h, c := startDropping(t, 1000, retry(2, rec))

	start := time.Now()
	_, err := c.Policies.List(context.Background(), nil)
	require.Error(t, err)
	assert.Less(t, time.Since(start), prompt)
	assert.Equal(t, int32(3), dl.accepted.Load(), "MaxRetries+1 connections, no more")
	assert.Zero(t, h.get(key(http.MethodGet, "/v2/data-protect/policies")))
	assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET), "a hang-up: %v", err)
}

func TestPostResetIsNeverSentTwice(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, r *http.Request, _ int) {
				_, _ = io.Copy(io.Discard, r.Body) // the whole request has arrived
				hijack(t, w, "")
			})
			rec := &sleeps{}
			pr := app.dial(t, p, retry(3, rec))

			err := pr.post(context.Background())
			require.Error(t, err)
			assert.Equal(t, 1, app.hits.get(key(http.MethodPost, p.postPath)), "a POST reaches the server once")
			assert.Empty(t, rec.all(), "no backoff for a request that is not retried")
			var ue *url.Error
			assert.ErrorAs(t, err, &ue)
		})
	}
}

func TestPostResetIsResentWithRetrySafe(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			var mu sync.Mutex
			var bodies []string
			app := startAppliance(t, p, func(w http.ResponseWriter, r *http.Request, n int) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				mu.Unlock()
				if n == 1 {
					hijack(t, w, "")
					return
				}
				ok(w, r, n)
			})
			rec := &sleeps{}
			pr := app.dial(t, p, retry(3, rec))

			require.NoError(t, pr.post(transport.WithRetrySafe(context.Background())))
			assert.Equal(t, 2, app.hits.get(key(http.MethodPost, p.postPath)), "the caller said the POST may be repeated")
			assert.Len(t, rec.all(), 1)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, bodies, 2)
			assert.NotEmpty(t, bodies[0])
			assert.Equal(t, bodies[0], bodies[1], "the retry resends the same body")
		})
	}
}

func TestPostServiceUnavailableIsNotRetried(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Retry-After", "0")
				writeJSON(w, http.StatusServiceUnavailable, map[string]any{"message": "busy"})
			})
			rec := &sleeps{}
			pr := app.dial(t, p, retry(3, rec))

			err := pr.post(context.Background())
			assert.ErrorIs(t, err, apierr.ErrUnavailable)
			assert.Equal(t, 1, app.hits.get(key(http.MethodPost, p.postPath)))
			assert.Empty(t, rec.all())
		})
	}
}

// --- slow responses ----------------------------------------------------------

// stallers answer so slowly that the caller gives up: before the headers, or
// after the headers and the first bytes of the body.
var stallers = []struct {
	name string
	api  apiFunc
}{
	{"headers", func(_ http.ResponseWriter, r *http.Request, _ int) { stall(r) }},
	{"body", func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"results":[`)
		w.(http.Flusher).Flush()
		stall(r)
	}},
}

// stalled runs p's probe against s until the deadline of a context
// (viaTimeout false) or of WithTimeout (viaTimeout true).
func stalled(t *testing.T, s int, viaTimeout bool) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, stallers[s].api)
			opts := []option.Option{retry(3, &sleeps{})}
			if viaTimeout {
				opts = append(opts, option.WithTimeout(300*time.Millisecond))
			}
			pr := app.dial(t, p, opts...)
			require.NoError(t, pr.login(context.Background())) // the deadline is for the stalled call alone
			ctx := context.Background()
			if !viaTimeout {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 250*time.Millisecond)
				defer cancel()
			}

			start := time.Now()
			err := pr.call(ctx)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), prompt, "returns at the deadline, not when the server gives up")
			assert.Equal(t, 1, app.hits.get(key(http.MethodGet, p.apiPath)), "an expired deadline is not retried")
		})
	}
}

func TestStalledHeadersPastContextDeadline(t *testing.T) { stalled(t, 0, false) }

func TestStalledBodyPastContextDeadline(t *testing.T) { stalled(t, 1, false) }

func TestStalledHeadersPastWithTimeout(t *testing.T) { stalled(t, 0, true) }

func TestStalledBodyPastWithTimeout(t *testing.T) { stalled(t, 1, true) }

// retryAfterForever answers 503 asking for a wait far longer than any test.
func retryAfterForever(w http.ResponseWriter, _ *http.Request, _ int) {
	w.Header().Set("Retry-After", "30")
	writeJSON(w, http.StatusServiceUnavailable, map[string]any{"message": "come back later"})
}

func TestWithTimeoutBoundsTheRetriesToo(t *testing.T) {
	checkLeaks(t)
	p := products[0]
	app := startAppliance(t, p, retryAfterForever)
	// The real sleep: only the timeout can end the 30s wait.
	pr := app.dial(t, p, option.WithRetry(transport.RetryPolicy{MaxRetries: 5, MaxRetryAfter: time.Minute}),
		option.WithTimeout(250*time.Millisecond))
	require.NoError(t, pr.login(context.Background()))

	start := time.Now()
	err := pr.call(context.Background())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), prompt)
	assert.Equal(t, 1, app.hits.get(key(http.MethodGet, p.apiPath)))
}

func TestContextEndsABackoffWaitAtOnce(t *testing.T) {
	checkLeaks(t)
	p := products[0]
	app := startAppliance(t, p, retryAfterForever)
	pr := app.dial(t, p, option.WithRetry(transport.RetryPolicy{MaxRetries: 5, MaxRetryAfter: time.Minute}))
	require.NoError(t, pr.login(context.Background()))
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()

	start := time.Now()
	err := pr.call(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), prompt)
	assert.Equal(t, 1, app.hits.get(key(http.MethodGet, p.apiPath)))
}

// --- 503 storms, Retry-After and backoff --------------------------------------

func TestServiceUnavailableStormHonoursRetryAfter(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Retry-After", "7")
				writeJSON(w, http.StatusServiceUnavailable, map[string]any{"message": "maintenance"})
			})
			rec := &sleeps{}
			pr := app.dial(t, p, retry(3, rec))

			err := pr.call(context.Background())
			assert.ErrorIs(t, err, apierr.ErrUnavailable)
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
			assert.Equal(t, 4, app.hits.get(key(http.MethodGet, p.apiPath)), "the first try and MaxRetries retries")
			assert.Equal(t, []time.Duration{7 * time.Second, 7 * time.Second, 7 * time.Second}, rec.all(),
				"every wait is the server's Retry-After")
			assert.Equal(t, 1, app.hits.get(key(http.MethodPost, p.loginPath)))
		})
	}
}

func TestServiceUnavailableThenRecovery(t *testing.T) {
	checkLeaks(t)
	p := products[0]
	app := startAppliance(t, p, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= 2 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{})
			return
		}
		ok(w, r, n)
	})
	rec := &sleeps{}
	pr := app.dial(t, p, retry(3, rec))

	require.NoError(t, pr.call(context.Background()))
	assert.Equal(t, 3, app.hits.get(key(http.MethodGet, p.apiPath)))
	assert.Equal(t, []time.Duration{time.Second, time.Second}, rec.all())
}

func TestRetryAfterBeyondTheCapIsNotWaited(t *testing.T) {
	checkLeaks(t)
	p := products[0]
	app := startAppliance(t, p, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{})
	})
	rec := &sleeps{}
	pr := app.dial(t, p, option.WithRetry(transport.RetryPolicy{MaxRetries: 3, MaxRetryAfter: time.Minute, Sleep: rec.Sleep}))

	err := pr.call(context.Background())
	assert.ErrorIs(t, err, apierr.ErrUnavailable)
	assert.Equal(t, 1, app.hits.get(key(http.MethodGet, p.apiPath)), "an hour's wait is not worth it: the 503 is returned")
	assert.Empty(t, rec.all())
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	checkLeaks(t)
	p := products[0]
	app := startAppliance(t, p, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusBadGateway, map[string]any{})
	})
	const base, maxDelay = 10 * time.Millisecond, 40 * time.Millisecond
	rec := &sleeps{}
	pr := app.dial(t, p, option.WithRetry(transport.RetryPolicy{MaxRetries: 6, BaseDelay: base, MaxDelay: maxDelay, Sleep: rec.Sleep}))

	err := pr.call(context.Background())
	assert.ErrorIs(t, err, apierr.ErrServer)
	assert.Equal(t, 7, app.hits.get(key(http.MethodGet, p.apiPath)))
	waits := rec.all()
	require.Len(t, waits, 6)
	for i, d := range waits {
		limit := min(maxDelay, base<<i)
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, limit, "wait %d is jittered below min(MaxDelay, BaseDelay*2^%d)", i, i)
	}
}

// --- garbage in a 200 ------------------------------------------------------------

func TestTruncatedJSONIsUnexpectedResponse(t *testing.T) {
	const truncated = `{"results":[{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"org-`
	cases := []struct {
		name string
		api  apiFunc
	}{
		{"short body", func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, truncated)
		}},
		{"connection cut mid-body", func(w http.ResponseWriter, _ *http.Request, _ int) {
			hijack(t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"+truncated)
		}},
	}
	for _, p := range products {
		for _, c := range cases {
			t.Run(p.name+"/"+c.name, func(t *testing.T) {
				checkLeaks(t)
				app := startAppliance(t, p, c.api)
				pr := app.dial(t, p, retry(3, &sleeps{}))

				var err error
				require.NotPanics(t, func() { err = pr.call(context.Background()) })
				assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse)
				var ae *apierr.Error
				if assert.ErrorAs(t, err, &ae) {
					assert.Equal(t, http.StatusOK, ae.StatusCode)
				}
			})
		}
	}
}

func TestHTMLPageIn200IsNotData(t *testing.T) {
	const page = `<html><head><title>Maintenance</title></head><body><h1>Back soon</h1><p>The appliance is being upgraded.</p></body></html>`
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = io.WriteString(w, page)
			})
			pr := app.dial(t, p, retry(3, &sleeps{}))

			err := pr.call(context.Background())
			assert.ErrorIs(t, err, apierr.ErrUnexpectedResponse, "an HTML page is not an API answer")
			var ae *apierr.Error
			if assert.ErrorAs(t, err, &ae) {
				assert.Equal(t, http.StatusOK, ae.StatusCode)
			}
		})
	}
}

// --- redirects -----------------------------------------------------------------

// assertNothingSecret fails if any secret reached the other host.
func assertNothingSecret(t *testing.T, other *recorder) {
	t.Helper()
	got := other.everything()
	for _, s := range scriptedSecrets {
		assert.NotContains(t, got, s, "a secret reached the other host")
	}
	basic := "Basic "
	assert.NotContains(t, got, basic, "Basic credentials reached the other host")
}

// assertRedirectReturned checks that a redirect to another host was not
// followed but handed back as a typed error.
func assertRedirectReturned(t *testing.T, err error, status int) {
	t.Helper()
	var ae *apierr.Error
	if assert.ErrorAs(t, err, &ae, "the redirect comes back as an answer") {
		assert.Equal(t, status, ae.StatusCode)
	}
}

func TestRedirectToAnotherHostCarriesNoCredentials(t *testing.T) {
	for _, p := range products {
		for _, tlsOther := range []bool{true, false} {
			t.Run(p.name+"/other host https="+strconv.FormatBool(tlsOther), func(t *testing.T) {
				checkLeaks(t)
				other := startRecorder(t, tlsOther)
				app := startAppliance(t, p, func(w http.ResponseWriter, r *http.Request, _ int) {
					http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
				})
				pr := app.dial(t, p, retry(3, &sleeps{}))

				err := pr.call(context.Background())
				assertRedirectReturned(t, err, http.StatusFound)
				assert.Zero(t, other.requests(), "nothing goes to the other host")
				assertNothingSecret(t, other)
			})
		}
	}
}

func TestLoginRedirectToAnotherHostSendsNoCredentials(t *testing.T) {
	for _, p := range products {
		for _, tlsOther := range []bool{true, false} {
			t.Run(p.name+"/other host https="+strconv.FormatBool(tlsOther), func(t *testing.T) {
				checkLeaks(t)
				other := startRecorder(t, tlsOther)
				redirecting := p
				redirecting.serveLogin = func(w http.ResponseWriter, r *http.Request) bool {
					if r.URL.Path != p.loginPath {
						return false
					}
					http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
					return true
				}
				app := startAppliance(t, redirecting, ok)
				pr := app.dial(t, p, retry(3, &sleeps{}))

				err := pr.call(context.Background())
				assertRedirectReturned(t, err, http.StatusTemporaryRedirect)
				assert.Zero(t, other.requests(), "no login anywhere but on the appliance")
				assertNothingSecret(t, other)
				assert.Zero(t, app.hits.get(key(http.MethodGet, p.apiPath)))
			})
		}
	}
}

func TestLogoutRedirectToAnotherHostSendsNoCredentials(t *testing.T) {
	for _, p := range products {
		if p.name == "ibmbr" {
			continue // IAM tokens are not revoked on logout
		}
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			other := startRecorder(t, true)
			redirecting := p
			redirecting.serveLogin = func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method == http.MethodDelete {
					http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
					return true
				}
				return p.serveLogin(w, r)
			}
			app := startAppliance(t, redirecting, ok)
			pr := app.dial(t, p, retry(3, &sleeps{}))

			require.NoError(t, pr.call(context.Background()))
			assertRedirectReturned(t, pr.logout(context.Background()), http.StatusTemporaryRedirect)
			assert.Zero(t, other.requests())
			assertNothingSecret(t, other)
		})
	}
}

// --- a token endpoint that is down ---------------------------------------------------

// closedPort returns the address of a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func TestTokenEndpointRefusingConnections(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			dead := "https://" + closedPort(t)
			rec := &sleeps{}
			var pr *probe
			var app *appliance
			if p.name == "ibmbr" {
				// IAM is down, the service is up.
				app = startAppliance(t, p, ok)
				c, err := ibmbr.NewClient(app.URL+"/v2", ibmbr.APIKey(apiKey, ibmbr.WithIAMURL(dead)),
					ibmbr.WithTenant(tenant), option.WithCACert(app.caPEM()), retry(2, rec))
				require.NoError(t, err)
				pr = newProbe(t, c.Raw().ClientInterface.(*ibmbrapi.Client).Client, nil, func(ctx context.Context) error {
					_, err := c.Policies.List(ctx, nil)
					return err
				})
			} else {
				// The appliance serves its token endpoint itself.
				pr = p.dial(t, dead, retry(2, rec))
			}

			for range 3 {
				start := time.Now()
				err := pr.call(context.Background())
				assert.ErrorIs(t, err, syscall.ECONNREFUSED)
				assert.Less(t, time.Since(start), prompt)
			}
			if p.name == "ibmbr" {
				// The API key exchange is safe to repeat: MaxRetries for the
				// first call; the next two fall within the failure backoff
				// and get its failure without another exchange.
				assert.Len(t, rec.all(), 2)
				assert.Zero(t, app.hits.get(key(http.MethodGet, p.apiPath)), "no call without a token")
			} else {
				assert.Empty(t, rec.all(), "a login POST is not repeated")
			}
		})
	}
}

func TestLoginResetIsNotResentByTheCallsRetry(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			resetting := p
			resetting.serveLogin = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != p.loginPath {
					return false
				}
				_, _ = io.Copy(io.Discard, r.Body) // the credentials have arrived
				hijack(t, w, "")
				return true
			}
			app := startAppliance(t, resetting, ok)
			rec := &sleeps{}
			pr := app.dial(t, p, retry(3, rec))

			err := pr.call(context.Background())
			assert.ErrorIs(t, err, io.EOF)
			want := 1 // a login POST the server received is not sent again
			if p.name == "ibmbr" {
				want = 4 // the IAM exchange retries itself, and only itself
			}
			assert.Equal(t, want, app.hits.get(key(http.MethodPost, p.loginPath)))
			assert.Len(t, rec.all(), want-1)
			assert.Zero(t, app.hits.get(key(http.MethodGet, p.apiPath)))
		})
	}
}

func TestTokenEndpointFailingWith500(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			failing := p
			failing.serveLogin = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != p.loginPath {
					return false
				}
				writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "database offline"})
				return true
			}
			app := startAppliance(t, failing, ok)
			rec := &sleeps{}
			clock := &testClock{t: time.Now()}
			pr := app.dial(t, p, retry(3, rec), option.WithCredentialCache(auth.CacheOptions{Now: clock.Now}))

			// Calls within the failure backoff (10s, then 20s) get the last
			// failure without another login; after it, one login each.
			for i, step := range []struct {
				advance time.Duration
				logins  int
			}{{0, 1}, {time.Second, 1}, {9 * time.Second, 2}, {19 * time.Second, 2}, {time.Second, 3}} {
				clock.Advance(step.advance)
				err := pr.call(context.Background())
				assert.ErrorIs(t, err, apierr.ErrServer)
				assert.NotErrorIs(t, err, apierr.ErrInvalidCredentials, "a broken server is not a wrong password")
				assert.NotErrorIs(t, err, apierr.ErrUnauthorized)
				var ae *apierr.Error
				if assert.ErrorAs(t, err, &ae) {
					assert.Equal(t, http.StatusInternalServerError, ae.StatusCode)
				}
				assert.Equal(t, step.logins, app.hits.get(key(http.MethodPost, p.loginPath)),
					"step %d: failures are held for a growing backoff, and not stormed", i)
			}
			assert.Zero(t, app.hits.get(key(http.MethodGet, p.apiPath)))
			assert.Empty(t, rec.all())
		})
	}
}

func TestTokenEndpointUnavailableIsRetriedOnlyWhereSafe(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			failing := p
			failing.serveLogin = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != p.loginPath {
					return false
				}
				w.Header().Set("Retry-After", "2")
				writeJSON(w, http.StatusServiceUnavailable, map[string]any{})
				return true
			}
			app := startAppliance(t, failing, ok)
			rec := &sleeps{}
			pr := app.dial(t, p, retry(3, rec))

			err := pr.call(context.Background())
			assert.ErrorIs(t, err, apierr.ErrUnavailable)
			want := 1 // a password login is a POST: sent once
			if p.name == "ibmbr" {
				want = 4 // the IAM API key exchange is marked safe to repeat
			}
			assert.Equal(t, want, app.hits.get(key(http.MethodPost, p.loginPath)))
			assert.Len(t, rec.all(), want-1)
		})
	}
}

// acquiring reports whether a credential acquisition (the goroutine the
// cache detaches from its callers) is running.
func acquiring() bool {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	return bytes.Contains(buf[:n], []byte(").startLocked.func"))
}

func TestTokenEndpointHangingIsBoundedByAcquireTimeout(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			hanging := p
			hanging.serveLogin = func(_ http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != p.loginPath {
					return false
				}
				stall(r)
				return true
			}
			app := startAppliance(t, hanging, ok)
			const acquireTimeout = 500 * time.Millisecond
			pr := app.dial(t, p, retry(3, &sleeps{}),
				option.WithCredentialCache(auth.CacheOptions{AcquireTimeout: acquireTimeout}))
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()

			start := time.Now()
			err := pr.call(ctx)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), prompt, "the caller does not wait for the login")
			// The login goes on, detached from the caller, until AcquireTimeout.
			for acquiring() && time.Since(start) < acquireTimeout+prompt {
				time.Sleep(10 * time.Millisecond)
			}
			assert.False(t, acquiring(), "the login outlived AcquireTimeout")
			assert.LessOrEqual(t, app.hits.get(key(http.MethodPost, p.loginPath)), 1, "a hanging login is not repeated")
		})
	}
}

// --- 401 and the credential cache -----------------------------------------------------

func TestUnauthorizedReauthenticatesOnce(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "token expired"})
					return
				}
				ok(w, r, n)
			})
			pr := app.dial(t, p, retry(3, &sleeps{}))

			require.NoError(t, pr.call(context.Background()))
			assert.Equal(t, 2, app.hits.get(key(http.MethodGet, p.apiPath)))
			assert.Equal(t, 2, app.hits.get(key(http.MethodPost, p.loginPath)), "a second login after the 401")
		})
	}
}

func TestPersistentUnauthorizedDoesNotLoop(t *testing.T) {
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			app := startAppliance(t, p, func(w http.ResponseWriter, _ *http.Request, _ int) {
				writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "no"})
			})
			pr := app.dial(t, p, retry(3, &sleeps{}))

			err := pr.call(context.Background())
			assert.ErrorIs(t, err, apierr.ErrUnauthorized)
			assert.Equal(t, 2, app.hits.get(key(http.MethodGet, p.apiPath)), "one re-authentication, never a loop")
			assert.Equal(t, 2, app.hits.get(key(http.MethodPost, p.loginPath)))
		})
	}
}

func TestConcurrentCallersShareOneLogin(t *testing.T) {
	const callers = 16
	for _, p := range products {
		t.Run(p.name, func(t *testing.T) {
			checkLeaks(t)
			slow := p
			slow.serveLogin = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path == p.loginPath {
					time.Sleep(20 * time.Millisecond) // let the callers pile up
				}
				return p.serveLogin(w, r)
			}
			app := startAppliance(t, slow, ok)
			pr := app.dial(t, p, retry(3, &sleeps{}))

			var wg sync.WaitGroup
			errs := make(chan error, callers)
			for range callers {
				wg.Go(func() { errs <- pr.call(context.Background()) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				assert.NoError(t, err)
			}
			assert.Equal(t, 1, app.hits.get(key(http.MethodPost, p.loginPath)), "one login for all callers")
			assert.Equal(t, callers, app.hits.get(key(http.MethodGet, p.apiPath)))
		})
	}
}

// --- streaming ------------------------------------------------------------------------

// streamingServer sends the first chunk, then waits for release before the
// second: a client that buffers would not return before release.
func streamingServer(release <-chan struct{}, done chan<- bool) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", r.Header.Get("Accept"))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "chunk-1;")
		w.(http.Flusher).Flush()
		select {
		case <-release:
			_, _ = io.WriteString(w, "chunk-2;")
			done <- true
		case <-r.Context().Done(): // the reader closed the stream early
			done <- false
		case <-time.After(2 * time.Second):
			done <- false
		}
	}
}

// streams are the download calls of the products that have one.
var streams = []struct {
	name string
	p    product
	open func(t *testing.T, app *appliance) func(ctx context.Context) (io.ReadCloser, error)
}{
	{"vbaws export", products[0], func(t *testing.T, app *appliance) func(ctx context.Context) (io.ReadCloser, error) {
		c, err := vbaws.NewClient(app.URL, vbaws.PasswordCredentials(user, password), option.WithCACert(app.caPEM()))
		require.NoError(t, err)
		newProbe(t, c.Raw().ClientInterface.(*vbawsapi.Client).Client, nil, nil)
		return func(ctx context.Context) (io.ReadCloser, error) { return c.Organizations.Export(ctx, vbaws.ExportCSV) }
	}},
	{"ibmbr download", products[3], func(t *testing.T, app *appliance) func(ctx context.Context) (io.ReadCloser, error) {
		c, err := ibmbr.NewClient(app.URL+"/v2", ibmbr.APIKey(apiKey, ibmbr.WithIAMURL(app.URL)),
			ibmbr.WithTenant(tenant), option.WithCACert(app.caPEM()))
		require.NoError(t, err)
		newProbe(t, c.Raw().ClientInterface.(*ibmbrapi.Client).Client, nil, nil)
		return func(ctx context.Context) (io.ReadCloser, error) { return c.Recoveries.DownloadFiles(ctx, "rec-1", nil) }
	}},
}

func TestDownloadsStreamWithoutBuffering(t *testing.T) {
	for _, s := range streams {
		t.Run(s.name, func(t *testing.T) {
			checkLeaks(t)
			release, done := make(chan struct{}), make(chan bool, 1)
			app := startAppliance(t, s.p, streamingServer(release, done))
			open := s.open(t, app)

			rc, err := open(context.Background())
			require.NoError(t, err, "the stream is handed over while the server is still sending")
			first := make([]byte, len("chunk-1;"))
			_, err = io.ReadFull(rc, first)
			require.NoError(t, err)
			assert.Equal(t, "chunk-1;", string(first))
			close(release)
			rest, err := io.ReadAll(rc)
			require.NoError(t, err)
			assert.Equal(t, "chunk-2;", string(rest))
			require.NoError(t, rc.Close())
			assert.True(t, <-done, "the server finished only after the client had read the first chunk")
		})
	}
}

func TestDownloadClosedEarlyReleasesTheConnection(t *testing.T) {
	for _, s := range streams {
		t.Run(s.name, func(t *testing.T) {
			checkLeaks(t)
			release, done := make(chan struct{}), make(chan bool, 1)
			defer close(release)
			app := startAppliance(t, s.p, streamingServer(release, done))
			open := s.open(t, app)

			rc, err := open(context.Background())
			require.NoError(t, err)
			first := make([]byte, len("chunk-1;"))
			_, err = io.ReadFull(rc, first)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			select {
			case finished := <-done:
				assert.False(t, finished, "closing the stream hangs up on the server")
			case <-time.After(2 * time.Second):
				t.Fatal("closing the stream did not reach the server")
			}
		})
	}
}

// testClock is a settable clock for auth.CacheOptions.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
