package specs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/specs"
)

// TestIBMBREndpoints pins the 44 endpoints of IBM's reference and the 7 more
// of IBM's Go SDK (method and path), the tenant header on each of them, and
// the legacy base path of the SDK's three /irisservices/api/v1 operations.
func TestIBMBREndpoints(t *testing.T) {
	doc := load(t, specs.IBMBR)
	want := [][2]string{
		{"DELETE", "/data-protect/policies/{id}"}, {"DELETE", "/data-protect/protection-groups/{id}"},
		{"DELETE", "/data-protect/sources/registrations/{id}"}, {"DELETE", "/data-source-connections/{connectionId}"},
		{"DELETE", "/data-source-connectors/{connectorId}"}, {"GET", "/data-protect/agents/upgrade-tasks"},
		{"GET", "/data-protect/objects/{id}/snapshots"}, {"GET", "/data-protect/policies"},
		{"GET", "/data-protect/policies/{id}"}, {"GET", "/data-protect/protection-groups"},
		{"GET", "/data-protect/protection-groups/{id}"}, {"GET", "/data-protect/protection-groups/{id}/runs"},
		{"GET", "/data-protect/recoveries"}, {"GET", "/data-protect/recoveries/{id}"},
		{"GET", "/data-protect/recoveries/{id}/download-files"}, {"GET", "/data-protect/search/objects"},
		{"GET", "/data-protect/search/protected-objects"}, {"GET", "/data-protect/snapshots/{snapshotsId}/download-file"},
		{"GET", "/data-protect/sources/registrations"}, {"GET", "/data-protect/sources/registrations/{id}"},
		{"GET", "/data-source-connections"}, {"GET", "/data-source-connectors"},
		{"GET", "/data-source-connectors/metadata"}, {"PATCH", "/data-protect/sources/registrations/{id}"},
		{"PATCH", "/data-source-connections/{connectionId}"}, {"PATCH", "/data-source-connectors/{connectorId}"},
		{"POST", "/data-protect/agents/download"}, {"POST", "/data-protect/agents/upgrade-tasks"},
		{"POST", "/data-protect/policies"}, {"POST", "/data-protect/protection-groups"},
		{"POST", "/data-protect/protection-groups/{id}/runs"}, {"POST", "/data-protect/protection-groups/{id}/runs/actions"},
		{"POST", "/data-protect/recoveries"}, {"POST", "/data-protect/recoveries/download-files-folders"},
		{"POST", "/data-protect/search/indexed-objects"}, {"POST", "/data-protect/snapshots/restore-points"},
		{"POST", "/data-protect/sources/registrations"}, {"POST", "/data-protect/sources/{id}/refresh"},
		{"POST", "/data-source-connections"}, {"POST", "/data-source-connections/{connectionId}/registrationToken"},
		{"PUT", "/data-protect/policies/{id}"}, {"PUT", "/data-protect/protection-groups/{id}"},
		{"PUT", "/data-protect/protection-groups/{id}/runs"}, {"PUT", "/data-protect/sources/registrations/{id}"},
	}
	require.Len(t, want, 44)
	// The operations of IBM's Go SDK beyond the reference; the last three
	// are relative to the legacy API of the instance (a path-level server).
	sdk := [][2]string{
		{"GET", "/data-protect/protection-groups/{id}/runs/{runId}"}, {"GET", "/data-protect/runs/{runId}/progress"},
		{"POST", "/data-protect/recoveries/{id}/cancel"}, {"POST", "/data-protect/snapshots/{snapshotId}/meta-info"},
		{"GET", "/public/protectionSources"}, {"GET", "/public/protectionSources/registrationInfo"},
		{"GET", "/progressMonitors"},
	}
	count := 0
	for path, item := range doc.Paths.Map() {
		count += len(item.Operations())
		legacy := path == "/public/protectionSources" || path == "/public/protectionSources/registrationInfo" || path == "/progressMonitors"
		if !legacy {
			assert.Empty(t, item.Servers, path)
			continue
		}
		require.Len(t, item.Servers, 1, path)
		assert.Regexp(t, `^https://\{instance\}\.\{region\}\.backup-recovery\.cloud\.ibm\.com/irisservices/api/v1$`, item.Servers[0].URL, path)
	}
	assert.Equal(t, len(want)+len(sdk), count)
	for _, w := range append(want, sdk...) {
		item := doc.Paths.Find(w[1])
		require.NotNil(t, item, w[1])
		op := item.GetOperation(w[0])
		require.NotNil(t, op, "%s %s", w[0], w[1])
		tenant := op.Parameters.GetByInAndName("header", "X-IBM-Tenant-Id")
		require.NotNil(t, tenant, "%s %s lacks X-IBM-Tenant-Id", w[0], w[1])
		assert.True(t, tenant.Required)
	}
	for _, dl := range [][2]string{{"POST", "/data-protect/agents/download"}, {"GET", "/data-protect/recoveries/{id}/download-files"}, {"GET", "/data-protect/snapshots/{snapshotsId}/download-file"}} {
		resp := doc.Paths.Find(dl[1]).GetOperation(dl[0]).Responses.Status(200)
		require.NotNil(t, resp)
		media := resp.Value.Content.Get("application/octet-stream")
		require.NotNil(t, media, "%s %s is a binary stream", dl[0], dl[1])
		assert.Equal(t, "binary", media.Schema.Value.Format)
	}
}
