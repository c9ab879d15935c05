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

func TestVBEMReplicaSessions(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			entity := &vbem.ReplicaSessionsGetOptions{Format: vbemapi.GetReplicaSessionParamsFormatEntity}

			all, err := c.ReplicaSessions.List(ctx)
			require.NoError(t, err)
			require.Len(t, all.Refs, 3)
			assert.Equal(t, "ReplicaJobSessionReference", to.Value(all.Refs[0].Type))

			seed, err := c.ReplicaSessions.Get(ctx, vbemfake.SeedReplicaSessionID, entity)
			require.NoError(t, err)
			assert.Equal(t, "SQL Replication", to.Value(seed.JobName))
			assert.Equal(t, vbemapi.ReplicaJobSessionStateStopped, to.Value(seed.State))
			assert.Equal(t, vbemapi.ReplicaJobSessionResultSuccess, to.Value(seed.Result))
			ref, err := c.ReplicaSessions.Get(ctx, vbemfake.SeedReplicaSessionID, nil)
			require.NoError(t, err)
			assert.Equal(t, "ReplicaJobSessionReference", to.Value(ref.Type))
			assert.Nil(t, ref.State, "the reference form carries no state")

			tasks, err := c.ReplicaSessions.ListTaskSessions(ctx, vbemfake.SeedReplicaSessionID)
			require.NoError(t, err)
			require.Len(t, tasks.Refs, 1)
			ts, err := c.ReplicaTaskSessions.Get(ctx, vbem.IDFromHref(to.Value(tasks.Refs[0].Href)), &vbem.ReplicaTaskSessionsGetOptions{Format: vbemapi.GetReplicaTaskSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "urn:veeam:ReplicaJobSession:"+vbemfake.SeedReplicaSessionID, to.Value(ts.JobSessionUID))

			// A failover runs as a new job session that finishes after a few reads.
			task, err := c.ReplicaPoints.Failover(ctx, vbemfake.SeedVMReplicaPointID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			all, err = c.ReplicaSessions.List(ctx)
			require.NoError(t, err)
			require.Len(t, all.Refs, 4)
			newID := vbem.IDFromHref(to.Value(all.Refs[3].Href))
			first, err := c.ReplicaSessions.Get(ctx, newID, entity)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.ReplicaJobSessionStateWorking, to.Value(first.State))
			assert.Equal(t, "Failover", to.Value(first.JobType))
			assert.Nil(t, first.EndTimeUTC)
			done, err := c.ReplicaSessions.Get(ctx, newID, entity)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.ReplicaJobSessionStateStopped, to.Value(done.State))
			assert.Equal(t, vbemapi.ReplicaJobSessionResultSuccess, to.Value(done.Result))
			assert.NotNil(t, done.EndTimeUTC)
			failTasks, err := c.ReplicaSessions.ListTaskSessions(ctx, newID)
			require.NoError(t, err)
			require.Len(t, failTasks.Refs, 1)
			assert.True(t, strings.HasPrefix(to.Value(failTasks.Refs[0].Name), "sql02@"), to.Value(failTasks.Refs[0].Name))

			_, err = c.ReplicaSessions.Get(ctx, "0e0e0e0e-0000-4000-8000-000000000000", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.ReplicaSessions.ListTaskSessions(ctx, "0e0e0e0e-0000-4000-8000-000000000000")
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMVAppRestorePoints(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			none, err := c.VAppRestorePoints.List(ctx)
			require.NoError(t, err)
			assert.Empty(t, none.Refs, "no job has backed up a vApp yet")

			// A job that includes a vApp leaves a vApp restore point when it runs.
			task, err := c.Jobs.AddInclude(ctx, vbemfake.SeedJob2ID, vbemapi.CreateObjectInJobSpec{
				HierarchyObjRef: "urn:vCloud:Vapp:" + vbemfake.SeedHierarchyRoot + ".vapp-2", HierarchyObjName: to.Ptr("vApp2")})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			_, err = vbemStartAndWait(t, c, vbemfake.SeedJob2ID)
			require.NoError(t, err)

			list, err := c.VAppRestorePoints.List(ctx)
			require.NoError(t, err)
			require.Len(t, list.Refs, 1)
			id := vbem.IDFromHref(to.Value(list.Refs[0].Href))
			p, err := c.VAppRestorePoints.Get(ctx, id, &vbem.VAppRestorePointsGetOptions{Format: vbemapi.GetVAppRestorePointParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "vApp2", to.Value(p.VAppDisplayName))
			assert.Equal(t, "Full", to.Value(p.Algorithm))
			assert.Equal(t, "VAppRestorePoint", to.Value(p.Type))

			vms, err := c.VAppRestorePoints.ListVMRestorePoints(ctx, id)
			require.NoError(t, err)
			require.Len(t, vms.Refs, 1)
			assert.True(t, strings.HasPrefix(to.Value(vms.Refs[0].Name), "vApp2@"), to.Value(vms.Refs[0].Name))

			// The restore point of the run lists it; the other VM of the job has none.
			var pointID string
			for _, l := range p.Links {
				if l.Rel == "Up" {
					pointID = vbem.IDFromHref(l.Href)
				}
			}
			require.NotEmpty(t, pointID)
			ofPoint, err := c.RestorePoints.ListVAppRestorePoints(ctx, pointID)
			require.NoError(t, err)
			assert.Equal(t, refNames((*vbemapi.EntityReferences)(list)), refNames((*vbemapi.EntityReferences)(ofPoint)))
			allVMs, err := c.RestorePoints.ListVMRestorePoints(ctx, pointID)
			require.NoError(t, err)
			assert.Len(t, allVMs.Refs, 2)

			// A second run adds an increment.
			_, err = vbemStartAndWait(t, c, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			list, err = c.VAppRestorePoints.List(ctx)
			require.NoError(t, err)
			require.Len(t, list.Refs, 2)
			inc, err := c.VAppRestorePoints.Get(ctx, vbem.IDFromHref(to.Value(list.Refs[1].Href)), &vbem.VAppRestorePointsGetOptions{Format: vbemapi.GetVAppRestorePointParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "Increment", to.Value(inc.Algorithm))

			_, err = c.VAppRestorePoints.Get(ctx, "0e0e0e0e-0000-4000-8000-000000000000", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.VAppRestorePoints.ListVMRestorePoints(ctx, "0e0e0e0e-0000-4000-8000-000000000000")
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMBackupServerCredentials(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)

			seeded, err := c.Credentials.List(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			require.Len(t, seeded.CredentialsInfos, 1)
			assert.Equal(t, "root", to.Value(seeded.CredentialsInfos[0].Username))
			assert.Empty(t, to.Value(seeded.CredentialsInfos[0].Password))
			empty, err := c.Credentials.List(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Empty(t, empty.CredentialsInfos)

			const secret = "Cr3d-s3cret!"
			created, err := c.Credentials.Create(ctx, vbemfake.SeedBackupServer1ID, vbemapi.CredentialsInfoSpec{
				Username: to.Ptr(`TECH\svc-backup`), Description: to.Ptr("Guest processing"), Password: to.Ptr(secret)})
			require.NoError(t, err)
			require.NotNil(t, created)
			id := to.Value(created.ID)
			require.NotEmpty(t, id)
			assert.Empty(t, to.Value(created.Password), "the password is never returned")
			assert.True(t, srv.CheckCredentials(vbemfake.SeedBackupServer1ID, id, secret))

			got, err := c.Credentials.Get(ctx, vbemfake.SeedBackupServer1ID, id)
			require.NoError(t, err)
			assert.Equal(t, `TECH\svc-backup`, to.Value(got.Username))
			assert.Equal(t, "Guest processing", to.Value(got.Description))
			var names []string
			for cr, err := range c.Credentials.All(ctx, vbemfake.SeedBackupServer1ID) {
				require.NoError(t, err)
				names = append(names, to.Value(cr.Username))
			}
			assert.Equal(t, []string{`TECH\svc-backup`}, names)

			// Edit changes what it names and keeps the rest.
			edited, err := c.Credentials.Edit(ctx, vbemfake.SeedBackupServer1ID, id, vbemapi.CredentialsInfoSpec{Description: to.Ptr("Rotated"), Password: to.Ptr("n3w-secret")})
			require.NoError(t, err)
			assert.Equal(t, "Rotated", to.Value(edited.Description))
			assert.Equal(t, `TECH\svc-backup`, to.Value(edited.Username))
			assert.True(t, srv.CheckCredentials(vbemfake.SeedBackupServer1ID, id, "n3w-secret"))
			assert.False(t, srv.CheckCredentials(vbemfake.SeedBackupServer1ID, id, secret))

			// Bad input is a typed error that does not echo the secret.
			_, err = c.Credentials.Create(ctx, vbemfake.SeedBackupServer1ID, vbemapi.CredentialsInfoSpec{Username: to.Ptr("nopass")})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.Credentials.Create(ctx, "0e0e0e0e-0000-4000-8000-000000000000", vbemapi.CredentialsInfoSpec{Username: to.Ptr("x"), Password: to.Ptr(secret)})
			require.ErrorIs(t, err, apierr.ErrNotFound)
			assert.NotContains(t, err.Error(), secret)

			require.NoError(t, c.Credentials.Delete(ctx, vbemfake.SeedBackupServer1ID, id))
			_, err = c.Credentials.Get(ctx, vbemfake.SeedBackupServer1ID, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			err = c.Credentials.Delete(ctx, vbemfake.SeedBackupServer1ID, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			after, err := c.Credentials.List(ctx, vbemfake.SeedBackupServer1ID)
			require.NoError(t, err)
			assert.Empty(t, after.CredentialsInfos)
			still, err := c.Credentials.List(ctx, vbemfake.SeedBackupServer2ID)
			require.NoError(t, err)
			assert.Len(t, still.CredentialsInfos, 1, "the other server keeps its record")
		})
	}
}
