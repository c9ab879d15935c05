package vbawsfake

import (
	"net/http"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The overview counts what the fake holds: the backup policies of all six
// workloads, the repositories, the worker configurations and the EC2
// instances, protected or not. The fake models no Amazon connections and
// raises no alarms, so those count 0.
func (f *Fake) overviewHandlers() map[string]fake.HandlerFunc {
	return map[string]fake.HandlerFunc{
		"UserStatus": f.userStatus,
		"GetSummary": f.summaryStatistics,
	}
}

// ec2Counts returns how many EC2 instances there are and how many an
// enabled policy protects.
func (f *Fake) ec2Counts() (all, protected int) {
	wl := f.ec2
	wl.mu.Lock()
	defer wl.mu.Unlock()
	for _, r := range wl.resources {
		if wl.protectedLocked(str(r, "id")) {
			protected++
		}
	}
	return len(wl.resources), protected
}

func (f *Fake) policyCount() int {
	n := 0
	for _, wl := range []*workload{f.ec2, f.rds, f.efs, f.dynamoDB, f.fsx, f.redshift} {
		wl.mu.Lock()
		n += len(wl.policies)
		wl.mu.Unlock()
	}
	return n
}

func (f *Fake) userStatus(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	policies := f.policyCount()
	f.mu.Lock()
	defer f.mu.Unlock()
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.UserStatus{
		PoliciesCount:        policies,
		RepositoryCount:      len(f.infra.repos.byID),
		WorkerLocationsCount: len(f.infra.configs.byID),
	})
}

// summaryStatistics answers the counts; each trend compares a count with
// the one the previous call answered (the first call has nothing to
// compare with: NotChanged).
func (f *Fake) summaryStatistics(w http.ResponseWriter, _ *http.Request, _ *fake.Input) {
	policies := f.policyCount()
	instances, protected := f.ec2Counts()
	f.mu.Lock()
	defer f.mu.Unlock()
	now := [...]int32{0, int32(instances), int32(policies), int32(protected), int32(len(f.infra.repos.byID))} //nolint:gosec // small counts
	prev := f.lastSummary
	if prev == nil {
		prev = &now
	}
	trend := func(i int) vbawsapi.SummaryChangesTrends {
		switch {
		case now[i] > prev[i]:
			return vbawsapi.SummaryChangesTrendsIncreased
		case now[i] < prev[i]:
			return vbawsapi.SummaryChangesTrendsDecreased
		}
		return vbawsapi.SummaryChangesTrendsNotChanged
	}
	s := vbawsapi.SummaryStatistics{
		AlarmsCount: now[0], AlarmsCountChangesTrend: trend(0),
		InstancesCount: now[1], InstancesCountChangesTrend: trend(1),
		PoliciesCount: now[2], PoliciesCountChangesTrend: trend(2),
		ProtectedInstancesCount: now[3], ProtectedInstancesCountChangesTrend: trend(3),
		RepositoriesCount: now[4], RepositoriesCountChangesTrend: trend(4),
	}
	f.lastSummary = &now
	veeamfake.WriteJSON(w, http.StatusOK, s)
}
