package ibmmgmtfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/specs"
)

// SRE is the state of the management SRE API: alerts of two managed
// clusters, their resolutions, and the clusters' upgrades.
type SRE struct {
	*fake.Engine
	iam    *iam
	mux    *http.ServeMux
	apiKey string

	mu          sync.Mutex
	alerts      []*alert
	resolutions []map[string]any
	clusters    []*cluster
	release     string
}

type alert struct {
	id, name, category, severity, bucket, state string
	clusterID                                   int64
	first                                       int64
	resolutionID                                int64
}

type cluster struct {
	id, incarnation int64
	name, version   string
	status          string // UpToDate, UpgradeAvailable, Scheduled
	target          string
	at              int64
	kind            string // Upgrade, Patch, UpgradePatch
}

func (c *cluster) ident() string { return fmt.Sprintf("%d:%d", c.id, c.incarnation) }

// NewSRE returns an SRE fake that accepts the IAM API keys keys and the
// management API key apiKey (none if empty). It starts with three open
// alerts (a critical and a warning one on cluster 1, an info one on cluster
// 2) and two clusters that release 7.2.0 can upgrade.
func NewSRE(apiKey string, keys ...string) (*SRE, error) {
	eng, err := newEngine(specs.IBMSRE)
	if err != nil {
		return nil, err
	}
	now := time.Now().UnixMicro()
	f := &SRE{Engine: eng, iam: newIAM(keys), mux: http.NewServeMux(), apiKey: apiKey, release: "7.2.0",
		alerts: []*alert{
			{id: "1:11:1001", name: "DiskFailure", category: "kDisk", severity: "kCritical", bucket: "kHardware", state: "kOpen", clusterID: 1, first: now - 3e9},
			{id: "1:11:1002", name: "HighCapacityUsage", category: "kStorageUsage", severity: "kWarning", bucket: "kSoftware", state: "kOpen", clusterID: 1, first: now - 2e9},
			{id: "2:22:2001", name: "UpgradeAvailable", category: "kUpgrade", severity: "kInfo", bucket: "kMaintenance", state: "kOpen", clusterID: 2, first: now - 1e9},
		},
		clusters: []*cluster{
			{id: 1, incarnation: 11, name: "cluster-east", version: "7.1.2", status: "UpgradeAvailable"},
			{id: 2, incarnation: 22, name: "cluster-west", version: "7.0.1", status: "UpgradeAvailable"},
		}}
	eng.SetAuthenticator(f.authenticate)
	if err := eng.Serve(map[string]fake.HandlerFunc{
		"getAlerts": f.getAlerts, "getManagementAlerts": f.getManagementAlerts,
		"getAlertSummary": f.summary, "getManagementAlertsSummary": f.summary,
		"getManagementAlertResolution": f.getResolutions, "getManagementAlertsStats": f.getStats,
		"clustersUpgradesInfo": f.upgradesInfo, "createClustersUpgrades": f.schedule,
		"updateClustersUpgrades": f.update, "deleteClustersUpgrades": f.cancel,
		"compatibleClustersForRelease": f.compatible, "getClustersInfo": f.info,
	}); err != nil {
		return nil, err
	}
	f.mux.HandleFunc("POST /identity/token", f.iam.token)
	f.mux.Handle("/v2/", http.StripPrefix("/v2", eng))
	return f, nil
}

// ServeHTTP serves IAM at /identity/token and the API under /v2.
func (f *SRE) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.mux.ServeHTTP(w, r) }

// ExpireTokens makes every IAM token issued so far invalid.
func (f *SRE) ExpireTokens() { f.iam.expire() }

func (f *SRE) authenticate(r *http.Request) (any, error) {
	if k := r.Header.Get("apiKey"); k != "" {
		if f.apiKey != "" && k == f.apiKey {
			return "apiKey", nil
		}
		return nil, fake.ErrUnauthenticated
	}
	if f.iam.bearer(r) {
		return "iam", nil
	}
	return nil, errNoToken
}

// ResolveAlert resolves the open alert id with a resolution named name, as
// an operator does in the console; it shows in the resolutions, and the
// alert leaves the summaries and statistics of open alerts.
func (f *SRE) ResolveAlert(id, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.alerts {
		if a.id != id {
			continue
		}
		if a.state != "kOpen" {
			return fmt.Errorf("alert %s is %s, not open", id, a.state)
		}
		rid := int64(len(f.resolutions) + 1)
		a.state, a.resolutionID = "kResolved", rid
		f.resolutions = append(f.resolutions, map[string]any{
			"resolutionId": strconv.FormatInt(rid, 10), "resolutionName": name, "createdTimeUsecs": time.Now().UnixMicro(),
			"resolvedAlerts": []map[string]any{{"alertIdStr": a.id, "alertName": a.name, "clusterId": a.clusterID,
				"firstTimestampUsecs": a.first, "resolvedTimeUsec": time.Now().UnixMicro()}},
		})
		return nil
	}
	return fmt.Errorf("no alert %s", id)
}

func (f *SRE) clusterName(id int64) string {
	for _, c := range f.clusters {
		if c.id == id {
			return c.name
		}
	}
	return ""
}

func (f *SRE) alertJSON(a *alert) map[string]any {
	m := map[string]any{"id": a.id, "alertCategory": a.category, "severity": a.severity, "alertTypeBucket": a.bucket,
		"alertState": a.state, "clusterId": a.clusterID, "clusterName": f.clusterName(a.clusterID),
		"firstTimestampUsecs": a.first, "latestTimestampUsecs": a.first, "alertDocument": map[string]any{"alertName": a.name}}
	if a.resolutionID > 0 {
		m["resolutionIdString"] = strconv.FormatInt(a.resolutionID, 10)
	}
	return m
}

// filtered returns the alerts matching ids, states and severities (each
// empty for any), at most max (0 for all).
func (f *SRE) filtered(ids, states, severities, clusters []string, max int) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []map[string]any{}
	for _, a := range f.alerts {
		c := f.clusterByID(a.clusterID)
		if !contains(ids, a.id) || !contains(states, a.state) || !contains(severities, a.severity) || (c != nil && !contains(clusters, c.ident())) {
			continue
		}
		if max > 0 && len(out) == max {
			break
		}
		out = append(out, f.alertJSON(a))
	}
	return out
}

func (f *SRE) clusterByID(id int64) *cluster {
	for _, c := range f.clusters {
		if c.id == id {
			return c
		}
	}
	return nil
}

func intParam(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}

func (f *SRE) getAlerts(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	in.Respond(w, http.StatusOK, map[string]any{"alerts": f.filtered(list(r, "alertIds"), list(r, "alertStates"), list(r, "alertSeverities"), nil, intParam(r, "maxAlerts"))})
}

func (f *SRE) getManagementAlerts(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	in.Respond(w, http.StatusOK, map[string]any{"alertsList": f.filtered(list(r, "alertIdList"), list(r, "alertStateList"),
		list(r, "alertSeverityList"), list(r, "clusterIdentifiers"), intParam(r, "maxAlerts"))})
}

// summary counts the alerts in the states asked for (open ones by
// default) by category.
func (f *SRE) summary(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	states := list(r, "statesList")
	if len(states) == 0 {
		states = []string{"kOpen"}
	}
	f.mu.Lock()
	byCat := map[string]map[string]int{}
	for _, a := range f.alerts {
		if !contains(states, a.state) {
			continue
		}
		if byCat[a.category] == nil {
			byCat[a.category] = map[string]int{}
		}
		byCat[a.category][a.severity]++
	}
	f.mu.Unlock()
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	out := []map[string]any{}
	for _, c := range cats {
		n := byCat[c]
		out = append(out, map[string]any{"category": c, "criticalCount": n["kCritical"], "warningCount": n["kWarning"],
			"infoCount": n["kInfo"], "totalCount": n["kCritical"] + n["kWarning"] + n["kInfo"]})
	}
	in.Respond(w, http.StatusOK, map[string]any{"alertsSummary": out})
}

func (f *SRE) getResolutions(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	q := r.URL.Query()
	max := intParam(r, "maxResolutions")
	f.mu.Lock()
	out := []map[string]any{}
	for _, res := range f.resolutions {
		if (q.Get("resolutionName") != "" && res["resolutionName"] != q.Get("resolutionName")) ||
			(q.Get("resolutionId") != "" && res["resolutionId"] != q.Get("resolutionId")) {
			continue
		}
		if max > 0 && len(out) == max {
			break
		}
		out = append(out, res)
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, map[string]any{"alertResolutionsList": out})
}

// getStats counts the open alerts raised in the time range.
func (f *SRE) getStats(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	from, _ := strconv.ParseInt(r.URL.Query().Get("startTimeUsecs"), 10, 64)
	to, _ := strconv.ParseInt(r.URL.Query().Get("endTimeUsecs"), 10, 64)
	if to < from {
		ibmfake.WriteError(w, r, http.StatusBadRequest, "InvalidRange", "endTimeUsecs is before startTimeUsecs")
		return
	}
	count := func(keep func(*alert) bool) map[string]any {
		n := map[string]int{}
		for _, a := range f.alerts {
			if a.state != "kOpen" || a.first < from || a.first > to || !keep(a) {
				continue
			}
			n[a.severity]++
			bucket := map[string]string{"kHardware": "Hardware", "kSoftware": "Software", "kMaintenance": "Maintenance", "kDataService": "DataService"}[a.bucket]
			n["b"+bucket]++
			n["b"+bucket+a.severity]++
		}
		m := map[string]any{"numCriticalAlerts": n["kCritical"], "numWarningAlerts": n["kWarning"], "numInfoAlerts": n["kInfo"]}
		for _, b := range []string{"Hardware", "Software", "Maintenance", "DataService"} {
			m["num"+b+"Alerts"] = n["b"+b]
			m["num"+b+"CriticalAlerts"] = n["b"+b+"kCritical"]
			m["num"+b+"WarningAlerts"] = n["b"+b+"kWarning"]
			m["num"+b+"InfoAlerts"] = n["b"+b+"kInfo"]
		}
		return m
	}
	f.mu.Lock()
	out := map[string]any{"aggregatedAlertsStats": count(func(*alert) bool { return true })}
	crit, warn, healthy := 0, 0, 0
	var byCluster []map[string]any
	for _, c := range f.clusters {
		st := count(func(a *alert) bool { return a.clusterID == c.id })
		switch {
		case st["numCriticalAlerts"].(int) > 0:
			crit++
		case st["numWarningAlerts"].(int) > 0:
			warn++
		default:
			healthy++
		}
		byCluster = append(byCluster, map[string]any{"clusterId": c.id, "alertsStats": st})
	}
	f.mu.Unlock()
	out["aggregatedClusterStats"] = map[string]any{"numClustersWithCriticalAlerts": crit, "numClustersWithWarningAlerts": warn, "numHealthyClusters": healthy}
	if r.URL.Query().Get("excludeStatsByCluster") != "true" {
		out["statsByCluster"] = byCluster
	}
	in.Respond(w, http.StatusOK, out)
}

type upgradeBody struct {
	Clusters []struct {
		ClusterID            int64 `json:"clusterId"`
		ClusterIncarnationID int64 `json:"clusterIncarnationId"`
	} `json:"clusters"`
	TargetVersion             string `json:"targetVersion"`
	TimeStampToUpgradeAtMsecs int64  `json:"timeStampToUpgradeAtMsecs"`
	Type                      string `json:"type"`
}

// upgrade applies body to the clusters it names: schedule (POST) wants
// clusters without a scheduled upgrade, update (PUT) clusters with one.
func (f *SRE) upgrade(w http.ResponseWriter, r *http.Request, in *fake.Input, scheduling bool) {
	var b upgradeBody
	if err := json.Unmarshal(in.Body, &b); err != nil || len(b.Clusters) == 0 {
		ibmfake.WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "the request names no clusters")
		return
	}
	f.mu.Lock()
	out := []map[string]any{}
	for _, bc := range b.Clusters {
		res := map[string]any{"clusterId": bc.ClusterID, "clusterIncarnationId": bc.ClusterIncarnationID, "IsUpgradeSchedulingSuccessful": false}
		c := f.clusterByID(bc.ClusterID)
		switch {
		case c == nil || c.incarnation != bc.ClusterIncarnationID:
			res["ErrorMessage"] = "unknown cluster"
		case scheduling && c.status == "Scheduled":
			res["ErrorMessage"] = "an upgrade is already scheduled"
		case !scheduling && c.status != "Scheduled":
			res["ErrorMessage"] = "no upgrade is scheduled"
		default:
			target := b.TargetVersion
			if target == "" {
				target = c.target
			}
			if target == "" {
				target = f.release
			}
			c.status, c.target, c.kind = "Scheduled", target, b.Type
			if b.TimeStampToUpgradeAtMsecs > 0 || scheduling {
				c.at = b.TimeStampToUpgradeAtMsecs
			}
			if c.kind == "" {
				c.kind = "Upgrade"
			}
			res["IsUpgradeSchedulingSuccessful"] = true
		}
		out = append(out, res)
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, out)
}

func (f *SRE) schedule(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.upgrade(w, r, in, true)
}
func (f *SRE) update(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.upgrade(w, r, in, false)
}

func (f *SRE) cancel(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	ids := list(r, "clusterIdentifiers")
	f.mu.Lock()
	out := []map[string]any{}
	for _, c := range f.clusters {
		if !contains(ids, c.ident()) || (len(ids) == 0 && c.status != "Scheduled") {
			continue
		}
		res := map[string]any{"clusterId": c.id, "clusterIncarnationId": c.incarnation, "IsUpgradeCancelSuccessful": c.status == "Scheduled"}
		if c.status == "Scheduled" {
			c.status, c.target, c.at, c.kind = "UpgradeAvailable", "", 0, ""
		} else {
			res["ErrorMessage"] = "no upgrade is scheduled"
		}
		out = append(out, res)
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, out)
}

func (f *SRE) upgradesInfo(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	ids := list(r, "clusterIdentifiers")
	f.mu.Lock()
	out := []map[string]any{}
	for _, c := range f.clusters {
		if c.status != "Scheduled" || !contains(ids, c.ident()) {
			continue
		}
		out = append(out, map[string]any{"clusterId": c.id, "clusterIncarnationId": c.incarnation, "softwareVersion": c.target,
			"type": c.kind, "upgradeStatus": "Scheduled", "upgradePercentComplete": 0.0,
			"upgradeLogs": []map[string]any{{"nodeId": "node-1", "logs": []map[string]any{{"log": "upgrade to " + c.target + " scheduled", "timeStamp": time.Now().Unix()}}}}})
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, out)
}

func (f *SRE) compatible(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	rel := r.URL.Query().Get("releaseVersion")
	if rel == "" {
		rel = f.release
	}
	f.mu.Lock()
	out := []map[string]any{}
	for _, c := range f.clusters {
		if versionLess(c.version, rel) {
			out = append(out, map[string]any{"clusterId": c.id, "clusterIncarnationId": c.incarnation, "clusterName": c.name, "currentVersion": c.version})
		}
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, out)
}

func (f *SRE) info(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	out := []map[string]any{}
	for _, c := range f.clusters {
		m := map[string]any{"clusterId": c.id, "clusterIncarnationId": c.incarnation, "clusterName": c.name, "currentVersion": c.version,
			"status": c.status, "health": "NonCritical", "providerType": "kMCMCohesity", "type": "Physical", "numberOfNodes": 3,
			"isConnectedToHelios": true, "availableVersions": []map[string]any{{"version": f.release, "type": "Upgrade"}}}
		for _, a := range f.alerts {
			if a.clusterID == c.id && a.state == "kOpen" && a.severity == "kCritical" {
				m["health"] = "Critical"
			}
		}
		if c.status == "Scheduled" {
			m["targetVersion"], m["scheduledTimestamp"], m["updateType"] = c.target, c.at, c.kind
		}
		out = append(out, m)
	}
	f.mu.Unlock()
	in.Respond(w, http.StatusOK, map[string]any{"cohesityClusters": out, "spClusters": []map[string]any{}})
}

// versionLess compares dotted release numbers.
func versionLess(a, b string) bool {
	var x, y [3]int
	_, _ = fmt.Sscanf(a, "%d.%d.%d", &x[0], &x[1], &x[2])
	_, _ = fmt.Sscanf(b, "%d.%d.%d", &y[0], &y[1], &y[2])
	for i := range x {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

// SREServer is an SRE fake on a local TLS port: its URL serves IAM (give
// it to ibmbr.WithIAMURL), its ServiceURL the API.
type SREServer struct {
	*SRE
	*fake.TLSServer
}

// StartSRE serves a new SRE fake over TLS on a loopback port.
func StartSRE(apiKey string, keys ...string) (*SREServer, error) {
	f, err := NewSRE(apiKey, keys...)
	if err != nil {
		return nil, err
	}
	return &SREServer{SRE: f, TLSServer: fake.StartTLS(f)}, nil
}

// ServiceURL is the URL to give sre.NewClient.
func (s *SREServer) ServiceURL() string { return s.URL() + "/v2" }
