package tests

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/vbaws"
)

// TestVBAWSOverview reads the configuration counts and the summary
// statistics, then protects an instance with a new policy: the counts and
// their trends follow.
func TestVBAWSOverview(t *testing.T) {
	ctx := context.Background()
	_, c := startVBAWS(t, vbaws.PasswordCredentials("admin", "s3cret-pw"))

	cfg, err := c.Overview.Configuration(ctx)
	require.NoError(t, err)
	assert.Equal(t, 6, cfg.PoliciesCount, "one seeded policy per workload")
	repos, err := c.Repositories.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int(repos.TotalCount), cfg.RepositoryCount)

	first, err := c.Overview.Statistics(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(6), first.PoliciesCount)
	assert.Equal(t, int32(3), first.InstancesCount)
	assert.Equal(t, int32(2), first.ProtectedInstancesCount, "build-01 is in no policy")
	for _, tr := range []vbawsapi.SummaryChangesTrends{first.PoliciesCountChangesTrend, first.InstancesCountChangesTrend,
		first.ProtectedInstancesCountChangesTrend, first.RepositoriesCountChangesTrend, first.AlarmsCountChangesTrend} {
		assert.Equal(t, vbawsapi.SummaryChangesTrendsNotChanged, tr)
	}

	// Protect build-01.
	unprotected, err := c.EC2Instances.List(ctx, &vbaws.ListEC2InstancesOptions{ProtectionStatus: vbawsapi.VirtualMachineProtectionStatusesUnprotected})
	require.NoError(t, err)
	require.Len(t, unprotected.Results, 1)
	p, err := c.EC2Policies.Create(ctx, vbawsapi.PolicySpec{Name: "Build servers", AmazonAccountID: uuid.New(),
		BackupType:    vbawsapi.PolicySelectionTypesSelectedItems,
		RegionIds:     []uuid.UUID{uuid.MustParse("7c1e9d55-0b0e-4d7a-9a51-3f3f1f0b6c22")},
		SelectedItems: &vbawsapi.PolicyBackupItems{VirtualMachineIds: []uuid.UUID{unprotected.Results[0].ID}}})
	require.NoError(t, err)

	second, err := c.Overview.Statistics(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(7), second.PoliciesCount)
	assert.Equal(t, vbawsapi.SummaryChangesTrendsIncreased, second.PoliciesCountChangesTrend)
	assert.Equal(t, int32(3), second.ProtectedInstancesCount)
	assert.Equal(t, vbawsapi.SummaryChangesTrendsIncreased, second.ProtectedInstancesCountChangesTrend)
	assert.Equal(t, vbawsapi.SummaryChangesTrendsNotChanged, second.InstancesCountChangesTrend)

	// Removing it again: both counts go down.
	require.NoError(t, c.EC2Policies.Delete(ctx, p.ID))
	third, err := c.Overview.Statistics(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(6), third.PoliciesCount)
	assert.Equal(t, vbawsapi.SummaryChangesTrendsDecreased, third.PoliciesCountChangesTrend)
	assert.Equal(t, vbawsapi.SummaryChangesTrendsDecreased, third.ProtectedInstancesCountChangesTrend)
	cfg, err = c.Overview.Configuration(ctx)
	require.NoError(t, err)
	assert.Equal(t, 6, cfg.PoliciesCount)
}
