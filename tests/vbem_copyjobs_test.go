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

// taskWaiter waits for the tasks of one client, so that a call's two results
// can be passed on whole: taskWaiter{t, c}.ok(c.Jobs.Start(ctx, id)).
type taskWaiter struct {
	t *testing.T
	c *vbem.Client
}

// ok waits for a task that must succeed and returns it finished.
func (w taskWaiter) ok(task *vbemapi.Task, err error) *vbemapi.Task {
	w.t.Helper()
	require.NoError(w.t, err)
	done, err := w.c.WaitTask(context.Background(), task, fastTask)
	require.NoError(w.t, err)
	return done
}

// fails waits for a task that must fail.
func (w taskWaiter) fails(task *vbemapi.Task, err error) {
	w.t.Helper()
	require.NoError(w.t, err)
	_, err = w.c.WaitTask(context.Background(), task, fastTask)
	require.ErrorIs(w.t, err, vbem.ErrTaskFailed)
}

func TestVBEMBackupCopyJobLinksAndSync(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}
			copyID := srv.AddBackupCopyJob(vbemfake.SeedBackupServer2ID, "Offsite Copy", vbemfake.SeedRepository2ID)
			job, err := c.Jobs.Get(ctx, copyID, vbemJobEntity)
			require.NoError(t, err)
			assert.Equal(t, "BackupCopy", to.Value(job.JobType))

			linked, err := c.Jobs.ListLinkedJobs(ctx, copyID)
			require.NoError(t, err)
			assert.Empty(t, linked.LinkedJobObjects)
			task, err := c.Jobs.Sync(ctx, copyID)
			require.NoError(t, err)
			assert.Equal(t, "StartJobSync", to.Value(task.Operation))
			wait.fails(task, nil) // nothing to copy yet

			// Link DB Backup: it is listed with its UID; linking it again,
			// linking a copy job or an unknown job is refused.
			wait.ok(c.Jobs.LinkJob(ctx, copyID, vbemapi.CreateLinkedJobSpec{LinkedJobUID: "urn:veeam:Job:" + vbemfake.SeedJobID}))
			linked, err = c.Jobs.ListLinkedJobs(ctx, copyID)
			require.NoError(t, err)
			require.Len(t, linked.LinkedJobObjects, 1)
			assert.Equal(t, "urn:veeam:Job:"+vbemfake.SeedJobID, to.Value(linked.LinkedJobObjects[0].LinkedJobUID))
			linkID := to.Value(linked.LinkedJobObjects[0].ObjectInJobID)
			assert.Equal(t, linkID, vbem.IDFromHref(to.Value(linked.LinkedJobObjects[0].Href)))
			for _, uid := range []string{"urn:veeam:Job:" + vbemfake.SeedJobID, "urn:veeam:Job:" + copyID, "urn:veeam:Job:0e0e0e0e-0000-4000-8000-000000000000"} {
				_, err = c.Jobs.LinkJob(ctx, copyID, vbemapi.CreateLinkedJobSpec{LinkedJobUID: uid})
				require.ErrorIs(t, err, apierr.ErrBadRequest, uid)
			}
			_, err = c.Jobs.LinkJob(ctx, vbemfake.SeedJobID, vbemapi.CreateLinkedJobSpec{LinkedJobUID: "urn:veeam:Job:" + vbemfake.SeedJob2ID})
			require.ErrorIs(t, err, apierr.ErrBadRequest, "DB Backup is no backup copy job")

			// Sync copies the VMs of DB Backup into a backup of the copy job
			// on its repository.
			task, err = c.Jobs.Sync(ctx, copyID)
			require.NoError(t, err)
			sessID := waitRelatedSession(t, c, task)
			runs, err := c.BackupSessions.ListTaskSessions(ctx, sessID)
			require.NoError(t, err)
			assert.Len(t, runs.Refs, 2, "sqlsrv01 and sqlsrv02")
			onRepo, err := c.Repositories.ListBackups(ctx, vbemfake.SeedRepository2ID)
			require.NoError(t, err)
			assert.NotEmpty(t, refID(onRepo, "Offsite Copy"))
			wait.fails(c.Jobs.Sync(ctx, vbemfake.SeedJobID)) // a backup job cannot sync

			// Link the repository File Servers backs up to: its VM (fs01)
			// is copied too.
			_, err = vbemStartAndWait(t, c, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			wait.ok(c.Jobs.LinkRepository(ctx, copyID, vbemapi.CreateLinkedBackupRepositorySpec{LinkedBackupRepositoryUID: "urn:veeam:Repository:" + vbemfake.SeedRepositoryID}))
			_, err = c.Jobs.LinkRepository(ctx, copyID, vbemapi.CreateLinkedBackupRepositorySpec{LinkedBackupRepositoryUID: "urn:veeam:Repository:" + vbemfake.SeedRepositoryID})
			require.ErrorIs(t, err, apierr.ErrBadRequest, "already linked")
			_, err = c.Jobs.LinkRepository(ctx, copyID, vbemapi.CreateLinkedBackupRepositorySpec{LinkedBackupRepositoryUID: "urn:veeam:Repository:nope"})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			var repoLinks []vbemapi.LinkedBackupRepository
			for l, err := range c.Jobs.AllLinkedRepositories(ctx, copyID) {
				require.NoError(t, err)
				repoLinks = append(repoLinks, l)
			}
			require.Len(t, repoLinks, 1)
			assert.Equal(t, "urn:veeam:Repository:"+vbemfake.SeedRepositoryID, to.Value(repoLinks[0].LinkedBackupRepositoryUID))
			task, err = c.Jobs.Sync(ctx, copyID)
			require.NoError(t, err)
			sessID = waitRelatedSession(t, c, task)
			runs, err = c.BackupSessions.ListTaskSessions(ctx, sessID)
			require.NoError(t, err)
			assert.Len(t, runs.Refs, 3, "sqlsrv01, sqlsrv02 and fs01")

			// Unlink both; unlinking again is a 404.
			wait.ok(c.Jobs.UnlinkJob(ctx, copyID, linkID))
			wait.ok(c.Jobs.UnlinkRepository(ctx, copyID, to.Value(repoLinks[0].ObjectInJobID)))
			_, err = c.Jobs.UnlinkJob(ctx, copyID, linkID)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.Jobs.UnlinkRepository(ctx, copyID, to.Value(repoLinks[0].ObjectInJobID))
			require.ErrorIs(t, err, apierr.ErrNotFound)
			linked, err = c.Jobs.ListLinkedJobs(ctx, copyID)
			require.NoError(t, err)
			assert.Empty(t, linked.LinkedJobObjects)
			repos, err := c.Jobs.ListLinkedRepositories(ctx, copyID)
			require.NoError(t, err)
			assert.Empty(t, repos.LinkedBackupRepositories)
			_, err = c.Jobs.ListLinkedJobs(ctx, "0e0e0e0e-0000-4000-8000-000000000000")
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
