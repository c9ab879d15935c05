package tests

import (
	"context"
	"slices"
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

// names gives the names of items.
func names[T any](items []T, name func(T) *string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, to.Value(name(it)))
	}
	return out
}

func TestVBEMMoreQueriesAgentsAndServers(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)

			jobs := collectQuery(t, c.Query.AllAgentBackupJobs(ctx, &vbem.QueryOptions{Filter: `Name=="` + vbemfake.SeedAgentJobName + `";JobType==AgentBackup`}))
			require.Len(t, jobs, 1)
			assert.Equal(t, urn("AgentBackupJob", vbemfake.SeedAgentJobID), to.Value(jobs[0].UID))
			assert.Empty(t, collectQuery(t, c.Query.AllAgentBackupJobs(ctx, &vbem.QueryOptions{Filter: "JobType==Backup"})))

			groups := collectQuery(t, c.Query.AllAgentProtectionGroups(ctx, &vbem.QueryOptions{SortDesc: "Name"}))
			require.Len(t, groups, 2)
			gn := names(groups, func(g vbemapi.AgentProtectionGroup) *string { return g.Name })
			assert.True(t, slices.IsSortedFunc(gn, func(a, b string) int { return strings.Compare(strings.ToLower(b), strings.ToLower(a)) }), gn)

			computers := collectQuery(t, c.Query.AllDiscoveredComputers(ctx, &vbem.QueryOptions{SortAsc: "IpAddress"}))
			require.Len(t, computers, 3)
			ips := names(computers, func(d vbemapi.DiscoveredComputer) *string { return d.IPAddress })
			assert.True(t, slices.IsSorted(ips), ips)
			inGroup := collectQuery(t, c.Query.AllDiscoveredComputers(ctx, &vbem.QueryOptions{Filter: "ProtectionGroupUid==" + urn("AgentProtectionGroup", vbemfake.SeedProtectionGroupID)}))
			assert.NotEmpty(t, inGroup)
			assert.Less(t, len(inGroup), 3)

			objs := collectQuery(t, c.Query.AllObjectsInAgentBackupJobs(ctx, &vbem.QueryOptions{Filter: `JobName=="` + vbemfake.SeedAgentJobName + `"`}))
			require.Len(t, objs, 1)
			assert.NotEmpty(t, to.Value(objs[0].DisplayName))

			// A run of the Veeam Agent job leaves restore points.
			assert.Empty(t, collectQuery(t, c.Query.AllAgentRestorePoints(ctx, nil)))
			task, err := c.Agents.StartJob(ctx, vbemfake.SeedAgentJobID)
			require.NoError(t, err)
			waitRelatedSession(t, c, task)
			points := collectQuery(t, c.Query.AllAgentRestorePoints(ctx, &vbem.QueryOptions{Filter: "BackupServerUid==" + urn("BackupServer", vbemfake.SeedBackupServer2ID)}))
			require.NotEmpty(t, points)
			assert.True(t, strings.HasPrefix(to.Value(points[0].UID), "urn:veeam:AgentRestorePoint:"))

			servers := collectQuery(t, c.Query.AllBackupServers(ctx, &vbem.QueryOptions{SortDesc: "Name"}))
			assert.Equal(t, []string{vbemfake.SeedBackupServer2Name, vbemfake.SeedBackupServer1Name}, names(servers, func(s vbemapi.BackupServer) *string { return s.Name }))
			one := collectQuery(t, c.Query.AllBackupServers(ctx, &vbem.QueryOptions{Filter: `Name=="` + vbemfake.SeedBackupServer1Name + `"`}))
			require.Len(t, one, 1)
			assert.Equal(t, urn("BackupServer", vbemfake.SeedBackupServer1ID), to.Value(one[0].UID))

			// Credentials come in Resources and never carry a password.
			_, err = c.Credentials.Create(ctx, vbemfake.SeedBackupServer1ID, vbemapi.CredentialsInfoSpec{Username: to.Ptr(`TECH\backup`), Password: to.Ptr("s3cret-pw"),
				Description: to.Ptr("Query me")})
			require.NoError(t, err)
			page, err := c.Query.Credentials(ctx, &vbem.QueryOptions{Filter: `Username=="TECH\backup";BackupServerUid==` + urn("BackupServer", vbemfake.SeedBackupServer1ID)})
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.Equal(t, "Query me", to.Value(page.Items[0].Description))
			assert.Empty(t, to.Value(page.Items[0].Password))
			assert.Nil(t, page.Result.Entities)
			assert.Len(t, collectQuery(t, c.Query.AllCredentials(ctx, nil)), 2)

			// The objects of every job, against those of one.
			includes, err := c.Jobs.ListIncludes(ctx, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			inJob := collectQuery(t, c.Query.AllObjectsInJobs(ctx, &vbem.QueryOptions{Filter: "JobUid==" + urn("Job", vbemfake.SeedJob2ID)}))
			assert.Len(t, inJob, len(includes.ObjectInJobs))
			assert.Greater(t, len(collectQuery(t, c.Query.AllObjectsInJobs(ctx, nil))), len(inJob))

			// The reference form, and a field the type does not have.
			refs, err := c.Query.Query(ctx, vbemapi.QueryParamsTypeBackupServer, nil)
			require.NoError(t, err)
			require.NotNil(t, refs.Refs)
			assert.Len(t, refs.Refs.Refs, 2)
			_, err = c.Query.AgentBackupJobs(ctx, &vbem.QueryOptions{Filter: "Quota>1"})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
		})
	}
}

func TestVBEMMoreQueriesReplicationAndSelfService(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)

			policies := collectQuery(t, c.Query.AllCDPPolicies(ctx, &vbem.QueryOptions{SortAsc: "Name"}))
			require.Len(t, policies, 2)
			pn := names(policies, func(p vbemapi.CdpPolicy) *string { return p.Name })
			assert.True(t, slices.IsSortedFunc(pn, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }), pn)
			cdpReplicas := collectQuery(t, c.Query.AllCDPReplicas(ctx, &vbem.QueryOptions{Filter: "PolicyId==" + vbemfake.SeedCdpPolicyID}))
			require.Len(t, cdpReplicas, 1)
			assert.Equal(t, urn("CdpReplica", vbemfake.SeedCdpReplicaID), to.Value(cdpReplicas[0].UID))
			sessions := collectQuery(t, c.Query.AllCDPReplicaSessions(ctx, &vbem.QueryOptions{Filter: "PolicyUid==" + urn("CdpPolicy", vbemfake.SeedCdpPolicyID)}))
			require.Len(t, sessions, 1)
			tasks := collectQuery(t, c.Query.AllCDPReplicaTaskSessions(ctx, &vbem.QueryOptions{Filter: "PolicySessionUid==" + to.Value(sessions[0].UID)}))
			require.Len(t, tasks, 1)
			assert.NotEmpty(t, to.Value(tasks[0].VMDisplayName))

			plans := collectQuery(t, c.Query.AllFailoverPlans(ctx, nil))
			require.Len(t, plans, 1)
			assert.Equal(t, urn("FailoverPlan", vbemfake.SeedFailoverPlanID), to.Value(plans[0].UID))
			replicas := collectQuery(t, c.Query.AllReplicas(ctx, &vbem.QueryOptions{SortAsc: "Name"}))
			require.Len(t, replicas, 2)
			points := collectQuery(t, c.Query.AllVMReplicaPoints(ctx, &vbem.QueryOptions{SortDesc: "CreationTime", PageSize: 1}))
			require.Len(t, points, 3)
			for i := 1; i < len(points); i++ {
				assert.False(t, to.Value(points[i].CreationTimeUTC).After(to.Value(points[i-1].CreationTimeUTC)))
			}
			seeded := collectQuery(t, c.Query.AllVMReplicaPoints(ctx, &vbem.QueryOptions{Filter: "ReplicaUid==" + urn("Replica", vbemfake.SeedReplicaID)}))
			assert.NotEmpty(t, seeded)
			assert.Less(t, len(seeded), 3)
			jobSessions := collectQuery(t, c.Query.AllReplicaJobSessions(ctx, nil))
			assert.Len(t, jobSessions, 3)
			taskSessions := collectQuery(t, c.Query.AllReplicaTaskSessions(ctx, &vbem.QueryOptions{Filter: "Result==Success"}))
			assert.NotEmpty(t, taskSessions)

			// A vApp replica, and a vApp restore point after a run of a job
			// that includes a vApp.
			assert.Empty(t, collectQuery(t, c.Query.AllVAppReplicaPoints(ctx, nil)))
			_, vappPoint := srv.AddVAppReplica("vApp01 Replication", "vApp01", "web01", "db01")
			vps := collectQuery(t, c.Query.AllVAppReplicaPoints(ctx, &vbem.QueryOptions{Filter: "vAppName==vApp01"}))
			require.Len(t, vps, 1)
			assert.Equal(t, urn("VAppReplicaPoint", vappPoint), to.Value(vps[0].UID))
			assert.Empty(t, collectQuery(t, c.Query.AllVAppRestorePoints(ctx, nil)))
			task, err := c.Jobs.AddInclude(ctx, vbemfake.SeedJob2ID, vbemapi.CreateObjectInJobSpec{
				HierarchyObjRef: "urn:vCloud:Vapp:" + vbemfake.SeedHierarchyRoot + ".vapp-2", HierarchyObjName: to.Ptr("vApp2")})
			require.NoError(t, err)
			_, err = c.WaitTask(ctx, task, fastTask)
			require.NoError(t, err)
			_, err = vbemStartAndWait(t, c, vbemfake.SeedJob2ID)
			require.NoError(t, err)
			assert.Len(t, collectQuery(t, c.Query.AllVAppRestorePoints(ctx, nil)), 1)

			shares := collectQuery(t, c.Query.AllFileServers(ctx, &vbem.QueryOptions{SortAsc: "Name"}))
			require.Len(t, shares, 2)
			nasJobs := collectQuery(t, c.Query.AllNASJobs(ctx, &vbem.QueryOptions{Filter: `Name=="` + vbemfake.SeedNASJobName + `"`}))
			require.Len(t, nasJobs, 1)
			assert.Equal(t, urn("NasJob", vbemfake.SeedNASJobID), to.Value(nasJobs[0].UID))
			nasObjects := collectQuery(t, c.Query.AllNASObjects(ctx, &vbem.QueryOptions{Filter: "FileServerUid==" + urn("FileServer", vbemfake.SeedFileServerID)}))
			require.Len(t, nasObjects, 1)
			assert.Equal(t, urn("FileServer", vbemfake.SeedFileServerID), to.Value(nasObjects[0].FileServerUID))

			orgs := collectQuery(t, c.Query.AllVCloudOrganizationConfigs(ctx, &vbem.QueryOptions{Filter: "Disabled==false"}))
			require.Len(t, orgs, 1)
			assert.Equal(t, urn("VCloudOrganizationConfig", vbemfake.SeedOrgConfigID), to.Value(orgs[0].UID))
			done := vbemWaiter(t, c)
			done(c.VCloud.DisableOrgConfig(ctx, vbemfake.SeedOrgConfigID))
			assert.Empty(t, collectQuery(t, c.Query.AllVCloudOrganizationConfigs(ctx, &vbem.QueryOptions{Filter: "Disabled==false"})))
			tenants := collectQuery(t, c.Query.AllVSphereSelfServiceConfigs(ctx, nil))
			require.Len(t, tenants, 1)
			assert.Equal(t, urn("VSphereSelfServiceConfig", vbemfake.SeedSelfServiceConfigID), to.Value(tenants[0].UID))

			wans := collectQuery(t, c.Query.AllWANAccelerators(ctx, &vbem.QueryOptions{SortDesc: "Capacity"}))
			require.Len(t, wans, 2)
			assert.GreaterOrEqual(t, to.Value(wans[0].Capacity), to.Value(wans[1].Capacity))
			_, err = c.Query.WANAccelerators(ctx, &vbem.QueryOptions{Format: vbemapi.QueryParamsFormatReferences})
			assert.Error(t, err, "typed queries read entities")
		})
	}
}
