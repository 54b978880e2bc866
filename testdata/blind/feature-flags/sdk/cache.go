package sdk

import (
	"slices"
	"strings"
	"sync"
	"time"

	"example.com/flagsvc/internal/flags"
)

// Cache is the SDK's local copy of the flag set. Reads vastly outnumber
// writes, so it is guarded by an RWMutex.
type Cache struct {
	mu      sync.RWMutex
	flags   map[string]*flags.Flag
	updated time.Time
	stale   bool
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{flags: make(map[string]*flags.Flag)}
}

// Get returns a copy of the cached flag.
func (c *Cache) Get(key string) (*flags.Flag, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	f, ok := c.flags[key]
	if !ok {
		return nil, false
	}
	return f.Clone(), true
}

// Replace installs a complete flag set and returns the keys whose version
// changed, appeared or disappeared.
func (c *Cache) Replace(list []*flags.Flag) []string {
	next := make(map[string]*flags.Flag, len(list))
	for _, f := range list {
		next[f.Key] = f
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var changed []string
	for key, f := range next {
		if old, ok := c.flags[key]; !ok || old.Version != f.Version {
			changed = append(changed, key)
		}
	}
	for key := range c.flags {
		if _, ok := next[key]; !ok {
			changed = append(changed, key)
		}
	}
	c.flags = next
	c.updated = time.Now()
	c.stale = false
	slices.Sort(changed)
	return changed
}

// Upsert stores one flag if it is newer than the cached copy.
func (c *Cache) Upsert(f *flags.Flag) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.flags[f.Key]; ok && old.Version >= f.Version {
		return false
	}
	c.flags[f.Key] = f
	c.updated = time.Now()
	return true
}

// Remove deletes a flag.
func (c *Cache) Remove(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.flags[key]
	delete(c.flags, key)
	return ok
}

// Touch records a successful poll that brought no changes.
func (c *Cache) Touch() {
	c.mu.Lock()
	c.updated = time.Now()
	c.stale = false
	c.mu.Unlock()
}

// MarkStale flags the cache as possibly outdated (the stream dropped).
func (c *Cache) MarkStale() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stale = true
}

// Keys returns the cached flag keys in sorted order.
func (c *Cache) Keys() []string {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]string, 0, len(c.flags))
	for key := range c.flags {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return keys
}

// All returns copies of the cached flags sorted by key.
func (c *Cache) All() []*flags.Flag {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*flags.Flag, 0, len(c.flags))
	for _, f := range c.flags {
		out = append(out, f.Clone())
	}
	slices.SortFunc(out, func(a, b *flags.Flag) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Snapshot returns copies of every cached flag, e.g. for the debug endpoint
// or to persist the cache for a warm start.
func (c *Cache) Snapshot() map[string]*flags.Flag {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]*flags.Flag, len(c.flags))
	for key := range c.flags {
		if f, ok := c.Get(key); ok { // HAZ lock-reentry-under-defer
			out[key] = f
		}
	}
	return out
}

// Fresh reports whether the cache was updated within maxAge and is not stale.
func (c *Cache) Fresh(maxAge time.Duration) bool {
	c.mu.RLock() // HAZ lock-leaked-on-return
	if c.updated.IsZero() || c.stale {
		return false
	}
	age := time.Since(c.updated)
	c.mu.RUnlock()
	return age <= maxAge
}

// Age returns the time since the last update, or -1 if there was none.
func (c *Cache) Age() time.Duration {
	c.mu.RLock()
	updated := c.updated
	c.mu.RUnlock()
	if updated.IsZero() {
		return -1
	}
	return time.Since(updated)
}

// Len returns the number of cached flags.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.flags)
}
