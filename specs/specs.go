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

// IBMConnector is the local API of IBM Cloud Backup and Recovery's
// data-source connector (specs/ibmbr/connector.yaml).
//
//go:embed ibmbr/connector.yaml
var IBMConnector []byte

// IBMSRE is the SRE part of IBM Cloud Backup and Recovery's management API:
// alerts and cluster upgrades (specs/ibmbr/management-sre.yaml).
//
//go:embed ibmbr/management-sre.yaml
var IBMSRE []byte

// IBMReporting is the reporting part of IBM Cloud Backup and Recovery's
// management API (specs/ibmbr/management-reporting.yaml).
//
//go:embed ibmbr/management-reporting.yaml
var IBMReporting []byte

// All maps each product name to its spec.
func All() map[string][]byte {
	return map[string][]byte{"vbaws": VBAWS, "vbgc": VBGC, "ibmbr": IBMBR, "vbem": VBEM,
		"ibmbr-connector": IBMConnector, "ibmbr-sre": IBMSRE, "ibmbr-reporting": IBMReporting}
}

// Files maps each product name of All to its spec file and its oapi-codegen
// configuration, relative to specs/, and to the generated package in gen/.
func Files() map[string]struct{ Spec, Config, Gen string } {
	type f = struct{ Spec, Config, Gen string }
	return map[string]f{
		"vbaws":           {"vbaws/openapi.yaml", "vbaws/oapi-codegen.yaml", "vbawsapi"},
		"vbgc":            {"vbgc/openapi.yaml", "vbgc/oapi-codegen.yaml", "vbgcapi"},
		"ibmbr":           {"ibmbr/openapi.yaml", "ibmbr/oapi-codegen.yaml", "ibmbrapi"},
		"vbem":            {"vbem/openapi.yaml", "vbem/oapi-codegen.yaml", "vbemapi"},
		"ibmbr-connector": {"ibmbr/connector.yaml", "ibmbr/connector.oapi-codegen.yaml", "ibmconnectorapi"},
		"ibmbr-sre":       {"ibmbr/management-sre.yaml", "ibmbr/management-sre.oapi-codegen.yaml", "ibmsreapi"},
		"ibmbr-reporting": {"ibmbr/management-reporting.yaml", "ibmbr/management-reporting.oapi-codegen.yaml", "ibmreportingapi"},
	}
}
