package ibmbr

// init wires the services onto the client.
func (c *Client) init() {
	c.Policies = &PoliciesService{c.service}
	c.ProtectionGroups = &ProtectionGroupsService{c.service}
	c.Recoveries = &RecoveriesService{c.service}
	c.Search = &SearchService{c.service}
	c.Snapshots = &SnapshotsService{c.service}
	c.Agents = &AgentsService{c.service}
	c.Sources = &SourcesService{c.service}
	c.Connections = &ConnectionsService{c.service}
	c.Connectors = &ConnectorsService{c.service}
}
