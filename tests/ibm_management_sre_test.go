package tests

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmsreapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/auth"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmmgmtfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/sre"
	"github.com/backupsdk/backupsdk/pkg/option"
)

func startSRE(t *testing.T) (*ibmmgmtfake.SREServer, *sre.Client) {
	t.Helper()
	srv, err := ibmmgmtfake.StartSRE("sre-key", ibmKey)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("ibmbr-sre", srv)
	c, err := sre.NewClient(srv.ServiceURL(), ibmbr.APIKey(ibmKey, ibmbr.WithIAMURL(srv.URL())), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	return srv, c
}

func TestIBMManagementSREAlertsResolveAndCount(t *testing.T) {
	srv, c := startSRE(t)
	ctx := context.Background()

	open, err := c.Alerts.List(ctx, &sre.ListAlertsOptions{AlertStates: []ibmsreapi.AlertState{ibmsreapi.AlertStateKOpen}})
	require.NoError(t, err)
	require.Len(t, open.Alerts, 3)

	sum, err := c.Alerts.Summary(ctx, nil)
	require.NoError(t, err)
	total := func(s *ibmsreapi.AlertsSummaryResponse) (n int64) {
		for _, g := range s.AlertsSummary {
			n += *g.TotalCount
		}
		return n
	}
	assert.EqualValues(t, 3, total(sum))
	day := time.Now().Add(-24 * time.Hour).UnixMicro()
	stats, err := c.Alerts.Stats(ctx, day, time.Now().UnixMicro(), nil)
	require.NoError(t, err)
	assert.EqualValues(t, 1, *stats.AggregatedAlertsStats.NumCriticalAlerts)
	assert.EqualValues(t, 1, *stats.AggregatedClusterStats.NumClustersWithCriticalAlerts)
	require.Len(t, stats.StatsByCluster, 2)

	// An operator resolves the critical alert: it leaves the open counts
	// and shows among the resolutions.
	require.NoError(t, srv.ResolveAlert("1:11:1001", "replaced disk"))
	require.Error(t, srv.ResolveAlert("1:11:1001", "again"), "a resolved alert cannot be resolved twice")

	stats, err = c.Alerts.Stats(ctx, day, time.Now().UnixMicro(), &sre.StatsOptions{ExcludeStatsByCluster: svcBool(true)})
	require.NoError(t, err)
	assert.EqualValues(t, 0, *stats.AggregatedAlertsStats.NumCriticalAlerts)
	assert.EqualValues(t, 1, *stats.AggregatedAlertsStats.NumWarningAlerts)
	assert.EqualValues(t, 1, *stats.AggregatedClusterStats.NumClustersWithWarningAlerts)
	assert.Empty(t, stats.StatsByCluster)

	msum, err := c.Alerts.ManagementSummary(ctx, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, total(msum))
	resolvedSum, err := c.Alerts.ManagementSummary(ctx, &sre.ManagementSummaryOptions{StatesList: []ibmsreapi.AlertState{ibmsreapi.AlertStateKResolved}})
	require.NoError(t, err)
	require.Len(t, resolvedSum.AlertsSummary, 1)
	assert.Equal(t, ibmsreapi.AlertCategoryKDisk, *resolvedSum.AlertsSummary[0].Category)

	res, err := c.Alerts.Resolutions(ctx, 10, &sre.ResolutionsOptions{ResolutionName: "replaced disk"})
	require.NoError(t, err)
	require.Len(t, res.AlertResolutionsList, 1)
	assert.Equal(t, "1:11:1001", *res.AlertResolutionsList[0].ResolvedAlerts[0].AlertIDStr)

	resolved, err := c.Alerts.ListManagement(ctx, &sre.ListManagementAlertsOptions{AlertStateList: []string{"kResolved"}})
	require.NoError(t, err)
	require.Len(t, resolved.AlertsList, 1)
	assert.Equal(t, *res.AlertResolutionsList[0].ResolutionID, *resolved.AlertsList[0].ResolutionIDString)

	var names []string
	for a, err := range c.Alerts.AllManagement(ctx, &sre.ListManagementAlertsOptions{ClusterIdentifiers: []string{"1:11"}}) {
		require.NoError(t, err)
		names = append(names, *a.AlertDocument.AlertName)
	}
	assert.Equal(t, []string{"DiskFailure", "HighCapacityUsage"}, names)

	// A reversed time range is the service's 400, typed.
	_, err = c.Alerts.Stats(ctx, time.Now().UnixMicro(), day, nil)
	var ae *apierr.Error
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 400, ae.StatusCode)
}

func TestIBMManagementSREUpgrades(t *testing.T) {
	_, c := startSRE(t)
	ctx := context.Background()

	comp, err := c.Clusters.Compatible(ctx, &sre.CompatibleOptions{ReleaseVersion: "7.1.0"})
	require.NoError(t, err)
	require.Len(t, comp, 1, "only the cluster below 7.1.0")
	assert.Equal(t, "cluster-west", *comp[0].ClusterName)

	at := time.Now().Add(time.Hour).UnixMilli()
	body := ibmsreapi.ClustersUpgradesRequest{TargetVersion: svcStr("7.2.0"), TimeStampToUpgradeAtMsecs: &at,
		Clusters: []ibmsreapi.Upgrade{{ClusterID: svcI64(1), ClusterIncarnationID: svcI64(11)}}}
	out, err := c.Clusters.ScheduleUpgrades(ctx, body)
	require.NoError(t, err)
	require.True(t, *out[0].IsUpgradeSchedulingSuccessful)
	out, err = c.Clusters.ScheduleUpgrades(ctx, body)
	require.NoError(t, err)
	assert.False(t, *out[0].IsUpgradeSchedulingSuccessful, "already scheduled")

	info, err := c.Clusters.Info(ctx)
	require.NoError(t, err)
	require.Len(t, info.CohesityClusters, 2)
	assert.Equal(t, ibmsreapi.ClusterInfoStatusScheduled, *info.CohesityClusters[0].Status)
	assert.Equal(t, at, *info.CohesityClusters[0].ScheduledTimestamp)

	later := at + 3600_000
	body.TimeStampToUpgradeAtMsecs, body.TargetVersion = &later, svcStr("7.2.1")
	out, err = c.Clusters.UpdateUpgrades(ctx, body)
	require.NoError(t, err)
	require.True(t, *out[0].IsUpgradeSchedulingSuccessful)
	ups, err := c.Clusters.UpgradesInfo(ctx, &sre.UpgradesInfoOptions{ClusterIdentifiers: []string{"1:11"}})
	require.NoError(t, err)
	require.Len(t, ups, 1)
	assert.Equal(t, "7.2.1", *ups[0].SoftwareVersion)

	canc, err := c.Clusters.CancelUpgrades(ctx, &sre.CancelUpgradesOptions{ClusterIdentifiers: []string{"1:11", "2:22"}})
	require.NoError(t, err)
	require.Len(t, canc, 2)
	assert.True(t, *canc[0].IsUpgradeCancelSuccessful)
	assert.False(t, *canc[1].IsUpgradeCancelSuccessful, "nothing was scheduled on cluster 2")
	ups, err = c.Clusters.UpgradesInfo(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, ups)
	out, err = c.Clusters.UpdateUpgrades(ctx, body)
	require.NoError(t, err)
	assert.False(t, *out[0].IsUpgradeSchedulingSuccessful, "nothing left to update")
}

func TestIBMManagementSREAPIKeyAndCredentials(t *testing.T) {
	srv, _ := startSRE(t)
	ctx := context.Background()
	c, err := sre.NewClient(srv.ServiceURL(), sre.APIKey("sre-key"), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = c.Clusters.Info(ctx)
	require.NoError(t, err, "the management API key goes in the apiKey header")

	bad, err := sre.NewClient(srv.ServiceURL(), sre.APIKey("wrong"), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	_, err = bad.Clusters.Info(ctx)
	var ae *apierr.Error
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 401, ae.StatusCode)
	assert.NotContains(t, err.Error(), "wrong", "the key is not in the error")

	_, err = sre.NewClient(srv.ServiceURL(), sre.APIKey(" "))
	require.Error(t, err)
	_, err = sre.NewClient(srv.ServiceURL(), auth.Password("u", "p"))
	require.Error(t, err, "a Veeam password credential is refused")
	_, err = sre.NewClient("http://"+srv.ServiceURL()[len("https://"):], sre.APIKey("k"))
	require.Error(t, err, "plain http is refused")
}

func svcBool(b bool) *bool    { return &b }
func svcStr(s string) *string { return &s }
func svcI64(n int64) *int64   { return &n }
