package specs

import _ "embed"

// VBAWS is the Veeam Backup for AWS spec (specs/vbaws/openapi.yaml).
//
//go:embed vbaws/openapi.yaml
var VBAWS []byte

// VBGC is the Veeam Backup for Google Cloud spec (specs/vbgc/openapi.yaml).
//
//go:embed vbgc/openapi.yaml
var VBGC []byte

// IBMBR is the IBM Cloud Backup and Recovery spec (specs/ibmbr/openapi.yaml).
//
//go:embed ibmbr/openapi.yaml
var IBMBR []byte

// VBEM is the Veeam Backup Enterprise Manager spec (specs/vbem/openapi.yaml).
//
//go:embed vbem/openapi.yaml
var VBEM []byte

// All maps each product name to its spec.
func All() map[string][]byte {
	return map[string][]byte{"vbaws": VBAWS, "vbgc": VBGC, "ibmbr": IBMBR, "vbem": VBEM}
}
