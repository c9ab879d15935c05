package vbaws

// ExportFormat is the media type an Export asks its file in (the Accept
// header): CSV or XML.
type ExportFormat string

// Export formats.
const (
	ExportCSV ExportFormat = "text/csv"
	ExportXML ExportFormat = "application/xml"
)
