package tests

import (
	"context"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// TestVBAWSCostEstimation prices EC2 backup policies that have not been
// created: which instances they would protect, what snapshots, replicas
// and backups cost, in the orders and pages of the list, and as a file.
func TestVBAWSCostEstimation(t *testing.T) {
	ctx := context.Background()
	srv, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))
	ce := c.CostEstimation
	role := defaultRole(ctx, t, c)
	repo := collect(t, c.Repositories.All(ctx, nil))[0]
	vms := map[string]vbawsapi.VirtualMachine{}
	for _, vm := range collect(t, c.EC2Instances.All(ctx, nil)) {
		vms[*vm.Name] = vm
	}
	web, build := vms["web-01"], vms["build-01"]
	usEast, euWest := *web.Location.ID, *build.Location.ID

	// Snapshots only, of one instance.
	spec := vbawsapi.PolicySpec{Name: "Estimate", AmazonAccountID: role, BackupType: vbawsapi.PolicySelectionTypesSelectedItems,
		SelectedItems: &vbawsapi.PolicyBackupItems{VirtualMachineIds: []uuid.UUID{web.ID}}}
	page, err := ce.Estimate(ctx, spec, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.False(t, page.IsEmpty)
	only := page.Items[0]
	assert.Equal(t, web.ID, only.VirtualMachineID)
	assert.Positive(t, *only.SnapshotCost)
	assert.Zero(t, *only.BackupCost, "no backups without a repository")
	assert.Zero(t, *only.ReplicaCost)
	assert.InDelta(t, only.TotalCost, page.TotalCost, 1e-9)
	snapshotOnly := only.TotalCost

	// Two instances, backed up and replicated from us-east-1 to eu-west-1.
	spec.SelectedItems.VirtualMachineIds = []uuid.UUID{web.ID, build.ID}
	spec.BackupSettings = &vbawsapi.PolicyBackupSettings{TargetRepositoryID: &repo.ID}
	spec.ReplicaSettings = &vbawsapi.PolicyReplicaSettings{Mapping: []vbawsapi.ReplicaMapping{{SourceRegionID: usEast, TargetRegionID: euWest, TargetAmazonAccountID: role}}}
	page, err = ce.Estimate(ctx, spec, &vbaws.EstimateCostOptions{Sort: []vbawsapi.CostEstimationSortColumns{vbawsapi.CostEstimationSortColumnsVirtualMachineNameAsc}})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.EqualValues(t, 2, page.TotalCount)
	b, w := page.Items[0], page.Items[1]
	assert.Equal(t, "build-01", b.VirtualMachineName)
	assert.Equal(t, "web-01", w.VirtualMachineName)
	assert.Positive(t, *w.ReplicaCost, "web-01 is in the replicated region")
	assert.Positive(t, w.TrafficCost)
	assert.Zero(t, *b.ReplicaCost, "build-01 is not")
	assert.Zero(t, b.TrafficCost)
	assert.Positive(t, *b.BackupCost)
	assert.Positive(t, b.TransactionCost)
	assert.Greater(t, *b.SnapshotCost, *w.SnapshotCost, "build-01 is the larger instance")
	assert.Greater(t, w.TotalCost, snapshotOnly)
	sum := func(f func(vbawsapi.CostEstimationItem) float64) float64 { return math.Round((f(b)+f(w))*100) / 100 }
	assert.InDelta(t, sum(func(it vbawsapi.CostEstimationItem) float64 { return it.TotalCost }), page.TotalCost, 1e-9)
	assert.InDelta(t, sum(func(it vbawsapi.CostEstimationItem) float64 { return *it.BackupCost }), *page.TotalBackupCost, 1e-9)
	assert.InDelta(t, sum(func(it vbawsapi.CostEstimationItem) float64 { return it.TrafficCost }), page.TotalTrafficCost, 1e-9)
	for _, it := range page.Items {
		assert.InDelta(t, *it.SnapshotCost+*it.ReplicaCost+*it.BackupCost+it.TrafficCost+it.TransactionCost, it.TotalCost, 0.011)
	}

	// Orders, the name filter and paging.
	byTotal := collect(t, ce.AllEstimates(ctx, spec, &vbaws.EstimateCostOptions{Limit: 1,
		Sort: []vbawsapi.CostEstimationSortColumns{vbawsapi.CostEstimationSortColumnsTotalDesc}}))
	require.Len(t, byTotal, 2)
	assert.GreaterOrEqual(t, byTotal[0].TotalCost, byTotal[1].TotalCost)
	byTraffic := collect(t, ce.AllEstimates(ctx, spec, &vbaws.EstimateCostOptions{Sort: []vbawsapi.CostEstimationSortColumns{vbawsapi.CostEstimationSortColumnsTrafficDesc}}))
	assert.Equal(t, "web-01", byTraffic[0].VirtualMachineName)
	byName := collect(t, ce.AllEstimates(ctx, spec, &vbaws.EstimateCostOptions{Sort: []vbawsapi.CostEstimationSortColumns{vbawsapi.CostEstimationSortColumnsVirtualMachineNameDesc}}))
	assert.Equal(t, "web-01", byName[0].VirtualMachineName)
	filtered, err := ce.Estimate(ctx, spec, &vbaws.EstimateCostOptions{VirtualMachineNameFilter: "build*"})
	require.NoError(t, err)
	require.Len(t, filtered.Items, 1)
	assert.EqualValues(t, 1, filtered.TotalCount)
	assert.InDelta(t, b.TotalCost, filtered.TotalCost, 1e-9)

	// A policy of both regions without web-01 protects web-02 and build-01.
	regions := vbawsapi.PolicySpec{Name: "Regions", AmazonAccountID: role, BackupType: vbawsapi.PolicySelectionTypesAllItems,
		RegionIds: []uuid.UUID{usEast, euWest}, ExcludedItems: &vbawsapi.PolicyBackupItems{VirtualMachineIds: []uuid.UUID{web.ID}}}
	names := map[string]bool{}
	for _, it := range collect(t, ce.AllEstimates(ctx, regions, nil)) {
		names[it.VirtualMachineName] = true
	}
	assert.Equal(t, map[string]bool{"web-02": true, "build-01": true}, names)
	regions.RegionIds, regions.ExcludedItems = []uuid.UUID{euWest}, &vbawsapi.PolicyBackupItems{VirtualMachineIds: []uuid.UUID{build.ID}}
	empty, err := ce.Estimate(ctx, regions, nil)
	require.NoError(t, err)
	assert.True(t, empty.IsEmpty)
	assert.Empty(t, empty.Items)
	assert.Zero(t, empty.TotalCost)

	// What the appliance does not know is refused.
	bad := spec
	bad.RegionIds = []uuid.UUID{uuid.New()}
	_, err = ce.Estimate(ctx, bad, nil)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "an unknown region")
	bad = spec
	bad.BackupSettings = &vbawsapi.PolicyBackupSettings{TargetRepositoryID: &role}
	_, err = ce.Estimate(ctx, bad, nil)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "an unknown repository")
	bad = spec
	bad.SelectedItems = &vbawsapi.PolicyBackupItems{VirtualMachineIds: []uuid.UUID{uuid.New()}}
	_, err = ce.Export(ctx, bad, vbaws.ExportCSV)
	assert.ErrorIs(t, err, apierr.ErrBadRequest, "an unknown instance")

	// The export has the rows of the estimate.
	rc, err := ce.Export(ctx, spec, vbaws.ExportCSV)
	require.NoError(t, err)
	records, err := csv.NewReader(rc).ReadAll()
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Len(t, records, 3)
	assert.Equal(t, "Total Cost", records[0][6])
	rows := map[string]string{}
	for _, r := range records[1:] {
		rows[r[0]] = r[6]
	}
	for _, it := range page.Items {
		total, err := strconv.ParseFloat(rows[it.VirtualMachineName], 64)
		require.NoError(t, err, it.VirtualMachineName)
		assert.InDelta(t, it.TotalCost, total, 1e-9)
	}
	rc, err = ce.Export(ctx, spec, vbaws.ExportXML)
	require.NoError(t, err)
	body, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	assert.Contains(t, string(body), "<Instance>build-01</Instance>")
	_, err = ce.Export(ctx, spec, "application/json")
	assert.Error(t, err)
	assert.Empty(t, srv.Violations())
}
