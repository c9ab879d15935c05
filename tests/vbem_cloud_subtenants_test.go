package tests

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbemapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/vbemfake"
	"github.com/backupsdk/backupsdk/pkg/option"
	"github.com/backupsdk/backupsdk/pkg/to"
	"github.com/backupsdk/backupsdk/pkg/vbem"
)

func TestVBEMCloudSubtenants(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			srv, c := startVBEM(t, append([]option.Option{option.WithLogger(logger)}, m.opts...))
			done := vbemWaiter(t, c)
			const secret, secret2 = "Sub-S3cret!", "Sub-R0tated!"
			tenant := vbemfake.SeedCloudTenantID
			var errs []error

			// The seeded subtenant, without its password.
			seeded, err := c.CloudTenants.ListSubtenants(ctx, tenant)
			require.NoError(t, err)
			require.Len(t, seeded.CloudSubtenants, 1)
			first := seeded.CloudSubtenants[0]
			assert.Equal(t, vbemfake.SeedCloudSubtenantName, to.Value(first.Name))
			assert.Empty(t, to.Value(first.Password))
			require.NotNil(t, first.RepositoryQuota)
			assert.Equal(t, int64(20480), first.RepositoryQuota.QuotaMb)
			assert.Equal(t, vbemfake.SeedCloudTenantResourceID, to.Value(first.RepositoryQuota.TenantResourceID))

			// Create one with a limited quota on the tenant's backup resource.
			id := done(c.CloudTenants.CreateSubtenant(ctx, tenant, vbemapi.CloudSubtenantCreateSpec{Name: "ABC Company User 02", Description: to.Ptr("Laptop user"),
				Password: to.Ptr(secret), TenantResourceID: vbemfake.SeedCloudTenantResourceID, QuotaName: to.Ptr("User02 quota"), QuotaMb: to.Ptr[int64](10240)}))
			require.NotEmpty(t, id)
			assert.True(t, srv.CheckSubtenantPassword(tenant, id, secret))
			sub, err := c.CloudTenants.GetSubtenant(ctx, tenant, id)
			require.NoError(t, err)
			assert.Equal(t, "ABC Company User 02", to.Value(sub.Name))
			assert.Equal(t, "Laptop user", to.Value(sub.Description))
			assert.True(t, to.Value(sub.Enabled), "enabled unless the spec says otherwise")
			assert.Empty(t, to.Value(sub.Password), "the password is never answered")
			assert.Equal(t, id, to.Value(sub.ID))
			require.NotNil(t, sub.RepositoryQuota)
			assert.False(t, to.Value(sub.RepositoryQuota.Unlimited))
			assert.Equal(t, int64(10240), sub.RepositoryQuota.QuotaMb)
			assert.Equal(t, "User02 quota", to.Value(sub.RepositoryQuota.DisplayName))
			assert.NotEmpty(t, to.Value(sub.RepositoryQuota.QuotaID))

			// Refused: a taken name, a quota under 1 GB or over the tenant's,
			// a backup resource the tenant lacks, no password; none is created.
			bad := func(spec vbemapi.CloudSubtenantCreateSpec, want string) {
				t.Helper()
				_, err := c.CloudTenants.CreateSubtenant(ctx, tenant, spec)
				require.ErrorIs(t, err, apierr.ErrBadRequest)
				assert.Contains(t, err.Error(), want)
				errs = append(errs, err)
			}
			res := vbemfake.SeedCloudTenantResourceID
			bad(vbemapi.CloudSubtenantCreateSpec{Name: "abc company USER 02", Password: to.Ptr(secret), TenantResourceID: res, UnlimitedQuota: true}, "has a subtenant named")
			bad(vbemapi.CloudSubtenantCreateSpec{Name: "Tiny", Password: to.Ptr(secret), TenantResourceID: res, QuotaMb: to.Ptr[int64](100)}, "less than 1 GB")
			bad(vbemapi.CloudSubtenantCreateSpec{Name: "Huge", Password: to.Ptr(secret), TenantResourceID: res, QuotaMb: to.Ptr[int64](307201)}, "exceeds the quota of the tenant")
			bad(vbemapi.CloudSubtenantCreateSpec{Name: "Nowhere", Password: to.Ptr(secret), TenantResourceID: noSuchID, UnlimitedQuota: true}, "no backup resource")
			bad(vbemapi.CloudSubtenantCreateSpec{Name: "No Pass", Password: to.Ptr(""), TenantResourceID: res, UnlimitedQuota: true}, "needs a Password")
			_, err = c.CloudTenants.CreateSubtenant(ctx, noSuchID, vbemapi.CloudSubtenantCreateSpec{Name: "Orphan", Password: to.Ptr(secret), TenantResourceID: res, UnlimitedQuota: true})
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			var names []string
			for s, err := range c.CloudTenants.AllSubtenants(ctx, tenant) {
				require.NoError(t, err)
				names = append(names, to.Value(s.Name))
			}
			assert.Equal(t, []string{vbemfake.SeedCloudSubtenantName, "ABC Company User 02"}, names)

			// Edit: disable it, rotate its password, make its quota unlimited.
			done(c.CloudTenants.EditSubtenant(ctx, tenant, id, vbemapi.CloudSubtenant{Enabled: to.Ptr(false), Password: to.Ptr(secret2),
				RepositoryQuota: &vbemapi.CloudSubtenantRepositoryQuota{Unlimited: to.Ptr(true), QuotaMb: 0}}))
			assert.True(t, srv.CheckSubtenantPassword(tenant, id, secret2))
			assert.False(t, srv.CheckSubtenantPassword(tenant, id, secret))
			sub, err = c.CloudTenants.GetSubtenant(ctx, tenant, id)
			require.NoError(t, err)
			assert.False(t, to.Value(sub.Enabled))
			assert.True(t, to.Value(sub.RepositoryQuota.Unlimited))
			assert.Equal(t, "Laptop user", to.Value(sub.Description), "an edit keeps what it does not name")
			// An empty password keeps the password; the name cannot change;
			// a bad quota changes nothing.
			done(c.CloudTenants.EditSubtenant(ctx, tenant, id, vbemapi.CloudSubtenant{Password: to.Ptr(""), Description: to.Ptr("Desktop user"),
				RepositoryQuota: &vbemapi.CloudSubtenantRepositoryQuota{Unlimited: to.Ptr(false), QuotaMb: 4096}}))
			assert.True(t, srv.CheckSubtenantPassword(tenant, id, secret2))
			_, err = c.CloudTenants.EditSubtenant(ctx, tenant, id, vbemapi.CloudSubtenant{Name: to.Ptr("Renamed")})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.Contains(t, err.Error(), "cannot change")
			_, err = c.CloudTenants.EditSubtenant(ctx, tenant, id, vbemapi.CloudSubtenant{Enabled: to.Ptr(true), Password: to.Ptr("ignored-secret"),
				RepositoryQuota: &vbemapi.CloudSubtenantRepositoryQuota{Unlimited: to.Ptr(false), QuotaMb: 512}})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			errs = append(errs, err)
			assert.True(t, srv.CheckSubtenantPassword(tenant, id, secret2), "a refused edit changes nothing")
			sub, err = c.CloudTenants.GetSubtenant(ctx, tenant, id)
			require.NoError(t, err)
			assert.Equal(t, "Desktop user", to.Value(sub.Description))
			assert.False(t, to.Value(sub.Enabled))
			assert.Equal(t, int64(4096), sub.RepositoryQuota.QuotaMb)
			assert.False(t, to.Value(sub.RepositoryQuota.Unlimited))

			// Delete it.
			done(c.CloudTenants.DeleteSubtenant(ctx, tenant, id))
			_, err = c.CloudTenants.GetSubtenant(ctx, tenant, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			_, err = c.CloudTenants.DeleteSubtenant(ctx, tenant, id)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			list, err := c.CloudTenants.ListSubtenants(ctx, tenant)
			require.NoError(t, err)
			assert.Len(t, list.CloudSubtenants, 1)
			_, err = c.CloudTenants.GetSubtenant(ctx, tenant, "")
			assert.ErrorIs(t, err, apierr.ErrMissingID)

			// The passwords never reach an error or a log line.
			assert.NotEmpty(t, logs.String())
			for _, s := range []string{secret, secret2, "ignored-secret"} {
				assert.NotContains(t, logs.String(), s)
				for _, err := range errs {
					assert.NotContains(t, err.Error(), s)
				}
			}
		})
	}
}

func TestVBEMCloudTenantLicensesAndVDCs(t *testing.T) {
	for _, m := range media {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startVBEM(t, m.opts)
			done := vbemWaiter(t, c)

			// The free license counters, as the tenant links them.
			entity := &vbem.CloudTenantsGetOptions{Format: vbemapi.GetCloudTenantParamsFormatEntity}
			ten, err := c.CloudTenants.Get(ctx, vbemfake.SeedCloudTenantID, entity)
			require.NoError(t, err)
			var related string
			for _, l := range ten.Links {
				if l.Rel == "Related" {
					related = l.Href
				}
			}
			assert.Contains(t, related, "/freelicenseCounters")
			counters, err := c.CloudTenants.GetFreeLicenseCounters(ctx, vbemfake.SeedCloudTenantID)
			require.NoError(t, err)
			assert.Equal(t, related, to.Value(counters.Href))
			assert.Equal(t, []int32{2, 2, 3, 4, 5, 1, 2}, []int32{to.Value(counters.RentalVMBackupCount), to.Value(counters.RentalWorkstationBackupCount),
				to.Value(counters.RentalServerBackupCount), to.Value(counters.NewVMBackupCount), to.Value(counters.NewWorkstationBackupCount),
				to.Value(counters.NewServerBackupCount), to.Value(counters.NewVMReplicaCount)})
			srv.SetFreeLicenseCounters(vbemfake.SeedCloudTenantID, 7, 0)
			counters, err = c.CloudTenants.GetFreeLicenseCounters(ctx, vbemfake.SeedCloudTenantID)
			require.NoError(t, err)
			assert.Equal(t, int32(7), to.Value(counters.RentalVMBackupCount))
			assert.Equal(t, int32(0), to.Value(counters.NewVMBackupCount))
			assert.Equal(t, int32(3), to.Value(counters.RentalServerBackupCount))
			_, err = c.CloudTenants.GetFreeLicenseCounters(ctx, noSuchID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)

			// Organization VDCs: only VMware Cloud Director tenants get them.
			_, err = c.CloudTenants.CreateVCloudComputeResource(ctx, vbemfake.SeedCloudTenantID,
				vbemapi.CloudTenantVCloudComputeResourceCreateSpec{VirtualDataCenterRef: vbemfake.SeedVCloudOrgVdcRef})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.Contains(t, err.Error(), "only VMware Cloud Director tenants")
			none, err := c.CloudTenants.ListVCloudComputeResources(ctx, vbemfake.SeedCloudTenantID)
			require.NoError(t, err)
			assert.Empty(t, none.CloudTenantVCloudComputeResources)

			server := urn("BackupServer", vbemfake.SeedBackupServer2ID)
			vcd := done(c.CloudTenants.Create(ctx, vbemapi.CreateCloudTenantSpec{Name: "TechCompanyOrg", BackupServerUID: server,
				TenantType: to.Ptr(vbemapi.CreateCloudTenantSpecTenantTypeVCD), OrganizationRef: to.Ptr("urn:vCloud:Organization:36a46edd-ae1a-4f5b-9557-36fb66f45510")}))
			other := done(c.CloudTenants.Create(ctx, vbemapi.CreateCloudTenantSpec{Name: "OtherOrg", BackupServerUID: server,
				TenantType: to.Ptr(vbemapi.CreateCloudTenantSpecTenantTypeVCD), OrganizationRef: to.Ptr("urn:vCloud:Organization:9b1f0a7c-2d3e-4f5a-8b6c-7d8e9f0a1b2c")}))

			vdc := done(c.CloudTenants.CreateVCloudComputeResource(ctx, vcd, vbemapi.CloudTenantVCloudComputeResourceCreateSpec{
				VirtualDataCenterRef: vbemfake.SeedVCloudOrgVdcRef, UseNetworkFailoverResources: true,
				NetworkAppliance:  &vbemapi.NetworkApplianceInfo{Name: "Network Extension Appliance", ProductionNetwork: "VM Network", ObtainIPAddressAutomatically: true},
				WanAcceleratorUID: to.Ptr("urn:veeam:WanAccelerator:9253bc8b-ab04-4f48-be35-08c81795d2e5")}))
			require.NotEmpty(t, vdc)
			got, err := c.CloudTenants.GetVCloudComputeResource(ctx, vcd, vdc)
			require.NoError(t, err)
			assert.Equal(t, vbemfake.SeedVCloudOrgVdcName, to.Value(got.VirtualDataCenterName))
			assert.Equal(t, vbemfake.SeedVCloudOrgVdcRef, to.Value(got.VirtualDataCenterRef))
			assert.Equal(t, vbemapi.CloudTenantVCloudComputeResourceAllocationModelAllocationPool, to.Value(got.AllocationModel))
			assert.True(t, to.Value(got.UseNetworkFailoverResources))
			require.NotNil(t, got.NetworkAppliance)
			assert.Equal(t, "VM Network", got.NetworkAppliance.ProductionNetwork)
			require.NotNil(t, got.ResourceUsage)
			assert.Equal(t, int32(0), to.Value(got.ResourceUsage.CPUUsageMhz))

			// Refused: a VDC taken by a tenant, an unknown VDC, an appliance
			// without its address settings.
			_, err = c.CloudTenants.CreateVCloudComputeResource(ctx, other, vbemapi.CloudTenantVCloudComputeResourceCreateSpec{VirtualDataCenterRef: vbemfake.SeedVCloudOrgVdcRef})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.Contains(t, err.Error(), "TechCompanyOrg")
			_, err = c.CloudTenants.CreateVCloudComputeResource(ctx, vcd, vbemapi.CloudTenantVCloudComputeResourceCreateSpec{VirtualDataCenterRef: "urn:vCloud:OrgVdc:nope"})
			assert.ErrorIs(t, err, apierr.ErrBadRequest)
			_, err = c.CloudTenants.CreateVCloudComputeResource(ctx, vcd, vbemapi.CloudTenantVCloudComputeResourceCreateSpec{VirtualDataCenterRef: vbemfake.SeedVCloudOrgVdc2Ref,
				UseNetworkFailoverResources: true, NetworkAppliance: &vbemapi.NetworkApplianceInfo{Name: "NEA", ProductionNetwork: "VM Network"}})
			require.ErrorIs(t, err, apierr.ErrBadRequest)
			assert.Contains(t, err.Error(), "ManualIpAddressSettingsInfoType")

			vdc2 := done(c.CloudTenants.CreateVCloudComputeResource(ctx, vcd, vbemapi.CloudTenantVCloudComputeResourceCreateSpec{VirtualDataCenterRef: vbemfake.SeedVCloudOrgVdc2Ref}))
			var refs []string
			for v, err := range c.CloudTenants.AllVCloudComputeResources(ctx, vcd) {
				require.NoError(t, err)
				refs = append(refs, to.Value(v.VirtualDataCenterName))
			}
			assert.Equal(t, []string{vbemfake.SeedVCloudOrgVdcName, vbemfake.SeedVCloudOrgVdc2Name}, refs)

			// Removed, the VDC is free for the other tenant.
			done(c.CloudTenants.DeleteVCloudComputeResource(ctx, vcd, vdc))
			_, err = c.CloudTenants.GetVCloudComputeResource(ctx, vcd, vdc)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
			done(c.CloudTenants.CreateVCloudComputeResource(ctx, other, vbemapi.CloudTenantVCloudComputeResourceCreateSpec{VirtualDataCenterRef: vbemfake.SeedVCloudOrgVdcRef}))
			left, err := c.CloudTenants.ListVCloudComputeResources(ctx, vcd)
			require.NoError(t, err)
			require.Len(t, left.CloudTenantVCloudComputeResources, 1)
			assert.Equal(t, vdc2, to.Value(left.CloudTenantVCloudComputeResources[0].ID))
			assert.False(t, to.Value(left.CloudTenantVCloudComputeResources[0].UseNetworkFailoverResources))
			_, err = c.CloudTenants.ListVCloudComputeResources(ctx, noSuchID)
			assert.ErrorIs(t, err, apierr.ErrNotFound)
		})
	}
}
