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

func TestVBEMCDPPoliciesAndSessions(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}
			entity := &vbem.GetCdpPolicyOptions{Format: vbemapi.GetCdpPolicyParamsFormatEntity}
			hasLink := func(p *vbemapi.CdpPolicy, rel string) bool {
				for _, l := range p.Links {
					if l.Rel == rel {
						return true
					}
				}
				return false
			}

			policies, err := c.CDP.ListPolicies(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{"CDP Policy 1", "CDP Policy Cloud Director"}, refNames(policies))
			p, err := c.CDP.GetPolicy(ctx, vbemfake.SeedCdpPolicyID, entity)
			require.NoError(t, err)
			assert.Equal(t, "CdpReplica", to.Value(p.PolicyType))
			assert.True(t, hasLink(p, "Disable"))

			// Edit the description.
			wait.ok(c.CDP.EditPolicy(ctx, vbemfake.SeedCdpPolicyID, vbemapi.CdpPolicy{Description: to.Ptr("Tier-1 VMs")}))
			p, err = c.CDP.GetPolicy(ctx, vbemfake.SeedCdpPolicyID, entity)
			require.NoError(t, err)
			assert.Equal(t, "Tier-1 VMs", to.Value(p.Description))

			// The seeded session runs; disabling stops it, enabling starts
			// a new one with a task per VM.
			sessions, err := c.CDP.ListPolicySessions(ctx, vbemfake.SeedCdpPolicyID)
			require.NoError(t, err)
			require.Len(t, sessions.Refs, 1)
			sessEntity := &vbem.GetCdpReplicaSessionOptions{Format: vbemapi.GetCdpReplicaSessionParamsFormatEntity}
			s, err := c.CDP.GetSession(ctx, vbemfake.SeedCdpReplicaSession, sessEntity)
			require.NoError(t, err)
			assert.Equal(t, "Working", to.Value(s.State))
			task, err := c.CDP.DisablePolicy(ctx, vbemfake.SeedCdpPolicyID)
			require.NoError(t, err)
			assert.Equal(t, "UpdateCdpPolicy", to.Value(task.Operation))
			wait.ok(task, nil)
			s, err = c.CDP.GetSession(ctx, vbemfake.SeedCdpReplicaSession, sessEntity)
			require.NoError(t, err)
			assert.Equal(t, "Stopped", to.Value(s.State))
			assert.NotNil(t, s.EndTimeUTC)
			p, err = c.CDP.GetPolicy(ctx, vbemfake.SeedCdpPolicyID, entity)
			require.NoError(t, err)
			assert.True(t, hasLink(p, "Enable"))
			assert.False(t, to.Value(p.ScheduleEnabled))

			// Add a VM first: the new session has a task for it too.
			include := wait.ok(c.CDP.AddPolicyInclude(ctx, vbemfake.SeedCdpPolicyID, vbemapi.CreateObjectInJobSpec{HierarchyObjRef: seedVM("vm-41"), HierarchyObjName: to.Ptr("sqlsrv02")}))
			_, err = c.CDP.AddPolicyInclude(ctx, vbemfake.SeedCdpPolicyID, vbemapi.CreateObjectInJobSpec{HierarchyObjRef: seedVM("vm-41")})
			require.ErrorIs(t, err, apierr.ErrBadRequest, "already in the policy")
			includes, err := c.CDP.ListPolicyIncludes(ctx, vbemfake.SeedCdpPolicyID)
			require.NoError(t, err)
			require.Len(t, includes.ObjectInJobs, 2)
			added, err := c.CDP.GetPolicyInclude(ctx, vbemfake.SeedCdpPolicyID, vbem.RelatedID(include))
			require.NoError(t, err)
			assert.Equal(t, "sqlsrv02", to.Value(added.Name))
			vms, err := c.CDP.ListReplicaVMs(ctx, vbemfake.SeedCdpReplicaID)
			require.NoError(t, err)
			assert.Equal(t, []string{"virt03-vm01", "sqlsrv02"}, refNames(vms))

			wait.ok(c.CDP.EnablePolicy(ctx, vbemfake.SeedCdpPolicyID))
			sessions, err = c.CDP.ListPolicySessions(ctx, vbemfake.SeedCdpPolicyID)
			require.NoError(t, err)
			require.Len(t, sessions.Refs, 2)
			newID := vbem.IDFromHref(to.Value(sessions.Refs[1].Href))
			s, err = c.CDP.GetSession(ctx, newID, sessEntity)
			require.NoError(t, err)
			assert.Equal(t, "Working", to.Value(s.State))
			ts, err := c.CDP.ListSessionTaskSessions(ctx, newID)
			require.NoError(t, err)
			assert.Equal(t, 2, len(ts.Refs))
			all, err := c.CDP.ListTaskSessions(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 3)
			one, err := c.CDP.GetTaskSession(ctx, vbem.IDFromHref(to.Value(ts.Refs[1].Href)), &vbem.GetCdpReplicaTaskSessionOptions{Format: vbemapi.GetCdpReplicaTaskSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "sqlsrv02", to.Value(one.VMDisplayName))
			assert.Equal(t, "InProgress", to.Value(one.State))
			allSessions, err := c.CDP.ListSessions(ctx)
			require.NoError(t, err)
			assert.Len(t, allSessions.Refs, 2)

			// Remove the VM again: it leaves the replica.
			wait.ok(c.CDP.DeletePolicyInclude(ctx, vbemfake.SeedCdpPolicyID, vbem.RelatedID(include)))
			vms, err = c.CDP.ListReplicaVMs(ctx, vbemfake.SeedCdpReplicaID)
			require.NoError(t, err)
			assert.Equal(t, []string{"virt03-vm01"}, refNames(vms))
			_, err = c.CDP.DeletePolicyInclude(ctx, vbemfake.SeedCdpPolicyID, vbem.RelatedID(include))
			require.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.CDP.GetPolicy(ctx, noSuchID, nil)
			require.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMCDPReplicasIntervalsAndFailover(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			wait := taskWaiter{t, c}

			replicas, err := c.CDP.ListReplicas(ctx)
			require.NoError(t, err)
			require.Len(t, replicas.Refs, 1)
			rp, err := c.CDP.GetReplica(ctx, vbemfake.SeedCdpReplicaID, &vbem.GetCdpReplicaOptions{Format: vbemapi.GetCdpReplicaParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "CDP Policy 1", to.Value(rp.PolicyName))
			vm, err := c.CDP.GetReplicaVM(ctx, vbemfake.SeedCdpReplicaID, vbemfake.SeedCdpReplicaVMID, &vbem.GetCdpReplicaVMOptions{Format: vbemapi.GetCdpReplicaVMParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "virt03-vm01", to.Value(vm.Name))

			// Six hours of intervals: one interval and a long-term point an
			// hour; a range the wrong way round is refused.
			iv, err := c.CDP.VMIntervals(ctx, vbemfake.SeedCdpReplicaID, vbemfake.SeedCdpReplicaVMID, vbemapi.CdpReplicaIntervalsSpec{StartDate: "2025-08-15T00:30:00", EndDate: "2025-08-15T06:30:00"})
			require.NoError(t, err)
			require.Len(t, iv.Intervals, 1)
			assert.Equal(t, "2025-08-15T00:30:00", to.Value(iv.Intervals[0].StartDate))
			assert.Equal(t, int32(15), to.Value(iv.Intervals[0].Rpo))
			assert.Len(t, iv.RestorePoints, 6)
			assert.True(t, to.Value(iv.HasApplicationConsistentState))
			before, err := c.CDP.VMIntervals(ctx, vbemfake.SeedCdpReplicaID, vbemfake.SeedCdpReplicaVMID, vbemapi.CdpReplicaIntervalsSpec{StartDate: "2025-08-01T00:00:00", EndDate: "2025-08-02T00:00:00"})
			require.NoError(t, err)
			assert.Empty(t, before.Intervals, "before the replica existed")
			_, err = c.CDP.VMIntervals(ctx, vbemfake.SeedCdpReplicaID, vbemfake.SeedCdpReplicaVMID, vbemapi.CdpReplicaIntervalsSpec{StartDate: "2025-08-15T06:30:00", EndDate: "2025-08-15T00:30:00"})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.CDP.VMIntervals(ctx, vbemfake.SeedCdpReplicaID, "", vbemapi.CdpReplicaIntervalsSpec{})
			require.ErrorIs(t, err, apierr.ErrMissingID)

			// Fail the VM over to a point in time; a second failover fails.
			task, err := c.CDP.FailoverVM(ctx, vbemfake.SeedCdpReplicaID, vbemfake.SeedCdpReplicaVMID, vbemapi.CdpFailoverStartSpec{RestoreAtInterval: to.Ptr("2025-08-15T03:00:00")})
			require.NoError(t, err)
			assert.Equal(t, "StartFailover", to.Value(task.Operation))
			wait.ok(task, nil)
			assert.True(t, srv.FailedOver("virt03-vm01"))
			wait.fails(c.CDP.FailoverVM(ctx, vbemfake.SeedCdpReplicaID, vbemfake.SeedCdpReplicaVMID, vbemapi.CdpFailoverStartSpec{RestoreCurrent: true}))
			_, err = c.CDP.FailoverVM(ctx, vbemfake.SeedCdpReplicaID, vbemfake.SeedCdpReplicaVMID, vbemapi.CdpFailoverStartSpec{})
			require.ErrorIs(t, err, apierr.ErrBadRequest, "nothing to fail over to")
			_, err = c.CDP.FailoverVM(ctx, vbemfake.SeedCdpReplicaID, noSuchID, vbemapi.CdpFailoverStartSpec{RestoreCurrent: true})
			require.ErrorIs(t, err, apierr.ErrNotFound)

			// A vApp: its VMs, intervals, and a failover of all of them.
			vapps, err := c.CDP.ListVAppReplicas(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{"vApp02"}, refNames(vapps))
			va, err := c.CDP.GetVAppReplica(ctx, vbemfake.SeedVAppCdpReplicaID, &vbem.GetVAppCdpReplicaOptions{Format: vbemapi.GetVAppCdpReplicaParamsFormatEntity})
			require.NoError(t, err)
			assert.Contains(t, to.Value(va.VAppRef), "urn:vCloud:Vapp:")
			assert.Equal(t, "CDP Policy Cloud Director", to.Value(va.PolicyName))
			vappVMs, err := c.CDP.ListVAppReplicaVMs(ctx, vbemfake.SeedVAppCdpReplicaID)
			require.NoError(t, err)
			require.Len(t, vappVMs.Refs, 2)
			vv, err := c.CDP.GetVAppReplicaVM(ctx, vbemfake.SeedVAppCdpReplicaID, vbem.IDFromHref(to.Value(vappVMs.Refs[0].Href)),
				&vbem.GetVAppCdpReplicaVMOptions{Format: vbemapi.GetVAppCdpReplicaVMParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedVAppCdpReplicaID, to.Value(vv.ReplicaUID))
			vi, err := c.CDP.VAppIntervals(ctx, vbemfake.SeedVAppCdpReplicaID, vbemapi.CdpReplicaIntervalsSpec{StartDate: "2025-08-15T00:00:00", EndDate: "2025-08-15T01:30:00"})
			require.NoError(t, err)
			assert.Len(t, vi.RestorePoints, 1)
			wait.ok(c.CDP.FailoverVApp(ctx, vbemfake.SeedVAppCdpReplicaID, vbemapi.CdpFailoverStartSpec{RestoreCurrent: true, RestoreCurrentVss: false}))
			assert.True(t, srv.FailedOver("vApp02-kAd4"))
			assert.True(t, srv.FailedOver("vm02-DlmR"))
			wait.fails(c.CDP.FailoverVApp(ctx, vbemfake.SeedVAppCdpReplicaID, vbemapi.CdpFailoverStartSpec{RestoreCurrent: true}))
			_, err = c.CDP.FailoverVApp(ctx, "", vbemapi.CdpFailoverStartSpec{RestoreCurrent: true})
			require.ErrorIs(t, err, apierr.ErrMissingID)
		})
	}
}
