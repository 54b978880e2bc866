package catalog

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

type cacheEntry struct {
	asset   Asset
	expires time.Time
}

// CacheStats is shown on the debug page.
type CacheStats struct {
	Entries int
	Expired int
}

// Query is a maintenance request executed by Cache.Exec: Invalidate or
// CountLive.
type Query interface{}

// Invalidate drops the entries whose key has the given prefix.
type Invalidate struct{ Prefix string }

// CountLive counts the entries that have not expired.
type CountLive struct{}

// Cache is a TTL cache in front of the slow metadata mirrors. The embedded
// RWMutex lets concurrent readers share the lock.
type Cache struct {
	sync.RWMutex
	entries map[string]cacheEntry
	ttl     time.Duration
	now     func() time.Time
}

// NewCache returns a cache whose entries live for ttl.
func NewCache(ttl time.Duration) *Cache {
	return &Cache{entries: make(map[string]cacheEntry), ttl: ttl, now: time.Now}
}

// Lookup returns a live entry.
func (c *Cache) Lookup(key string) (Asset, bool) {
	c.RLock()
	defer c.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.entries[key]
	if !ok || c.now().After(e.expires) {
		return Asset{}, false
	}
	return e.asset, true
}

// Peek returns an entry whether or not it expired.
func (c *Cache) Peek(key string) (Asset, bool) {
	c.RLock()
	defer c.RUnlock()
	e, ok := c.entries[key]
	return e.asset, ok
}

// Store caches a under key.
func (c *Cache) Store(key string, a Asset) {
	c.Lock()
	defer c.Unlock()
	c.entries[key] = cacheEntry{asset: a, expires: c.now().Add(c.ttl)}
}

// Keys lists the cached keys in order.
func (c *Cache) Keys() []string {
	c.RLock()
	defer c.RUnlock()
	keys := make([]string, 0, len(c.entries))
	for k := range c.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Stats counts live and expired entries for the debug page.
func (c *Cache) Stats() CacheStats {
	c.RLock()
	defer c.RUnlock()
	st := CacheStats{Entries: len(c.entries)}
	now := c.now()
	for _, k := range c.Keys() { // HAZ lock-reentry-under-defer
		if now.After(c.entries[k].expires) {
			st.Expired++
		}
	}
	return st
}

// Sweep drops expired entries and returns how many went. The unlock is
// taken as a method value before locking, then deferred.
func (c *Cache) Sweep() int {
	unlock := c.Unlock
	c.Lock()
	defer unlock()
	now := c.now()
	n := 0
	for k, e := range c.entries {
		if now.After(e.expires) {
			delete(c.entries, k)
			n++
		}
	}
	return n
}

// Exec runs a maintenance query.
func (c *Cache) Exec(q Query) (int, error) {
	switch q := q.(type) {
	case Invalidate:
		c.Lock()
		defer c.RUnlock() // HAZ defer-lock-mismatch
		n := 0
		for k := range c.entries {
			if len(k) >= len(q.Prefix) && k[:len(q.Prefix)] == q.Prefix {
				delete(c.entries, k)
				n++
			}
		}
		return n, nil
	case CountLive:
		c.RLock()
		defer c.RUnlock()
		now := c.now()
		n := 0
		for _, e := range c.entries {
			if !now.After(e.expires) {
				n++
			}
		}
		return n, nil
	default:
		return 0, fmt.Errorf("catalog: unknown cache query %T", q)
	}
}

// GetOrLoad returns the cached asset for key, loading and caching it on a
// miss. The loader runs without the lock held.
func (c *Cache) GetOrLoad(key string, load func(string) (Asset, error)) (Asset, error) {
	c.RLock()
	e, ok := c.entries[key]
	c.RUnlock()
	if ok && !c.now().After(e.expires) {
		return e.asset, nil
	}
	a, err := load(key)
	if err != nil {
		return Asset{}, fmt.Errorf("load %s: %w", key, err)
	}
	c.Store(key, a)
	return a, nil
}
