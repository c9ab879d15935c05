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

func TestVBEMVAppRestore(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}

			// A run of a job that includes vApp2 leaves a vApp restore point.
			wait.ok(c.Jobs.AddInclude(ctx, vbemfake.SeedJob2ID, vbemapi.CreateObjectInJobSpec{
				HierarchyObjRef: "urn:vCloud:Vapp:" + vbemfake.SeedHierarchyRoot + ".vapp-2", HierarchyObjName: to.Ptr("vApp2")}))
			_, err := vbemStartAndWait(t, c, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			list, err := c.VAppRestorePoints.List(ctx)
			require.NoError(t, err)
			require.Len(t, list.Refs, 1)
			pointID := vbem.IDFromHref(to.Value(list.Refs[0].Href))
			vms, err := c.VAppRestorePoints.ListVMRestorePoints(ctx, pointID)
			require.NoError(t, err)
			require.Len(t, vms.Refs, 1)
			vmPoint := to.Value(vms.Refs[0].UID)

			spec := vbemapi.VAppRestoreSpec{VCloudVAppRestoreSpec: vbemapi.VCloudVAppRestoreSpecInfo{
				PowerOnAfterRestore: true, HierarchyRootUID: "urn:veeam:HierarchyRoot:" + vbemfake.SeedHierarchyRoot,
				OrgVdcRef:   "urn:vCloud:OrgVdc:" + vbemfake.SeedHierarchyRoot + ".urn:vcloud:vdc:1d0bf8ae-8eac-4772-b675-5a4cf06fcbc1",
				VAppNewName: to.Ptr("vApp2_restored"),
				VMsRestoreParameters: []vbemapi.VCloudVMRestoreParameters{{VMRestorePointUID: vmPoint, VMNewName: to.Ptr("vm1-restored"),
					DatastoreRef: to.Ptr("urn:vCloud:Datastore:" + vbemfake.SeedHierarchyRoot + ".urn:vcloud:datastore:68d9f62d")}},
			}}
			task, err := c.VAppRestorePoints.Restore(ctx, pointID, spec)
			require.NoError(t, err)
			assert.Equal(t, "StartvAppRestore", to.Value(task.Operation))
			done := wait.ok(task, nil)
			rs, err := c.RestoreSessions.Wait(ctx, vbem.RelatedID(done), fastTask)
			require.NoError(t, err)
			assert.Equal(t, "vApp2_restored", to.Value(rs.VMDisplayName))
			assert.Equal(t, vbemapi.RestoreSessionResultSuccess, to.Value(rs.Result))

			// Refused: a VM point of another vApp, an unknown host, no OrgVdc.
			bad := spec
			bad.VCloudVAppRestoreSpec.VMsRestoreParameters = []vbemapi.VCloudVMRestoreParameters{{VMRestorePointUID: "urn:veeam:VmRestorePoint:0e0e0e0e-0000-4000-8000-000000000000"}}
			_, err = c.VAppRestorePoints.Restore(ctx, pointID, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			bad = spec
			bad.VCloudVAppRestoreSpec.HierarchyRootUID = "urn:veeam:HierarchyRoot:0e0e0e0e-0000-4000-8000-000000000000"
			_, err = c.VAppRestorePoints.Restore(ctx, pointID, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			bad = spec
			bad.VCloudVAppRestoreSpec.OrgVdcRef = "vdc-1"
			_, err = c.VAppRestorePoints.Restore(ctx, pointID, bad)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.VAppRestorePoints.Restore(ctx, "0e0e0e0e-0000-4000-8000-000000000000", spec)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMVAppReplicaPointsFailover(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}

			none, err := c.VAppReplicaPoints.List(ctx)
			require.NoError(t, err)
			assert.Empty(t, none.Refs)
			replicaID, pointID := srv.AddVAppReplica("vCD Replication", "vApp01", "web01", "db01")
			list, err := c.VAppReplicaPoints.List(ctx)
			require.NoError(t, err)
			require.Len(t, list.Refs, 1)
			assert.True(t, strings.HasPrefix(to.Value(list.Refs[0].Name), "vApp01@"), to.Value(list.Refs[0].Name))
			entity := &vbem.GetVAppReplicaPointOptions{Format: vbemapi.GetVAppReplicaPointParamsFormatEntity}
			p, err := c.VAppReplicaPoints.Get(ctx, pointID, entity)
			require.NoError(t, err)
			assert.Equal(t, "vApp01", to.Value(p.VAppDisplayName))
			assert.Equal(t, "Snapshot", to.Value(p.PointType))
			var down []string
			canFailover := false
			for _, l := range p.Links {
				switch l.Rel {
				case "Down":
					down = append(down, vbem.IDFromHref(l.Href))
				case "Failover":
					canFailover = true
				case "Up":
					assert.Equal(t, replicaID, vbem.IDFromHref(l.Href))
				}
			}
			assert.True(t, canFailover)
			require.Len(t, down, 2, "one VM replica point per VM")
			ofReplica, err := c.Replicas.ListPoints(ctx, replicaID)
			require.NoError(t, err)
			assert.Len(t, ofReplica.Refs, 2)

			// Failover: both VMs are failed over in one replication session.
			task, err := c.VAppReplicaPoints.Failover(ctx, pointID)
			require.NoError(t, err)
			assert.Equal(t, "StartReplicaFailover", to.Value(task.Operation))
			done := wait.ok(task, nil)
			sessID := vbem.RelatedID(done)
			tasks, err := c.ReplicaSessions.ListTaskSessions(ctx, sessID)
			require.NoError(t, err)
			assert.Len(t, tasks.Refs, 2)
			assert.True(t, srv.FailedOver("web01"))
			assert.True(t, srv.FailedOver("db01"))
			p, err = c.VAppReplicaPoints.Get(ctx, pointID, entity)
			require.NoError(t, err)
			for _, l := range p.Links {
				assert.NotEqual(t, "Failover", l.Rel, "no failover link once failed over")
			}
			_, err = c.VAppReplicaPoints.Failover(ctx, pointID)
			require.ErrorIs(t, err, apierr.ErrBadRequest, "already failed over")
			_, err = c.VAppReplicaPoints.Failover(ctx, "0e0e0e0e-0000-4000-8000-000000000000")
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMWANAccelerators(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			list, err := c.WANAccelerators.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{"172.16.13.45", "172.16.14.20"}, refNames(list))
			var ids []string
			for r, err := range c.WANAccelerators.All(ctx) {
				require.NoError(t, err)
				ids = append(ids, vbem.IDFromHref(to.Value(r.Href)))
			}
			assert.Equal(t, vbemfake.SeedWANAcceleratorID, ids[0])
			ref, err := c.WANAccelerators.Get(ctx, vbemfake.SeedWANAcceleratorID, nil)
			require.NoError(t, err)
			assert.Equal(t, "WanAcceleratorReference", to.Value(ref.Type))
			assert.Nil(t, ref.Capacity)
			a, err := c.WANAccelerators.Get(ctx, vbemfake.SeedWANAcceleratorID, &vbem.GetWANAcceleratorOptions{Format: vbemapi.GetWanAcceleratorParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, int64(100), to.Value(a.Capacity))
			assert.Equal(t, int32(6165), to.Value(a.TrafficPort))
			assert.Equal(t, `C:\VeeamWAN`, to.Value(a.CachePath))
			var server string
			for _, l := range a.Links {
				if l.Rel == "Up" {
					server = vbem.IDFromHref(l.Href)
				}
			}
			assert.Equal(t, vbemfake.SeedBackupServer2ID, server)
			_, err = c.WANAccelerators.Get(ctx, "0e0e0e0e-0000-4000-8000-000000000000", nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMSystemSessionsLogCollections(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			list, err := c.SystemSessions.List(ctx)
			require.NoError(t, err)
			require.Len(t, list.SystemSessions, 1)
			assert.True(t, strings.HasPrefix(to.Value(list.SystemSessions[0].Name), "Collect Job @"), to.Value(list.SystemSessions[0].Name))

			// A data collection is logged as a CollectJob session.
			taskWaiter{t, c}.ok(c.BackupServers.Collect(ctx, vbemfake.SeedBackupServer1ID))
			var ids []string
			for s, err := range c.SystemSessions.All(ctx) {
				require.NoError(t, err)
				ids = append(ids, vbem.IDFromHref(to.Value(s.Href)))
			}
			require.Len(t, ids, 2)
			s, err := c.SystemSessions.Get(ctx, ids[1], &vbem.GetSystemSessionOptions{Format: vbemapi.GetSystemSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "CollectJob", to.Value(s.SessionType))
			assert.Equal(t, "CompletedSuccessfully", to.Value(s.State))
			require.NotNil(t, s.Result)
			assert.Equal(t, "Success", to.Value(s.Result.Result))
			assert.Contains(t, to.Value(s.Result.Message), vbemfake.SeedBackupServer1Name)
			ref, err := c.SystemSessions.Get(ctx, ids[1], nil)
			require.NoError(t, err)
			assert.Equal(t, "SystemSessionReference", to.Value(ref.Type))
			assert.Nil(t, ref.SessionType)
			_, err = c.SystemSessions.Get(ctx, "0e0e0e0e-0000-4000-8000-000000000000", nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
