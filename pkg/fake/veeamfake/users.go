package veeamfake

// RemoveUser makes user unable to log in and ends the access and refresh
// tokens issued to it.
func (t *Tokens) RemoveUser(user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.users, user)
	for k, g := range t.access {
		if g.user == user {
			delete(t.access, k)
		}
	}
	for k, g := range t.refresh {
		if g.user == user {
			delete(t.refresh, k)
		}
	}
}
