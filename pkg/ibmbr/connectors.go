package ibmbr

// ConnectorsService covers Data Source Connectors (/data-source-connectors).
type ConnectorsService struct{ service }
