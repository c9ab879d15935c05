package tests

import (
	"cmp"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

func sessionIDs(ss []vbawsapi.Session) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// TestVBAWSSessionSortAndFilters runs sessions of several kinds, then reads
// the session list in each order it offers, filtered by USN and by
// instance, with the _embedded links of each kind, and exported.
func TestVBAWSSessionSortAndFilters(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	role := defaultRole(ctx, t, c)
	policy := collect(t, c.EC2Policies.All(ctx, nil))[0]

	// In the order they start: a rescan of the IAM role, a rescan of the
	// buckets it reaches, a backup of the web servers, and a configuration
	// backup that fails.
	var started []uuid.UUID
	link, err := c.IAMRoles.Rescan(ctx, role, &vbawsapi.RescanCloudAccountSpec{})
	require.NoError(t, err)
	started = append(started, link.SessionID)
	link, err = c.Buckets.Rescan(ctx, role)
	require.NoError(t, err)
	started = append(started, link.SessionID)
	link, err = c.EC2Policies.Start(ctx, policy.ID)
	require.NoError(t, err)
	backup := link.SessionID
	started = append(started, backup)
	srv.FailNextSession("no space left in the repository")
	link, err = c.ConfigurationBackup.Backup(ctx)
	require.NoError(t, err)
	failed := link.SessionID
	started = append(started, failed)
	for _, id := range started[:3] {
		waitOK(ctx, t, c, id)
	}
	_, err = c.Sessions.Wait(ctx, failed, fastPoll)
	require.ErrorIs(t, err, vbaws.ErrSessionFailed)

	list := func(sorts ...vbawsapi.SessionsSortColumns) []vbawsapi.Session {
		return collect(t, c.Sessions.All(ctx, &vbaws.ListSessionsOptions{Sort: sorts, Limit: 2}))
	}
	assert.Equal(t, started, sessionIDs(list(vbawsapi.SessionsSortColumnsStartTimeAsc)))
	newestFirst := slices.Clone(started)
	slices.Reverse(newestFirst)
	assert.Equal(t, newestFirst, sessionIDs(list(vbawsapi.SessionsSortColumnsStartTimeDesc)))

	byType := list(vbawsapi.SessionsSortColumnsTypeAsc)
	types := make([]string, 0, len(byType))
	for _, s := range byType {
		types = append(types, s.Type)
	}
	assert.Equal(t, []string{"AmazonAccountRescan", "BucketsRescan", "Policy", "SelfBackupActivity"}, types)

	byReason := list(vbawsapi.SessionsSortColumnsReasonDesc)
	assert.Equal(t, failed, byReason[0].ID, "the only session with a reason")
	assert.Equal(t, "no space left in the repository", *byReason[0].Reason)

	for _, order := range []struct {
		col vbawsapi.SessionsSortColumns
		key func(vbawsapi.Session) int64
	}{
		{vbawsapi.SessionsSortColumnsUsnAsc, func(s vbawsapi.Session) int64 { return *s.Usn }},
		{vbawsapi.SessionsSortColumnsUsnDesc, func(s vbawsapi.Session) int64 { return -*s.Usn }},
		{vbawsapi.SessionsSortColumnsDurationAsc, func(s vbawsapi.Session) int64 { return *s.ExecutionDuration }},
		{vbawsapi.SessionsSortColumnsDurationDesc, func(s vbawsapi.Session) int64 { return -*s.ExecutionDuration }},
		{vbawsapi.SessionsSortColumnsStopTimeAsc, func(s vbawsapi.Session) int64 { return s.ExecutionStopTime.UnixNano() }},
		{vbawsapi.SessionsSortColumnsStopTimeDesc, func(s vbawsapi.Session) int64 { return -s.ExecutionStopTime.UnixNano() }},
	} {
		got := list(order.col)
		require.Len(t, got, 4)
		assert.True(t, slices.IsSortedFunc(got, func(a, b vbawsapi.Session) int { return cmp.Compare(order.key(a), order.key(b)) }), "%s", order.col)
	}
	// The first Sort value is the main order: the failed session first,
	// then the others newest first.
	mixed := list(vbawsapi.SessionsSortColumnsReasonDesc, vbawsapi.SessionsSortColumnsStartTimeDesc)
	assert.Equal(t, []uuid.UUID{failed, started[2], started[1], started[0]}, sessionIDs(mixed))

	// Usn names one session; VmId those that processed the instance.
	got, err := c.Sessions.Get(ctx, backup)
	require.NoError(t, err)
	byUsn, err := c.Sessions.List(ctx, &vbaws.ListSessionsOptions{Usn: *got.Usn})
	require.NoError(t, err)
	require.Len(t, byUsn.Results, 1)
	assert.Equal(t, backup, byUsn.Results[0].ID)
	none, err := c.Sessions.List(ctx, &vbaws.ListSessionsOptions{Usn: 1 << 40})
	require.NoError(t, err)
	assert.Empty(t, none.Results)
	web := collect(t, c.EC2Instances.All(ctx, &vbaws.ListEC2InstancesOptions{SearchPattern: "web-02"}))[0]
	build := collect(t, c.EC2Instances.All(ctx, &vbaws.ListEC2InstancesOptions{SearchPattern: "build-01"}))[0]
	byVM, err := c.Sessions.List(ctx, &vbaws.ListSessionsOptions{VMID: web.ID.String()})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{backup}, sessionIDs(byVM.Results))
	byVM, err = c.Sessions.List(ctx, &vbaws.ListSessionsOptions{VMID: build.ID.String()})
	require.NoError(t, err)
	assert.Empty(t, byVM.Results, "the web servers' policy does not cover build-01")

	// A backup session links to its protected items; sessions without
	// items of their own link to nothing.
	require.NotNil(t, got.Embedded)
	require.NotNil(t, got.Embedded.BackupJobInfo)
	assert.Equal(t, "/api/v1/sessions/"+backup.String()+"/protectedItems", got.Embedded.BackupJobInfo.Href)
	assert.Nil(t, got.Embedded.RestoreJobInfo)
	rescan, err := c.Sessions.Get(ctx, started[0])
	require.NoError(t, err)
	assert.Nil(t, rescan.Embedded)

	// The export has a row per session of the list, with its ID and USN.
	all := list(vbawsapi.SessionsSortColumnsStartTimeAsc)
	rc, err := c.Sessions.Export(ctx, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err := csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Len(t, records, len(all)+1)
	assert.Equal(t, "ID", records[0][0])
	assert.Equal(t, "USN", records[0][8])
	for i, s := range all {
		assert.Equal(t, s.ID.String(), records[i+1][0])
		assert.Equal(t, s.Type, records[i+1][1])
		assert.Equal(t, string(s.Status), records[i+1][2])
		assert.Equal(t, strconv.FormatInt(*s.Usn, 10), records[i+1][8])
	}
	rc, err = c.Sessions.Export(ctx, vbaws.ExportXML)
	require.NoError(t, err)
	body, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(body), "<Session><ID>"+failed.String()+"</ID><Type>SelfBackupActivity</Type><Status>Failed</Status>")
	assert.Contains(t, string(body), "<Reason>no space left in the repository</Reason>")
	assert.Empty(t, srv.Violations())
}

// TestVBAWSSessionItemsSort orders the resources a backup session
// processed and those a restore session restored.
func TestVBAWSSessionItemsSort(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	policy := collect(t, c.EC2Policies.All(ctx, nil))[0]
	link, err := c.EC2Policies.Start(ctx, policy.ID)
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	names := func(items []vbawsapi.ProtectedItem) []string {
		out := []string{}
		for _, it := range items {
			out = append(out, it.Name)
		}
		return out
	}
	desc := collect(t, c.Sessions.AllProtectedItems(ctx, link.SessionID, &vbaws.ProtectedItemsOptions{
		Sort: []vbawsapi.ProtectedItemsSortColumns{vbawsapi.ProtectedItemsSortColumnsVirtualMachineNameDesc}}))
	assert.Equal(t, []string{"web-02", "web-01"}, names(desc))
	asc, err := c.Sessions.ProtectedItems(ctx, link.SessionID, &vbaws.ProtectedItemsOptions{
		Sort: []vbawsapi.ProtectedItemsSortColumns{vbawsapi.ProtectedItemsSortColumnsSucceededAsc, vbawsapi.ProtectedItemsSortColumnsVirtualMachineNameAsc}})
	require.NoError(t, err)
	assert.Equal(t, []string{"web-01", "web-02"}, names(asc.Results), "both succeeded: the name decides")

	// A restore of two paths restores two items.
	rp := collect(t, c.EFSRestorePoints.All(ctx, nil))[0]
	link, err = c.EFSRestorePoints.RestoreFiles(ctx, rp.ID, vbawsapi.EfsFileRestoreOptions{Paths: []string{"/a.txt", "/docs"}, ToOriginal: to.Ptr(true)})
	require.NoError(t, err)
	waitOK(ctx, t, c, link.SessionID)
	restored := func(col vbawsapi.RestoredItemsSortColumns) []string {
		page, err := c.Sessions.RestoredItems(ctx, link.SessionID, &vbaws.RestoredItemsOptions{Sort: []vbawsapi.RestoredItemsSortColumns{col}})
		require.NoError(t, err)
		out := []string{}
		for _, it := range page.Results {
			out = append(out, it.Name)
		}
		return out
	}
	asc2, desc2 := restored(vbawsapi.RestoredItemsSortColumnsNameAsc), restored(vbawsapi.RestoredItemsSortColumnsNameDesc)
	require.Len(t, asc2, 2)
	assert.True(t, slices.IsSorted(asc2), "%v", asc2)
	slices.Reverse(desc2)
	assert.Equal(t, asc2, desc2)
	s, err := c.Sessions.Get(ctx, link.SessionID)
	require.NoError(t, err)
	require.NotNil(t, s.Embedded)
	require.NotNil(t, s.Embedded.RestoreJobInfo)
	assert.Equal(t, "/api/v1/sessions/"+link.SessionID.String()+"/restoredItems", s.Embedded.RestoreJobInfo.Href)
}
