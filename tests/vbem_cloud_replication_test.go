package tests

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

func TestVBEMCloudPublicIPsAndVLANs(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			done := vbemWaiter(t, c)
			server := urn("BackupServer", vbemfake.SeedBackupServer2ID)

			root, err := c.CloudConnect.Get(ctx)
			require.NoError(t, err)
			var downs []string
			for _, l := range root.Links {
				downs = append(downs, l.Href)
			}
			for _, p := range []string{"/api/cloud/publicIpAddresses", "/api/cloud/vlans", "/api/cloud/cloudFailoverPlans", "/api/cloud/failoverSessions",
				"/api/cloud/replicas", "/api/cloud/vmReplicaPoints"} {
				assert.Contains(t, strings.Join(downs, " "), p)
			}

			// The seeded pool, free of tenants.
			ips, err := c.CloudPublicIPAddresses.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedPublicIPAddress, "198.51.100.17"}, refNames((*vbemapi.EntityReferences)(ips)))
			ipEntity := &vbem.CloudPublicIPAddressesGetOptions{Format: vbemapi.GetCloudPublicIPAddressParamsFormatEntity}
			seed, err := c.CloudPublicIPAddresses.Get(ctx, vbemfake.SeedPublicIPID, ipEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedPublicIPAddress, to.Value(seed.IPAddress))
			assert.Equal(t, server, to.Value(seed.BackupServerUID))
			assert.Nil(t, seed.TenantUID)
			ref, err := c.CloudPublicIPAddresses.Get(ctx, vbemfake.SeedPublicIPID, nil)
			require.NoError(t, err)
			assert.Equal(t, "CloudPublicIpAddressReference", to.Value(ref.Type))
			assert.Nil(t, ref.IPAddress, "the reference form carries no address element")

			// Add a range of three; a range that overlaps the pool adds nothing.
			done(c.CloudPublicIPAddresses.Create(ctx, vbemapi.CloudPublicIpAddressCreateSpec{BackupServerUID: server, IPAddressLowerBound: "198.51.100.20", IPAddressUpperBound: "198.51.100.22"}))
			for _, spec := range []vbemapi.CloudPublicIpAddressCreateSpec{
				{BackupServerUID: server, IPAddressLowerBound: "198.51.100.22", IPAddressUpperBound: "198.51.100.24"},
				{BackupServerUID: server, IPAddressLowerBound: "198.51.100.40", IPAddressUpperBound: "198.51.100.30"},
				{BackupServerUID: server, IPAddressLowerBound: "2001:db8::1", IPAddressUpperBound: "2001:db8::2"},
				{BackupServerUID: server, IPAddressLowerBound: "10.0.0.0", IPAddressUpperBound: "10.0.2.0"},
				{BackupServerUID: urn("BackupServer", noSuchID), IPAddressLowerBound: "198.51.100.50", IPAddressUpperBound: "198.51.100.50"},
			} {
				_, err := c.CloudPublicIPAddresses.Create(ctx, spec)
				assert.ErrorIs(t, err, apierr.ErrBadRequest, "%s-%s", spec.IPAddressLowerBound, spec.IPAddressUpperBound)
			}
			var addrs []string
			var ids []string
			for r, err := range c.CloudPublicIPAddresses.All(ctx) {
				require.NoError(t, err)
				addrs = append(addrs, to.Value(r.Name))
				ids = append(ids, vbem.IDFromHref(to.Value(r.Href)))
			}
			assert.Equal(t, []string{vbemfake.SeedPublicIPAddress, "198.51.100.17", "198.51.100.20", "198.51.100.21", "198.51.100.22"}, addrs)

			// A tenant's PublicIpCount claims the first addresses of the pool.
			done(c.CloudTenants.Edit(ctx, vbemfake.SeedCloudTenantID, vbemapi.CloudTenant{PublicIPCount: to.Ptr[int32](2)}))
			claimed, err := c.CloudPublicIPAddresses.Get(ctx, ids[1], ipEntity)
			require.NoError(t, err)
			assert.Equal(t, urn("CloudTenant", vbemfake.SeedCloudTenantID), to.Value(claimed.TenantUID))
			_, err = c.CloudPublicIPAddresses.Delete(ctx, ids[1])
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.Contains(t, err.Error(), "assigned to the tenant")
			free, err := c.CloudPublicIPAddresses.Get(ctx, ids[2], ipEntity)
			require.NoError(t, err)
			assert.Nil(t, free.TenantUID)

			// Edit an address; one the pool holds is refused.
			edit, err := c.CloudPublicIPAddresses.Edit(ctx, ids[4], vbemapi.CloudPublicIpAddress{IPAddress: to.Ptr("198.51.100.23")})
			require.NoError(t, err)
			require.NotNil(t, edit, "the fake answers the 202 of the example")
			done(edit, nil)
			got, err := c.CloudPublicIPAddresses.Get(ctx, ids[4], ipEntity)
			require.NoError(t, err)
			assert.Equal(t, "198.51.100.23", to.Value(got.IPAddress))
			assert.Equal(t, "198.51.100.23", to.Value(got.Name))
			_, err = c.CloudPublicIPAddresses.Edit(ctx, ids[4], vbemapi.CloudPublicIpAddress{IPAddress: to.Ptr("198.51.100.20")})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.CloudPublicIPAddresses.Edit(ctx, ids[4], vbemapi.CloudPublicIpAddress{IPAddress: to.Ptr("not-an-address")})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)

			// Free addresses go; the tenant's go once it gives them back.
			done(c.CloudPublicIPAddresses.Delete(ctx, ids[4]))
			_, err = c.CloudPublicIPAddresses.Get(ctx, ids[4], nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			done(c.CloudTenants.Edit(ctx, vbemfake.SeedCloudTenantID, vbemapi.CloudTenant{PublicIPCount: to.Ptr[int32](0)}))
			done(c.CloudPublicIPAddresses.Delete(ctx, ids[1]))
			ips, err = c.CloudPublicIPAddresses.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedPublicIPAddress, "198.51.100.20", "198.51.100.21"}, refNames((*vbemapi.EntityReferences)(ips)))

			// VLANs.
			vlans, err := c.CloudVLANs.List(ctx)
			require.NoError(t, err)
			require.Len(t, vlans.Refs, 2)
			assert.Equal(t, urn("VlanConfiguration", vbemfake.SeedVlanID), to.Value(vlans.Refs[0].UID))
			vlanEntity := &vbem.CloudVLANsGetOptions{Format: vbemapi.GetCloudVlanParamsFormatEntity}
			v, err := c.CloudVLANs.Get(ctx, vbemfake.SeedVlanID, vlanEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedVlanID, to.Value(v.UID), "the entity carries the bare id")
			assert.Equal(t, vbemfake.SeedVlanSwitch, to.Value(v.SwitchName))
			assert.Equal(t, vbemapi.VlanConfigurationPlatformTypeVMware, to.Value(v.PlatformType))
			assert.Equal(t, int32(500), to.Value(v.VlanIdsWithInternetLeftBound))

			// Send the entity back with wider ranges, as the reference does.
			v.VlanIdsWithInternetLeftBound, v.VlanIdsWithoutInternetRightBound = to.Ptr[int32](490), to.Ptr[int32](530)
			v.Links = nil
			done(c.CloudVLANs.Edit(ctx, vbemfake.SeedVlanID, *v))
			v, err = c.CloudVLANs.Get(ctx, vbemfake.SeedVlanID, vlanEntity)
			require.NoError(t, err)
			assert.Equal(t, []int32{490, 510, 511, 530}, []int32{to.Value(v.VlanIdsWithInternetLeftBound), to.Value(v.VlanIdsWithInternetRightBound),
				to.Value(v.VlanIdsWithoutInternetLeftBound), to.Value(v.VlanIdsWithoutInternetRightBound)})
			for _, body := range []vbemapi.VlanConfiguration{
				{VlanIdsWithInternetLeftBound: to.Ptr[int32](515)}, // overlaps the range without internet
				{VlanIdsWithoutInternetRightBound: to.Ptr[int32](5000)},
				{VlanIdsWithInternetRightBound: to.Ptr[int32](400)},
				{SwitchName: to.Ptr("vSwitch1")},
				{PlatformType: to.Ptr(vbemapi.VlanConfigurationPlatformTypeHyperV)},
			} {
				_, err := c.CloudVLANs.Edit(ctx, vbemfake.SeedVlanID, body)
				assert.ErrorIs(t, err, apierr.ErrBadRequest)
			}
			v, err = c.CloudVLANs.Get(ctx, vbemfake.SeedVlanID, vlanEntity)
			require.NoError(t, err)
			assert.Equal(t, int32(490), to.Value(v.VlanIdsWithInternetLeftBound), "refused edits change nothing")
			assert.Equal(t, vbemfake.SeedVlanSwitch, to.Value(v.SwitchName))
			done(c.CloudVLANs.Delete(ctx, vbemfake.SeedVlanID))
			_, err = c.CloudVLANs.Get(ctx, vbemfake.SeedVlanID, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			var switches []string
			for r, err := range c.CloudVLANs.All(ctx) {
				require.NoError(t, err)
				switches = append(switches, to.Value(r.Name))
			}
			assert.Equal(t, []string{"Intel(R) I350 Gigabit Network Connection - Virtual Switch"}, switches)
		})
	}
}

func TestVBEMCloudReplicasAndFailover(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			done := vbemWaiter(t, c)
			plan := vbemfake.SeedCloudFailoverPlanID

			// Replicas and their points.
			replicas, err := c.CloudReplicas.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedCloudReplicaName, "ABC Company CRM Replication"}, refNames((*vbemapi.EntityReferences)(replicas)))
			rp, err := c.CloudReplicas.Get(ctx, vbemfake.SeedCloudReplicaID, &vbem.CloudReplicasGetOptions{Format: vbemapi.GetCloudReplicaParamsFormatEntity})
			require.NoError(t, err)
			assert.Equal(t, vbemapi.CloudReplicaPlatformVMware, to.Value(rp.Platform))
			var names []string
			for p, err := range c.CloudReplicas.AllVMReplicaPoints(ctx, vbemfake.SeedCloudReplicaID) {
				require.NoError(t, err)
				names = append(names, to.Value(p.Name))
			}
			assert.Len(t, names, 4)
			all, err := c.CloudVMReplicaPoints.List(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 5, "the points of both replicas")
			pointEntity := &vbem.CloudVMReplicaPointsGetOptions{Format: vbemapi.GetCloudVMReplicaPointParamsFormatEntity}
			point, err := c.CloudVMReplicaPoints.Get(ctx, vbemfake.SeedCloudVMReplicaPointID, pointEntity)
			require.NoError(t, err)
			assert.Equal(t, "srv38", to.Value(point.VMDisplayName))
			assert.Equal(t, vbemapi.CloudVMReplicaPointStateReady, to.Value(point.State))
			assert.Equal(t, vbemapi.CloudVMReplicaPointPointTypeSnapshot, to.Value(point.PointType))

			// The plan and its VMs.
			plans, err := c.CloudFailoverPlans.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedCloudFailoverPlanName}, refNames((*vbemapi.EntityReferences)(plans)))
			planEntity := &vbem.CloudFailoverPlansGetOptions{Format: vbemapi.GetCloudFailoverPlanParamsFormatEntity}
			p, err := c.CloudFailoverPlans.Get(ctx, plan, planEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedCloudTenantName, to.Value(p.TenantName))
			require.NotNil(t, p.CloudFailoverPlanInfo)
			require.Len(t, p.CloudFailoverPlanInfo.Includes.CloudFailoveredVMs, 2)
			var vms []string
			for vm, err := range c.CloudFailoverPlans.AllIncludes(ctx, plan) {
				require.NoError(t, err)
				vms = append(vms, to.Value(vm.Name))
			}
			assert.Equal(t, []string{"srv38", "srv40"}, vms)
			inc, err := c.CloudFailoverPlans.GetInclude(ctx, plan, vbemfake.SeedCloudFailoverPlanVMID)
			require.NoError(t, err)
			assert.Equal(t, "srv38", to.Value(inc.Name))
			assert.Equal(t, int32(0), to.Value(inc.Order))
			_, err = c.CloudFailoverPlans.GetInclude(ctx, plan, noSuchID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			// Edit its scripts; an enabled script without a path is refused.
			done(c.CloudFailoverPlans.Edit(ctx, plan, vbemapi.CloudFailoverPlan{CloudFailoverPlanOptions: &vbemapi.CloudFailoverPlanOptions{
				PostFailoverPlanCommandEnabled: to.Ptr(true), PostFailoverPlanCommand: to.Ptr(`C:\scripts\post-failover.bat`)}}))
			_, err = c.CloudFailoverPlans.Edit(ctx, plan, vbemapi.CloudFailoverPlan{CloudFailoverPlanOptions: &vbemapi.CloudFailoverPlanOptions{PreFailoverPlanCommandEnabled: to.Ptr(true)}})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			p, err = c.CloudFailoverPlans.Get(ctx, plan, planEntity)
			require.NoError(t, err)
			assert.True(t, to.Value(p.CloudFailoverPlanOptions.PostFailoverPlanCommandEnabled))
			assert.Equal(t, `C:\scripts\post-failover.bat`, to.Value(p.CloudFailoverPlanOptions.PostFailoverPlanCommand))
			assert.False(t, to.Value(p.CloudFailoverPlanOptions.PreFailoverPlanCommandEnabled))

			// Test it: a session, and nothing failed over.
			session := done(c.CloudFailoverPlans.Test(ctx, plan))
			require.NotEmpty(t, session)
			assert.False(t, srv.CloudVMFailedOver(vbemfake.SeedCloudReplicaID, "srv38"))

			// Start it, to the points before the newest ones.
			_, err = c.CloudFailoverPlans.Start(ctx, plan, nil)
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "start needs a body")
			_, err = c.CloudFailoverPlans.Start(ctx, plan, &vbemapi.CloudFailoverPlanManagementSpec{StartDate: to.Ptr(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.Contains(t, err.Error(), "no restore point before")
			before := time.Date(2024, 6, 21, 12, 0, 0, 0, time.UTC)
			started := done(c.CloudFailoverPlans.Start(ctx, plan, &vbemapi.CloudFailoverPlanManagementSpec{StartDate: &before}))
			assert.True(t, srv.CloudVMFailedOver(vbemfake.SeedCloudReplicaID, "srv38"))
			assert.True(t, srv.CloudVMFailedOver(vbemfake.SeedCloudReplicaID, "srv40"))
			point, err = c.CloudVMReplicaPoints.Get(ctx, vbemfake.SeedCloudVMReplicaPointID, pointEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.CloudVMReplicaPointStateFailover, to.Value(point.State), "every point of a failed-over VM shows it")

			// The session of the start: working, then done, a task per VM on
			// the chosen points.
			sessEntity := &vbem.CloudFailoverSessionsGetOptions{Format: vbemapi.GetCloudFailoverSessionParamsFormatEntity}
			s, err := c.CloudFailoverSessions.Get(ctx, started, sessEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.CloudFailoverSessionStateWorking, to.Value(s.State))
			for to.Value(s.State) != vbemapi.CloudFailoverSessionStateStopped {
				s, err = c.CloudFailoverSessions.Get(ctx, started, sessEntity)
				require.NoError(t, err)
			}
			assert.Equal(t, vbemapi.CloudFailoverSessionResultSuccess, to.Value(s.Result))
			assert.Equal(t, vbemfake.SeedCloudFailoverPlanName, to.Value(s.Name))
			require.NotNil(t, s.CloudFailoverTasks)
			require.Len(t, s.CloudFailoverTasks.CloudFailoverTasks, 2)
			task := s.CloudFailoverTasks.CloudFailoverTasks[0]
			assert.Equal(t, "srv38", to.Value(task.VMName))
			require.NotNil(t, task.VMReplicaPointLink)
			assert.NotEqual(t, vbemfake.SeedCloudVMReplicaPointID, vbem.IDFromHref(task.VMReplicaPointLink.Href), "the newest point is after StartDate")
			chosen, err := c.CloudVMReplicaPoints.Get(ctx, vbem.IDFromHref(task.VMReplicaPointLink.Href), pointEntity)
			require.NoError(t, err)
			assert.True(t, to.Value(chosen.CreationTimeUTC).Before(before))
			assert.Equal(t, vbemapi.CloudFailoverTaskSessionResultSuccess, to.Value(task.Result))
			sessions, err := c.CloudFailoverSessions.List(ctx)
			require.NoError(t, err)
			assert.Len(t, sessions.Refs, 2, "the test and the start")
			var sessionIDs []string
			for r, err := range c.CloudFailoverSessions.All(ctx) {
				require.NoError(t, err)
				sessionIDs = append(sessionIDs, vbem.IDFromHref(to.Value(r.Href)))
			}
			assert.Equal(t, []string{session, started}, sessionIDs)

			// A failed-over plan cannot start again nor go; undo brings it back.
			_, err = c.CloudFailoverPlans.Start(ctx, plan, &vbemapi.CloudFailoverPlanManagementSpec{StartNow: to.Ptr(true)})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.CloudFailoverPlans.Delete(ctx, plan)
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			done(c.CloudFailoverPlans.Undo(ctx, plan))
			assert.False(t, srv.CloudVMFailedOver(vbemfake.SeedCloudReplicaID, "srv38"))
			point, err = c.CloudVMReplicaPoints.Get(ctx, vbemfake.SeedCloudVMReplicaPointID, pointEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.CloudVMReplicaPointStateReady, to.Value(point.State))
			_, err = c.CloudFailoverPlans.Undo(ctx, plan)
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "nothing to undo")

			// StartNow fails over to the newest points.
			now := done(c.CloudFailoverPlans.Start(ctx, plan, &vbemapi.CloudFailoverPlanManagementSpec{StartNow: to.Ptr(true)}))
			s, err = c.CloudFailoverSessions.Get(ctx, now, sessEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedCloudVMReplicaPointID, vbem.IDFromHref(s.CloudFailoverTasks.CloudFailoverTasks[0].VMReplicaPointLink.Href))
			done(c.CloudFailoverPlans.Undo(ctx, plan))

			// Delete it.
			done(c.CloudFailoverPlans.Delete(ctx, plan))
			_, err = c.CloudFailoverPlans.Get(ctx, plan, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.CloudFailoverPlans.ListIncludes(ctx, plan)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			var left []string
			for r, err := range c.CloudFailoverPlans.All(ctx) {
				require.NoError(t, err)
				left = append(left, to.Value(r.Name))
			}
			assert.Empty(t, left)
			var replicaNames []string
			for r, err := range c.CloudReplicas.All(ctx) {
				require.NoError(t, err)
				replicaNames = append(replicaNames, to.Value(r.Name))
			}
			assert.Len(t, replicaNames, 2)
			var pointNames []string
			for r, err := range c.CloudVMReplicaPoints.All(ctx) {
				require.NoError(t, err)
				pointNames = append(pointNames, to.Value(r.Name))
			}
			assert.Contains(t, pointNames, "dc-hv@2024-06-20 20:00:00")
			_, err = c.CloudFailoverSessions.Get(ctx, noSuchID, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.CloudReplicas.ListVMReplicaPoints(ctx, noSuchID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
