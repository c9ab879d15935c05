package tests

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/vbgc"
)

func TestVBGCSQLInstancesContract(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBGC(t, vbgc.PasswordCredentials("admin", "gc-pass"))
	sq := c.SQLInstances

	// The fake starts with the spec's example instance; add a few more.
	for i := range 6 {
		srv.AddSQLInstance(vbgcapi.SQLInstanceModel{ID: fmt.Sprintf("90000000000000000%02d", i), Name: fmt.Sprintf("mysql-%02d", i),
			ProjectID: "project-apps", DatabaseEngineType: vbgcapi.ESQLInstanceDatabaseEngineTypeMySQL,
			Accounts: []vbgcapi.SQLInstanceAccountModel{{ServiceAccountID: "sa@project-apps.iam.gserviceaccount.com"}}})
	}
	var names []string
	for m, err := range sq.All(ctx, &vbgc.ListOptions{Limit: 4,
		Filter: filter(t, vbgc.Condition{Property: "databaseEngineType", Operator: vbgc.OpEquals, Value: "MySql"})}) {
		require.NoError(t, err)
		names = append(names, m.Name)
	}
	assert.Equal(t, []string{"mysql-00", "mysql-01", "mysql-02", "mysql-03", "mysql-04", "mysql-05"}, names)
	assert.Equal(t, 2, srv.Calls()["SqlInstancesGetAll"], "6 items in pages of 4")

	page, err := sq.List(ctx, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 7, page.Pagination.TotalCount)
	orders := page.Data[0]
	assert.Equal(t, "orders-db", orders.Name)

	got, err := sq.Get(ctx, orders.ProjectID, orders.Name)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESQLInstanceDatabaseEngineTypePostgreSQL, got.DatabaseEngineType)
	assert.NotEmpty(t, got.Accounts)
	_, err = sq.Get(ctx, orders.ProjectID, "no-such-instance")
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = sq.Get(ctx, orders.ProjectID, "")
	assert.ErrorIs(t, err, apierr.ErrMissingID)
	_, err = sq.Get(ctx, "project-apps", orders.Name)
	assert.ErrorIs(t, err, apierr.ErrNotFound, "an instance is found by project and name together")

	// Snapshots start sessions, leave restore points and show in the instance's sessions.
	spec := example[vbgcapi.SQLInstanceSnapshotSpec](t, "SqlInstanceSnapshotSpec")
	for range 3 {
		sess, err := sq.TakeSnapshot(ctx, orders.ProjectID, orders.Name, spec)
		require.NoError(t, err)
		done, err := c.Sessions.Wait(ctx, sess.SessionID, fastWait)
		require.NoError(t, err)
		assert.Equal(t, vbgcapi.ESessionTypeManualSnapshot, done.SessionType)
	}
	_, err = sq.TakeSnapshot(ctx, orders.ProjectID, "no-such-instance", spec)
	assert.ErrorIs(t, err, apierr.ErrNotFound)

	n := 0
	for rp, err := range sq.AllRestorePoints(ctx, orders.ProjectID, orders.Name, &vbgc.ListOptions{Limit: 2}) {
		require.NoError(t, err)
		assert.Equal(t, vbgcapi.ESQLInstanceRestorePointTypeSnapshot, rp.Type)
		assert.Equal(t, *spec.Location, *rp.Location)
		assert.True(t, *rp.IsManual)
		n++
	}
	assert.Equal(t, 3, n)
	rps, err := sq.RestorePoints(ctx, orders.ProjectID, orders.Name, &vbgc.ListOptions{Limit: 1})
	require.NoError(t, err)
	assert.Len(t, rps.Data, 1)
	assert.EqualValues(t, 3, rps.Pagination.TotalCount)
	_, err = sq.RestorePoints(ctx, orders.ProjectID, "missing-db", nil)
	assert.ErrorIs(t, err, apierr.ErrNotFound)
	_, err = sq.RestorePoints(ctx, "", orders.Name, nil)
	assert.Error(t, err)

	sessions, err := sq.Sessions(ctx, orders.ProjectID, orders.Name, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 3, sessions.Pagination.TotalCount)
	for _, s := range sessions.Data {
		assert.Equal(t, vbgcapi.ESessionResultSuccess, s.Result)
	}
	n = 0
	for s, err := range sq.AllSessions(ctx, orders.ProjectID, orders.Name, &vbgc.ListOptions{Limit: 2}) {
		require.NoError(t, err)
		assert.Equal(t, "Snapshot of orders-db", *s.Name)
		n++
	}
	assert.Equal(t, 3, n)
	sessions, err = sq.Sessions(ctx, "project-apps", "mysql-00", nil)
	require.NoError(t, err)
	assert.Empty(t, sessions.Data)

	require.NoError(t, sq.DeleteRestorePoints(ctx, orders.ProjectID, orders.Name))
	rps, err = sq.RestorePoints(ctx, orders.ProjectID, orders.Name, nil)
	require.NoError(t, err)
	assert.Empty(t, rps.Data)
	assert.ErrorIs(t, sq.DeleteRestorePoints(ctx, orders.ProjectID, "no-such-instance"), apierr.ErrNotFound)

	dbs, err := sq.Databases(ctx, orders.ProjectID, orders.Name, nil)
	require.NoError(t, err)
	require.Len(t, dbs.Data, 2)
	assert.Equal(t, "postgres", dbs.Data[0].Name)
	var dbNames []string
	for d, err := range sq.AllDatabases(ctx, "project-apps", "mysql-00", &vbgc.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		dbNames = append(dbNames, d.Name)
	}
	assert.Equal(t, []string{"mysql", "mysql-00-data"}, dbNames)
	for _, err := range sq.AllDatabases(ctx, "", "mysql-00", nil) {
		assert.Error(t, err, "an empty id is refused")
	}

	rescan, err := sq.Rescan(ctx)
	require.NoError(t, err)
	done, err := c.Sessions.Wait(ctx, rescan.SessionID, fastWait)
	require.NoError(t, err)
	assert.Equal(t, vbgcapi.ESessionTypeRescan, done.SessionType)

	assertOperationsCalled(t, srv, "SqlInstances")
}
