package vbawsfake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The EC2 instances (/virtualMachines) beyond the workload's resource
// lists: what restore points each has (backupDestinations, and the
// BackupState, BuckupDestination and Sort of the list), manual snapshots,
// the removal of an instance's snapshots or backups, and the export.
//
// A manual snapshot is a ManualTask session that processes the instance;
// when it succeeds the instance has a ManualSnapshot restore point (and a
// Replica one in the AWS Region it was copied to). A removal is a
// RetentionActivity session; when it succeeds the restore points are gone,
// and the session's deletedItems list them.

// manualKind is the type of the sessions of manual snapshots.
const manualKind = "ManualTask"

// The jobType of the restore points each removal removes.
var (
	snapshotJobs = []string{string(vbawsapi.RestorePointJobTypesSnapshot), string(vbawsapi.RestorePointJobTypesManualSnapshot), string(vbawsapi.RestorePointJobTypesReplica)}
	backupJobs   = []string{string(vbawsapi.RestorePointJobTypesBackup)}
)

func (wl *workload) instanceHandlers() map[string]fake.HandlerFunc {
	return map[string]fake.HandlerFunc{
		"VirtualMachinesGetAll":         wl.listInstances,
		"VirtualMachinesGetOneById":     wl.getInstance,
		"TakeSnapshot":                  wl.takeSnapshot,
		"DeleteVirtualMachineSnapshots": wl.deletePoints(snapshotJobs),
		"DeleteVirtualMachineBackups":   wl.deletePoints(backupJobs),
		"ExportVirtualMachines":         wl.exportInstances,
	}
}

// destination is the backupDestinations value of a restore point's jobType.
func destination(jobType string) vbawsapi.BackupDestinations {
	switch vbawsapi.RestorePointJobTypes(jobType) {
	case vbawsapi.RestorePointJobTypesBackup:
		return vbawsapi.BackupDestinationsAwsBlob
	case vbawsapi.RestorePointJobTypesManualSnapshot:
		return vbawsapi.BackupDestinationsManualSnapshot
	}
	return vbawsapi.BackupDestinationsSnapshot // policy snapshots and their replicas
}

// destinationsLocked lists the kinds of restore points the instance has, in
// the order of the enum. The caller holds wl.mu.
func (wl *workload) destinationsLocked(id string) []string {
	have := map[vbawsapi.BackupDestinations]bool{}
	for _, pid := range wl.rporder {
		if pt := wl.points[pid]; str(pt, wl.rpResKey) == id {
			have[destination(str(pt, "jobType"))] = true
		}
	}
	out := []string{}
	for _, d := range []vbawsapi.BackupDestinations{vbawsapi.BackupDestinationsSnapshot, vbawsapi.BackupDestinationsAwsBlob, vbawsapi.BackupDestinationsManualSnapshot} {
		if have[d] {
			out = append(out, string(d))
		}
	}
	return out
}

// instanceViewLocked is an instance as the API shows it, with its
// protection status and backup destinations. The caller holds wl.mu.
func (wl *workload) instanceViewLocked(d doc) (doc, []string) {
	v := wl.viewResourceLocked(d)
	dests := wl.destinationsLocked(str(d, "id"))
	v["backupDestinations"] = dests
	delete(v, "sizeBytes") // the fake's own bookkeeping
	return v, dests
}

// splitList reads an array query parameter that the spec serializes
// unexploded (Sort=nameAsc,locationDesc); an exploded one reads the same.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (wl *workload) listInstances(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	q := r.URL.Query()
	wanted := q["BuckupDestination"] // the vendor's spelling
	wl.mu.Lock()
	var all []doc
	for _, d := range wl.resources {
		v, dests := wl.instanceViewLocked(d)
		switch {
		case !matches(str(d, "name"), q.Get("SearchPattern")),
			queryMismatch(q, "ProtectionStatus", str(v, "protectionStatus")),
			len(wanted) > 0 && !slices.ContainsFunc(dests, func(s string) bool { return slices.Contains(wanted, s) }),
			q.Get("BackupState") == string(vbawsapi.VirtualMachineBackupStateOnlyBackedUp) && len(dests) == 0,
			q.Get("BackupState") == string(vbawsapi.VirtualMachineBackupStateOnlyNotBackedUp) && len(dests) > 0:
			continue
		}
		all = append(all, v)
	}
	wl.mu.Unlock()
	location := func(d doc) string {
		_, name := resourceRegion(d)
		return name
	}
	sortColumns(all, splitList(q["Sort"]), map[string]func(a, b doc) int{
		"name": func(a, b doc) int {
			return strings.Compare(strings.ToLower(str(a, "name")), strings.ToLower(str(b, "name")))
		},
		"location": func(a, b doc) int { return strings.Compare(location(a), location(b)) },
	})
	writePage(w, r, all)
}

func (wl *workload) getInstance(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	id, ok := wl.f.pathID(w, r, in, "virtualMachineId")
	if !ok {
		return
	}
	wl.mu.Lock()
	d := wl.resourceLocked(id.String())
	var v doc
	if d != nil {
		v, _ = wl.instanceViewLocked(d)
	}
	wl.mu.Unlock()
	if d == nil {
		wl.f.notFound(w, r, "the EC2 instance "+id.String())
		return
	}
	veeamfake.WriteJSON(w, http.StatusOK, v)
}

// instanceByPath finds the instance of the path, answering 400 or 404
// itself when there is none. It returns a copy.
func (wl *workload) instanceByPath(w http.ResponseWriter, r *http.Request, in *fake.Input) (uuid.UUID, doc, bool) {
	id, ok := wl.f.pathID(w, r, in, "virtualMachineId")
	if !ok {
		return id, nil, false
	}
	wl.mu.Lock()
	d := wl.resourceLocked(id.String())
	if d != nil {
		d = clone(d)
	}
	wl.mu.Unlock()
	if d == nil {
		wl.f.notFound(w, r, "the EC2 instance "+id.String())
		return id, nil, false
	}
	return id, d, true
}

// takeSnapshot starts a manual snapshot of the instance with the IAM role of
// the spec, copied to another AWS Region when the spec names one.
func (wl *workload) takeSnapshot(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var spec vbawsapi.VirtualMachineSnapshotSpec
	if !decodeBody(w, r, in, &spec) {
		return
	}
	_, d, ok := wl.instanceByPath(w, r, in)
	if !ok {
		return
	}
	wl.f.mu.Lock()
	_, roleOK := wl.f.infra.roles.get(spec.AmazonAccountID)
	targetOK := true
	if spec.TargetAmazonAccountIDToCopySnapshots != nil {
		_, targetOK = wl.f.infra.roles.get(*spec.TargetAmazonAccountIDToCopySnapshots)
	}
	wl.f.mu.Unlock()
	switch {
	case !roleOK:
		wl.f.notFound(w, r, "the IAM role "+spec.AmazonAccountID.String())
		return
	case !targetOK:
		wl.f.notFound(w, r, "the IAM role "+spec.TargetAmazonAccountIDToCopySnapshots.String())
		return
	}
	var copyTo *region
	if spec.TargetRegionIDToCopySnapshots != nil {
		reg, known := regionByID(spec.TargetRegionIDToCopySnapshots.String())
		if !known {
			badRequest(w, r, "unknown AWS Region "+spec.TargetRegionIDToCopySnapshots.String())
			return
		}
		copyTo = &reg
	}
	link := wl.f.log.startWith(manualKind, sessionOpts{items: sessionItems([]doc{d}),
		onEnd: func(_ uuid.UUID, status vbawsapi.SessionStatus) {
			if status == vbawsapi.SessionStatusSucceeded {
				wl.snapshotTaken(d, copyTo)
			}
		}})
	veeamfake.WriteJSON(w, http.StatusAccepted, link)
}

// snapshotTaken adds the restore points of a manual snapshot of d that has
// succeeded: the snapshot, and its copy in copyTo when given.
func (wl *workload) snapshotTaken(d doc, copyTo *region) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	if wl.resourceLocked(str(d, "id")) == nil {
		return // removed meanwhile
	}
	now := time.Now().UTC()
	pt := wl.newPoint(d, uuid.Nil, now)
	delete(pt, "policyId") // no policy takes a manual snapshot
	pt["jobType"] = string(vbawsapi.RestorePointJobTypesManualSnapshot)
	wl.addPointLocked(pt)
	if copyTo != nil {
		replica := clone(pt)
		replica["id"], replica["backupId"] = uuid.NewString(), uuid.NewString()
		replica["jobType"], replica["regionId"] = string(vbawsapi.RestorePointJobTypesReplica), copyTo.id.String()
		wl.addPointLocked(replica)
	}
}

// deletePoints starts a retention session that removes the restore points
// of the instance whose jobType is among jobs; when it succeeds they are
// gone and the session lists them as deleted (as failed, and kept, when it
// fails).
func (wl *workload) deletePoints(jobs []string) fake.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
		id, d, ok := wl.instanceByPath(w, r, in)
		if !ok {
			return
		}
		wl.mu.Lock()
		var doomed []uuid.UUID
		for _, pid := range wl.rporder {
			if pt := wl.points[pid]; str(pt, wl.rpResKey) == id.String() && slices.Contains(jobs, str(pt, "jobType")) {
				doomed = append(doomed, pid)
			}
		}
		wl.mu.Unlock()
		link := wl.f.log.startWith(retentionKind, sessionOpts{vmID: id,
			onEnd: func(sid uuid.UUID, status vbawsapi.SessionStatus) {
				deleted := wl.removePoints(d, doomed, status == vbawsapi.SessionStatusSucceeded)
				// onEnd runs with the session log locked: its sessions
				// may be read and changed here.
				if st := wl.f.log.byID[sid]; st != nil {
					st.deleted = deleted
				}
			}})
		veeamfake.WriteJSON(w, http.StatusAccepted, link)
	}
}

// removePoints removes the restore points ids of the instance d (those
// still there) when remove is set, and lists them as a retention session
// shows them: Succeeded when removed, Failed otherwise.
func (wl *workload) removePoints(d doc, ids []uuid.UUID, remove bool) []vbawsapi.RetentionJobDeletedRestorePoint {
	status := vbawsapi.SessionItemsStatusesFailed
	if remove {
		status = vbawsapi.SessionItemsStatusesSucceeded
	}
	_, instanceRegion := resourceRegion(d)
	wl.mu.Lock()
	defer wl.mu.Unlock()
	out := []vbawsapi.RetentionJobDeletedRestorePoint{}
	for _, id := range ids {
		pt, ok := wl.points[id]
		if !ok {
			continue
		}
		regionName := instanceRegion
		if reg, known := regionByID(str(pt, "regionId")); known {
			regionName = reg.name
		}
		out = append(out, vbawsapi.RetentionJobDeletedRestorePoint{Name: ptr(str(d, "name") + " " + str(pt, "jobType") + " " + str(pt, "pointInTime")),
			Status: ptr(status), Region: ptr(regionName)})
		if remove {
			delete(wl.points, id)
			wl.rporder = slices.DeleteFunc(wl.rporder, func(x uuid.UUID) bool { return x == id })
		}
	}
	return out
}

// exportInstances writes the instances as the list shows them.
func (wl *workload) exportInstances(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	wl.mu.Lock()
	rows := make([][]string, 0, len(wl.resources))
	for _, d := range wl.resources {
		v, dests := wl.instanceViewLocked(d)
		_, regionName := resourceRegion(d)
		rows = append(rows, []string{str(v, "name"), str(v, "awsResourceId"), regionName, str(v, "protectionStatus"), strings.Join(dests, ";")})
	}
	wl.mu.Unlock()
	writeExport(w, r, exportTable{root: "VirtualMachines", row: "VirtualMachine",
		columns: []string{"Name", "AWS ID", "Region", "Protection Status", "Backup Destinations"}, rows: rows})
}
