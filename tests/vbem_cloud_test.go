package tests

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

// vbemWaiter returns a function that takes what a call answered with a
// task, waits for the task and returns the id of its Related resource
// (empty when it links none).
func vbemWaiter(t *testing.T, c *vbem.Client) func(*vbemapi.Task, error) string {
	return func(task *vbemapi.Task, err error) string {
		t.Helper()
		require.NoError(t, err)
		require.NotNil(t, task)
		done, err := c.WaitTask(context.Background(), task, fastTask)
		require.NoError(t, err)
		return vbem.RelatedID(done)
	}
}

func urn(kind, id string) string { return "urn:veeam:" + kind + ":" + id }

func TestVBEMCloudTenants(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			srv, c := startVBEM(t, append([]option.Option{option.WithLogger(logger)}, m.opts...))
			done := vbemWaiter(t, c)
			const secret, secret2 = "T3nant-S3cret!", "R0tated-S3cret!"
			var errs []error

			root, err := c.CloudConnect.Get(ctx)
			require.NoError(t, err)
			var downs []string
			for _, l := range root.Links {
				downs = append(downs, l.Href)
			}
			assert.Contains(t, strings.Join(downs, " "), "/api/cloud/tenants")

			seeded, err := c.CloudTenants.List(ctx)
			require.NoError(t, err)
			require.Len(t, seeded.Refs, 1)
			assert.Equal(t, vbemfake.SeedCloudTenantName, to.Value(seeded.Refs[0].Name))
			assert.Equal(t, "CloudTenantReference", to.Value(seeded.Refs[0].Type))
			ref, err := c.CloudTenants.Get(ctx, vbemfake.SeedCloudTenantID, nil)
			require.NoError(t, err)
			assert.Equal(t, "CloudTenantReference", to.Value(ref.Type))
			assert.Nil(t, ref.Enabled, "the reference form carries no settings")

			// Create a tenant with a storage quota, a hardware plan and a gateway pool.
			task, err := c.CloudTenants.Create(ctx, vbemapi.CreateCloudTenantSpec{
				Name: "Acme Corp", Description: to.Ptr("Tenant of Acme"), Password: to.Ptr(secret), Enabled: to.Ptr(true),
				Resources: &vbemapi.CreateCloudTenantResourceList{BackupResources: []vbemapi.CreateCloudTenantResourceSpec{{
					Name: "Acme backups", RepositoryUID: urn("Repository", vbemfake.SeedRepositoryID), QuotaMb: 10240}}},
				ComputeResources: &vbemapi.CloudTenantComputeResourceCreateList{ComputeResources: []vbemapi.CloudTenantComputeResourceCreateSpec{{
					CloudHardwarePlanUID: urn("CloudHardwarePlan", vbemfake.SeedCloudHardwarePlanID),
					PlatformType:         vbemapi.CloudTenantComputeResourceCreateSpecPlatformTypeVMware, UseNetworkFailoverResources: true,
					NetworkAppliance: &vbemapi.NetworkApplianceInfo{Name: "Acme appliance", ProductionNetwork: "VM Network", ObtainIPAddressAutomatically: false,
						ManualIPAddressSettingsInfoType: &vbemapi.ManualIPAddressSettingsInfo{IPAddress: "172.17.52.37", SubnetMask: "255.255.254.0", DefaultGateway: "172.17.52.1"}}}}},
				ThrottlingEnabled: to.Ptr(true), ThrottlingSpeedLimit: to.Ptr[int32](10), ThrottlingSpeedUnit: to.Ptr(vbemapi.CreateCloudTenantSpecThrottlingSpeedUnitMbps),
				BackupServerUID: urn("BackupServer", vbemfake.SeedBackupServer2ID), MaxConcurrentTasks: to.Ptr[int32](4),
				BackupProtectionEnabled: to.Ptr(true), BackupProtectionPeriod: to.Ptr[int32](14),
				TenantType:        to.Ptr(vbemapi.CreateCloudTenantSpecTenantTypeStandalone),
				CloudGatewayPools: &vbemapi.CloudGatewayPoolUIDList{CloudGatewayPoolUids: []string{urn("CloudGatewayPool", vbemfake.SeedCloudGatewayPoolID)}},
			})
			id := done(task, err)
			require.NotEmpty(t, id)
			assert.True(t, srv.CheckTenantPassword(id, secret))

			entity := &vbem.CloudTenantsGetOptions{Format: vbemapi.GetCloudTenantParamsFormatEntity}
			got, err := c.CloudTenants.Get(ctx, id, entity)
			require.NoError(t, err)
			assert.Equal(t, "Acme Corp", to.Value(got.Name))
			assert.Equal(t, "CloudTenant", to.Value(got.Type))
			assert.Empty(t, to.Value(got.Password), "the password is never answered")
			assert.True(t, to.Value(got.Enabled))
			assert.Equal(t, int32(4), to.Value(got.MaxConcurrentTasks))
			assert.Equal(t, int32(14), to.Value(got.BackupProtectionPeriod))
			assert.Equal(t, vbemapi.CloudTenantThrottlingSpeedUnitMbps, to.Value(got.ThrottlingSpeedUnit))
			require.NotNil(t, got.TenantType)
			require.NotNil(t, got.TenantType.StandaloneTenant)
			assert.Equal(t, "Acme Corp", to.Value(got.TenantType.StandaloneTenant.TenantCredentials.Username))
			require.NotNil(t, got.Resources)
			require.Len(t, got.Resources.CloudTenantResources, 1)
			resID := to.Value(got.Resources.CloudTenantResources[0].ID)
			assert.Equal(t, int64(10240), got.Resources.CloudTenantResources[0].RepositoryQuota.Quota)
			require.NotNil(t, got.ComputeResources)
			require.Len(t, got.ComputeResources.CloudTenantComputeResources, 1)
			assert.Equal(t, []string{urn("CloudGatewayPool", vbemfake.SeedCloudGatewayPoolID)}, got.CloudGatewayPools.CloudGatewayPoolUids)

			all, err := c.CloudTenants.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedCloudTenantName, "Acme Corp"}, refNames((*vbemapi.EntityReferences)(all)))

			// Its backup resource, read back.
			var quotas []int64
			for r, err := range c.CloudTenants.AllResources(ctx, id) {
				require.NoError(t, err)
				quotas = append(quotas, r.RepositoryQuota.Quota)
			}
			assert.Equal(t, []int64{10240}, quotas)
			res, err := c.CloudTenants.GetResource(ctx, id, resID)
			require.NoError(t, err)
			assert.Equal(t, "Acme backups", res.RepositoryQuota.DisplayName)
			assert.Equal(t, urn("Repository", vbemfake.SeedRepositoryID), res.RepositoryQuota.RepositoryUID)

			// Change its quota; a quota over the capacity of the repository changes nothing.
			done(c.CloudTenants.SetResourceQuota(ctx, id, resID, 20480))
			res, err = c.CloudTenants.GetResource(ctx, id, resID)
			require.NoError(t, err)
			assert.Equal(t, int64(20480), res.RepositoryQuota.Quota)
			_, err = c.CloudTenants.SetResourceQuota(ctx, id, resID, 50<<20)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.Contains(t, err.Error(), "exceeds the capacity")
			errs = append(errs, err)
			_, err = c.CloudTenants.SetResourceQuota(ctx, id, resID, 100)
			assert.ErrorIs(t, err, vbem.ErrQuotaTooSmall)
			res, err = c.CloudTenants.GetResource(ctx, id, resID)
			require.NoError(t, err)
			assert.Equal(t, int64(20480), res.RepositoryQuota.Quota, "a refused quota changes nothing")

			// Disable and enable it, and change its password.
			done(c.CloudTenants.Disable(ctx, id))
			got, err = c.CloudTenants.Get(ctx, id, entity)
			require.NoError(t, err)
			assert.False(t, to.Value(got.Enabled))
			done(c.CloudTenants.Enable(ctx, id))
			got, err = c.CloudTenants.Get(ctx, id, entity)
			require.NoError(t, err)
			assert.True(t, to.Value(got.Enabled))
			assert.Equal(t, "Tenant of Acme", to.Value(got.Description), "an edit keeps what it does not name")
			done(c.CloudTenants.Edit(ctx, id, vbemapi.CloudTenant{Password: to.Ptr(secret2), Description: to.Ptr("Rotated"),
				LeaseOptions: &vbemapi.CloudTenantLeaseOptions{Enabled: to.Ptr(true), LeaseExpirationDate: to.Ptr(time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC))}}))
			assert.True(t, srv.CheckTenantPassword(id, secret2))
			assert.False(t, srv.CheckTenantPassword(id, secret))
			got, err = c.CloudTenants.Get(ctx, id, entity)
			require.NoError(t, err)
			assert.Equal(t, "Rotated", to.Value(got.Description))
			require.NotNil(t, got.LeaseOptions)
			assert.True(t, to.Value(got.LeaseOptions.Enabled))
			assert.True(t, time.Date(2030, 1, 31, 0, 0, 0, 0, time.UTC).Equal(to.Value(got.LeaseOptions.LeaseExpirationDate)))

			// Bad input: a 400 that changes nothing and never echoes the password.
			bad := func(spec vbemapi.CreateCloudTenantSpec, want string) {
				t.Helper()
				_, err := c.CloudTenants.Create(ctx, spec)
				require.ErrorIs(t, err, apierr.ErrBadRequest)
				assert.Contains(t, err.Error(), want)
				errs = append(errs, err)
			}
			server := urn("BackupServer", vbemfake.SeedBackupServer2ID)
			bad(vbemapi.CreateCloudTenantSpec{Name: "acme CORP", Password: to.Ptr(secret), BackupServerUID: server}, "exists")
			bad(vbemapi.CreateCloudTenantSpec{Name: "Big Co", Password: to.Ptr(secret), BackupServerUID: server,
				Resources: &vbemapi.CreateCloudTenantResourceList{BackupResources: []vbemapi.CreateCloudTenantResourceSpec{{
					Name: "Too big", RepositoryUID: urn("Repository", vbemfake.SeedRepositoryID), QuotaMb: 50 << 20}}}}, "exceeds the capacity")
			bad(vbemapi.CreateCloudTenantSpec{Name: "No Pass Co", BackupServerUID: server}, "needs a Password")
			bad(vbemapi.CreateCloudTenantSpec{Name: "Elsewhere Co", Password: to.Ptr(secret), BackupServerUID: server,
				Resources: &vbemapi.CreateCloudTenantResourceList{BackupResources: []vbemapi.CreateCloudTenantResourceSpec{{
					Name: "Other server", RepositoryUID: urn("Repository", vbemfake.SeedRepository2ID), QuotaMb: 2048}}}}, "not on the backup server")
			bad(vbemapi.CreateCloudTenantSpec{Name: "Nowhere Co", Password: to.Ptr(secret), BackupServerUID: urn("BackupServer", noSuchID)}, "unknown backup server")
			all, err = c.CloudTenants.List(ctx)
			require.NoError(t, err)
			assert.Len(t, all.Refs, 2, "refused tenants are not created")

			// Backup resources: add, refuse a second quota on the same repository, remove.
			_, err = c.CloudTenants.CreateResource(ctx, id, vbemapi.CreateCloudTenantResourceSpec{Name: "Twice", RepositoryUID: urn("Repository", vbemfake.SeedRepositoryID), QuotaMb: 2048})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			done(c.CloudTenants.DeleteResource(ctx, id, resID))
			_, err = c.CloudTenants.GetResource(ctx, id, resID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			none, err := c.CloudTenants.ListResources(ctx, id)
			require.NoError(t, err)
			assert.Empty(t, none.CloudTenantResources)
			newRes := done(c.CloudTenants.CreateResource(ctx, id, vbemapi.CreateCloudTenantResourceSpec{
				Name: "Acme again", RepositoryUID: urn("Repository", vbemfake.SeedRepositoryID), QuotaMb: 4096}))
			res, err = c.CloudTenants.GetResource(ctx, id, newRes)
			require.NoError(t, err)
			assert.Equal(t, int64(4096), res.RepositoryQuota.Quota)

			// Replication resources: one subscription per plan.
			comps, err := c.CloudTenants.ListComputeResources(ctx, id)
			require.NoError(t, err)
			require.Len(t, comps.CloudTenantComputeResources, 1)
			compID := to.Value(comps.CloudTenantComputeResources[0].ID)
			comp, err := c.CloudTenants.GetComputeResource(ctx, id, compID)
			require.NoError(t, err)
			assert.Equal(t, urn("CloudHardwarePlan", vbemfake.SeedCloudHardwarePlanID), to.Value(comp.CloudHardwarePlanUID))
			require.NotNil(t, comp.NetworkAppliance)
			assert.Equal(t, "172.17.52.37", comp.NetworkAppliance.ManualIPAddressSettingsInfoType.IPAddress)
			require.NotNil(t, comp.ComputeResourceStats)
			require.Len(t, comp.ComputeResourceStats.StorageResourceStats.StorageResourceStats, 1)
			assert.Equal(t, int32(500), to.Value(comp.ComputeResourceStats.StorageResourceStats.StorageResourceStats[0].StorageLimitGb))
			again := vbemapi.CloudTenantComputeResourceCreateSpec{CloudHardwarePlanUID: urn("CloudHardwarePlan", vbemfake.SeedCloudHardwarePlanID),
				PlatformType: vbemapi.CloudTenantComputeResourceCreateSpecPlatformTypeVMware}
			_, err = c.CloudTenants.CreateComputeResource(ctx, id, again)
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			subscribed, err := c.CloudHardwarePlans.ListTenants(ctx, vbemfake.SeedCloudHardwarePlanID)
			require.NoError(t, err)
			assert.Len(t, subscribed.CloudTenants, 2)
			done(c.CloudTenants.DeleteComputeResource(ctx, id, compID))
			_, err = c.CloudTenants.GetComputeResource(ctx, id, compID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			newComp := done(c.CloudTenants.CreateComputeResource(ctx, id, again))
			var plans []string
			for cr, err := range c.CloudTenants.AllComputeResources(ctx, id) {
				require.NoError(t, err)
				assert.Equal(t, newComp, to.Value(cr.ID))
				assert.False(t, to.Value(cr.UseNetworkFailoverResources))
				plans = append(plans, to.Value(cr.CloudHardwarePlanUID))
			}
			assert.Len(t, plans, 1)

			// Gateway pools of the tenant.
			pools, err := c.CloudTenants.ListGatewayPools(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedCloudGatewayPoolName}, refNames((*vbemapi.EntityReferences)(pools)))
			done(c.CloudTenants.Edit(ctx, id, vbemapi.CloudTenant{CloudGatewayPools: &vbemapi.CloudGatewayPoolUIDList{}}))
			pools, err = c.CloudTenants.ListGatewayPools(ctx, id)
			require.NoError(t, err)
			assert.Empty(t, pools.Refs)

			// Delete it, with its backups.
			done(c.CloudTenants.Delete(ctx, id, &vbem.CloudTenantsDeleteOptions{IncludeBackups: to.Ptr(true)}))
			_, err = c.CloudTenants.Get(ctx, id, entity)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.CloudTenants.ListResources(ctx, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.CloudTenants.Delete(ctx, id, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			assert.Equal(t, map[string]bool{"Acme Corp": true}, srv.DeletedTenants())
			var names []string
			for r, err := range c.CloudTenants.All(ctx) {
				require.NoError(t, err)
				names = append(names, to.Value(r.Name))
			}
			assert.Equal(t, []string{vbemfake.SeedCloudTenantName}, names)

			// The passwords never reach an error or a log line.
			assert.NotEmpty(t, logs.String())
			for _, s := range []string{secret, secret2} {
				assert.NotContains(t, logs.String(), s)
				for _, err := range errs {
					assert.NotContains(t, err.Error(), s)
				}
			}
		})
	}
}

func TestVBEMCloudGatewaysAndPools(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			done := vbemWaiter(t, c)
			server := urn("BackupServer", vbemfake.SeedBackupServer2ID)

			gws, err := c.CloudGateways.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedCloudGatewayName}, refNames((*vbemapi.EntityReferences)(gws)))
			gwEntity := &vbem.CloudGatewaysGetOptions{Format: vbemapi.GetCloudGatewayParamsFormatEntity}
			seed, err := c.CloudGateways.Get(ctx, vbemfake.SeedCloudGatewayID, gwEntity)
			require.NoError(t, err)
			assert.Equal(t, vbemapi.CloudGatewayNetworkModeDirect, to.Value(seed.NetworkMode))
			assert.Equal(t, int32(6180), to.Value(seed.ExternalPort))

			gw2 := done(c.CloudGateways.Create(ctx, vbemapi.CreateCloudGatewaySpec{ServerHostName: "gw02.tech.local",
				Description: to.Ptr("Second gateway"), NetworkType: vbemapi.CreateCloudGatewaySpecNetworkTypeDirect, ExternalPort: to.Ptr[int32](6190), BackupServerUID: to.Ptr(server)}))
			require.NotEmpty(t, gw2)
			got, err := c.CloudGateways.Get(ctx, gw2, gwEntity)
			require.NoError(t, err)
			assert.Equal(t, "gw02.tech.local", to.Value(got.Name))
			assert.Equal(t, int32(6190), to.Value(got.ExternalPort))
			assert.True(t, to.Value(got.Enabled))
			done(c.CloudGateways.Edit(ctx, gw2, vbemapi.CloudGateway{Enabled: to.Ptr(false), NetworkMode: to.Ptr(vbemapi.CloudGatewayNetworkModeNAT),
				ExternalIP: to.Ptr("203.0.113.10"), InternalPort: to.Ptr[int32](6200)}))
			got, err = c.CloudGateways.Get(ctx, gw2, gwEntity)
			require.NoError(t, err)
			assert.False(t, to.Value(got.Enabled))
			assert.Equal(t, vbemapi.CloudGatewayNetworkModeNAT, to.Value(got.NetworkMode))
			assert.Equal(t, "203.0.113.10", to.Value(got.ExternalIP))
			assert.Equal(t, "Second gateway", to.Value(got.Description))
			_, err = c.CloudGateways.Create(ctx, vbemapi.CreateCloudGatewaySpec{ServerHostName: "GW02.tech.local", NetworkType: vbemapi.CreateCloudGatewaySpecNetworkTypeDirect, BackupServerUID: to.Ptr(server)})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "a server is a gateway once")
			_, err = c.CloudGateways.Create(ctx, vbemapi.CreateCloudGatewaySpec{ServerHostName: "gw03.tech.local", NetworkType: vbemapi.CreateCloudGatewaySpecNetworkTypeNAT, BackupServerUID: to.Ptr(server)})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "NAT needs an external address")

			// Gateway pools.
			pools, err := c.CloudGatewayPools.List(ctx)
			require.NoError(t, err)
			require.Len(t, pools.Refs, 1)
			poolEntity := &vbem.CloudGatewayPoolsGetOptions{Format: vbemapi.GetCloudGatewayPoolParamsFormatEntity}
			seedPool, err := c.CloudGatewayPools.Get(ctx, vbemfake.SeedCloudGatewayPoolID, poolEntity)
			require.NoError(t, err)
			assert.Equal(t, []string{urn("CloudGateway", vbemfake.SeedCloudGatewayID)}, seedPool.CloudGateways.CloudGatewayUids)
			assert.Equal(t, []string{urn("CloudTenant", vbemfake.SeedCloudTenantID)}, seedPool.CloudTenants.CloudTenantUids)

			_, err = c.CloudGateways.Delete(ctx, vbemfake.SeedCloudGatewayID)
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "a gateway of a pool stays")
			_, err = c.CloudGatewayPools.Create(ctx, vbemapi.CreateCloudGatewayPoolSpec{Name: "Taken", BackupServerUID: server,
				CloudGateways: vbemapi.CloudGatewayUIDList{CloudGatewayUids: []string{urn("CloudGateway", vbemfake.SeedCloudGatewayID)}}})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "a gateway belongs to one pool")
			_, err = c.CloudGatewayPools.Create(ctx, vbemapi.CreateCloudGatewayPoolSpec{Name: "Empty", BackupServerUID: server})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "a pool needs a gateway")

			pool2 := done(c.CloudGatewayPools.Create(ctx, vbemapi.CreateCloudGatewayPoolSpec{Name: "GatewayPool 2", Description: to.Ptr("NAT gateways"),
				BackupServerUID: server, CloudGateways: vbemapi.CloudGatewayUIDList{CloudGatewayUids: []string{urn("CloudGateway", gw2)}}}))
			p2, err := c.CloudGatewayPools.Get(ctx, pool2, poolEntity)
			require.NoError(t, err)
			assert.Equal(t, "GatewayPool 2", to.Value(p2.Name))
			assert.Empty(t, p2.CloudTenants.CloudTenantUids)
			ref2, err := c.CloudGatewayPools.Get(ctx, pool2, nil)
			require.NoError(t, err)
			assert.Equal(t, "CloudGatewayPoolReference", to.Value(ref2.Type))

			done(c.CloudGatewayPools.Edit(ctx, pool2, vbemapi.CloudGatewayPool{Name: to.Ptr("NAT pool"),
				CloudTenants: &vbemapi.CloudTenantUIDList{CloudTenantUids: []string{urn("CloudTenant", vbemfake.SeedCloudTenantID)}}}))
			p2, err = c.CloudGatewayPools.Get(ctx, pool2, poolEntity)
			require.NoError(t, err)
			assert.Equal(t, "NAT pool", to.Value(p2.Name))
			assert.Equal(t, "NAT gateways", to.Value(p2.Description))
			assert.Equal(t, []string{urn("CloudGateway", gw2)}, p2.CloudGateways.CloudGatewayUids)
			_, err = c.CloudGatewayPools.Edit(ctx, pool2, vbemapi.CloudGatewayPool{Name: to.Ptr(vbemfake.SeedCloudGatewayPoolName)})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "pool names are unique")
			tenantPools, err := c.CloudTenants.ListGatewayPools(ctx, vbemfake.SeedCloudTenantID)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedCloudGatewayPoolName, "NAT pool"}, refNames((*vbemapi.EntityReferences)(tenantPools)))
			var poolNames []string
			for p, err := range c.CloudGatewayPools.All(ctx) {
				require.NoError(t, err)
				poolNames = append(poolNames, to.Value(p.Name))
			}
			assert.Equal(t, []string{vbemfake.SeedCloudGatewayPoolName, "NAT pool"}, poolNames)

			done(c.CloudGatewayPools.Delete(ctx, pool2))
			_, err = c.CloudGatewayPools.Get(ctx, pool2, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			// Out of its pool, the gateway can go.
			done(c.CloudGateways.Delete(ctx, gw2))
			_, err = c.CloudGateways.Get(ctx, gw2, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			var gwNames []string
			for g, err := range c.CloudGateways.All(ctx) {
				require.NoError(t, err)
				gwNames = append(gwNames, to.Value(g.Name))
			}
			assert.Equal(t, []string{vbemfake.SeedCloudGatewayName}, gwNames)
			_, err = c.CloudGateways.Edit(ctx, noSuchID, vbemapi.CloudGateway{Enabled: to.Ptr(true)})
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}

func TestVBEMCloudHardwarePlans(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			_, c := startVBEM(t, m.opts)
			done := vbemWaiter(t, c)
			server := urn("BackupServer", vbemfake.SeedBackupServer2ID)
			entity := &vbem.CloudHardwarePlansGetOptions{Format: vbemapi.GetCloudHardwarePlanParamsFormatEntity}

			list, err := c.CloudHardwarePlans.List(ctx)
			require.NoError(t, err)
			assert.Equal(t, []string{vbemfake.SeedCloudHardwarePlanName}, refNames((*vbemapi.EntityReferences)(list)))
			seed, err := c.CloudHardwarePlans.Get(ctx, vbemfake.SeedCloudHardwarePlanID, entity)
			require.NoError(t, err)
			require.NotNil(t, seed.HardwarePlanDetails)
			require.NotNil(t, seed.HardwarePlanDetails.ViCloudHardwarePlan)
			assert.Equal(t, "esx01.tech.local", seed.HardwarePlanDetails.ViCloudHardwarePlan.ParentName)
			assert.Equal(t, int32(10000), to.Value(seed.ProcessorUsageLimitMhz))
			var subscribed []string
			for ten, err := range c.CloudHardwarePlans.AllTenants(ctx, vbemfake.SeedCloudHardwarePlanID) {
				require.NoError(t, err)
				subscribed = append(subscribed, to.Value(ten.Name))
				assert.Empty(t, to.Value(ten.Password))
			}
			assert.Equal(t, []string{vbemfake.SeedCloudTenantName}, subscribed)
			_, err = c.CloudHardwarePlans.Delete(ctx, vbemfake.SeedCloudHardwarePlanID)
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "a plan with subscribers stays")

			hv := vbemapi.CloudHardwarePlanCreateSpec{BackupServerUID: server, Name: "Hyper-V Silver", Description: to.Ptr("Hardware plan for Hyper-V VMs"),
				ProcessorUsageLimitMhz: -1, MemoryUsageLimitMb: 16384, HardwarePlanDetails: vbemapi.CloudHardwarePlanDetails{HvCloudHardwarePlan: &vbemapi.HvCloudHardwarePlan{
					HypervisorHostRef: "urn:HyperV:Host:849a937a-3416-4f03-8111-67b06393afcb.",
					Volumes:           vbemapi.CloudHardwarePlanVolumeList{Volumes: []vbemapi.CloudHardwarePlanVolume{{FriendlyName: "Cloud Replicas", VolumePath: `D:\Replicas`, QuotaGb: 300}}},
					Network:           &vbemapi.CloudHardwarePlanNetwork{CountWithInternet: to.Ptr[int32](1), CountWithoutInternet: to.Ptr[int32](1)}}}}
			id := done(c.CloudHardwarePlans.Create(ctx, hv))
			got, err := c.CloudHardwarePlans.Get(ctx, id, entity)
			require.NoError(t, err)
			require.NotNil(t, got.HardwarePlanDetails.HvCloudHardwarePlan)
			vols := got.HardwarePlanDetails.HvCloudHardwarePlan.Volumes.Volumes
			require.Len(t, vols, 1)
			assert.NotEmpty(t, to.Value(vols[0].ID), "the server names each volume")
			assert.Equal(t, `D:\Replicas`, vols[0].VolumePath)
			assert.Equal(t, int32(-1), to.Value(got.ProcessorUsageLimitMhz))

			_, err = c.CloudHardwarePlans.Create(ctx, hv)
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "plan names are unique")
			_, err = c.CloudHardwarePlans.Create(ctx, vbemapi.CloudHardwarePlanCreateSpec{BackupServerUID: server, Name: "Nothing", ProcessorUsageLimitMhz: -1, MemoryUsageLimitMb: -1})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "a plan needs platform settings")

			// Edit: a larger volume and a new description; the networks cannot change.
			details := *got.HardwarePlanDetails
			plan := *details.HvCloudHardwarePlan
			plan.Volumes.Volumes = []vbemapi.CloudHardwarePlanVolume{vols[0]}
			plan.Volumes.Volumes[0].QuotaGb = 600
			plan.Network = nil
			details.HvCloudHardwarePlan = &plan
			done(c.CloudHardwarePlans.Edit(ctx, id, vbemapi.CloudHardwarePlan{Description: to.Ptr("Bigger"), MemoryUsageLimitMb: to.Ptr[int32](32768), HardwarePlanDetails: &details}))
			got, err = c.CloudHardwarePlans.Get(ctx, id, entity)
			require.NoError(t, err)
			assert.Equal(t, "Bigger", to.Value(got.Description))
			assert.Equal(t, int32(32768), to.Value(got.MemoryUsageLimitMb))
			assert.Equal(t, int32(600), got.HardwarePlanDetails.HvCloudHardwarePlan.Volumes.Volumes[0].QuotaGb)
			assert.Equal(t, vols[0].ID, got.HardwarePlanDetails.HvCloudHardwarePlan.Volumes.Volumes[0].ID)
			require.NotNil(t, got.HardwarePlanDetails.HvCloudHardwarePlan.Network, "networks left out stay")
			assert.Equal(t, int32(1), to.Value(got.HardwarePlanDetails.HvCloudHardwarePlan.Network.CountWithoutInternet))
			plan.Network = &vbemapi.CloudHardwarePlanNetwork{CountWithInternet: to.Ptr[int32](2), CountWithoutInternet: to.Ptr[int32](1)}
			_, err = c.CloudHardwarePlans.Edit(ctx, id, vbemapi.CloudHardwarePlan{HardwarePlanDetails: &details})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "the number of networks cannot change")
			_, err = c.CloudHardwarePlans.Edit(ctx, id, vbemapi.CloudHardwarePlan{HardwarePlanDetails: seed.HardwarePlanDetails})
			assert.ErrorIs(t, err, apierr.ErrBadRequest, "the platform cannot change")

			// A tenant of the other platform cannot subscribe to the Hyper-V plan.
			_, err = c.CloudTenants.CreateComputeResource(ctx, vbemfake.SeedCloudTenantID, vbemapi.CloudTenantComputeResourceCreateSpec{
				CloudHardwarePlanUID: urn("CloudHardwarePlan", id), PlatformType: vbemapi.CloudTenantComputeResourceCreateSpecPlatformTypeHyperV})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			none, err := c.CloudHardwarePlans.ListTenants(ctx, id)
			require.NoError(t, err)
			assert.Empty(t, none.CloudTenants)

			done(c.CloudHardwarePlans.Delete(ctx, id))
			_, err = c.CloudHardwarePlans.Get(ctx, id, nil)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			var names []string
			for p, err := range c.CloudHardwarePlans.All(ctx) {
				require.NoError(t, err)
				names = append(names, to.Value(p.Name))
			}
			assert.Equal(t, []string{vbemfake.SeedCloudHardwarePlanName}, names)
		})
	}
}
