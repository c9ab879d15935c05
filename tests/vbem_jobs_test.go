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

var vbemJobEntity = &vbem.GetJobOptions{Format: vbemapi.GetJobParamsFormatEntity}

func refNames(list *vbemapi.EntityReferences) []string {
	var out []string
	for _, r := range list.Refs {
		out = append(out, to.Value(r.Name))
	}
	return out
}

// vbemStartAndWait starts a job, waits for its task, then for the session
// the start created.
func vbemStartAndWait(t *testing.T, c *vbem.Client, jobID string) (*vbemapi.BackupJobSession, error) {
	t.Helper()
	ctx := context.Background()
	task, err := c.Jobs.Start(ctx, jobID)
	require.NoError(t, err)
	assert.Equal(t, "StartJob", to.Value(task.Operation))
	_, err = c.WaitTask(ctx, task, fastTask)
	require.NoError(t, err)
	latest, err := c.Query.LatestBackupSession(ctx, jobID)
	require.NoError(t, err)
	return c.BackupSessions.Wait(ctx, vbem.IDFromHref(to.Value(latest.Href)), fastTask)
}

func TestVBEMJobsReadEditToggleClone(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			jobs, err := c.Jobs.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedJobName, vbemfake.SeedJob2Name}, refNames(jobs))
			onServer, err := c.BackupServers.ListJobs(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			assert.Len(t, onServer.Refs, 2)
			none, err := c.BackupServers.ListJobs(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Empty(t, none.Refs)

			ref, err := c.Jobs.Get(ctx, vbemfake.SeedJobID, nil)
			require.NoError(t, err)
			assert.Equal(t, "JobReference", to.Value(ref.Type))
			assert.Nil(t, ref.ScheduleEnabled, "the reference form carries no elements")
			job, err := c.Jobs.Get(ctx, vbemfake.SeedJobID, vbemJobEntity)
			require.NoError(t, err)
			require.True(t, to.Value(job.ScheduleEnabled))
			require.NotNil(t, job.JobInfo)
			assert.Len(t, job.JobInfo.BackupJobInfo.Includes.ObjectInJobs, 2)

			// Edit: the description changes, seen on the next read.
			task, err := c.Jobs.Edit(ctx, vbemfake.SeedJobID, vbemapi.Job{Description: to.Ptr("nightly SQL"), ScheduleConfigured: to.Ptr(true)})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			job, err = c.Jobs.Get(ctx, vbemfake.SeedJobID, vbemJobEntity)
			require.NoError(t, err)
			assert.Equal(t, "nightly SQL", to.Value(job.Description))

			// Toggle twice: off, then on again.
			for _, want := range []bool{false, true} {
				task, err = c.Jobs.ToggleScheduleEnabled(ctx, vbemfake.SeedJobID)
				require.NoError(t, err)
				_, err = c.WaitTask(ctx, task, fastTask)
				require.NoError(t, err)
				job, err = c.Jobs.Get(ctx, vbemfake.SeedJobID, vbemJobEntity)
				require.NoError(t, err)
				assert.Equal(t, want, to.Value(job.ScheduleEnabled))
			}

			// Clone: the finished task links the new job, which has the includes.
			task, err = c.Jobs.Clone(ctx, vbemfake.SeedJobID, &vbemapi.JobCloneSpec{BackupJobCloneInfo: &vbemapi.BackupJobCloneInfo{
				JobName: to.Ptr("DB Backup copy"), RepositoryUID: to.Ptr("urn:veeam:Repository:" + vbemfake.SeedRepository2ID)}})
			require.NoError(t, err)
			done, err := c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			cloneID := vbem.RelatedID(done)
			require.NotEmpty(t, cloneID)
			clone, err := c.Jobs.Get(ctx, cloneID, vbemJobEntity)
			require.NoError(t, err)
			assert.Equal(t, "DB Backup copy", to.Value(clone.Name))
			assert.Len(t, clone.JobInfo.BackupJobInfo.Includes.ObjectInJobs, 2)
			_, err = c.Jobs.Clone(ctx, vbemfake.SeedJobID, &vbemapi.JobCloneSpec{BackupJobCloneInfo: &vbemapi.BackupJobCloneInfo{JobName: to.Ptr("x"), RepositoryUID: to.Ptr("urn:veeam:Repository:nope")}})
			require.ErrorIs(t, err, apierr.ErrBadRequest, "unknown repository: %v", err)

			// Query: typed job entities, filtered.
			page, err := c.Query.Jobs(ctx, &vbem.QueryOptions{Filter: `Name=="DB Backup copy"`})
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.Equal(t, cloneID, vbem.IDFromHref(to.Value(page.Items[0].Href)))
			var names []string
			for j, err := range c.Query.AllJobs(ctx, &vbem.QueryOptions{PageSize: 1, SortAsc: "Name"}) {
				require.NoError(t, err)
				names = append(names, to.Value(j.Name))
			}
			assert.Equal(t, []string{"DB Backup", "DB Backup copy", "File Servers"}, names)

			// Delete the clone.
			task, err = c.Jobs.Delete(ctx, cloneID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			_, err = c.Jobs.Get(ctx, cloneID, nil)
			require.ErrorIs(t, err, apierr.ErrNotFound, "deleted job: %v", err)
		})
	}
}

func TestVBEMJobIncludes(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)

			// Find the VM to add through the lookup service.
			svc, err := c.Lookup.Service(ctx)
			require.NoError(t, err)
			assert.Equal(t, "LookupService", to.Value(svc.Type))
			found, err := c.Lookup.Find(ctx, &vbem.LookupOptions{Host: "urn:veeam:HierarchyRoot:" + vbemfake.SeedHierarchyRoot, Name: "web", Type: "Vm"})
			require.NoError(t, err)
			require.Len(t, found.HierarchyItems, 1)
			vmRef := to.Value(found.HierarchyItems[0].ObjectRef)
			assert.Equal(t, vbemfake.SeedVMRef, vmRef)

			task, err := c.Jobs.AddInclude(ctx, vbemfake.SeedJob2ID, vbemapi.CreateObjectInJobSpec{HierarchyObjRef: vmRef, HierarchyObjName: to.Ptr("web01"), Order: to.Ptr(int32(1))})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			assert.Contains(t, srv.JobIncludes(vbemfake.SeedJob2ID), vmRef)
			_, err = c.Jobs.AddInclude(ctx, vbemfake.SeedJob2ID, vbemapi.CreateObjectInJobSpec{HierarchyObjRef: vmRef})
			require.ErrorIs(t, err, apierr.ErrBadRequest, "twice: %v", err)

			list, err := c.Jobs.ListIncludes(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			require.Len(t, list.ObjectInJobs, 2)
			var id string
			for inc, err := range c.Jobs.AllIncludes(ctx, vbemfake.SeedJob2ID) {
				require.NoError(t, err)
				if to.Value(inc.HierarchyObjRef) == vmRef {
					id = to.Value(inc.ObjectInJobID)
				}
			}
			require.NotEmpty(t, id)
			inc, err := c.Jobs.GetInclude(ctx, vbemfake.SeedJob2ID, id)
			require.NoError(t, err)
			assert.Equal(t, "web01", to.Value(inc.Name))

			task, err = c.Jobs.DeleteInclude(ctx, vbemfake.SeedJob2ID, id)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			assert.NotContains(t, srv.JobIncludes(vbemfake.SeedJob2ID), vmRef)
			_, err = c.Jobs.GetInclude(ctx, vbemfake.SeedJob2ID, id)
			require.ErrorIs(t, err, apierr.ErrNotFound, "removed include: %v", err)
			_, err = c.Jobs.GetInclude(ctx, vbemfake.SeedJob2ID, "")
			require.ErrorIs(t, err, apierr.ErrMissingID)
		})
	}
}
