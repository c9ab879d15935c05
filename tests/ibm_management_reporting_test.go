package tests

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rep "github.com/backupsdk/backupsdk/gen/ibmreportingapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmmgmtfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/ibmbr/reporting"
	"github.com/backupsdk/backupsdk/pkg/option"
)

func startReporting(t *testing.T) (*ibmmgmtfake.ReportingServer, *reporting.Client) {
	t.Helper()
	srv, err := ibmmgmtfake.StartReporting(ibmKey)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	srv.OnViolation(func(err error) { t.Errorf("spec violation: %v", err) })
	track("ibmbr-reporting", srv)
	c, err := reporting.NewClient(srv.URL()+"/heliosreporting/api/v1", ibmbr.APIKey(ibmKey, ibmbr.WithIAMURL(srv.URL())), option.WithCACert(srv.CACertPEM()))
	require.NoError(t, err)
	return srv, c
}

func TestIBMManagementReportingReports(t *testing.T) {
	srv, c := startReporting(t)
	ctx := context.Background()

	reps, err := c.Reports.List(ctx, &reporting.ListReportsOptions{UserContext: rep.GetReportsParamsUserContextIBMBaaS})
	require.NoError(t, err)
	require.Len(t, reps.Reports, 2)
	r, err := c.Reports.Get(ctx, "protection-summary")
	require.NoError(t, err)
	assert.Equal(t, []string{"runs", "failures"}, r.ComponentIDs)
	_, err = c.Reports.Get(ctx, "nope")
	var ae *apierr.Error
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 404, ae.StatusCode)

	comps, err := c.Components.List(ctx, &reporting.ListComponentsOptions{IDs: []string{"failures"}})
	require.NoError(t, err)
	require.Len(t, comps.Components, 1)
	comp, err := c.Components.Get(ctx, "runs")
	require.NoError(t, err)
	assert.Equal(t, rep.ReportTypeProtectionRuns, *comp.ReportType)

	// A new failed run shows in the failures of previews and exports.
	srv.AddRun("db-hourly", "Failed", 30)
	filter := []rep.AttributeFilter{{Attribute: "groupName", FilterType: rep.AttributeFilterFilterTypeIn,
		InFilterParams: &rep.InFilterParams{AttributeDataType: rep.AttributeDataTypeString, StringFilterValues: []string{"db-hourly"}}}}
	prev, err := c.Reports.Preview(ctx, "protection-summary", &rep.ReportPreviewRequest{ComponentIDs: []string{"failures"}, Filters: filter})
	require.NoError(t, err)
	require.Len(t, prev.Components, 1)
	assert.Len(t, prev.Components[0].Data, 2)

	from := int64(1)
	cp, err := c.Components.Preview(ctx, "runs", &rep.ComponentPreviewRequest{Limit: &rep.LimitParams{From: &from, Size: 2},
		Sort: []rep.AttributeSort{{Attribute: "durationSecs"}}, Timezone: svcStr("Europe/Berlin")})
	require.NoError(t, err)
	require.Len(t, cp.Component.Data, 2)
	assert.Equal(t, "Europe/Berlin", *cp.Timezone)

	body, err := c.Reports.Export(ctx, "failures", &rep.ExportReportRequest{ReportFormat: ptrTo(rep.ExportReportRequestReportFormatCSV)})
	require.NoError(t, err)
	b, err := io.ReadAll(body)
	require.NoError(t, err)
	require.NoError(t, body.Close())
	assert.Equal(t, 2, strings.Count(string(b), "Failed"), "the seeded and the new failed run: %s", b)
	_, err = c.Reports.Export(ctx, "failures", &rep.ExportReportRequest{ReportFormat: ptrTo(rep.ExportReportRequestReportFormatXLS)})
	require.True(t, errors.As(err, &ae), "%v", err)

	attrs, err := c.Reports.Type(ctx, rep.ReportTypeProtectionRuns)
	require.NoError(t, err)
	assert.Len(t, attrs.Attributes, 3)
}

func TestIBMManagementReportingResourcesAndInstances(t *testing.T) {
	srv, c := startReporting(t)
	ctx := context.Background()
	res, err := c.Resources.List(ctx, rep.ResourcesRequest{ResourceType: rep.ResourceTypeProtectionGroups})
	require.NoError(t, err)
	assert.Len(t, res.ProtectionGroups, 3)
	srv.AddRun("new-group", "Succeeded", 5)
	res, err = c.Resources.List(ctx, rep.ResourcesRequest{ResourceType: rep.ResourceTypeProtectionGroups})
	require.NoError(t, err)
	assert.Len(t, res.ProtectionGroups, 4, "a group seen in a new run is a resource too")

	inst, err := c.ProviderInstances.List(ctx, &reporting.ListProviderInstancesOptions{Regions: []string{"eu-de"}, IncludeServiceInstanceStatus: svcBool(true)})
	require.NoError(t, err)
	require.Len(t, inst.IbmServiceInstances, 1)
	assert.Equal(t, rep.IbmServiceInstanceStatusStandBy, *inst.IbmServiceInstances[0].Status)
	n := 0
	for i, err := range c.ProviderInstances.All(ctx, nil) {
		require.NoError(t, err)
		assert.Nil(t, i.Status, "no status unless asked for")
		n++
	}
	assert.Equal(t, 2, n)
}

func ptrTo[T any](v T) *T { return &v }
