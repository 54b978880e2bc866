// Package cache is a tenant-scoped TTL cache shared by the API handlers.
package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"example.com/saas/internal/tenant"
)

type entry struct {
	val     []byte
	expires time.Time
}

// Stats are cumulative counters.
type Stats struct {
	Hits, Misses, Evictions uint64
	Tenants, Entries        int
}

// Cache stores per-tenant values with a common TTL.
type Cache struct {
	mu      sync.RWMutex
	tenants map[tenant.ID]map[string]entry
	ttl     time.Duration
	now     func() time.Time

	hits, misses, evictions atomic.Uint64
}

// New returns a cache whose entries live for ttl.
func New(ttl time.Duration) *Cache {
	return &Cache{tenants: map[tenant.ID]map[string]entry{}, ttl: ttl, now: time.Now}
}

func (c *Cache) lookupLocked(t tenant.ID, key string) ([]byte, bool) {
	e, ok := c.tenants[t][key]
	if !ok || c.now().After(e.expires) {
		return nil, false
	}
	return e.val, true
}

func (c *Cache) setLocked(t tenant.ID, key string, val []byte) {
	m, ok := c.tenants[t]
	if !ok {
		m = map[string]entry{}
		c.tenants[t] = m
	}
	m[key] = entry{val: val, expires: c.now().Add(c.ttl)}
}

// Get returns a live value.
func (c *Cache) Get(t tenant.ID, key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.lookupLocked(t, key)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return v, ok
}

// Set stores a value for the tenant.
func (c *Cache) Set(t tenant.ID, key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(t, key, val)
}

// GetOrLoad returns the cached value or calls load outside the lock and
// stores its result. The lock is released on every path before load runs.
func (c *Cache) GetOrLoad(ctx context.Context, t tenant.ID, key string, load func(context.Context) ([]byte, error)) ([]byte, error) {
	c.mu.RLock()
	if v, ok := c.lookupLocked(t, key); ok {
		c.mu.RUnlock()
		c.hits.Add(1)
		return v, nil
	}
	c.mu.RUnlock()
	c.misses.Add(1)

	v, err := load(ctx)
	if err != nil {
		return nil, err
	}
	c.Set(t, key, v)
	return v, nil
}

// SetMany stores several values at once.
func (c *Cache) SetMany(t tenant.ID, kv map[string][]byte) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if len(kv) == 0 {
		return
	}
	for k, v := range kv {
		c.setLocked(t, k, v)
	}
	c.mu.Unlock()
}

// Invalidate removes keys for a tenant.
func (c *Cache) Invalidate(t tenant.ID, keys ...string) {
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		delete(c.tenants[t], k)
		c.evictions.Add(1)
	}
}

// InvalidatePrefix removes every key of the tenant that starts with prefix;
// the per-key work happens under a single lock taken once.
func (c *Cache) InvalidatePrefix(t tenant.ID, prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k := range c.tenants[t] {
		if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
			delete(c.tenants[t], k)
			n++
		}
	}
	c.evictions.Add(uint64(n))
	return n
}

// Peek returns a value even if it has expired, for the debug endpoint.
func (c *Cache) Peek(t tenant.ID, key string) ([]byte, time.Time, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.tenants[t][key]
	return e.val, e.expires, ok
}

// DropTenant forgets everything about a tenant.
func (c *Cache) DropTenant(t tenant.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evictions.Add(uint64(len(c.tenants[t])))
	delete(c.tenants, t)
}

// Sweep removes expired entries and returns how many it removed.
func (c *Cache) Sweep() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	n := 0
	for t, m := range c.tenants {
		for k, e := range m {
			if now.After(e.expires) {
				delete(m, k)
				n++
			}
		}
		if len(m) == 0 {
			delete(c.tenants, t)
		}
	}
	c.evictions.Add(uint64(n))
	return n
}

// Stats returns a snapshot of the counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	s := Stats{Tenants: len(c.tenants)}
	for _, m := range c.tenants {
		s.Entries += len(m)
	}
	c.mu.RUnlock()
	s.Hits, s.Misses, s.Evictions = c.hits.Load(), c.misses.Load(), c.evictions.Load()
	return s
}

// Update applies fn to the tenant's current value under the write lock.
func (c *Cache) Update(t tenant.ID, key string, fn func(old []byte, ok bool) []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.lookupLocked(t, key)
	c.setLocked(t, key, fn(old, ok))
}
