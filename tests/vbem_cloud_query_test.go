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

// collectQuery gathers what a typed query iterator yields.
func collectQuery[T any](t *testing.T, seq func(yield func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func TestVBEMCloudQueries(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			done := vbemWaiter(t, c)

			tenants := collectQuery(t, c.Query.AllCloudTenants(ctx, &vbem.QueryOptions{Filter: `Name=="ABC Company";Type==Standalone`}))
			require.Len(t, tenants, 1)
			assert.Equal(t, urn("CloudTenant", vbemfake.SeedCloudTenantID), to.Value(tenants[0].UID))
			assert.Empty(t, to.Value(tenants[0].Password))
			none := collectQuery(t, c.Query.AllCloudTenants(ctx, &vbem.QueryOptions{Filter: "Type==VCD"}))
			assert.Empty(t, none)

			// Subtenants come in Resources.
			page, err := c.Query.CloudSubtenants(ctx, &vbem.QueryOptions{Filter: `CloudTenantName=="ABC Company";Disabled==false`})
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.Equal(t, vbemfake.SeedCloudSubtenantName, to.Value(page.Items[0].Name))
			assert.Nil(t, page.Result.Entities)
			done(c.CloudTenants.EditSubtenant(ctx, vbemfake.SeedCloudTenantID, vbemfake.SeedCloudSubtenantID, vbemapi.CloudSubtenant{Enabled: to.Ptr(false)}))
			assert.Empty(t, collectQuery(t, c.Query.AllCloudSubtenants(ctx, &vbem.QueryOptions{Filter: "Disabled==false"})))

			gws := collectQuery(t, c.Query.AllCloudGateways(ctx, &vbem.QueryOptions{Filter: "Enabled==true"}))
			require.Len(t, gws, 1)
			assert.Equal(t, vbemfake.SeedCloudGatewayName, to.Value(gws[0].Name))
			pools := collectQuery(t, c.Query.AllCloudGatewayPools(ctx, nil))
			assert.Len(t, pools, 1)
			plans := collectQuery(t, c.Query.AllCloudHardwarePlans(ctx, &vbem.QueryOptions{Filter: "Platform==VMware"}))
			require.Len(t, plans, 1)
			assert.Equal(t, vbemfake.SeedCloudHardwarePlanName, to.Value(plans[0].Name))

			ips := collectQuery(t, c.Query.AllCloudPublicIPAddresses(ctx, &vbem.QueryOptions{SortDesc: "IpAddress"}))
			var addrs []string
			for _, ip := range ips {
				addrs = append(addrs, to.Value(ip.IPAddress))
			}
			assert.Equal(t, []string{"198.51.100.17", vbemfake.SeedPublicIPAddress}, addrs)
			done(c.CloudTenants.Edit(ctx, vbemfake.SeedCloudTenantID, vbemapi.CloudTenant{PublicIPCount: to.Ptr[int32](1)}))
			held := collectQuery(t, c.Query.AllCloudPublicIPAddresses(ctx, &vbem.QueryOptions{Filter: `CloudTenantName=="ABC Company"`}))
			require.Len(t, held, 1)
			assert.Equal(t, vbemfake.SeedPublicIPAddress, to.Value(held[0].IPAddress))

			fps := collectQuery(t, c.Query.AllCloudFailoverPlans(ctx, &vbem.QueryOptions{Filter: `CloudTenantName=="ABC Company"`}))
			require.Len(t, fps, 1)
			assert.Equal(t, vbemfake.SeedCloudFailoverPlanName, to.Value(fps[0].Name))
			assert.Empty(t, collectQuery(t, c.Query.AllCloudFailoverSessions(ctx, nil)))
			session := done(c.CloudFailoverPlans.Test(ctx, vbemfake.SeedCloudFailoverPlanID))
			sessions := collectQuery(t, c.Query.AllCloudFailoverSessions(ctx, &vbem.QueryOptions{SortDesc: "CreationTime"}))
			require.Len(t, sessions, 1)
			assert.Equal(t, urn("CloudFailoverSession", session), to.Value(sessions[0].UID))
			require.NotNil(t, sessions[0].CloudFailoverTasks)
			assert.Len(t, sessions[0].CloudFailoverTasks.CloudFailoverTasks, 2)

			replicas := collectQuery(t, c.Query.AllCloudReplicas(ctx, &vbem.QueryOptions{Filter: "Platform==HyperV"}))
			require.Len(t, replicas, 1)
			assert.Equal(t, vbemapi.CloudReplicaPlatformHyperV, to.Value(replicas[0].Platform))

			// The points of one VM, newest first, a page at a time.
			before := srv.Calls()["Query"]
			points := collectQuery(t, c.Query.AllCloudVMReplicaPoints(ctx, &vbem.QueryOptions{Filter: "VmName==srv38", SortDesc: "CreationTime", PageSize: 1}))
			assert.Equal(t, 2, srv.Calls()["Query"]-before)
			require.Len(t, points, 2)
			assert.Equal(t, urn("CloudVmReplicaPoint", vbemfake.SeedCloudVMReplicaPointID), to.Value(points[0].UID))
			assert.True(t, to.Value(points[0].CreationTimeUTC).After(to.Value(points[1].CreationTimeUTC)))

			vlans := collectQuery(t, c.Query.AllVLANConfigurations(ctx, &vbem.QueryOptions{SortAsc: "SwitchName"}))
			require.Len(t, vlans, 2)
			assert.Equal(t, "Intel(R) I350 Gigabit Network Connection - Virtual Switch", to.Value(vlans[0].SwitchName))
			assert.Equal(t, vbemfake.SeedVlanID, to.Value(vlans[1].UID))

			// The reference form and refused queries.
			refs, err := c.Query.Query(ctx, vbemapi.QueryParamsTypeCloudReplica, nil)
			require.NoError(t, err)
			require.NotNil(t, refs.Refs)
			assert.Len(t, refs.Refs.Refs, 2)
			_, err = c.Query.CloudTenants(ctx, &vbem.QueryOptions{Filter: "Quota>1"})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.Query.CloudReplicas(ctx, &vbem.QueryOptions{Format: vbemapi.QueryParamsFormatReferences})
			assert.Error(t, err, "typed queries read entities")
		})
	}
}
