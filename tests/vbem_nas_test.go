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

func TestVBEMFileShareBackup(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}
			entity := &vbem.GetNASJobOptions{Format: vbemapi.GetNASJobParamsFormatEntity}

			svc, err := c.NAS.Service(ctx)
			require.NoError(t, err)
			assert.Len(t, svc.Links, 3)

			// Shares and the job that backs one up.
			shares, err := c.NAS.ListFileServers(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{`\\srv12\share`, "nfs01:/exports/projects"}, refNames(shares))
			share, err := c.NAS.GetFileServer(ctx, vbemfake.SeedFileServerID, &vbem.GetNASFileServerOptions{Format: vbemapi.GetNASFileServerParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "SmbServer", to.Value(share.ServerType))
			require.NotNil(t, share.SmbServerOptions)
			assert.Equal(t, vbemfake.SeedCredentialsID, to.Value(share.SmbServerOptions.CredentialsID))
			assert.Nil(t, share.NfsServerOptions)
			jobs, err := c.NAS.ListJobs(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedNASJobName}, refNames(jobs))
			job, err := c.NAS.GetJob(ctx, vbemfake.SeedNASJobID, entity)
			require.NoError(t, err)
			require.Len(t, job.Includes, 1)
			assert.Equal(t, []string{"*.*"}, job.Includes[0].InclusionMask)
			assert.Len(t, job.Includes[0].ExclusionMask, 2)
			assert.Equal(t, "urn:veeam:Repository:"+vbemfake.SeedRepositoryID, to.Value(job.StorageOptions.BackupRepositoryUID))
			objects, err := c.NAS.ListJobIncludes(ctx, vbemfake.SeedNASJobID)
			require.NoError(t, err)
			require.Len(t, objects.NASObjects, 1)
			obj, err := c.NAS.GetJobInclude(ctx, vbemfake.SeedNASJobID, to.Value(objects.NASObjects[0].ObjectInJobID))
			require.NoError(t, err)
			assert.Equal(t, "urn:veeam:FileServer:"+vbemfake.SeedFileServerID, to.Value(obj.FileServerUID))
			_, err = c.NAS.GetJobInclude(ctx, vbemfake.SeedNASJobID, noSuchID)
			require.ErrorIs(t, err, apierr.ErrNotFound)

			// Toggle the schedule off.
			wait.ok(c.NAS.ToggleJobSchedule(ctx, vbemfake.SeedNASJobID))
			job, err = c.NAS.GetJob(ctx, vbemfake.SeedNASJobID, entity)
			require.NoError(t, err)
			assert.False(t, to.Value(job.ScheduleEnabled))
			assert.Nil(t, job.NextRun)

			// Run, stop, retry.
			wait.fails(c.NAS.RetryJob(ctx, vbemfake.SeedNASJobID))
			task, err := c.NAS.StartJob(ctx, vbemfake.SeedNASJobID)
			require.NoError(t, err)
			assert.Equal(t, "StartNasJob", to.Value(task.Operation))
			sessID := waitRelatedSession(t, c, task)
			sess, err := c.BackupSessions.Get(ctx, sessID, &vbem.GetBackupSessionOptions{Format: vbemapi.GetBackupSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "NasBackup", to.Value(sess.JobType))
			vmPoints, err := c.VMRestorePoints.List(ctx)
			require.NoError(t, err)
			assert.Empty(t, vmPoints.Refs, "a file share leaves no VM restore point")
			backups, err := c.Backups.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedNASJobName}, refNames(backups))

			wait.ok(c.NAS.StartJob(ctx, vbemfake.SeedNASJobID))
			wait.fails(c.NAS.StartJob(ctx, vbemfake.SeedNASJobID)) // running
			task, err = c.NAS.StopJob(ctx, vbemfake.SeedNASJobID)
			require.NoError(t, err)
			assert.Equal(t, "StopNasJob", to.Value(task.Operation))
			wait.ok(task, nil)
			wait.fails(c.NAS.StopJob(ctx, vbemfake.SeedNASJobID)) // nothing running
			retried := waitRelatedSession(t, c, wait.ok(c.NAS.RetryJob(ctx, vbemfake.SeedNASJobID)))
			assert.NotEqual(t, sessID, retried)

			ofJob, err := c.NAS.ListJobBackupSessions(ctx, vbemfake.SeedNASJobID)
			require.NoError(t, err)
			assert.Len(t, ofJob.Refs, 3)
			all, err := c.NAS.ListBackupSessions(ctx)
			require.NoError(t, err)
			assert.Equal(t, refNames(ofJob), refNames(all))
			for _, err := range []error{
				func() error { _, err := c.NAS.GetJob(ctx, noSuchID, nil); return err }(),
				func() error { _, err := c.NAS.GetFileServer(ctx, noSuchID, nil); return err }(),
				func() error { _, err := c.NAS.ListJobBackupSessions(ctx, noSuchID); return err }(),
				func() error { _, err := c.NAS.StartJob(ctx, noSuchID); return err }(),
			} {
				require.ErrorIs(t, err, apierr.ErrNotFound)
			}
		})
	}
}
