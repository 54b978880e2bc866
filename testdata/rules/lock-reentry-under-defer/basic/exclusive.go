package fixture

import "sync"

type settings struct {
	mu     sync.Mutex
	values map[string]string
}

// Locked in one of two branches on the same flag, never both: one lock per call.
func (c *settings) replace(fresh map[string]string, held bool) {
	if held {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	if !held {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	c.values = fresh
}

// Two different flags: both branches may run, and the second lock deadlocks.
func (c *settings) replaceTwice(fresh map[string]string, held, audit bool) {
	if held {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	if audit {
		c.mu.Lock() // want `c\.mu is locked on line \d+ and held until settings\.replaceTwice returns .* locks c\.mu again`
		c.values["audited"] = "yes"
		c.mu.Unlock()
	}
	c.values = fresh
}
