package fixture

import (
	"errors"
	"sync"
)

var errFingerprint = errors.New("fingerprint mismatch")

type idemEntry struct{ fingerprint string }

type idemCache struct {
	idemMu  sync.RWMutex
	entries map[string]*idemEntry
	hits    int
}

// begin keeps idemMu locked when it returns a cached entry: the next begin deadlocks.
func (c *idemCache) begin(key, fp string) (*idemEntry, bool, error) {
	c.idemMu.Lock() // want `c\.idemMu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if e, ok := c.entries[key]; ok {
		if e.fingerprint != fp {
			c.idemMu.Unlock()
			return nil, false, errFingerprint
		}
		c.hits++
		return e, false, nil
	}
	e := &idemEntry{fingerprint: fp}
	c.entries[key] = e
	c.idemMu.Unlock()
	return e, true, nil
}

// stats read-locks and then unlocks as a writer (defer-lock-mismatch's finding): it releases its
// own lock, so it is no function that releases begin's lock for it.
func (c *idemCache) stats() int {
	c.idemMu.RLock()
	defer c.idemMu.Unlock()
	return c.hits
}
