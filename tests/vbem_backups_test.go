package tests

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

func TestVBEMStartBackupAndWalkItsPoints(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts, vbemfake.WithTaskSteps(3))

			sess, err := vbemStartAndWait(t, c, vbemfake.SeedJobID)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.BackupJobSessionResultSuccess, to.Value(sess.Result))
			assert.Equal(t, int32(100), to.Value(sess.Progress))
			sessID := vbem.IDFromHref(to.Value(sess.Href))

			all, err := c.BackupSessions.List(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 1)
			ofJob, err := c.Jobs.ListBackupSessions(ctx, vbemfake.SeedJobID)
			require.NoError(t, err)
			require.Len(t, ofJob.Refs, 1)
			assert.Equal(t, sessID, vbem.IDFromHref(to.Value(ofJob.Refs[0].Href)))

			// One task session per VM of the job, each completed.
			tasks, err := c.BackupSessions.ListTaskSessions(ctx, sessID)
			require.NoError(t, err)
			require.Len(t, tasks.Refs, 2)
			allTasks, err := c.BackupTaskSessions.List(ctx)
			require.NoError(t, err)
			assert.Len(t, allTasks.Refs, 2)
			ts, err := c.BackupTaskSessions.Get(ctx, vbem.IDFromHref(to.Value(tasks.Refs[0].Href)), &vbem.GetBackupTaskSessionOptions{Format: vbemapi.GetBackupTaskSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "Success", to.Value(ts.Result))
			assert.Equal(t, "sqlsrv01", to.Value(ts.VMDisplayName))

			// The session left a backup, a file, a restore point and two VM points.
			backups, err := c.Backups.List(ctx)
			require.NoError(t, err)
			require.Len(t, backups.Refs, 1)
			backupID := vbem.IDFromHref(to.Value(backups.Refs[0].Href))
			b, err := c.Backups.Get(ctx, backupID, &vbem.GetBackupOptions{Format: vbemapi.GetBackupParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedJobName, to.Value(b.Name))
			children, err := c.Backups.ListChildBackups(ctx, backupID)
			require.NoError(t, err)
			assert.Empty(t, children.Refs)
			files, err := c.Backups.ListBackupFiles(ctx, backupID)
			require.NoError(t, err)
			require.Len(t, files.Refs, 1)
			fileID := vbem.IDFromHref(to.Value(files.Refs[0].Href))
			allFiles, err := c.BackupFiles.List(ctx)
			require.NoError(t, err)
			assert.Len(t, allFiles.Refs, 1)
			file, err := c.BackupFiles.Get(ctx, fileID, &vbem.GetBackupFileOptions{Format: vbemapi.GetBackupFileParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "vbk", to.Value(file.FileType), "the first file of a chain is a full")
			points, err := c.Backups.ListRestorePoints(ctx, backupID)
			require.NoError(t, err)
			require.Len(t, points.Refs, 1)
			pointID := vbem.IDFromHref(to.Value(points.Refs[0].Href))
			fp, err := c.BackupFiles.ListRestorePoints(ctx, fileID)
			require.NoError(t, err)
			assert.Equal(t, refNames(points), refNames(fp))
			allPoints, err := c.RestorePoints.List(ctx)
			require.NoError(t, err)
			assert.Len(t, allPoints.Refs, 1)
			point, err := c.RestorePoints.Get(ctx, pointID, &vbem.GetRestorePointOptions{Format: vbemapi.GetRestorePointParamsFormatEntity})
			require.NoError(t, err)
			assert.NotNil(t, point.BackupDateUTC)
			pf, err := c.RestorePoints.ListBackupFiles(ctx, pointID)
			require.NoError(t, err)
			assert.Equal(t, refNames(files), refNames(pf))
			vmPoints, err := c.RestorePoints.ListVMRestorePoints(ctx, pointID)
			require.NoError(t, err)
			assert.Len(t, vmPoints.Refs, 2)
			fvm, err := c.BackupFiles.ListVMRestorePoints(ctx, fileID)
			require.NoError(t, err)
			assert.ElementsMatch(t, refNames(vmPoints), refNames(fvm))

			// A second run appends an increment to the same backup.
			_, err = vbemStartAndWait(t, c, vbemfake.SeedJobID)
			require.NoError(t, err)
			page, err := c.Query.BackupFiles(ctx, &vbem.QueryOptions{SortDesc: "CreationTime"})
			require.NoError(t, err)
			require.Len(t, page.Items, 2)
			assert.Equal(t, "vib", to.Value(page.Items[0].FileType))
			var count int
			for s, err := range c.Query.AllBackupSessions(ctx, &vbem.QueryOptions{Filter: "Result==Success", PageSize: 1}) {
				require.NoError(t, err)
				assert.Equal(t, vbemapi.BackupJobSessionResultSuccess, to.Value(s.Result))
				count++
			}
			assert.Equal(t, 2, count)
			tsPage, err := c.Query.BackupTaskSessions(ctx, &vbem.QueryOptions{Filter: "VmDisplayName==sqlsrv02"})
			require.NoError(t, err)
			assert.Len(t, tsPage.Items, 2)
			bPage, err := c.Query.Backups(ctx, nil)
			require.NoError(t, err)
			assert.Len(t, bPage.Items, 1)
			rpPage, err := c.Query.RestorePoints(ctx, nil)
			require.NoError(t, err)
			assert.Len(t, rpPage.Items, 2)
		})
	}
}

func TestVBEMBackupSessionFailsStopsAndRetries(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts, vbemfake.WithTaskSteps(4))

			srv.FailNextSessions(1)
			_, err := vbemStartAndWait(t, c, vbemfake.SeedJob2ID)
			require.ErrorIs(t, err, vbem.ErrSessionFailed)
			var se *vbem.SessionError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "Failed", se.Result)
			points, err := c.RestorePoints.List(ctx)
			require.NoError(t, err)
			assert.Empty(t, points.Refs, "a failed session leaves no restore point")

			// Retry: a new session marked IsRetry.
			task, err := c.Jobs.Retry(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			latest, err := c.Query.LatestBackupSession(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			assert.True(t, to.Value(latest.IsRetry))
			assert.Equal(t, vbemapi.BackupJobSessionStateWorking, to.Value(latest.State))

			// Starting a running job fails its task.
			task, err = c.Jobs.Start(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.ErrorIs(t, err, vbem.ErrTaskFailed)

			// Stop the running session through the session, then the job has
			// nothing left to stop.
			id := vbem.IDFromHref(to.Value(latest.Href))
			task, err = c.BackupSessions.Stop(ctx, id)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			got, err := c.BackupSessions.Get(ctx, id, &vbem.GetBackupSessionOptions{Format: vbemapi.GetBackupSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, vbemapi.BackupJobSessionStateStopped, to.Value(got.State))
			assert.Equal(t, vbemapi.BackupJobSessionResultFailed, to.Value(got.Result))
			task, err = c.Jobs.Stop(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.ErrorIs(t, err, vbem.ErrTaskFailed, "no running session to stop")

			// Jobs.Stop stops a session started afresh.
			task, err = c.Jobs.Start(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			task, err = c.Jobs.Stop(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			latest, err = c.Query.LatestBackupSession(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.BackupJobSessionStateStopped, to.Value(latest.State))

			_, err = c.BackupSessions.Get(ctx, "0e6b7c1a-0000-4000-8000-000000000000", nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.Query.LatestBackupSession(ctx, `x";(`)
			require.Error(t, err)
		})
	}
}

func TestVBEMRestoreVM(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			_, err := vbemStartAndWait(t, c, vbemfake.SeedJobID)
			require.NoError(t, err)

			// The newest point of sqlsrv02, through the query service.
			page, err := c.Query.VMRestorePoints(ctx, &vbem.QueryOptions{Filter: "VmDisplayName==sqlsrv02", SortDesc: "CreationTime", PageSize: 1})
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			pointID := vbem.IDFromHref(to.Value(page.Items[0].Href))
			all, err := c.VMRestorePoints.List(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 2)
			p, err := c.VMRestorePoints.Get(ctx, pointID, &vbem.GetVMRestorePointOptions{Format: vbemapi.GetVMRestorePointParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "Full", to.Value(p.PointType))

			roots, err := c.HierarchyRoots.List(ctx)
			require.NoError(t, err)
			require.Len(t, roots.Refs, 1)
			root, err := c.HierarchyRoots.Get(ctx, vbemfake.SeedHierarchyRoot, &vbem.GetHierarchyRootOptions{Format: vbemapi.GetHierarchyRootParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "VC", to.Value(root.HostType))

			spec := vbemapi.RestoreSpec{VMRestoreSpec: vbemapi.VMRestoreSpecInfo{PowerOnAfterRestore: true, HierarchyRootUID: root.UID,
				QuickRollback: to.Ptr(false), KeepOriginalVM: to.Ptr(true), VMRestoreParameters: &vbemapi.VMRestoreParameters{VMNewName: to.Ptr("sqlsrv02-restored")}}}
			task, err := c.VMRestorePoints.Restore(ctx, pointID, spec)
			require.NoError(t, err)
			assert.Equal(t, "StartVMRestore", to.Value(task.Operation))
			done, err := c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			rsID := vbem.RelatedID(done)
			require.NotEmpty(t, rsID)
			rs, err := c.RestoreSessions.Wait(ctx, rsID, fastTask)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.RestoreSessionResultSuccess, to.Value(rs.Result))
			assert.Equal(t, "sqlsrv02-restored", to.Value(rs.VMDisplayName))
			list, err := c.RestoreSessions.List(ctx)
			require.NoError(t, err)
			assert.Len(t, list.Refs, 1)
			rp, err := c.Query.RestoreSessions(ctx, nil)
			require.NoError(t, err)
			assert.Len(t, rp.Items, 1)

			// Bad specs are refused before a restore starts.
			bad := spec
			bad.VMRestoreSpec.QuickRollback = to.Ptr(true)
			_, err = c.VMRestorePoints.Restore(ctx, pointID, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			bad = spec
			bad.VMRestoreSpec.HierarchyRootUID = to.Ptr("urn:veeam:HierarchyRoot:unknown")
			_, err = c.VMRestorePoints.Restore(ctx, pointID, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.VMRestorePoints.Restore(ctx, "3f1e0000-0000-4000-8000-000000000000", spec)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			list, err = c.RestoreSessions.List(ctx)
			require.NoError(t, err)
			assert.Len(t, list.Refs, 1)
		})
	}
}

func TestVBEMInfrastructure(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			repos, err := c.Repositories.List(ctx)
			require.NoError(t, err)
			assert.Len(t, repos.Refs, 2)
			repo, err := c.Repositories.Get(ctx, vbemfake.SeedRepositoryID, &vbem.GetRepositoryOptions{Format: vbemapi.GetRepositoryParamsFormatEntity})
			require.NoError(t, err)
			assert.Greater(t, to.Value(repo.Capacity), to.Value(repo.FreeSpace))
			onServer, err := c.BackupServers.ListRepositories(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Equal(t, []string{"Linux Hardened"}, refNames(onServer))
			rp, err := c.Query.Repositories(ctx, &vbem.QueryOptions{Filter: "Kind==LinuxLocal"})
			require.NoError(t, err)
			require.Len(t, rp.Items, 1)
			var n int
			for _, err := range c.Query.AllRepositories(ctx, &vbem.QueryOptions{PageSize: 1}) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 2, n)

			empty, err := c.Repositories.ListBackups(ctx, vbemfake.SeedRepositoryID)
			require.NoError(t, err)
			assert.Empty(t, empty.Refs)
			_, err = vbemStartAndWait(t, c, vbemfake.SeedJobID)
			require.NoError(t, err)
			backups, err := c.Repositories.ListBackups(ctx, vbemfake.SeedRepositoryID)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedJobName}, refNames(backups))

			ms, err := c.ManagedServers.List(ctx)
			require.NoError(t, err)
			assert.Len(t, ms.Refs, 2)
			one, err := c.ManagedServers.Get(ctx, vbemfake.SeedManagedServer, &vbem.GetManagedServerOptions{Format: vbemapi.GetManagedServerParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "Windows", to.Value(one.ManagedServerType))
			onSrv, err := c.BackupServers.ListManagedServers(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			assert.Len(t, onSrv.Refs, 2)
			_, err = c.ManagedServers.Get(ctx, "9a9a9a9a-0000-4000-8000-000000000000", nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)

			byRef, err := c.Lookup.Find(ctx, &vbem.LookupOptions{HierarchyRef: vbemfake.SeedVMRef})
			require.NoError(t, err)
			require.Len(t, byRef.HierarchyItems, 1)
			assert.Equal(t, "web01", to.Value(byRef.HierarchyItems[0].ObjectName))
			_, err = c.Lookup.Find(ctx, nil)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
		})
	}
}
