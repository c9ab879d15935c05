package ibmbr

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func testRun(id string, start int64) ibmbrapi.ProtectionGroupRun {
	return ibmbrapi.ProtectionGroupRun{ID: to.Ptr(id), LocalBackupInfo: &ibmbrapi.BackupRunSummary{StartTimeUsecs: to.Ptr(start)}}
}

func runIDs(runs []ibmbrapi.ProtectionGroupRun) []string {
	var ids []string
	for _, r := range runs {
		ids = append(ids, *r.ID)
	}
	return ids
}

// CreateRun tells the runs it started from the group's older runs by the
// last run before its request.
func TestRunsAfter(t *testing.T) {
	listing := []ibmbrapi.ProtectionGroupRun{testRun("3:300", 300), testRun("2:200", 200), testRun("1:100", 100)}
	last := testRun("2:200", 200)

	assert.Equal(t, []string{"3:300", "2:200", "1:100"}, runIDs(runsAfter(listing, nil)), "a group without runs: all are new")
	assert.Equal(t, []string{"3:300"}, runIDs(runsAfter(listing, &last)))
	assert.Empty(t, runsAfter(listing[1:], &last), "not started yet")

	// The last run left the listing: its start time still tells.
	gone := testRun("2:250", 250)
	assert.Equal(t, []string{"3:300"}, runIDs(runsAfter(listing, &gone)))
}

func TestFinalStatuses(t *testing.T) {
	for _, s := range []string{"Succeeded", "SucceededWithWarning"} {
		done, ok := final(s)
		assert.True(t, done && ok, s)
	}
	for _, s := range []string{"Failed", "Canceled", "Skipped", "Missed"} {
		done, ok := final(s)
		assert.True(t, done && !ok, s)
	}
	for _, s := range []string{"Accepted", "Running", "Paused", "OnHold", "Finalizing", "Canceling", "LegalHold", "", "SomethingNew"} {
		done, _ := final(s)
		assert.False(t, done, s)
	}
}
