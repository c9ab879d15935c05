package ibmfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The operations of IBM's Go SDK beyond the reference that read the runs
// and snapshots of protection groups (policies_groups.go keeps them):
//
//   - getProtectionGroupRun reads one run; like a listing, the read moves
//     the run one step on.
//   - getProtectionRunProgress reports how far a run has got: 0% while it
//     is Accepted; while it is Running, 10% at first and 20 points more at
//     every progress read, up to 90%; 100% once it succeeded. Its status is
//     Active until the run ends, then Finished, FinishedWithError or
//     Canceled. The events are the run's changes of status.
//   - getProgressMonitors (legacy v1 API) lists the same progress as tasks
//     of the task tree, one per run, at the path the run names as its
//     localBackupInfo.progressTaskId ("backup/<groupId>/<runId>"), with a
//     sub-task per object.
//   - constructMetaInfo answers for a snapshot the fake holds (a snapshot
//     id of getObjectSnapshots): the environment of its group, and, for
//     Kubernetes, the volumes and resources of the namespace it backed up.
//     A request for another environment is refused.

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		// The store is the groups' one, looked up when a request comes
		// (whichever registrar ran first).
		on := func(h func(*pgStore, http.ResponseWriter, *http.Request, *fake.Input)) fake.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request, in *fake.Input) { h(f.pgStore(), w, r, in) }
		}
		return map[string]fake.HandlerFunc{
			"getProtectionGroupRun":    on((*pgStore).getRun),
			"getProtectionRunProgress": on((*pgStore).runProgress),
			"getProgressMonitors":      on((*pgStore).progressMonitors),
			"constructMetaInfo":        on((*pgStore).constructMetaInfo),
		}
	})
}

// runTaskPath is the progress monitor path of a run.
func runTaskPath(groupID string, instance, start int64) string {
	return fmt.Sprintf("backup/%s/%d:%d", groupID, instance, start)
}

func (s *pgStore) getRun(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	id, ok := s.findGroup(w, r, t, in)
	if !ok {
		return
	}
	run := t.findRun(id, in.PathParams["runId"])
	if run == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "run "+in.PathParams["runId"]+" of protection group "+id+" not found")
		return
	}
	m := pgClone(run.m)
	if details, _ := pgBool(r, "includeObjectDetails"); !details {
		delete(m, "objects")
	}
	WriteJSON(w, http.StatusOK, m)
	s.advance(run)
}

// runByID finds a run of any group of the tenant (run ids hold their
// start time, unique in the fake).
func (t *pgTenant) runByID(runID string) (groupID string, run *pgRun) {
	for _, gid := range t.groupOrder {
		if run := t.findRun(gid, runID); run != nil {
			return gid, run
		}
	}
	return "", nil
}

// taskStatus is the progress status of a run's status.
func taskStatus(status string) string {
	switch status {
	case "Succeeded", "SucceededWithWarning":
		return "Finished"
	case "Failed":
		return "FinishedWithError"
	case "Canceled", "Skipped", "Missed":
		return "Canceled"
	}
	return "Active"
}

// percent is how far a run has got; a Running run starts at 10%.
func (run *pgRun) progressPercent() float32 {
	switch {
	case run.status == "Accepted":
		return 0
	case taskStatus(run.status) == "Finished":
		return 100
	case run.status == "Running" && run.percent == 0:
		run.percent = 10
	}
	return run.percent
}

// stepProgress moves a running run's progress on, as a progress read shows
// time passing.
func (run *pgRun) stepProgress() {
	if run.status == "Running" {
		run.percent = min(run.progressPercent()+20, 90)
	}
}

func (s *pgStore) runProgress(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	t := s.locked(in)
	defer s.unlock()
	_, run := t.runByID(in.PathParams["runId"])
	if run == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "run "+in.PathParams["runId"]+" not found")
		return
	}
	info, _ := run.m["localBackupInfo"].(map[string]any)
	pct := run.progressPercent()
	status := taskStatus(run.status)
	local := map[string]any{"status": status, "percentageCompleted": pct, "startTimeUsecs": info["startTimeUsecs"]}
	if status == "Active" {
		local["expectedRemainingTimeUsecs"] = int64(100-pct) * 1_000_000
	} else if end, ok := info["endTimeUsecs"]; ok {
		local["endTimeUsecs"] = end
		local["expectedRemainingTimeUsecs"] = 0
	}
	events, _ := pgBool(r, "includeEventLogs")
	if events {
		local["events"] = run.events
	}
	if skip, _ := pgBool(r, "excludeObjectDetails"); !skip {
		only := int64s(r, "objects")
		objects := []map[string]any{}
		entries, _ := run.m["objects"].([]any)
		for _, o := range entries {
			id, name := objectOf(o)
			if len(only) > 0 && !slices.Contains(only, id) {
				continue
			}
			objects = append(objects, map[string]any{"id": id, "name": name, "status": status,
				"percentageCompleted": pct, "startTimeUsecs": info["startTimeUsecs"]})
		}
		local["objects"] = objects
	}
	WriteJSON(w, http.StatusOK, map[string]any{"localRun": local})
	run.stepProgress()
}

// pulseStatus is the status type of a progress monitor task: 0 active,
// 1 finished, 2 finished with an error, 3 canceled.
func pulseStatus(status string) int64 {
	return map[string]int64{"Active": 0, "Finished": 1, "FinishedWithError": 2, "Canceled": 3}[taskStatus(status)]
}

// monitorQuery is the filters of getProgressMonitors: the query, and the
// optional JSON body, which IBM's SDK sends too (its members win).
type monitorQuery struct {
	TaskPathVec          []string `json:"taskPathVec"`
	IncludeFinishedTasks *bool    `json:"includeFinishedTasks"`
	StartTimeSecs        *int64   `json:"startTimeSecs"`
	EndTimeSecs          *int64   `json:"endTimeSecs"`
	MaxTasks             *int64   `json:"maxTasks"`
	ExcludeSubTasks      *bool    `json:"excludeSubTasks"`
	IncludeEventLogs     *bool    `json:"includeEventLogs"`
}

func readMonitorQuery(r *http.Request, body []byte) (monitorQuery, error) {
	q := monitorQuery{TaskPathVec: queryList(r, "taskPathVec")}
	boolOf := func(name string) *bool {
		if v, set := pgBool(r, name); set {
			return &v
		}
		return nil
	}
	intOf := func(name string) *int64 {
		if v, ok := pgInt(r.URL.Query().Get(name)); ok {
			return &v
		}
		return nil
	}
	q.IncludeFinishedTasks, q.ExcludeSubTasks = boolOf("includeFinishedTasks"), boolOf("excludeSubTasks")
	q.StartTimeSecs, q.EndTimeSecs, q.MaxTasks = intOf("startTimeSecs"), intOf("endTimeSecs"), intOf("maxTasks")
	if len(body) == 0 {
		return q, nil
	}
	var b monitorQuery
	if err := json.Unmarshal(body, &b); err != nil {
		return q, err
	}
	if len(b.TaskPathVec) > 0 {
		q.TaskPathVec = b.TaskPathVec
	}
	for _, p := range []struct{ to, from **bool }{{&q.IncludeFinishedTasks, &b.IncludeFinishedTasks}, {&q.ExcludeSubTasks, &b.ExcludeSubTasks}, {&q.IncludeEventLogs, &b.IncludeEventLogs}} {
		if *p.from != nil {
			*p.to = *p.from
		}
	}
	for _, p := range []struct{ to, from **int64 }{{&q.StartTimeSecs, &b.StartTimeSecs}, {&q.EndTimeSecs, &b.EndTimeSecs}, {&q.MaxTasks, &b.MaxTasks}} {
		if *p.from != nil {
			*p.to = *p.from
		}
	}
	return q, nil
}

func (s *pgStore) progressMonitors(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	q, err := readMonitorQuery(r, in.Body)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	paths := q.TaskPathVec
	if len(paths) == 0 {
		paths = []string{""} // every task, in one result group
	}
	t := s.locked(in)
	defer s.unlock()
	groups := []map[string]any{}
	for _, prefix := range paths {
		tasks := []map[string]any{}
		for _, gid := range t.groupOrder {
			for _, run := range t.runs[gid] {
				if task, ok := s.monitorTask(run, prefix, q); ok {
					tasks = append(tasks, task)
				}
			}
		}
		if q.MaxTasks != nil && *q.MaxTasks >= 0 && int64(len(tasks)) > *q.MaxTasks {
			tasks = tasks[:*q.MaxTasks]
		}
		groups = append(groups, map[string]any{"taskVec": tasks})
	}
	WriteJSON(w, http.StatusOK, map[string]any{"resultGroupVec": groups})
}

// monitorTask is the progress monitor task of a run, when it matches the
// query.
func (s *pgStore) monitorTask(run *pgRun, prefix string, q monitorQuery) (map[string]any, bool) {
	info, _ := run.m["localBackupInfo"].(map[string]any)
	path, _ := info["progressTaskId"].(string)
	startSecs := pgNum(info["startTimeUsecs"]) / 1_000_000
	finished := pgTerminal(run.status)
	endUsecs, ended := info["endTimeUsecs"]
	switch {
	case !strings.HasPrefix(path, prefix),
		finished && (q.IncludeFinishedTasks == nil || !*q.IncludeFinishedTasks),
		q.StartTimeSecs != nil && startSecs < *q.StartTimeSecs,
		q.EndTimeSecs != nil && (!ended || pgNum(endUsecs)/1_000_000 > *q.EndTimeSecs):
		return nil, false
	}
	pct := run.progressPercent()
	progress := map[string]any{"percentFinished": pct, "startTimeSecs": startSecs,
		"lastUpdateTimeSecs": pgNum(run.events[len(run.events)-1]["occuredAtUsecs"]) / 1_000_000,
		"status":             map[string]any{"type": pulseStatus(run.status)}}
	if ended {
		progress["endTimeSecs"] = pgNum(endUsecs) / 1_000_000
	}
	if q.IncludeEventLogs != nil && *q.IncludeEventLogs {
		events := make([]map[string]any, 0, len(run.events))
		for _, e := range run.events {
			events = append(events, map[string]any{"eventMsg": e["message"], "timestampSecs": pgNum(e["occuredAtUsecs"]) / 1_000_000})
		}
		progress["eventVec"] = events
	}
	task := map[string]any{"taskPath": path, "weight": 1, "progress": progress}
	if q.ExcludeSubTasks == nil || !*q.ExcludeSubTasks {
		subs := []map[string]any{}
		entries, _ := run.m["objects"].([]any)
		for _, o := range entries {
			id, _ := objectOf(o)
			subs = append(subs, map[string]any{"taskPath": fmt.Sprintf("%s/%d", path, id), "weight": 1,
				"progress": map[string]any{"percentFinished": pct, "status": map[string]any{"type": pulseStatus(run.status)}}})
		}
		task["subTaskVec"] = subs
	}
	return task, true
}

func (s *pgStore) constructMetaInfo(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req struct {
		Environment      string `json:"environment"`
		KubernetesParams *struct {
			ObjectID int64 `json:"objectId"`
		} `json:"kubernetesParams"`
	}
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	t := s.locked(in)
	defer s.unlock()
	snapID := in.PathParams["snapshotId"]
	var found *snapshotRun
	var objectID int64
	var objectName string
	for _, sr := range t.snapshotRuns() {
		entries, _ := sr.run.m["objects"].([]any)
		for _, o := range entries {
			if id, name := objectOf(o); snapshotID(sr.start(), id) == snapID {
				found, objectID, objectName = &sr, id, name
			}
		}
	}
	if found == nil {
		WriteError(w, r, http.StatusNotFound, "NotFound", "snapshot "+snapID+" not found")
		return
	}
	env, _ := found.group["environment"].(string)
	if req.Environment != env {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", fmt.Sprintf("snapshot %s is a %s snapshot, not %s", snapID, env, req.Environment))
		return
	}
	out := map[string]any{"environment": env}
	if env == "kKubernetes" {
		if req.KubernetesParams == nil || req.KubernetesParams.ObjectID != objectID {
			WriteError(w, r, http.StatusBadRequest, "InvalidRequest", fmt.Sprintf("kubernetesParams.objectId must name the namespace of the snapshot (%d)", objectID))
			return
		}
		out["kubernetesParams"] = map[string]any{
			"backedUpPvcs":                   []map[string]any{{"id": objectID*10 + 1, "name": objectName + "-data"}},
			"backedUpResourceCount":          3,
			"includedResources":              []string{"Deployment", "PersistentVolumeClaim", "Service"},
			"includesClusterScopedResources": false,
		}
	}
	WriteJSON(w, http.StatusOK, out)
}
