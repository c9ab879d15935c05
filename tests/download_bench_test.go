package tests

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// BenchmarkDownload compares a streamed download through the SDK with the
// same request made with plain net/http, at two sizes, over the canned
// transport (which generates the body as it is read, so that nothing of its
// size is held). Both sides copy the body to io.Discard. B/op and allocs/op
// must not grow with the size: the SDK hands over the body and buffers
// nothing (internal/benchcheck checks it).
//
// Sub-benchmarks: product=<p>/size=<s>/client=<sdk|baseline>.
func BenchmarkDownload(b *testing.B) {
	for _, dc := range downloadCases {
		b.Run("product="+dc.product, func(b *testing.B) {
			for _, size := range downloadSizes {
				b.Run("size="+sizeName(size), func(b *testing.B) {
					sides := map[string]*side{}
					for _, client := range []string{"baseline", "sdk"} {
						s := &side{ct: newCanned()}
						dc.routes(s.ct, size)
						var call downloadCall
						if client == "sdk" {
							call, s.wantTokens = dc.sdk(b, cannedClient(s.ct)), 1
						} else {
							call = dc.baseline(cannedClient(s.ct))
						}
						s.op = func() error {
							body, err := call()
							if err != nil {
								return err
							}
							n, err := io.Copy(io.Discard, body)
							_ = body.Close()
							if err != nil || n != size {
								return fmt.Errorf("%s %s: %d bytes, want %d (%w)", dc.call, client, n, size, err)
							}
							return nil
						}
						sides[client] = s
					}
					compare(b, []string{"baseline", "sdk"}, sides, size)
				})
			}
		})
	}
}

// downloadSizes are the sizes of BenchmarkDownload.
var downloadSizes = []int64{1 << 20, 64 << 20}

func sizeName(n int64) string { return fmt.Sprintf("%dMiB", n>>20) }

// downloadCall starts a download and returns its body.
type downloadCall func() (io.ReadCloser, error)

// downloadCase is one product's download.
type downloadCase struct {
	product, call string
	routes        func(ct *cannedTransport, size int64)
	sdk           func(tb testing.TB, hc *http.Client) downloadCall
	baseline      func(hc *http.Client) downloadCall
}

const recoveryID = "5387862916419328:1699999999999:42"

var exportID = uuid.MustParse("0b0c6d3e-5a57-4f5c-9b8e-6f2f3c1d2e4a")

var downloadCases = []downloadCase{
	{
		product: "ibmbr", call: "Recoveries.DownloadFiles",
		routes: func(ct *cannedTransport, size int64) {
			ct.ibmTokenRoute()
			ct.downloadRoute("/v2/data-protect/recoveries/"+recoveryID+"/download-files", size).requireAuth("Authorization", "Bearer bench")
		},
		sdk: func(tb testing.TB, hc *http.Client) downloadCall {
			c := ibmClient(tb, hc)
			return func() (io.ReadCloser, error) { return c.Recoveries.DownloadFiles(bg, recoveryID, nil) }
		},
		baseline: func(hc *http.Client) downloadCall {
			return plainDownload(hc, http.MethodGet, ibmURL+"/data-protect/recoveries/"+recoveryID+"/download-files",
				ibmHeaders("application/octet-stream"))
		},
	},
	{
		product: "vbgc", call: "ConfigurationBackup.Download",
		routes: func(ct *cannedTransport, size int64) {
			ct.veeamTokenRoute()
			ct.downloadRoute("/api/v1/configurationBackup/export/"+exportID.String()+"/download", size).requireAuth("Authorization", "Bearer bench")
		},
		sdk: func(tb testing.TB, hc *http.Client) downloadCall {
			c, err := vbgc.NewClient(vbgcURL, vbgc.PasswordCredentials("u", "p"), option.WithHTTPClient(hc), option.WithLogger(quietLogger))
			if err != nil {
				tb.Fatal(err)
			}
			if err := c.Login(bg); err != nil {
				tb.Fatal(err)
			}
			return func() (io.ReadCloser, error) { return c.ConfigurationBackup.Download(bg, exportID) }
		},
		baseline: func(hc *http.Client) downloadCall {
			h := veeamHeaders("vbgc", vbgc.APIVersion)
			h[0].value = "application/octet-stream"
			return plainDownload(hc, http.MethodPost, vbgcURL+"/api/v1/configurationBackup/export/"+exportID.String()+"/download", h)
		},
	},
}

// plainDownload is a download with net/http: the request with the
// headers, a status check, the body handed to the caller.
func plainDownload(hc *http.Client, method, url string, headers []header) downloadCall {
	return func() (io.ReadCloser, error) {
		req, err := http.NewRequestWithContext(bg, method, url, nil)
		if err != nil {
			return nil, err
		}
		for _, h := range headers {
			req.Header.Set(h.key, h.value)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			_ = resp.Body.Close()
			return nil, fmt.Errorf("status %s", resp.Status)
		}
		return resp.Body, nil
	}
}
