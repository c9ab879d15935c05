package ibmfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

// Agent upgrade tasks are kept per tenant. A task upgrades its agents to
// the fake's release (SetRelease): it is Scheduled until its
// scheduleTimeUsecs, then Running, and Succeeded after the next read of the
// tasks, as are its agents. A task with retryTaskId retries a task of the
// tenant (404 for another), on that task's agents unless it names its own.

// previousAgentVersion is the version the fake's agents are upgraded from.
const previousAgentVersion = "7.0.1"

type upgradeTasks struct {
	f      *Fake
	nextID int64
	byTen  map[string][]map[string]any
}

func init() {
	registrars = append(registrars, func(f *Fake) map[string]fake.HandlerFunc {
		u := &upgradeTasks{f: f, nextID: 1, byTen: map[string][]map[string]any{}}
		return map[string]fake.HandlerFunc{
			"createUpgradeTask": u.create,
			"getUpgradeTasks":   u.list,
		}
	})
}

func nowUsecs() int64 { return time.Now().UnixMicro() }

func (u *upgradeTasks) create(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var req struct {
		AgentIDs      []int64 `json:"agentIDs"`
		Description   *string `json:"description"`
		Name          *string `json:"name"`
		RetryTaskID   *int64  `json:"retryTaskId"`
		ScheduleTime  *int64  `json:"scheduleTimeUsecs"`
		ScheduleUntil *int64  `json:"scheduleEndTimeUsecs"`
	}
	if err := json.Unmarshal(in.Body, &req); err != nil {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "malformed JSON body")
		return
	}
	tenant := principalTenant(in)
	u.f.mu.Lock()
	defer u.f.mu.Unlock()
	id := u.nextID
	task := map[string]any{"id": id, "type": "Manual", "clusterVersion": u.f.release, "isRetryable": false}
	agents := req.AgentIDs
	if req.RetryTaskID != nil {
		i := slices.IndexFunc(u.byTen[tenant], func(t map[string]any) bool { return pgNum(t["id"]) == *req.RetryTaskID })
		if i < 0 {
			WriteError(w, r, http.StatusNotFound, "NotFound", fmt.Sprintf("no upgrade task %d to retry", *req.RetryTaskID))
			return
		}
		task["type"], task["retriedTaskID"] = "Retry", *req.RetryTaskID
		if len(agents) == 0 {
			agents = slices.Clone(u.byTen[tenant][i]["agentIDs"].([]int64))
		}
	}
	if len(agents) == 0 {
		WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "an upgrade task needs agent ids or a task to retry")
		return
	}
	u.nextID++
	name := fmt.Sprintf("upgrade-task-%d", id)
	if req.Name != nil && *req.Name != "" {
		name = *req.Name
	}
	task["name"], task["agentIDs"] = name, agents
	if req.Description != nil {
		task["description"] = *req.Description
	}
	now := nowUsecs()
	status, agentStatus := "Running", "Started"
	if req.ScheduleTime != nil {
		task["scheduleTimeUsecs"] = *req.ScheduleTime
		if *req.ScheduleTime > now {
			status, agentStatus = "Scheduled", "Scheduled"
		}
	}
	if req.ScheduleUntil != nil {
		task["scheduleEndTimeUsecs"] = *req.ScheduleUntil
	}
	task["status"] = status
	if status == "Running" {
		task["startTimeUsecs"] = now
	}
	infos := make([]any, 0, len(agents))
	for _, a := range agents {
		info := map[string]any{"name": fmt.Sprintf("agent-%d", a), "previousSoftwareVersion": previousAgentVersion, "status": agentStatus}
		if status == "Running" {
			info["startTimeUsecs"] = now
		}
		infos = append(infos, map[string]any{"id": a, "info": info})
	}
	task["agents"] = infos
	u.byTen[tenant] = append(u.byTen[tenant], task)
	WriteJSON(w, http.StatusCreated, pgClone(task))
}

func (u *upgradeTasks) list(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	ids := int64s(r, "ids")
	tenant := principalTenant(in)
	u.f.mu.Lock()
	defer u.f.mu.Unlock()
	out := []map[string]any{}
	for _, t := range u.byTen[tenant] {
		if len(ids) == 0 || slices.Contains(ids, pgNum(t["id"])) {
			out = append(out, pgClone(t))
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"tasks": out})
	for _, t := range u.byTen[tenant] {
		advanceUpgrade(t)
	}
}

// advanceUpgrade moves a task on, as a read of the tasks shows time passing.
func advanceUpgrade(t map[string]any) {
	now := nowUsecs()
	switch t["status"] {
	case "Scheduled":
		if pgNum(t["scheduleTimeUsecs"]) <= now {
			t["status"], t["startTimeUsecs"] = "Running", now
			setAgents(t, "Started", now)
		}
	case "Running":
		t["status"], t["endTimeUsecs"] = "Succeeded", now
		setAgents(t, "Succeeded", now)
	}
}

func setAgents(t map[string]any, status string, now int64) {
	for _, a := range t["agents"].([]any) {
		info := a.(map[string]any)["info"].(map[string]any)
		info["status"] = status
		if status == "Started" {
			info["startTimeUsecs"] = now
		} else {
			info["endTimeUsecs"] = now
		}
	}
}
