package specaudit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/specs"
)

// vendorExact spells the path parameter as ours does and has the DELETE, so
// the GET, the DELETE and the stop action match exactly; the start action
// (spelled Start) and the PUT still differ.
var vendorExact = strings.NewReplacer(`{id}`, `{thingId}`, `"name": "id"`, `"name": "thingId"`).Replace(
	strings.Replace(vendor, `"put": {`, `"delete": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"204": {"description": "No Content"}}},
      "put": {`, 1))

func TestApplyMarksWhatTheVendorConfirms(t *testing.T) {
	r := compare(t, ours, vendorExact)
	out, marked, err := Apply([]byte(ours), r, "appliance-1.4")
	require.NoError(t, err)

	var got []string
	for _, op := range marked {
		got = append(got, op.Method+" "+op.Path)
	}
	assert.Equal(t, []string{
		"DELETE /api/v1/things/{thingId}",
		"GET /api/v1/things/{thingId}",
		"POST /api/v1/things/{thingId}/stop",
	}, got)

	// Only the marks of those three change; every other line stays.
	want := strings.NewReplacer(
		`      operationId: GetThing
      x-backupsdk-inferred: true
      x-backupsdk-inferred-note: >-
        follows the list operation, one level down; a note long enough to be
        folded over two lines.
`, `      operationId: GetThing
      x-backupsdk-source: appliance-1.4
`,
		`      operationId: DeleteThing
      x-backupsdk-source: changelog-1.1
      x-backupsdk-inferred: true
      x-backupsdk-inferred-note: guessed from the changelog.
`, `      operationId: DeleteThing
      x-backupsdk-source: appliance-1.4
`,
		`      operationId: StopThing
      x-backupsdk-inferred: true
`, `      operationId: StopThing
      x-backupsdk-source: appliance-1.4
`).Replace(ours)
	assert.Equal(t, want, string(out))

	// Audited again, the marked operations are confirmed and no longer
	// inferred; nothing is left to mark.
	r = compare(t, string(out), vendorExact)
	assert.False(t, find(t, r, "GET", "/api/v1/things/{thingId}").Inferred)
	assert.True(t, find(t, r, "PUT", "/api/v1/things/{thingId}").Inferred, "a differing operation keeps its mark")
	again, marked, err := Apply(out, r, "appliance-1.4")
	require.NoError(t, err)
	assert.Empty(t, marked)
	assert.Equal(t, string(out), string(again))
}

func TestApplyRefusesABadSourceKind(t *testing.T) {
	r := compare(t, ours, vendorExact)
	for _, kind := range []string{"", "Appliance", "appliance 1.4", "appliance-", "-1.4", "appliance-1.4\nx: y"} {
		_, _, err := Apply([]byte(ours), r, kind)
		assert.Error(t, err, "%q", kind)
	}
}

func TestApplyNeedsTheSpecTheReportCameFrom(t *testing.T) {
	r := compare(t, ours, vendorExact)
	other := strings.Replace(ours, "  /api/v1/things/{thingId}/stop:", "  /api/v1/things/{thingId}/halt:", 1)
	_, _, err := Apply([]byte(other), r, "appliance-1.4")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "POST /api/v1/things/{thingId}/stop: not found in the spec's text")
}

// Every inferred operation of our specs can be marked, whatever its layout,
// and the marked spec still loads with nothing inferred left.
func TestApplyOnOurSpecs(t *testing.T) {
	for name, data := range specs.All() {
		t.Run(name, func(t *testing.T) {
			r := compare(t, string(data), string(data))
			_, inferred := r.Count(Confirmed)
			out, marked, err := Apply(data, r, "appliance-test")
			require.NoError(t, err)
			assert.Len(t, marked, inferred)

			r = compare(t, string(out), string(out))
			_, left := r.Count(Confirmed)
			assert.Zero(t, left)
			if inferred == 0 {
				assert.Equal(t, string(data), string(out))
			}
		})
	}
}
