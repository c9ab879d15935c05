package ibmbr

// AgentsService covers Agents (/data-protect/agents): agent upgrade tasks and the streamed agent download.
type AgentsService struct{ service }
