package dnsclient

import (
	"sync"
	"time"
)

type cacheEntry struct {
	addrs   []string
	expires time.Time
}

type cache struct {
	mu      sync.RWMutex
	entries map[string]cacheEntry
	now     func() time.Time
}

func newCache() *cache {
	return &cache{entries: make(map[string]cacheEntry), now: time.Now}
}

func (c *cache) get(name string) ([]string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[name]
	if !ok || c.now().After(e.expires) {
		return nil, false
	}
	return e.addrs, true
}

func (c *cache) fresh(name string) bool {
	_, ok := c.get(name)
	return ok
}

func (c *cache) put(name string, addrs []string, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[name] = cacheEntry{addrs: addrs, expires: c.now().Add(ttl)}
}

// purge drops expired entries and returns how many remain.
func (c *cache) purge() int {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if now.After(e.expires) {
			delete(c.entries, k)
		}
	}
	return len(c.entries)
}
