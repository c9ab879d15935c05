// Package backupsdk is the root of the backupsdk module: Go clients for the
// REST APIs of backup platforms. The clients live in pkg/; this file drives
// the generation of the wire layer in gen/ from the specs in specs/.
package backupsdk

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/vbaws/oapi-codegen.yaml specs/vbaws/openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/vbgc/oapi-codegen.yaml specs/vbgc/openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/ibmbr/oapi-codegen.yaml specs/ibmbr/openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/vbem/oapi-codegen.yaml specs/vbem/openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/ibmbr/connector.oapi-codegen.yaml specs/ibmbr/connector.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/ibmbr/management-sre.oapi-codegen.yaml specs/ibmbr/management-sre.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/ibmbr/management-reporting.oapi-codegen.yaml specs/ibmbr/management-reporting.yaml

// The service layers of the facades, from the specs' x-backupsdk annotations
// and the clients above (docs/annotations.md).
//go:generate go run ./internal/servicegen -spec specs/vbaws/openapi.yaml -api gen/vbawsapi/vbawsapi.gen.go -pkg vbaws -out pkg/vbaws/services.gen.go
//go:generate go run ./internal/servicegen -spec specs/vbgc/openapi.yaml -api gen/vbgcapi/vbgcapi.gen.go -pkg vbgc -out pkg/vbgc/services.gen.go
//go:generate go run ./internal/servicegen -spec specs/vbem/openapi.yaml -api gen/vbemapi/vbemapi.gen.go -pkg vbem -out pkg/vbem/services.gen.go
//go:generate go run ./internal/servicegen -spec specs/ibmbr/openapi.yaml -api gen/ibmbrapi/ibmbrapi.gen.go -pkg ibmbr -out pkg/ibmbr/services.gen.go
//go:generate go run ./internal/servicegen -spec specs/ibmbr/connector.yaml -api gen/ibmconnectorapi/ibmconnectorapi.gen.go -pkg connector -out pkg/ibmbr/connector/services.gen.go
//go:generate go run ./internal/servicegen -spec specs/ibmbr/management-sre.yaml -api gen/ibmsreapi/ibmsreapi.gen.go -pkg sre -out pkg/ibmbr/sre/services.gen.go
//go:generate go run ./internal/servicegen -spec specs/ibmbr/management-reporting.yaml -api gen/ibmreportingapi/ibmreportingapi.gen.go -pkg reporting -out pkg/ibmbr/reporting/services.gen.go
