package ibmbr

// init wires the services onto the client.
func (c *Client) init() {}
