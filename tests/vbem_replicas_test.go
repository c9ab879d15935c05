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

func hasLink(links []vbemapi.Link, rel string) bool {
	for _, l := range links {
		if l.Rel == rel {
			return true
		}
	}
	return false
}

func TestVBEMReplicasAndFailover(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			replicas, err := c.Replicas.List(ctx)
			require.NoError(t, err)
			require.Len(t, replicas.Refs, 2)
			rep, err := c.Replicas.Get(ctx, vbemfake.SeedReplicaID, &vbem.ReplicasGetOptions{Format: vbemapi.GetReplicaParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "SQL Replication", *rep.Name)
			assert.Equal(t, vbemapi.ReplicaPlatformVMware, *rep.Platform)
			n := 0
			for _, err := range c.Replicas.AllPoints(ctx, vbemfake.SeedReplicaID) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 2, n)
			all, err := c.ReplicaPoints.List(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 3)

			entity := &vbem.ReplicaPointsGetOptions{Format: vbemapi.GetVMReplicaPointParamsFormatEntity}
			pt, err := c.ReplicaPoints.Get(ctx, vbemfake.SeedVMReplicaPointID, entity)
			require.NoError(t, err)
			assert.Equal(t, "sql02", *pt.VMName)
			assert.True(t, hasLink(pt.Links, "Failover"))

			sessions, err := c.ReplicaTaskSessions.List(ctx)
			require.NoError(t, err)
			before := len(sessions.Refs)

			task, err := c.ReplicaPoints.Failover(ctx, vbemfake.SeedVMReplicaPointID)
			require.NoError(t, err)
			done, err := c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			assert.Equal(t, "StartReplicaFailover", *done.Operation)
			assert.True(t, srv.FailedOver("sql02"))
			pt, err = c.ReplicaPoints.Get(ctx, vbemfake.SeedVMReplicaPointID, entity)
			require.NoError(t, err)
			assert.False(t, hasLink(pt.Links, "Failover"), "a failed-over VM offers no failover")
			_, err = c.ReplicaPoints.Failover(ctx, vbemfake.SeedVMReplicaPointID)
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 400, ae.StatusCode)

			// The failover left a session, reachable from the task.
			sessions, err = c.ReplicaTaskSessions.List(ctx)
			require.NoError(t, err)
			assert.Len(t, sessions.Refs, before+1)
			s, err := c.ReplicaTaskSessions.Get(ctx, relatedID(t, done), &vbem.ReplicaTaskSessionsGetOptions{Format: vbemapi.GetReplicaTaskSessionParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "sql02", *s.VMDisplayName)
			assert.Equal(t, vbemapi.ReplicaTaskSessionResultSuccess, *s.Result)
			ref, err := c.ReplicaTaskSessions.Get(ctx, relatedID(t, done), nil)
			require.NoError(t, err)
			assert.Equal(t, "ReplicaTaskSessionReference", *ref.Type)
			_, err = c.Replicas.Get(ctx, "00000000-0000-0000-0000-000000000000", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMFailoverPlans(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			plans, err := c.FailoverPlans.List(ctx)
			require.NoError(t, err)
			require.Len(t, plans.Refs, 1)
			entity := &vbem.FailoverPlansGetOptions{Format: vbemapi.GetFailoverPlanParamsFormatEntity}
			plan, err := c.FailoverPlans.Get(ctx, vbemfake.SeedFailoverPlanID, entity)
			require.NoError(t, err)
			require.Len(t, plan.FailoverPlanInfo.Includes.FailoveredVMs, 2)
			assert.True(t, hasLink(plan.Links, "Start"))

			edit, err := c.FailoverPlans.Edit(ctx, vbemfake.SeedFailoverPlanID, vbemapi.FailoverPlan{Description: to.Ptr("DR drill plan")})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, edit, fastTask)
			require.NoError(t, err)
			plan, err = c.FailoverPlans.Get(ctx, vbemfake.SeedFailoverPlanID, entity)
			require.NoError(t, err)
			assert.Equal(t, "DR drill plan", *plan.Description)

			_, err = c.FailoverPlans.Undo(ctx, vbemfake.SeedFailoverPlanID)
			var ae *apierr.Error
			require.ErrorAs(t, err, &ae, "nothing to undo yet")
			assert.Equal(t, 400, ae.StatusCode)
			start, err := c.FailoverPlans.Start(ctx, vbemfake.SeedFailoverPlanID, &vbemapi.FailoverPlanManagementSpec{StartNow: to.Ptr(true)})
			require.NoError(t, err)
			done, err := c.WaitTask(ctx, start, fastTask)
			require.NoError(t, err)
			assert.Equal(t, "StartFailoverPlan", *done.Operation)
			assert.True(t, srv.FailedOver("sql02"))
			assert.True(t, srv.FailedOver("dc01"))
			plan, err = c.FailoverPlans.Get(ctx, vbemfake.SeedFailoverPlanID, entity)
			require.NoError(t, err)
			assert.True(t, hasLink(plan.Links, "Undo"))
			_, err = c.FailoverPlans.Start(ctx, vbemfake.SeedFailoverPlanID, nil)
			require.ErrorAs(t, err, &ae, "already started")
			_, err = c.ReplicaPoints.Failover(ctx, vbemfake.SeedVMReplicaPointID)
			require.ErrorAs(t, err, &ae, "the plan failed the VM over already")

			undo, err := c.FailoverPlans.Undo(ctx, vbemfake.SeedFailoverPlanID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, undo, fastTask)
			require.NoError(t, err)
			assert.False(t, srv.FailedOver("sql02"))
			_, err = c.FailoverPlans.Get(ctx, "00000000-0000-0000-0000-000000000000", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			repos, err := c.ExternalRepositories.List(ctx)
			require.NoError(t, err)
			require.Len(t, repos.Refs, 1)
			repo, err := c.ExternalRepositories.Get(ctx, vbemfake.SeedExternalRepositoryID,
				&vbem.ExternalRepositoriesGetOptions{Format: vbemapi.GetExternalRepositoryParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, vbemapi.ExternalRepositoryRepositoryTypeAmazonS3External, *repo.RepositoryType)
			backups, err := c.ExternalRepositories.ListBackups(ctx, vbemfake.SeedExternalRepositoryID)
			require.NoError(t, err)
			assert.Len(t, backups.Refs, 2)
			_, err = c.ExternalRepositories.ListBackups(ctx, "00000000-0000-0000-0000-000000000000")
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMSummaryReports(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			sum, err := c.Reports.Summary(ctx)
			require.NoError(t, err)
			assert.Len(t, sum.Links, 5)

			ov, err := c.Reports.Overview(ctx)
			require.NoError(t, err)
			assert.Equal(t, int32(2), *ov.BackupServers)
			assert.Equal(t, int32(1), *ov.SuccessfulVMLastestStates, "sql02 last succeeded")
			assert.Equal(t, int32(1), *ov.FailedVMLastestStates, "dc01 last failed")
			stats, err := c.Reports.JobStatistics(ctx)
			require.NoError(t, err)
			assert.Equal(t, int32(3), *stats.TotalJobRuns)
			assert.Equal(t, int32(1), *stats.FailedJobRuns)
			vms, err := c.Reports.VMsOverview(ctx)
			require.NoError(t, err)
			assert.Equal(t, int32(2), *vms.ReplicatedVMs)
			days, err := c.Reports.ProcessedVMs(ctx)
			require.NoError(t, err)
			require.Len(t, days.Days, 2)
			assert.Equal(t, int32(2), *days.Days[1].ReplicatedVMs)
			repo, err := c.Reports.Repository(ctx)
			require.NoError(t, err)
			require.Len(t, repo.Periods, 1)
			assert.Equal(t, *repo.Periods[0].Capacity-*repo.Periods[0].BackupSize, *repo.Periods[0].FreeSpace)

			// A failover adds a successful session: the reports follow.
			task, err := c.ReplicaPoints.Failover(ctx, vbemfake.SeedVMReplicaPointID)
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			stats, err = c.Reports.JobStatistics(ctx)
			require.NoError(t, err)
			assert.Equal(t, int32(4), *stats.TotalJobRuns)
			assert.Equal(t, int32(3), *stats.SuccessfulJobRuns)
			days, err = c.Reports.ProcessedVMs(ctx)
			require.NoError(t, err)
			assert.Len(t, days.Days, 3, "today's failover is a processed VM")
		})
	}
}

func TestVBEMAccountRoles(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			roles := map[string]string{}
			for ref, err := range c.Roles.All(ctx) {
				require.NoError(t, err)
				roles[*ref.Name] = vbem.IDFromHref(*ref.Href)
			}
			require.Len(t, roles, 7)
			vmOp := roles["VM Restore Operator"]
			role, err := c.Roles.Get(ctx, vmOp, &vbem.RolesGetOptions{Format: vbemapi.GetSecurityRoleParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, "urn:veeam:EnterpriseRole:"+vmOp, *role.UID)

			held, err := c.Roles.ListAccountRoles(ctx, vbemfake.SeedAccountID)
			require.NoError(t, err)
			require.Len(t, held.EnterpriseAccountInRoles, 1)
			only := vbem.IDFromHref(*held.EnterpriseAccountInRoles[0].Href)
			var ae *apierr.Error
			require.ErrorAs(t, c.Roles.Remove(ctx, vbemfake.SeedAccountID, only), &ae, "the last role stays")
			assert.Equal(t, 400, ae.StatusCode)

			require.NoError(t, c.Roles.Assign(ctx, vbemfake.SeedAccountID, vbemapi.EnterpriseAccountInRoleCreateSpec{EnterpriseRoleUID: *role.UID}))
			got, err := c.Roles.GetAccountRole(ctx, vbemfake.SeedAccountID, vmOp)
			require.NoError(t, err)
			assert.Equal(t, "VM Restore Operator", *got.RoleName)
			acct, err := c.Accounts.Get(ctx, vbemfake.SeedAccountID, &vbem.GetAccountOptions{Format: vbemapi.GetAccountParamsFormatEntity})
			require.NoError(t, err)
			assert.Len(t, acct.Roles.EnterpriseRoles, 2, "the account entity lists the new role")
			require.ErrorAs(t, c.Roles.Assign(ctx, vbemfake.SeedAccountID, vbemapi.EnterpriseAccountInRoleCreateSpec{EnterpriseRoleUID: *role.UID}), &ae)
			require.ErrorAs(t, c.Roles.Assign(ctx, vbemfake.SeedAccountID, vbemapi.EnterpriseAccountInRoleCreateSpec{EnterpriseRoleUID: "urn:veeam:EnterpriseRole:nope"}), &ae)

			require.NoError(t, c.Roles.Remove(ctx, vbemfake.SeedAccountID, only))
			held, err = c.Roles.ListAccountRoles(ctx, vbemfake.SeedAccountID)
			require.NoError(t, err)
			require.Len(t, held.EnterpriseAccountInRoles, 1)
			assert.Equal(t, "VM Restore Operator", *held.EnterpriseAccountInRoles[0].RoleName)
			_, err = c.Roles.GetAccountRole(ctx, vbemfake.SeedAccountID, only)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.Roles.Get(ctx, "00000000-0000-0000-0000-000000000000", nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
