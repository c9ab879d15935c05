package vbemfake

import (
	"net/http"
	"sort"
	"time"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// The summary reports are computed from the fake's state: backup servers,
// replicas and their sessions, restore points, external repositories and
// running tasks.

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		return map[string]fake.HandlerFunc{
			"GetSummaryReport":       f.summaryReport,
			"GetOverviewReport":      f.overviewReport,
			"GetVmsOverviewReport":   f.vmsOverviewReport,
			"GetJobStatisticsReport": f.jobStatisticsReport,
			"GetProcessedVmsReport":  f.processedVMsReport,
			"GetRepositoryReport":    f.repositoryReport,
		}
	})
}

// tally counts session results.
type tally map[vbemapi.ReplicaTaskSessionResult]int

func (t *tally) add(res vbemapi.ReplicaTaskSessionResult) {
	if *t == nil {
		*t = tally{}
	}
	(*t)[res]++
}

func i32(n int) *int32 { return to.Ptr(int32(n)) } //nolint:gosec // counts of a fake

const reportsPath = "/api/reports/summary"

func (f *Fake) summaryReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	m := vbemapi.SummaryReport{Href: to.Ptr(Href(r, reportsPath)), Type: to.Ptr("SummaryReport")}
	for _, p := range []struct{ sub, typ string }{{"overview", "OverviewReportFrame"}, {"vms_overview", "VmsOverviewReportFrame"},
		{"job_statistics", "JobStatisticsReportFrame"}, {"processed_vms", "ProcessedVmsReportFrame"}, {"repository", "RepositoryReportFrame"}} {
		m.Links = append(m.Links, link(r, "Down", reportsPath+"/"+p.sub, p.typ))
	}
	in.Respond(w, http.StatusOK, m)
}

// latestResultsLocked returns the result of the latest session of each
// replicated VM.
func (f *Fake) latestResultsLocked() map[string]vbemapi.ReplicaTaskSessionResult {
	latest := map[string]*replSession{}
	for _, s := range f.replLocked().sessions {
		if l, ok := latest[s.vm]; !ok || !s.created.Before(l.created) {
			latest[s.vm] = s
		}
	}
	out := map[string]vbemapi.ReplicaTaskSessionResult{}
	for vm, s := range latest {
		out[vm] = s.result
	}
	return out
}

func (f *Fake) runningTasksLocked() int {
	n := 0
	for _, t := range f.tasks {
		if *t.model.State != vbemapi.TaskStateFinished {
			n++
		}
	}
	return n
}

func (f *Fake) overviewReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var n tally
	for _, res := range f.latestResultsLocked() {
		n.add(res)
	}
	ok, warn, failed := n[vbemapi.ReplicaTaskSessionResultSuccess], n[vbemapi.ReplicaTaskSessionResultWarning], n[vbemapi.ReplicaTaskSessionResultFailed]
	st := f.replLocked()
	in.Respond(w, http.StatusOK, vbemapi.OverviewReportFrame{Href: to.Ptr(Href(r, reportsPath+"/overview")), Type: to.Ptr("OverviewReportFrame"),
		BackupServers: i32(len(f.pwLocked().servers)), ProxyServers: i32(len(f.pwLocked().servers)), RepositoryServers: i32(len(st.repos)),
		RunningJobs: i32(f.runningTasksLocked()), ScheduledJobs: i32(len(st.replicas)), SuccessfulVMLastestStates: i32(ok),
		WarningVMLastestStates: i32(warn), FailedVMLastestStates: i32(failed)})
}

func (f *Fake) vmsOverviewReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	backedUp := map[string]bool{"exch01": true}
	points := len(f.flrLocked().points)
	for _, vm := range f.catalogLocked() {
		backedUp[vm.name] = true
		points += len(vm.points)
	}
	replicated := map[string]bool{}
	for _, rp := range f.replLocked().replicas {
		for _, p := range rp.points {
			replicated[p.vm] = true
			points++
		}
	}
	protected := map[string]bool{}
	for vm := range backedUp {
		protected[vm] = true
	}
	for vm := range replicated {
		protected[vm] = true
	}
	var size int64
	good := 0
	sessions := f.replLocked().sessions
	for _, s := range sessions {
		size += s.size
		if s.result == vbemapi.ReplicaTaskSessionResultSuccess {
			good++
		}
	}
	pct := 100
	if len(sessions) > 0 {
		pct = good * 100 / len(sessions)
	}
	in.Respond(w, http.StatusOK, vbemapi.VMsOverviewReportFrame{Href: to.Ptr(Href(r, reportsPath+"/vms_overview")), Type: to.Ptr("VmsOverviewReportFrame"),
		ProtectedVMs: i32(len(protected)), BackedUpVMs: i32(len(backedUp)), ReplicatedVMs: i32(len(replicated)), RestorePoints: i32(points),
		FullBackupPointsSize: to.Ptr(int64(0)), IncrementalBackupPointsSize: to.Ptr(int64(0)), ReplicaRestorePointsSize: to.Ptr(size),
		SourceVMsSize: to.Ptr(size), SuccessBackupPercents: i32(pct)})
}

func (f *Fake) jobStatisticsReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.replLocked()
	var n tally
	var longest time.Duration
	longestJob := ""
	for _, s := range st.sessions {
		n.add(s.result)
		if d := s.ended.Sub(s.created); d > longest || longestJob == "" {
			longest, longestJob = d, s.job
		}
	}
	ok, warn, failed := n[vbemapi.ReplicaTaskSessionResultSuccess], n[vbemapi.ReplicaTaskSessionResultWarning], n[vbemapi.ReplicaTaskSessionResultFailed]
	secs := int(longest / time.Second)
	in.Respond(w, http.StatusOK, vbemapi.JobStatisticsReportFrame{Href: to.Ptr(Href(r, reportsPath+"/job_statistics")), Type: to.Ptr("JobStatisticsReportFrame"),
		RunningJobs: i32(f.runningTasksLocked()), ScheduledJobs: i32(len(st.replicas)), ScheduledBackupJobs: i32(0),
		ScheduledReplicaJobs: i32(len(st.replicas)), TotalJobRuns: i32(len(st.sessions)), SuccessfulJobRuns: i32(ok),
		WarningsJobRuns: i32(warn), FailedJobRuns: i32(failed), MaxJobDuration: i32(secs), MaxBackupJobDuration: i32(0),
		MaxReplicaJobDuration: i32(secs), MaxDurationReplicaJobName: to.Ptr(longestJob)})
}

func (f *Fake) processedVMsReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	perDay := map[time.Time]map[string]bool{}
	for _, s := range f.replLocked().sessions {
		day := s.created.UTC().Truncate(24 * time.Hour)
		if perDay[day] == nil {
			perDay[day] = map[string]bool{}
		}
		perDay[day][s.vm] = true
	}
	days := make([]time.Time, 0, len(perDay))
	for d := range perDay {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	m := vbemapi.ProcessedVMsReportFrame{Href: to.Ptr(Href(r, reportsPath+"/processed_vms")), Type: to.Ptr("ProcessedVmsReportFrame")}
	for _, d := range days {
		m.Days = append(m.Days, vbemapi.ProcessedVMsDay{Timestamp: to.Ptr(d), BackupedVMs: i32(0), ReplicatedVMs: i32(len(perDay[d]))})
	}
	in.Respond(w, http.StatusOK, m)
}

func (f *Fake) repositoryReport(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := vbemapi.RepositoryReportFrame{Href: to.Ptr(Href(r, reportsPath+"/repository")), Type: to.Ptr("RepositoryReportFrame")}
	for _, e := range f.replLocked().repos {
		m.Periods = append(m.Periods, vbemapi.RepositoryReportPeriod{Name: to.Ptr(e.name), Capacity: to.Ptr(e.capacity),
			FreeSpace: to.Ptr(e.capacity - e.used), BackupSize: to.Ptr(e.used)})
	}
	in.Respond(w, http.StatusOK, m)
}
