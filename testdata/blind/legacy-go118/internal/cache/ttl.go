package cache

import (
	"errors"
	"sort"
	"sync"
	"time"
)

// ErrFull is returned by Set when the cache is at capacity.
var ErrFull = errors.New("cache: full")

type item struct {
	val     string
	expires time.Time
}

// TTL is a bounded string cache with per-entry expiry.
type TTL struct {
	mu    sync.RWMutex
	items map[string]item
	max   int
	now   func() time.Time
}

// NewTTL returns a cache holding at most max entries.
func NewTTL(max int) *TTL {
	return &TTL{items: make(map[string]item), max: max, now: time.Now}
}

// Get returns the live value for k.
func (c *TTL) Get(k string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[k]
	if !ok || c.now().After(it.expires) {
		return "", false
	}
	return it.val, true
}

// GetOrDefault returns the value for k or def.
func (c *TTL) GetOrDefault(k, def string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if v, ok := c.Get(k); ok { // HAZ lock-reentry-under-defer
		return v
	}
	return def
}

// getLocked is Get for callers holding c.mu.
func (c *TTL) getLocked(k string) (string, bool) {
	it, ok := c.items[k]
	if !ok || c.now().After(it.expires) {
		return "", false
	}
	return it.val, true
}

// GetMany returns the live values for keys under a single read lock.
func (c *TTL) GetMany(keys []string) map[string]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		if v, ok := c.getLocked(k); ok {
			out[k] = v
		}
	}
	return out
}

// Lookup is GetOrDefault without holding the lock across the call.
func (c *TTL) Lookup(k, def string) string {
	if v, ok := c.Get(k); ok {
		return v
	}
	return def
}

// Len returns the number of stored entries, live or not.
func (c *TTL) Len() int {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	return len(c.items)
}

// Size is Len with the matching unlock.
func (c *TTL) Size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Set stores v under k for ttl.
func (c *TTL) Set(k, v string, ttl time.Duration) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, exists := c.items[k]; !exists && len(c.items) >= c.max {
		return ErrFull
	}
	c.items[k] = item{val: v, expires: c.now().Add(ttl)}
	c.mu.Unlock()
	return nil
}

// Put stores v under k for ttl, evicting expired entries when full.
func (c *TTL) Put(k, v string, ttl time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, exists := c.items[k]; !exists && len(c.items) >= c.max {
		c.evictExpiredLocked()
		if len(c.items) >= c.max {
			return ErrFull
		}
	}
	c.items[k] = item{val: v, expires: c.now().Add(ttl)}
	return nil
}

// PutAll stores every pair, taking the lock once per pair.
func (c *TTL) PutAll(pairs map[string]string, ttl time.Duration) int {
	keys := make([]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	stored := 0
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if len(c.items) >= c.max {
			break
		}
		c.items[k] = item{val: pairs[k], expires: c.now().Add(ttl)}
		stored++
	}
	return stored
}

// PutEach stores every pair; each iteration releases its own lock.
func (c *TTL) PutEach(pairs map[string]string, ttl time.Duration) int {
	stored := 0
	for k, v := range pairs {
		ok := func() bool {
			c.mu.Lock()
			defer c.mu.Unlock() // ok: scoped to the literal
			if len(c.items) >= c.max {
				return false
			}
			c.items[k] = item{val: v, expires: c.now().Add(ttl)}
			return true
		}()
		if ok {
			stored++
		}
	}
	return stored
}

func (c *TTL) evictExpiredLocked() int {
	now := c.now()
	n := 0
	for k, it := range c.items {
		if now.After(it.expires) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// Purge removes expired entries.
func (c *TTL) Purge() int {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	return c.evictExpiredLocked()
}

// EvictExpired removes expired entries and returns how many were dropped.
func (c *TTL) EvictExpired() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evictExpiredLocked()
}

// Delete removes k, reporting whether it was present. Both paths unlock.
func (c *TTL) Delete(k string) bool {
	c.mu.Lock()
	if _, ok := c.items[k]; !ok {
		c.mu.Unlock()
		return false
	}
	delete(c.items, k)
	c.mu.Unlock()
	return true
}

// Keys returns the stored keys, sorted.
func (c *TTL) Keys() []string {
	c.mu.RLock()
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	c.mu.RUnlock()
	sort.Strings(keys)
	return keys
}
