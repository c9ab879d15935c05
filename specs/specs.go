// Package specs embeds the hand-written OpenAPI 3.0.3 documents that are the
// source of truth of backupsdk, so the fake servers and tests can load them.
package specs

import _ "embed"

// VBAWS is the Veeam Backup for AWS spec (specs/vbaws/openapi.yaml).
//
//go:embed vbaws/openapi.yaml
var VBAWS []byte

// All maps each product name to its spec.
func All() map[string][]byte {
	return map[string][]byte{"vbaws": VBAWS}
}
