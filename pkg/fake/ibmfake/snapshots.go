package ibmfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

// Snapshots, restore points and the protected objects search read the
// protection groups and runs of the caller's tenant. A run that ended with
// a local snapshot (Succeeded or SucceededWithWarning, and not deleted)
// holds a snapshot of each object of its group: getObjectSnapshots lists
// those of one object (404 for an object no group protects), restore points
// are the snapshot runs of the named groups in the time range, and
// searchProtectedObjects lists the objects of the groups with the latest
// snapshot each group holds of them. The handlers are registered with the
// groups' (policies_groups.go), whose store they read.

// snapshotLogicalBytes is the logical size of every snapshot of an object.
const snapshotLogicalBytes = 21474836480

// groupObjects lists the objects a group's environment params name.
func groupObjects(g map[string]any) []map[string]any {
	var out []map[string]any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				if arr, ok := x[k].([]any); ok && k == "objects" {
					for _, o := range arr {
						m, _ := o.(map[string]any)
						out = append(out, m)
					}
					continue
				}
				walk(x[k])
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	for _, k := range []string{"physicalParams", "mssqlParams", "kubernetesParams"} {
		walk(g[k])
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// runObjects are the objects a run of group g backs up: the group's, with
// the ids and names it gives them (made up where it gives none).
func runObjects(g map[string]any) []any {
	env, _ := g["environment"].(string)
	out := []any{}
	for i, o := range groupObjects(g) {
		id := int64(1000 + i)
		if v, ok := o["id"]; ok {
			id = pgNum(v)
		}
		name, _ := o["name"].(string)
		if name == "" {
			name = fmt.Sprintf("object-%d", i+1)
		}
		out = append(out, map[string]any{
			"object":      map[string]any{"id": id, "name": name, "environment": env},
			"onLegalHold": false,
		})
	}
	return out
}

// objectOf returns the object of a run's objects entry.
func objectOf(entry any) (id int64, name string) {
	e, _ := entry.(map[string]any)
	o, _ := e["object"].(map[string]any)
	name, _ = o["name"].(string)
	return pgNum(o["id"]), name
}

// snapshotRun is a run holding local snapshots, with its group.
type snapshotRun struct {
	group map[string]any
	run   *pgRun
	info  map[string]any
}

func (sr snapshotRun) start() int64 { return pgNum(sr.info["startTimeUsecs"]) }

// snapshotRuns lists the runs of the tenant's groups that hold local
// snapshots, group by group, oldest first.
func (t *pgTenant) snapshotRuns() []snapshotRun {
	var out []snapshotRun
	for _, gid := range t.groupOrder {
		for _, run := range t.runs[gid] {
			if run.m["hasLocalSnapshot"] != true {
				continue
			}
			info, _ := run.m["localBackupInfo"].(map[string]any)
			out = append(out, snapshotRun{group: t.groups[gid], run: run, info: info})
		}
	}
	return out
}

func snapshotID(start, objectID int64) string {
	return fmt.Sprintf("%s:%d:%d", pgClusterID, start, objectID)
}

// protects reports whether a group of the tenant names object id.
func (t *pgTenant) protects(id int64) bool {
	for _, gid := range t.groupOrder {
		for _, o := range runObjects(t.groups[gid]) {
			if oid, _ := objectOf(o); oid == id {
				return true
			}
		}
	}
	return false
}

// int64s parses a form, explode=false list of integers.
func int64s(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range pgList(r, name) {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// inRange reports whether v is within the bounds of the query parameters
// from and to (each optional).
func inRange(r *http.Request, from, to string, v int64) bool {
	q := r.URL.Query()
	if lo, ok := pgInt(q.Get(from)); ok && v < lo {
		return false
	}
	if hi, ok := pgInt(q.Get(to)); ok && v > hi {
		return false
	}
	return true
}

func (s *pgStore) objectSnapshots(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, err := strconv.ParseInt(in.PathParams["id"], 10, 64)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "the object id is not a number")
		return
	}
	t := s.locked(in)
	defer s.unlock()
	if !t.protects(id) {
		WriteError(w, r, http.StatusNotFound, "NotFound", fmt.Sprintf("no protection group protects object %d", id))
		return
	}
	groups, runTypes, instances := pgList(r, "protectionGroupIds"), pgList(r, "runTypes"), int64s(r, "runInstanceIds")
	out := []map[string]any{}
	for _, sr := range t.snapshotRuns() {
		start, instance := sr.start(), pgNum(sr.run.m["protectionGroupInstanceId"])
		switch {
		case !pgMatches(groups, sr.group["id"]), !pgMatches(runTypes, sr.info["runType"]),
			len(instances) > 0 && !slices.Contains(instances, instance),
			!inRange(r, "fromTimeUsecs", "toTimeUsecs", start), !inRange(r, "runStartFromTimeUsecs", "runStartToTimeUsecs", start):
			continue
		}
		for _, o := range sr.run.m["objects"].([]any) {
			oid, name := objectOf(o)
			if oid != id {
				continue
			}
			_, locked := sr.info["dataLock"]
			out = append(out, map[string]any{
				"id": snapshotID(start, oid), "objectId": oid, "objectName": name, "environment": sr.group["environment"],
				"protectionGroupId": sr.group["id"], "protectionGroupName": sr.group["name"], "protectionGroupRunId": sr.run.m["id"],
				"runInstanceId": instance, "runStartTimeUsecs": start, "snapshotTimestampUsecs": start, "runType": sr.info["runType"],
				"snapshotTargetType": "Local", "ownershipContext": "Local", "indexingStatus": "Done",
				"onLegalHold": sr.run.m["onLegalHold"], "hasDataLock": locked,
			})
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"snapshots": out})
}

func (s *pgStore) restorePoints(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req struct {
		Environment string   `json:"environment"`
		Groups      []string `json:"protectionGroupIds"`
		Start       int64    `json:"startTimeUsecs"`
		End         int64    `json:"endTimeUsecs"`
	}
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	if req.End < req.Start {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "endTimeUsecs is before startTimeUsecs")
		return
	}
	t := s.locked(in)
	defer s.unlock()
	for _, g := range req.Groups {
		if _, ok := t.groups[g]; !ok {
			WriteError(w, r, http.StatusNotFound, "NotFound", "protection group with id "+g+" not found")
			return
		}
	}
	points := []map[string]any{}
	for _, sr := range t.snapshotRuns() {
		start := sr.start()
		if !slices.Contains(req.Groups, sr.group["id"].(string)) || sr.group["environment"] != req.Environment ||
			start < req.Start || start > req.End {
			continue
		}
		points = append(points, map[string]any{"restoreInfo": map[string]any{
			"protectionGroupId": sr.group["id"], "runStartTimeUsecs": start, "attemptNumber": 1,
			"viewName":                "fake-view-" + strings.ReplaceAll(sr.group["id"].(string), ":", "-"),
			"snapshotRelativeDirPath": "/" + sr.run.m["id"].(string),
		}})
	}
	body := map[string]any{"fullSnapshotInfo": points}
	if len(points) == 0 {
		body["timeRangeInfo"] = map[string]any{"userMessage": "no restore points in the time range"}
	}
	WriteJSON(w, http.StatusCreated, body)
}

// protectedObjectTypes is the object type of each environment's objects.
var protectedObjectTypes = map[string]string{"kPhysical": "kHost", "kSQL": "kDatabase"}

// nameMatches applies a search string: a trailing '*' matches a prefix,
// anything else a part of the name, ignoring case.
func nameMatches(search string, names ...string) bool {
	search = strings.ToLower(search)
	prefix, isPrefix := strings.CutSuffix(search, "*")
	for _, n := range names {
		n = strings.ToLower(n)
		if isPrefix && strings.HasPrefix(n, prefix) || !isPrefix && strings.Contains(n, search) {
			return true
		}
	}
	return false
}

func (s *pgStore) protectedObjects(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	search := r.URL.Query().Get("searchString")
	envs, groupIDs, objectIDs := pgList(r, "environments"), pgList(r, "protectionGroupIds"), int64s(r, "objectIds")
	t := s.locked(in)
	defer s.unlock()
	var order []int64
	objects := map[int64]map[string]any{}
	var groupsSeen []map[string]any
	for _, gid := range t.groupOrder {
		g := t.groups[gid]
		env, _ := g["environment"].(string)
		if !pgMatches(groupIDs, gid) || !pgMatches(envs, env) || protectedObjectTypes[env] == "" {
			continue
		}
		var latest *snapshotRun
		for _, sr := range t.snapshotRuns() {
			if sr.group["id"] == gid {
				latest = &sr
			}
		}
		for _, entry := range runObjects(g) {
			id, name := objectOf(entry)
			if len(objectIDs) > 0 && !slices.Contains(objectIDs, id) || search != "" && !nameMatches(search, name, g["name"].(string)) {
				continue
			}
			o, ok := objects[id]
			if !ok {
				o = map[string]any{"id": id, "name": name, "environment": env, "objectType": protectedObjectTypes[env],
					"latestSnapshotsInfo": []map[string]any{}}
				if pp, _ := g["physicalParams"].(map[string]any); pp != nil {
					if pt, ok := pp["protectionType"].(string); ok {
						o["protectionType"] = pt
					}
				}
				objects[id] = o
				order = append(order, id)
			}
			if !slices.ContainsFunc(groupsSeen, func(m map[string]any) bool { return m["protectionGroupId"] == gid }) {
				groupsSeen = append(groupsSeen, map[string]any{"protectionGroupId": gid, "protectionGroupName": g["name"]})
			}
			if latest != nil {
				info := map[string]any{
					"protectionGroupId": gid, "protectionGroupName": g["name"], "protectionRunId": latest.run.m["id"],
					"runInstanceId": latest.run.m["protectionGroupInstanceId"], "runType": latest.info["runType"],
					"protectionRunStartTimeUsecs": latest.start(), "indexingStatus": "Done",
					"localSnapshotInfo": map[string]any{"snapshotId": snapshotID(latest.start(), id), "logicalSizeBytes": snapshotLogicalBytes},
				}
				if end, ok := latest.info["endTimeUsecs"]; ok {
					info["protectionRunEndTimeUsecs"] = end
				}
				o["latestSnapshotsInfo"] = append(o["latestSnapshotsInfo"].([]map[string]any), info)
			}
		}
	}
	out := make([]map[string]any, 0, len(order))
	for _, id := range order {
		out = append(out, objects[id])
	}
	if groupsSeen == nil {
		groupsSeen = []map[string]any{}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"objects": out, "numResults": len(out),
		"metadata": map[string]any{"uniqueProtectionGroupIdentifiers": groupsSeen}})
}
