// Package cache is the relay's in-memory response cache and its hot-path
// counters.
package cache

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
)

type entry struct {
	val     []byte
	expires time.Time
}

// Stats counts cache outcomes. It has its own mutex so that it can be
// updated while the cache lock is held.
type Stats struct {
	mu        sync.Mutex
	hits      int64
	misses    int64
	evictions int64
}

func (s *Stats) record(hit bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if hit {
		s.hits++
	} else {
		s.misses++
	}
}

func (s *Stats) evicted(n int) {
	s.mu.Lock()
	s.evictions += int64(n)
	s.mu.Unlock()
}

// Cache is a TTL cache of encoded responses.
type Cache struct {
	mu      sync.RWMutex
	items   map[string]entry
	ttl     time.Duration
	now     func() time.Time
	onEvict func(key string)
	stats   Stats
}

// New returns a cache whose entries live for ttl. onEvict, if not nil, is
// called without the cache lock held for every key removed by expiry.
func New(ttl time.Duration, onEvict func(key string)) *Cache {
	return &Cache{
		items:   make(map[string]entry),
		ttl:     ttl,
		now:     time.Now,
		onEvict: onEvict,
	}
}

// Get returns the cached value for key if it has not expired.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key]
	if !ok || c.now().After(e.expires) {
		c.stats.record(false)
		return nil, false
	}
	c.stats.record(true)
	return e.val, true
}

// Set stores val under key for the cache TTL.
func (c *Cache) Set(key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = entry{val: val, expires: c.now().Add(c.ttl)}
}

// SetIfAbsent stores val only when key has no live entry and reports
// whether it did.
func (c *Cache) SetIfAbsent(key string, val []byte) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if e, ok := c.items[key]; ok && !c.now().After(e.expires) {
		return false
	}
	c.items[key] = entry{val: val, expires: c.now().Add(c.ttl)}
	c.mu.Unlock()
	return true
}

// Delete removes key and reports whether it was present.
func (c *Cache) Delete(key string) bool {
	c.mu.Lock()
	_, ok := c.items[key]
	delete(c.items, key)
	c.mu.Unlock()
	if ok && c.onEvict != nil {
		c.onEvict(key)
	}
	return ok
}

// Len returns the number of entries, expired or not.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Trim evicts the entries closest to expiry until at most limit remain.
func (c *Cache) Trim(limit int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Len() <= limit { // HAZ lock-reentry-under-defer
		return 0
	}
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return c.items[keys[i]].expires.Before(c.items[keys[j]].expires)
	})
	n := len(keys) - limit
	for _, k := range keys[:n] {
		delete(c.items, k)
	}
	c.stats.evicted(n)
	return n
}

// Shrink is Trim for callers on the write path: it works on the map
// directly and drops expired entries first.
func (c *Cache) Shrink(limit int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	excess := len(c.items) - limit
	if excess <= 0 {
		return 0
	}
	removed := 0
	now := c.now()
	for k, e := range c.items {
		if removed < excess && now.After(e.expires) {
			delete(c.items, k)
			removed++
		}
	}
	for k := range c.items {
		if removed >= excess {
			break
		}
		delete(c.items, k)
		removed++
	}
	c.stats.evicted(removed)
	return removed
}

// Sweep removes expired entries and reports them to onEvict after the
// lock has been released.
func (c *Cache) Sweep() int {
	c.mu.Lock()
	now := c.now()
	var victims []string
	for k, e := range c.items {
		if now.After(e.expires) {
			victims = append(victims, k)
			delete(c.items, k)
		}
	}
	c.unlockAndEvict(victims)
	return len(victims)
}

// unlockAndEvict releases c.mu, then notifies onEvict for each key.
func (c *Cache) unlockAndEvict(keys []string) {
	c.mu.Unlock()
	c.stats.evicted(len(keys))
	if c.onEvict == nil {
		return
	}
	for _, k := range keys {
		c.onEvict(k)
	}
}

// GetOrLoad returns the cached value for key or loads and caches it. The
// lock is not held while load runs.
func (c *Cache) GetOrLoad(ctx context.Context, key string, load func(context.Context) ([]byte, error)) ([]byte, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err := load(ctx)
	if err != nil {
		return nil, err
	}
	c.Set(key, v)
	return v, nil
}

// Keys returns the sorted keys that start with prefix.
func (c *Cache) Keys(prefix string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.items))
	for k := range c.items {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Counts returns the hit, miss and eviction counters.
func (c *Cache) Counts() (hits, misses, evictions int64) {
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	return c.stats.hits, c.stats.misses, c.stats.evictions
}

// Janitor sweeps expired entries every interval until ctx is done.
func (c *Cache) Janitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Sweep()
		}
	}
}
