package ibmbr

// ConnectionsService covers Data Source Connections (/data-source-connections).
type ConnectionsService struct{ service }
