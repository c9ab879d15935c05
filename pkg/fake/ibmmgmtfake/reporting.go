package ibmmgmtfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/specs"
)

// Reporting is the state of the management reporting API: report
// components over the fake's protection runs, reports made of them, the
// resources they can be filtered by and the provider's instances.
type Reporting struct {
	*fake.Engine
	iam *iam
	mux *http.ServeMux

	mu   sync.Mutex
	runs []map[string]any
}

type component struct{ id, name, reportType string }

var components = []component{
	{"runs", "Protection runs", "ProtectionRuns"},
	{"failures", "Failures", "Failures"},
}

var reports = []map[string]any{
	{"id": "protection-summary", "title": "Protection summary", "category": "Protection", "componentIds": []string{"runs", "failures"}, "supportedUserContexts": []string{"IBMBaaS"}},
	{"id": "failures", "title": "Failures", "category": "Protection", "componentIds": []string{"failures"}, "supportedUserContexts": []string{"IBMBaaS"}},
}

// NewReporting returns a reporting fake that accepts the IAM API keys
// keys, with four protection runs (one failed) as its data.
func NewReporting(keys ...string) (*Reporting, error) {
	eng, err := newEngine(specs.IBMReporting)
	if err != nil {
		return nil, err
	}
	f := &Reporting{Engine: eng, iam: newIAM(keys), mux: http.NewServeMux()}
	for i, g := range []string{"vm-daily", "db-hourly", "vm-daily", "files-weekly"} {
		st := "Succeeded"
		if i == 1 {
			st = "Failed"
		}
		f.runs = append(f.runs, map[string]any{"groupName": g, "status": st, "durationSecs": 60 * (i + 1)})
	}
	eng.SetAuthenticator(func(r *http.Request) (any, error) {
		if f.iam.bearer(r) {
			return "iam", nil
		}
		return nil, errNoToken
	})
	if err := eng.Serve(map[string]fake.HandlerFunc{
		"getComponents": f.getComponents, "getComponentByID": f.getComponent, "getComponentPreview": f.previewComponent,
		"getReports": f.getReports, "getReportByID": f.getReport, "getReportPreview": f.previewReport,
		"getReportType": f.reportType, "getResources": f.resources, "getProviderInstances": f.providerInstances,
	}); err != nil {
		return nil, err
	}
	if err := eng.HandleStream("exportReport", f.export); err != nil {
		return nil, err
	}
	f.mux.HandleFunc("POST /identity/token", f.iam.token)
	f.mux.Handle("/", eng)
	return f, nil
}

// ServeHTTP serves IAM at /identity/token and the API elsewhere.
func (f *Reporting) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.mux.ServeHTTP(w, r) }

// AddRun records a protection run, which the components' data then show.
func (f *Reporting) AddRun(group, status string, durationSecs int) {
	f.mu.Lock()
	f.runs = append(f.runs, map[string]any{"groupName": group, "status": status, "durationSecs": durationSecs})
	f.mu.Unlock()
}

type previewBody struct {
	ComponentIDs []string `json:"componentIds"`
	Filters      []struct {
		Attribute      string `json:"attribute"`
		FilterType     string `json:"filterType"`
		InFilterParams *struct {
			StringFilterValues []string `json:"stringFilterValues"`
		} `json:"inFilterParams"`
	} `json:"filters"`
	Limit *struct {
		From int `json:"from"`
		Size int `json:"size"`
	} `json:"limit"`
	Sort []struct {
		Attribute string `json:"attribute"`
		Desc      bool   `json:"desc"`
	} `json:"sort"`
	Timezone     string `json:"timezone"`
	ReportFormat string `json:"reportFormat"`
}

// data returns the rows of component c under b's filters, sort and limit.
func (f *Reporting) data(c component, b previewBody) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	rows := []map[string]any{}
	for _, run := range f.runs {
		if c.reportType == "Failures" && run["status"] != "Failed" {
			continue
		}
		keep := true
		for _, fl := range b.Filters {
			if fl.FilterType == "In" && fl.InFilterParams != nil && !contains(fl.InFilterParams.StringFilterValues, fmt.Sprint(run[fl.Attribute])) {
				keep = false
			}
		}
		if keep {
			rows = append(rows, run)
		}
	}
	for _, s := range b.Sort {
		sort.SliceStable(rows, func(i, j int) bool {
			less := fmt.Sprint(rows[i][s.Attribute]) < fmt.Sprint(rows[j][s.Attribute])
			if s.Desc {
				return fmt.Sprint(rows[i][s.Attribute]) > fmt.Sprint(rows[j][s.Attribute])
			}
			return less
		})
	}
	if b.Limit != nil {
		from := min(b.Limit.From, len(rows))
		rows = rows[from:min(from+b.Limit.Size, len(rows))]
	}
	return rows
}

func componentJSON(c component, rows []map[string]any) map[string]any {
	m := map[string]any{"id": c.id, "name": c.name, "reportType": c.reportType}
	if rows != nil {
		m["data"] = rows
	}
	return m
}

func findComponent(id string) (component, bool) {
	for _, c := range components {
		if c.id == id {
			return c, true
		}
	}
	return component{}, false
}

func findReport(id string) map[string]any {
	for _, r := range reports {
		if r["id"] == id {
			return r
		}
	}
	return nil
}

func (f *Reporting) getComponents(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	out := []map[string]any{}
	for _, c := range components {
		if contains(list(r, "ids"), c.id) {
			out = append(out, componentJSON(c, nil))
		}
	}
	in.Respond(w, http.StatusOK, map[string]any{"components": out})
}

func (f *Reporting) getComponent(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	c, ok := findComponent(in.PathParams["id"])
	if !ok {
		ibmfake.WriteError(w, r, http.StatusNotFound, "NotFound", "no component "+in.PathParams["id"])
		return
	}
	in.Respond(w, http.StatusOK, componentJSON(c, nil))
}

func (f *Reporting) previewComponent(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	c, ok := findComponent(in.PathParams["id"])
	if !ok {
		ibmfake.WriteError(w, r, http.StatusNotFound, "NotFound", "no component "+in.PathParams["id"])
		return
	}
	var b previewBody
	_ = json.Unmarshal(in.Body, &b)
	tz := b.Timezone
	if tz == "" {
		tz = "UTC"
	}
	in.Respond(w, http.StatusOK, map[string]any{"component": componentJSON(c, f.data(c, b)), "timezone": tz,
		"generatedTimestampUsecs": time.Now().UnixMicro()})
}

func (f *Reporting) getReports(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	out := []map[string]any{}
	for _, rep := range reports {
		if contains(list(r, "ids"), rep["id"].(string)) {
			out = append(out, rep)
		}
	}
	in.Respond(w, http.StatusOK, map[string]any{"reports": out})
}

func (f *Reporting) getReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	rep := findReport(in.PathParams["id"])
	if rep == nil {
		ibmfake.WriteError(w, r, http.StatusNotFound, "NotFound", "no report "+in.PathParams["id"])
		return
	}
	in.Respond(w, http.StatusOK, rep)
}

// reportData returns the report's components with their data.
func (f *Reporting) reportData(rep map[string]any, b previewBody) []map[string]any {
	out := []map[string]any{}
	for _, id := range rep["componentIds"].([]string) {
		if !contains(b.ComponentIDs, id) {
			continue
		}
		c, _ := findComponent(id)
		out = append(out, componentJSON(c, f.data(c, b)))
	}
	return out
}

func (f *Reporting) previewReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	rep := findReport(in.PathParams["id"])
	if rep == nil {
		ibmfake.WriteError(w, r, http.StatusNotFound, "NotFound", "no report "+in.PathParams["id"])
		return
	}
	var b previewBody
	_ = json.Unmarshal(in.Body, &b)
	in.Respond(w, http.StatusOK, map[string]any{"id": rep["id"], "title": rep["title"], "components": f.reportData(rep, b),
		"generatedTimestampUsecs": time.Now().UnixMicro()})
}

// export writes the report's rows as CSV, one section per component.
func (f *Reporting) export(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	rep := findReport(in.PathParams["id"])
	if rep == nil {
		ibmfake.WriteError(w, r, http.StatusNotFound, "NotFound", "no report "+in.PathParams["id"])
		return
	}
	var b previewBody
	_ = json.Unmarshal(in.Body, &b)
	if b.ReportFormat == "XLS" {
		ibmfake.WriteError(w, r, http.StatusBadRequest, "Unsupported", "the fake exports CSV only")
		return
	}
	var sb strings.Builder
	for _, c := range f.reportData(rep, b) {
		sb.WriteString("component,groupName,status,durationSecs\n")
		for _, row := range c["data"].([]map[string]any) {
			fmt.Fprintf(&sb, "%s,%v,%v,%v\n", c["id"], row["groupName"], row["status"], row["durationSecs"])
		}
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(sb.String()))
}

func (f *Reporting) reportType(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	attrs := []map[string]any{{"name": "groupName", "dataType": "String"}, {"name": "status", "dataType": "String"}, {"name": "durationSecs", "dataType": "Int64"}}
	if in.PathParams["reportType"] != "ProtectionRuns" && in.PathParams["reportType"] != "Failures" {
		attrs = []map[string]any{}
	}
	in.Respond(w, http.StatusOK, map[string]any{"attributes": attrs})
}

func (f *Reporting) resources(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var b struct {
		ResourceType string `json:"resourceType"`
	}
	_ = json.Unmarshal(in.Body, &b)
	out := map[string]any{"resourceType": b.ResourceType}
	f.mu.Lock()
	seen := map[string]bool{}
	var groups []map[string]any
	for _, run := range f.runs {
		g := run["groupName"].(string)
		if !seen[g] {
			seen[g] = true
			groups = append(groups, map[string]any{"id": "pg-" + g, "name": g, "systemId": "1:11", "systemName": "cluster-east"})
		}
	}
	f.mu.Unlock()
	switch b.ResourceType {
	case "ProtectionGroups":
		out["protectionGroups"] = groups
	case "Policies":
		out["policies"] = []map[string]any{{"id": "policy-gold", "name": "Gold", "isGlobalPolicy": false, "systemId": "1:11", "systemName": "cluster-east"}}
	case "RegisteredSources":
		out["sources"] = []map[string]any{{"name": "vcenter-1", "uuid": "src-1", "environments": []string{"kVMware"}}}
	case "MessageCodeMappings":
		out["messageCodeMappings"] = []map[string]any{{"messageCode": "RUN_FAILED", "messageGuid": "g-1"}}
	}
	in.Respond(w, http.StatusOK, out)
}

var instances = []map[string]any{
	{"instanceId": "inst-1", "name": "prod", "region": "us-east", "status": "Active", "softwareVersion": "7.1.2"},
	{"instanceId": "inst-2", "name": "dr", "region": "eu-de", "status": "StandBy", "softwareVersion": "7.1.2"},
}

func (f *Reporting) providerInstances(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	withStatus := r.URL.Query().Get("includeServiceInstanceStatus") == "true"
	out := []map[string]any{}
	for _, i := range instances {
		if !contains(list(r, "instanceIds"), i["instanceId"].(string)) || !contains(list(r, "regions"), i["region"].(string)) {
			continue
		}
		m := map[string]any{}
		for k, v := range i {
			if k != "status" || withStatus {
				m[k] = v
			}
		}
		out = append(out, m)
	}
	in.Respond(w, http.StatusOK, map[string]any{"ibmServiceInstances": out})
}

// ReportingServer is a reporting fake on a local TLS port: its URL serves
// IAM and the API.
type ReportingServer struct {
	*Reporting
	*fake.TLSServer
}

// StartReporting serves a new reporting fake over TLS on a loopback port.
func StartReporting(keys ...string) (*ReportingServer, error) {
	f, err := NewReporting(keys...)
	if err != nil {
		return nil, err
	}
	return &ReportingServer{Reporting: f, TLSServer: fake.StartTLS(f)}, nil
}
