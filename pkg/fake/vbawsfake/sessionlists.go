package vbawsfake

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/fake"
	"github.com/backupsdk/backupsdk/pkg/fake/veeamfake"
)

// The session lists beyond the plain collection: the orders of the session
// and session item lists, the VmId filter, the _embedded links of a session,
// the restore points a retention session removed, and the export.

// retentionKind is the type of the sessions that remove restore points.
const retentionKind = "RetentionActivity"

// embeddedLinks are the links of a session to its items: the resources a
// backup processed, those a restore restored, the restore points a
// retention session removed. Sessions with no items of their own have none.
func embeddedLinks(id uuid.UUID, kind string, o sessionOpts) *vbawsapi.SessionEmbeddedResources {
	base := "/api/v1/sessions/" + id.String()
	link := func(rel, path string) *vbawsapi.Link {
		return &vbawsapi.Link{Rel: rel, Href: base + path, Method: vbawsapi.LinkMethodGET}
	}
	switch {
	case kind == retentionKind:
		return &vbawsapi.SessionEmbeddedResources{RetentionJobDeletedRestorePoints: link("RetentionJobDeletedRestorePoints", "/deletedItems")}
	case o.restore:
		return &vbawsapi.SessionEmbeddedResources{RestoreJobInfo: link("RestoreJobInfo", "/restoredItems")}
	case len(o.items) > 0 || o.policyID != uuid.Nil:
		return &vbawsapi.SessionEmbeddedResources{BackupJobInfo: link("BackupJobInfo", "/protectedItems")}
	}
	return nil
}

// processes reports whether the session works on the EC2 instance (or
// other resource) with the ID vm: one of its items, or the instance whose
// restore points it removes. The caller holds the log's lock.
func (st *sessionState) processes(vm string) bool {
	if st.vmID != uuid.Nil && strings.EqualFold(st.vmID.String(), vm) {
		return true
	}
	return slices.ContainsFunc(st.items, func(it sessionItem) bool { return strings.EqualFold(it.id.String(), vm) })
}

// sortColumns sorts all by Sort values such as startTimeAsc or nameDesc,
// the first value the main order; by maps a column to its comparison.
// Values of no known column are ignored (the engine refuses those the spec
// does not allow).
func sortColumns[T any](all []T, sorts []string, by map[string]func(a, b T) int) {
	for _, s := range slices.Backward(sorts) {
		desc := strings.HasSuffix(s, "Desc")
		f, ok := by[strings.TrimSuffix(strings.TrimSuffix(s, "Asc"), "Desc")]
		if !ok {
			continue
		}
		slices.SortStableFunc(all, func(a, b T) int {
			if desc {
				return f(b, a)
			}
			return f(a, b)
		})
	}
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func valueOf[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// sortSessions orders sessions by their columns: a session still running
// has no stop time and sorts before the ended ones.
func sortSessions(all []vbawsapi.Session, sorts []string) {
	sortColumns(all, sorts, map[string]func(a, b vbawsapi.Session) int{
		"startTime": func(a, b vbawsapi.Session) int {
			return timeOf(a.ExecutionStartTime).Compare(timeOf(b.ExecutionStartTime))
		},
		"stopTime": func(a, b vbawsapi.Session) int {
			return timeOf(a.ExecutionStopTime).Compare(timeOf(b.ExecutionStopTime))
		},
		"duration": func(a, b vbawsapi.Session) int {
			return cmp.Compare(valueOf(a.ExecutionDuration), valueOf(b.ExecutionDuration))
		},
		"type":   func(a, b vbawsapi.Session) int { return strings.Compare(a.Type, b.Type) },
		"reason": func(a, b vbawsapi.Session) int { return strings.Compare(valueOf(a.Reason), valueOf(b.Reason)) },
		"usn":    func(a, b vbawsapi.Session) int { return cmp.Compare(valueOf(a.Usn), valueOf(b.Usn)) },
	})
}

// has reports whether an item's status is want, as a number to sort by.
func has(status *vbawsapi.SessionItemsStatuses, want vbawsapi.SessionItemsStatuses) int {
	if status != nil && *status == want {
		return 1
	}
	return 0
}

// sortProtectedItems orders the resources of a backup session: by name,
// region, or whether they succeeded or failed (those that did last in the
// ascending order).
func sortProtectedItems(all []vbawsapi.ProtectedItem, sorts []string) {
	sortColumns(all, sorts, map[string]func(a, b vbawsapi.ProtectedItem) int{
		"virtualMachineName": func(a, b vbawsapi.ProtectedItem) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		},
		"region": func(a, b vbawsapi.ProtectedItem) int { return strings.Compare(valueOf(a.Region), valueOf(b.Region)) },
		"succeeded": func(a, b vbawsapi.ProtectedItem) int {
			return cmp.Compare(has(a.Status, vbawsapi.SessionItemsStatusesSucceeded), has(b.Status, vbawsapi.SessionItemsStatusesSucceeded))
		},
		"failed": func(a, b vbawsapi.ProtectedItem) int {
			return cmp.Compare(has(a.Status, vbawsapi.SessionItemsStatusesFailed), has(b.Status, vbawsapi.SessionItemsStatusesFailed))
		},
	})
}

func sortRestoredItems(all []vbawsapi.RestoredItem, sorts []string) {
	sortColumns(all, sorts, map[string]func(a, b vbawsapi.RestoredItem) int{
		"name": func(a, b vbawsapi.RestoredItem) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		},
		"region": func(a, b vbawsapi.RestoredItem) int {
			return strings.Compare(valueOf(a.RegionName), valueOf(b.RegionName))
		},
	})
}

// deletedItems lists the restore points a retention session removed; a
// session of another kind removed none.
func (f *Fake) deletedItems(w http.ResponseWriter, r *http.Request, in *fake.Input) {
	var all []vbawsapi.RetentionJobDeletedRestorePoint
	if !f.sessionByPath(w, r, in, "retentionSessionId", func(st *sessionState) {
		for _, it := range st.deleted {
			if matches(valueOf(it.Name), r.URL.Query().Get("SearchPattern")) {
				all = append(all, it)
			}
		}
	}) {
		return
	}
	sortColumns(all, r.URL.Query()["Sort"], map[string]func(a, b vbawsapi.RetentionJobDeletedRestorePoint) int{
		"name": func(a, b vbawsapi.RetentionJobDeletedRestorePoint) int {
			return strings.Compare(valueOf(a.Name), valueOf(b.Name))
		},
		"status": func(a, b vbawsapi.RetentionJobDeletedRestorePoint) int {
			return strings.Compare(string(valueOf(a.Status)), string(valueOf(b.Status)))
		},
		"region": func(a, b vbawsapi.RetentionJobDeletedRestorePoint) int {
			return strings.Compare(valueOf(a.Region), valueOf(b.Region))
		},
	})
	page := window(all, queryInt(r, "Offset", 0), queryInt(r, "Limit", 0))
	veeamfake.WriteJSON(w, http.StatusOK, vbawsapi.RetentionJobDeletedRestorePointsPage{Results: orEmpty(page), TotalCount: int32(len(all))}) //nolint:gosec // small
}

// exportSessions writes every session, in the order they started.
func (f *Fake) exportSessions(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	f.log.mu.Lock()
	rows := make([][]string, 0, len(f.log.order))
	for _, id := range f.log.order {
		s := f.log.byID[id].s
		dur := ""
		if s.ExecutionDuration != nil {
			dur = strconv.FormatInt(*s.ExecutionDuration, 10)
		}
		rows = append(rows, []string{s.ID.String(), s.Type, string(s.Status), string(valueOf(s.Result)), stamp(s.ExecutionStartTime), stamp(s.ExecutionStopTime),
			dur, valueOf(s.Reason), strconv.FormatInt(valueOf(s.Usn), 10)})
	}
	f.log.mu.Unlock()
	writeExport(w, r, exportTable{root: "Sessions", row: "Session",
		columns: []string{"ID", "Type", "Status", "Result", "Start Time", "Stop Time", "Duration (ms)", "Reason", "USN"}, rows: rows})
}
