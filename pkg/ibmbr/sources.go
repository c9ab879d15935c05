package ibmbr

// SourcesService covers Source Registrations and Sources (/data-protect/sources).
type SourcesService struct{ service }
