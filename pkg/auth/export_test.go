package auth

import "time"

// Acquisitions reports how many acquisitions have started. Only tests
// need it; the clients' tests count requests at their fake servers.
func (c *Cache[T]) Acquisitions() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.acquisition
}

// WithClock makes a Veeam credential count expires_in from now, the clock
// the tests also give the cache.
func WithClock(now func() time.Time) CredentialOption {
	return CredentialOption{func(c *veeamCredential) { c.now = now }}
}
