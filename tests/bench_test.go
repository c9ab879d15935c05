package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
	"github.com/backupsdk/backupsdk/pkg/vbem"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

// BenchmarkList compares each product's typical list call through the SDK
// with the same GET made with plain net/http, in the same run, with 100
// items (a typical page) and 10,000 (a large list), over the canned
// transport of bench_canned_test.go: no server, so the time and the
// allocations are the client's alone.
//
// Its sub-benchmarks are named product=<p>/items=<n>/client=<c>, where c is
// "sdk" or "baseline" (the same strategy with net/http), and for
// Enterprise Manager also "baseline-stream": see vbemCase. The clients of a
// row run one after the other, in alternating order over -count runs;
// compare them with `benchstat -col /client` (make bench) and check them
// with internal/benchcheck (make bench-check).
//
// Both sides use an *http.Client with the canned transport and nothing else.
// The SDK keeps its whole pipeline above that transport: the header, retry,
// auth and logging links (a logger at Info, as a program passes its own, so
// that the debug records are off) and the credential cache, after a login
// that the canned transport answers once before the timer starts (and the
// benchmark fails if a timed call asks for a token again). The baseline
// sends the same headers, checks the status and decodes the body into the
// same generated types.
func BenchmarkList(b *testing.B) {
	for _, lc := range listCases {
		b.Run("product="+lc.product, func(b *testing.B) {
			for _, n := range listSizes {
				b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
					body := cachedPayload(b, lc.product, n, lc.payload)
					sides := map[string]*side{}
					for _, client := range lc.clients {
						s := &side{ct: newCanned()}
						lc.routes(s.ct, body)
						var call listCall
						if client == "sdk" {
							call, s.wantTokens = lc.sdk(b, cannedClient(s.ct)), 1
						} else {
							call = lc.baseline[client](cannedClient(s.ct))
						}
						s.op = func() error {
							if got, err := call(); err != nil || got != n {
								return fmt.Errorf("%s %s: %d items, want %d (%w)", lc.call, client, got, n, err)
							}
							return nil
						}
						sides[client] = s
					}
					compare(b, lc.clients, sides, 0)
				})
			}
		})
	}
}

// listSizes are the list lengths of BenchmarkList: a typical page and a
// large list.
var listSizes = []int{100, 10_000}

// listCall makes one list call and returns how many items it decoded.
type listCall func() (int, error)

// listCase is one product's typical list call.
type listCase struct {
	product, call string
	// clients are the sub-benchmarks, "sdk" and the keys of baseline.
	clients []string
	// payload is the canned answer with n items.
	payload func(tb testing.TB, n int) []byte
	// routes answers the login and the list with body.
	routes func(ct *cannedTransport, body []byte)
	// sdk builds a client on hc, logs in and returns the call.
	sdk func(tb testing.TB, hc *http.Client) listCall
	// baseline builds the plain net/http calls on hc, by client name.
	baseline map[string]func(hc *http.Client) listCall
}

// quietLogger is the logger the SDK gets: a program's logger at Info, so
// the logging link is in the pipeline and its debug records are off.
var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

const (
	vbawsURL = "https://vbaws.bench.example:11005"
	vbgcURL  = "https://vbgc.bench.example:13140"
	vbemURL  = "https://em.bench.example:9398"
	ibmURL   = "https://ibm.bench.example/v2"
	iamURL   = "https://iam.bench.example"

	vbemServer = "50a1b2fb-b90a-4e05-816f-e298eb2f995c"
)

// bg is the context of every benchmarked call.
var bg = context.Background()

// benchTime is the modification time of the canned password records.
var benchTime = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)

var listCases = []listCase{
	{
		product: "vbaws", call: "Organizations.List",
		clients: []string{"baseline", "sdk"},
		payload: organizationsPayload,
		routes: func(ct *cannedTransport, body []byte) {
			ct.veeamTokenRoute()
			ct.jsonRoute("/api/v1/organizations/amazon", body).requireAuth("Authorization", "Bearer bench")
		},
		sdk: func(tb testing.TB, hc *http.Client) listCall {
			c, err := vbaws.NewClient(vbawsURL, vbaws.PasswordCredentials("u", "p"), option.WithHTTPClient(hc), option.WithLogger(quietLogger))
			if err != nil {
				tb.Fatal(err)
			}
			if err := c.Login(bg); err != nil {
				tb.Fatal(err)
			}
			return func() (int, error) {
				page, err := c.Organizations.List(bg, nil)
				if err != nil {
					return 0, err
				}
				return len(page.Results), nil
			}
		},
		baseline: map[string]func(*http.Client) listCall{
			"baseline": func(hc *http.Client) listCall {
				return plainGet(hc, vbawsURL+"/api/v1/organizations/amazon", veeamHeaders("vbaws", vbaws.APIVersion), decodeStream,
					func(p *vbawsapi.AmazonOrganizationsPage) int { return len(p.Results) })
			},
		},
	},
	{
		product: "vbgc", call: "VMPolicies.List",
		clients: []string{"baseline", "sdk"},
		payload: vmPoliciesPayload,
		routes: func(ct *cannedTransport, body []byte) {
			ct.veeamTokenRoute()
			ct.jsonRoute("/api/v1/vmInstance/policies", body).requireAuth("Authorization", "Bearer bench")
		},
		sdk: func(tb testing.TB, hc *http.Client) listCall {
			c, err := vbgc.NewClient(vbgcURL, vbgc.PasswordCredentials("u", "p"), option.WithHTTPClient(hc), option.WithLogger(quietLogger))
			if err != nil {
				tb.Fatal(err)
			}
			if err := c.Login(bg); err != nil {
				tb.Fatal(err)
			}
			return func() (int, error) {
				l, err := c.VMPolicies.List(bg, nil)
				if err != nil {
					return 0, err
				}
				return len(l.Data), nil
			}
		},
		baseline: map[string]func(*http.Client) listCall{
			"baseline": func(hc *http.Client) listCall {
				return plainGet(hc, vbgcURL+"/api/v1/vmInstance/policies", veeamHeaders("vbgc", vbgc.APIVersion), decodeStream,
					func(l *vbgcapi.VMPolicyListModel) int { return len(l.Data) })
			},
		},
	},
	vbemCase(false),
	vbemCase(true),
	{
		product: "ibmbr", call: "Policies.List",
		clients: []string{"baseline", "sdk"},
		payload: policiesPayload,
		routes: func(ct *cannedTransport, body []byte) {
			ct.ibmTokenRoute()
			ct.jsonRoute("/v2/data-protect/policies", body).requireAuth("Authorization", "Bearer bench")
		},
		sdk: func(tb testing.TB, hc *http.Client) listCall {
			c := ibmClient(tb, hc)
			return func() (int, error) {
				out, err := c.Policies.List(bg, nil)
				if err != nil {
					return 0, err
				}
				return len(out.Policies), nil
			}
		},
		baseline: map[string]func(*http.Client) listCall{
			"baseline": func(hc *http.Client) listCall {
				return plainGet(hc, ibmURL+"/data-protect/policies", ibmHeaders("application/json"), decodeStream,
					func(l *ibmbrapi.ProtectionPoliciesResponse) int { return len(l.Policies) })
			},
		},
	},
}

// vbemCase is Enterprise Manager's Passwords.List, in JSON (product vbem)
// or, with vbem.WithXML, in XML (product vbem-xml).
//
// The SDK decodes Enterprise Manager's answers differently from the other
// products': it reads the whole body (up to 32 MiB) and then unmarshals it,
// because it picks JSON or XML by the Content-Type or the first byte, and
// strips the byte-order mark that real servers put before their JSON, which
// encoding/json refuses. Its like-for-like baseline ("baseline") therefore
// reads the whole body too (io.ReadAll, then json.Unmarshal or
// xml.Unmarshal); "baseline-stream" is the streaming json.Decoder that the
// other products' baselines use, measured alongside to show what reading
// the whole body costs.
func vbemCase(useXML bool) listCase {
	product, decode, clients := "vbem", decodeWholeJSON, []string{"baseline", "sdk", "baseline-stream"}
	opts := []option.Option{option.WithLogger(quietLogger)}
	if useXML {
		product, decode, clients = "vbem-xml", decodeWholeXML, []string{"baseline", "sdk"}
		opts = append(opts, vbem.WithXML())
	}
	path := "/api/backupServers/" + vbemServer + "/passwords"
	count := func(l *vbemapi.PasswordKeyInfoList) int { return len(l.PasswordKeyInfos) }
	lc := listCase{
		product: product, call: "Passwords.List",
		clients: clients,
		payload: func(tb testing.TB, n int) []byte { return passwordsPayload(tb, n, useXML) },
		routes: func(ct *cannedTransport, body []byte) {
			ct.vbemLogonRoute(useXML)
			r := ct.jsonRoute(path, body).requireAuth(vbem.SessionHeader, "bench-session")
			if useXML {
				r.header.Set("Content-Type", "application/xml; charset=utf-8")
			}
		},
		sdk: func(tb testing.TB, hc *http.Client) listCall {
			c, err := vbem.NewClient(vbemURL, vbem.BasicCredentials("u", "p"), append([]option.Option{option.WithHTTPClient(hc)}, opts...)...)
			if err != nil {
				tb.Fatal(err)
			}
			if err := c.Login(bg); err != nil {
				tb.Fatal(err)
			}
			return func() (int, error) {
				l, err := c.Passwords.List(bg, vbemServer)
				if err != nil {
					return 0, err
				}
				return len(l.PasswordKeyInfos), nil
			}
		},
		baseline: map[string]func(*http.Client) listCall{
			"baseline": func(hc *http.Client) listCall {
				return plainGet(hc, vbemURL+path, vbemHeaders(useXML), decode, count)
			},
		},
	}
	if !useXML {
		lc.baseline["baseline-stream"] = func(hc *http.Client) listCall {
			return plainGet(hc, vbemURL+path, vbemHeaders(false), decodeStream, count)
		}
	}
	return lc
}

// ibmClient is an ibmbr client on hc that has exchanged its API key.
func ibmClient(tb testing.TB, hc *http.Client) *ibmbr.Client {
	tb.Helper()
	c, err := ibmbr.NewClient(ibmURL, ibmbr.APIKey("k", ibmbr.WithIAMURL(iamURL)), ibmbr.WithTenant("tenant-a/"),
		option.WithHTTPClient(hc), option.WithLogger(quietLogger))
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Login(bg); err != nil {
		tb.Fatal(err)
	}
	return c
}

// header is one request header of a baseline call.
type header struct{ key, value string }

// The baselines send what the SDK sends (TestBenchBaselinesSendWhatTheSDKSends).
func veeamHeaders(product, version string) []header {
	return []header{{"Accept", "application/json"}, {"Authorization", "Bearer bench"},
		{"User-Agent", "backupsdk-go/" + option.Version + " (" + product + ")"}, {"X-Api-Version", version}}
}

func vbemHeaders(useXML bool) []header {
	accept := "application/json"
	if useXML {
		accept = "application/xml"
	}
	return []header{{"Accept", accept}, {"User-Agent", "backupsdk-go/" + option.Version + " (vbem)"},
		{vbem.SessionHeader, "bench-session"}}
}

func ibmHeaders(accept string) []header {
	return []header{{"Accept", accept}, {"Authorization", "Bearer bench"},
		{"User-Agent", "backupsdk-go/" + option.Version + " (ibmbr)"}, {"X-IBM-Tenant-Id", "tenant-a/"}}
}

// A decode strategy reads a body into v.
type decodeFunc func(r io.Reader, v any) error

func decodeStream(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func decodeWholeJSON(r io.Reader, v any) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

func decodeWholeXML(r io.Reader, v any) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return xml.Unmarshal(raw, v)
}

// plainGet is the call a hand-written client makes with net/http: a GET
// with the headers, a status check, the body decoded into a T, the rest of
// the body drained and closed.
func plainGet[T any](hc *http.Client, url string, headers []header, decode decodeFunc, count func(*T) int) listCall {
	return func() (int, error) {
		req, err := http.NewRequestWithContext(bg, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		for _, h := range headers {
			req.Header.Set(h.key, h.value)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		defer func() {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("status %s", resp.Status)
		}
		v := new(T)
		if err := decode(resp.Body, v); err != nil {
			return 0, err
		}
		return count(v), nil
	}
}

// payloads keeps the canned answers, built once per product and size for
// all the runs of a benchmark.
var payloads = struct {
	sync.Mutex
	m map[string][]byte
}{m: map[string][]byte{}}

func cachedPayload(tb testing.TB, product string, n int, build func(testing.TB, int) []byte) []byte {
	payloads.Lock()
	defer payloads.Unlock()
	key := fmt.Sprintf("%s/%d", product, n)
	if b, ok := payloads.m[key]; ok {
		return b
	}
	b := build(tb, n)
	payloads.m[key] = b
	return b
}

// organizationsPayload is a page of n organizations, all n of them.
func organizationsPayload(tb testing.TB, n int) []byte {
	return organizationsPage(tb, 0, n, n)
}

// organizationsPage is the page of limit organizations from offset of a
// list of total.
func organizationsPage(tb testing.TB, offset, limit, total int) []byte {
	page := vbawsapi.AmazonOrganizationsPage{TotalCount: int32(total), Results: make([]vbawsapi.AmazonOrganization, 0, limit)} //nolint:gosec // small
	for i := offset; i < min(offset+limit, total); i++ {
		d := fmt.Sprintf("Organization number %d used for benchmarks", i)
		page.Results = append(page.Results, vbawsapi.AmazonOrganization{
			ID: uuid.New(), Name: fmt.Sprintf("org-%06d", i), OrganizationID: fmt.Sprintf("o-%010d", i),
			Description: &d, ScopeType: vbawsapi.AmazonOrganizationScopeTypeFull,
			RescanIAMRole: &vbawsapi.IAMRoleReference{ID: uuid.New(), Name: to.Ptr("OrgRescanRole")},
		})
	}
	body, err := json.Marshal(page)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// vmPoliciesPayload is n VM policies, each the spec's example under
// another name (about 2 KB of JSON each).
func vmPoliciesPayload(tb testing.TB, n int) []byte {
	doc, err := vbgcDoc()
	if err != nil {
		tb.Fatal(err)
	}
	ex, err := json.Marshal(doc.Components.Schemas["VmPolicyModel"].Value.Example)
	if err != nil {
		tb.Fatal(err)
	}
	var policy map[string]any
	if err := json.Unmarshal(ex, &policy); err != nil {
		tb.Fatal(err)
	}
	data := make([]map[string]any, 0, n)
	for i := range n {
		p := map[string]any{}
		for k, v := range policy {
			p[k] = v
		}
		p["name"] = fmt.Sprintf("policy-%05d", i)
		data = append(data, p)
	}
	body, err := json.Marshal(map[string]any{"data": data, "pagination": map[string]any{"offset": 0, "limit": n, "totalCount": n}})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// passwordsPayload is n password records of one backup server, in JSON or
// in XML (the PasswordKeyInfoList element in Enterprise Manager's
// namespace).
func passwordsPayload(tb testing.TB, n int, useXML bool) []byte {
	var l vbemapi.PasswordKeyInfoList
	for i := range n {
		id := fmt.Sprintf("cacd84ea-5cc9-46b5-9e79-%012d", i)
		href := vbemURL + "/api/backupServers/" + vbemServer + "/passwords/" + id
		l.PasswordKeyInfos = append(l.PasswordKeyInfos, vbemapi.PasswordKeyInfo{
			Href: to.Ptr(href), Type: to.Ptr("PasswordKey"), ID: to.Ptr(id), Hint: to.Ptr(fmt.Sprintf("vault key %d", i)),
			LastModificationDate: to.Ptr(benchTime),
			Links:                []vbemapi.Link{{Rel: "Delete", Href: href, Type: to.Ptr("PasswordKey")}},
		})
	}
	if !useXML {
		body, err := json.Marshal(l)
		if err != nil {
			tb.Fatal(err)
		}
		return body
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	root := xml.StartElement{Name: xml.Name{Local: "PasswordKeyInfoList"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: vbem.Namespace}}}
	if err := xml.NewEncoder(&buf).EncodeElement(l, root); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
