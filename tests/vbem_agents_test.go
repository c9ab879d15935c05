package tests

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

const noSuchID = "0e0e0e0e-0000-4000-8000-000000000000"

func TestVBEMAgentInventory(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			svc, err := c.Agents.Service(ctx)
			require.NoError(t, err)
			assert.Equal(t, "AgentsService", to.Value(svc.Type))
			var downs []string
			for _, l := range svc.Links {
				if l.Rel == "Down" {
					downs = append(downs, l.Href[strings.LastIndex(l.Href, "/")+1:])
				}
			}
			assert.Contains(t, downs, "jobs")
			assert.Contains(t, downs, "agentRestorePoints")

			jobs, err := c.Agents.ListJobs(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedAgentJobName}, refNames(jobs))
			job, err := c.Agents.GetJob(ctx, vbemfake.SeedAgentJobID, &vbem.GetAgentJobOptions{Format: vbemapi.GetAgentJobParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "AgentBackup", to.Value(job.JobType))
			assert.Equal(t, "AgentForWindows", to.Value(job.Platform))
			assert.True(t, to.Value(job.ScheduleEnabled))
			ref, err := c.Agents.GetJob(ctx, vbemfake.SeedAgentJobID, nil)
			require.NoError(t, err)
			assert.Equal(t, "AgentBackupJobReference", to.Value(ref.Type))
			assert.Nil(t, ref.JobType)

			includes, err := c.Agents.ListJobIncludes(ctx, vbemfake.SeedAgentJobID)
			require.NoError(t, err)
			require.Len(t, includes.ObjectInAgentBackupJobs, 1)
			inc := includes.ObjectInAgentBackupJobs[0]
			assert.Equal(t, "SQL Servers", to.Value(inc.Name))
			one, err := c.Agents.GetJobInclude(ctx, vbemfake.SeedAgentJobID, to.Value(inc.ObjectInJobID))
			require.NoError(t, err)
			assert.Equal(t, to.Value(inc.Href), to.Value(one.Href))
			_, err = c.Agents.GetJobInclude(ctx, vbemfake.SeedAgentJobID, noSuchID)
			require.ErrorIs(t, err, apierr.ErrNotFound)

			groups, err := c.Agents.ListProtectionGroups(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{"SQL Servers", "Linux Servers"}, refNames(groups))
			g, err := c.Agents.GetProtectionGroup(ctx, vbemfake.SeedProtectionGroupID, &vbem.GetAgentProtectionGroupOptions{Format: vbemapi.GetAgentProtectionGroupParamsFormatEntity})
			require.NoError(t, err)
			assert.True(t, to.Value(g.RescanScheduleEnabled))
			inGroup, err := c.Agents.ListProtectionGroupComputers(ctx, vbemfake.SeedProtectionGroupID)
			require.NoError(t, err)
			assert.Equal(t, []string{"sql-phys01.tech.local", "sql-phys02.tech.local"}, refNames(inGroup))
			all, err := c.Agents.ListDiscoveredComputers(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 3)
			pc, err := c.Agents.GetDiscoveredComputer(ctx, vbemfake.SeedDiscoveredComputerID, &vbem.GetAgentDiscoveredComputerOptions{Format: vbemapi.GetAgentDiscoveredComputerParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "Installed", to.Value(pc.AgentStatus))
			assert.Equal(t, "Online", to.Value(pc.HostStatus))
			assert.Equal(t, "172.17.53.89", to.Value(pc.IPAddress))
			var group string
			for _, l := range pc.Links {
				if l.Rel == "Up" && to.Value(l.Type) == "AgentProtectionGroupReference" {
					group = vbem.IDFromHref(l.Href)
				}
			}
			assert.Equal(t, vbemfake.SeedProtectionGroupID, group)
			for _, err := range []error{
				func() error { _, err := c.Agents.GetJob(ctx, noSuchID, nil); return err }(),
				func() error { _, err := c.Agents.GetProtectionGroup(ctx, noSuchID, nil); return err }(),
				func() error { _, err := c.Agents.ListProtectionGroupComputers(ctx, noSuchID); return err }(),
				func() error { _, err := c.Agents.GetDiscoveredComputer(ctx, noSuchID, nil); return err }(),
				func() error { _, err := c.Agents.ListJobIncludes(ctx, noSuchID); return err }(),
			} {
				require.ErrorIs(t, err, apierr.ErrNotFound)
			}
		})
	}
}

func TestVBEMAgentJobRunsAndRestorePoints(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}
			entity := &vbem.GetAgentJobOptions{Format: vbemapi.GetAgentJobParamsFormatEntity}

			// The schedule toggles off and on.
			for _, want := range []bool{false, true} {
				wait.ok(c.Agents.ToggleJobSchedule(ctx, vbemfake.SeedAgentJobID))
				job, err := c.Agents.GetJob(ctx, vbemfake.SeedAgentJobID, entity)
				require.NoError(t, err)
				assert.Equal(t, want, to.Value(job.ScheduleEnabled))
			}
			wait.fails(c.Agents.RetryJob(ctx, vbemfake.SeedAgentJobID)) // nothing failed yet
			wait.fails(c.Agents.StopJob(ctx, vbemfake.SeedAgentJobID))  // nothing running

			// A run: an AgentBackup session with a task per computer, and
			// the AgentManagement session it ran.
			task, err := c.Agents.StartJob(ctx, vbemfake.SeedAgentJobID)
			require.NoError(t, err)
			assert.Equal(t, "StartJob", to.Value(task.Operation))
			sessID := waitRelatedSession(t, c, task)
			sess, err := c.BackupSessions.Get(ctx, sessID, &vbem.GetBackupSessionOptions{Format: vbemapi.GetBackupSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "AgentBackup", to.Value(sess.JobType))
			runs, err := c.BackupSessions.ListTaskSessions(ctx, sessID)
			require.NoError(t, err)
			assert.Len(t, runs.Refs, 2)
			agentSessions, err := c.Agents.ListBackupSessions(ctx)
			require.NoError(t, err)
			assert.Len(t, agentSessions.Refs, 1)
			mgmt, err := c.BackupSessions.ListAgentManagementSessions(ctx, sessID)
			require.NoError(t, err)
			require.Len(t, mgmt.Refs, 1)
			ms, err := c.BackupSessions.Get(ctx, vbem.IDFromHref(to.Value(mgmt.Refs[0].Href)), &vbem.GetBackupSessionOptions{Format: vbemapi.GetBackupSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "AgentManagement", to.Value(ms.JobType))
			allSessions, err := c.BackupSessions.List(ctx)
			require.NoError(t, err)
			assert.Len(t, allSessions.Refs, 2, "/backupSessions lists both")
			_, err = c.BackupSessions.ListAgentManagementSessions(ctx, noSuchID)
			require.ErrorIs(t, err, apierr.ErrNotFound)

			// What the run left: a backup with one file and one restore
			// point, which holds a Veeam Agent restore point per computer
			// and no VM restore point.
			backups, err := c.Agents.ListBackups(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedAgentJobName}, refNames(backups))
			files, err := c.Agents.ListBackupFiles(ctx)
			require.NoError(t, err)
			assert.Len(t, files.Refs, 1)
			points, err := c.Agents.ListRestorePoints(ctx)
			require.NoError(t, err)
			require.Len(t, points.Refs, 1)
			pointID := vbem.IDFromHref(to.Value(points.Refs[0].Href))
			ofPoint, err := c.RestorePoints.ListAgentRestorePoints(ctx, pointID)
			require.NoError(t, err)
			assert.Len(t, ofPoint.Refs, 2)
			agentPoints, err := c.Agents.ListAgentRestorePoints(ctx)
			require.NoError(t, err)
			assert.Equal(t, refNames(ofPoint), refNames(agentPoints))
			vmPoints, err := c.VMRestorePoints.List(ctx)
			require.NoError(t, err)
			assert.Empty(t, vmPoints.Refs)
			ap, err := c.Agents.GetAgentRestorePoint(ctx, vbem.IDFromHref(to.Value(agentPoints.Refs[0].Href)), &vbem.GetAgentRestorePointOptions{Format: vbemapi.GetAgentRestorePointParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "Full", to.Value(ap.PointType))
			assert.True(t, strings.HasPrefix(to.Value(ap.Name), "sql-phys01.tech.local@"), to.Value(ap.Name))

			// Start, stop: the session fails; retry runs it again.
			task, err = c.Agents.StartJob(ctx, vbemfake.SeedAgentJobID)
			require.NoError(t, err)
			wait.ok(task, nil)
			wait.fails(c.Agents.StartJob(ctx, vbemfake.SeedAgentJobID)) // already running
			wait.ok(c.Agents.StopJob(ctx, vbemfake.SeedAgentJobID))
			task, err = c.Agents.RetryJob(ctx, vbemfake.SeedAgentJobID)
			require.NoError(t, err)
			assert.Equal(t, "RetryAgentJob", to.Value(task.Operation))
			retried := waitRelatedSession(t, c, task)
			rs, err := c.BackupSessions.Get(ctx, retried, &vbem.GetBackupSessionOptions{Format: vbemapi.GetBackupSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.True(t, to.Value(rs.IsRetry))
			agentSessions, err = c.Agents.ListBackupSessions(ctx)
			require.NoError(t, err)
			assert.Len(t, agentSessions.Refs, 3)
			_, err = c.RestorePoints.ListAgentRestorePoints(ctx, noSuchID)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMAgentFileLevelRestore(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}
			task, err := c.Agents.StartJob(ctx, vbemfake.SeedAgentJobID)
			require.NoError(t, err)
			waitRelatedSession(t, c, task)
			var rp string
			for p, err := range c.Agents.AllAgentRestorePoints(ctx) {
				require.NoError(t, err)
				rp = vbem.IDFromHref(to.Value(p.Href))
				break
			}
			require.NotEmpty(t, rp)

			none, err := c.Agents.ListMounts(ctx, rp)
			require.NoError(t, err)
			assert.Empty(t, none.AgentRestorePointMounts)
			task, err = c.Agents.Mount(ctx, rp)
			require.NoError(t, err)
			assert.Equal(t, "MountRestorePoint", to.Value(task.Operation))
			mountID := vbem.RelatedID(wait.ok(task, nil))
			require.NotEmpty(t, mountID)
			var mounts []vbemapi.AgentRestorePointMount
			for mt, err := range c.Agents.AllMounts(ctx, rp) {
				require.NoError(t, err)
				mounts = append(mounts, mt)
			}
			require.Len(t, mounts, 1)
			mount, err := c.Agents.GetMount(ctx, rp, mountID)
			require.NoError(t, err)
			var roots []string
			for _, d := range mount.FSRoots.DirectoryEntries {
				roots = append(roots, to.Value(d.Path))
			}
			assert.Equal(t, []string{"C:", "D:"}, roots)

			entries, err := c.Agents.Browse(ctx, rp, mountID, "C:/Shares/Finance", &vbem.AgentsBrowseOptions{Action: vbemapi.BrowseAgentRestorePointMountParamsActionListFiles})
			require.NoError(t, err)
			assert.Len(t, entries.Files.FileEntries, 2)
			_, err = c.Agents.Browse(ctx, rp, mountID, "C:/Nowhere", nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)

			wait.ok(c.Agents.RestoreFile(ctx, rp, mountID, "C:/Shares/Finance/budget.xlsx", vbemapi.FileRestoreSpec{ForDirectDownload: &vbemapi.EmptyElement{}}))
			restored := srv.RestoredFiles()
			require.Len(t, restored, 1)
			assert.Equal(t, vbemfake.RestoredFile{Point: rp, Path: "C:/Shares/Finance/budget.xlsx", Download: true}, restored[0])
			_, err = c.Agents.RestoreFile(ctx, rp, mountID, "C:/Shares/none.txt", vbemapi.FileRestoreSpec{ForDirectDownload: &vbemapi.EmptyElement{}})
			require.ErrorIs(t, err, apierr.ErrNotFound)

			require.NoError(t, c.Agents.Unmount(ctx, rp, mountID))
			_, err = c.Agents.GetMount(ctx, rp, mountID)
			require.ErrorIs(t, err, apierr.ErrNotFound)
			require.ErrorIs(t, c.Agents.Unmount(ctx, rp, mountID), apierr.ErrNotFound)
			_, err = c.Agents.Mount(ctx, noSuchID)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
