package fixture

import "sync"

type connector struct {
	mu       sync.Mutex
	password string
}

// The callee lets go of the lock around the callback and takes it back as it returns: the
// caller's lock is released, not taken twice. No finding here, and no blocking deferred lock.
func (c *connector) refresh(refreshPassword func() (string, bool)) {
	callRefresh := func() (string, bool) {
		defer c.mu.Lock()
		c.mu.Unlock()
		return refreshPassword()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := callRefresh(); ok {
		c.password = p
	}
}
