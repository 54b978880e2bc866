package blindc

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// ErrNotFound is returned when a key is absent.
var ErrNotFound = errors.New("not found")

type cacheEntry struct {
	value     []byte
	expiresAt time.Time
}

// TTLCache is an expiring byte cache guarded by a RWMutex. Lookup statistics
// live behind their own mutex so that readers do not need the write lock.
type TTLCache struct {
	mu      sync.RWMutex
	items   map[string]*cacheEntry
	ttl     time.Duration
	onEvict func(key string)

	statsMu sync.Mutex
	lookups int64
	misses  int64
}

// CacheStats is a point-in-time snapshot of a TTLCache.
type CacheStats struct {
	Entries int
	Lookups int64
	Misses  int64
}

// NewTTLCache returns an empty cache.
func NewTTLCache(ttl time.Duration, onEvict func(key string)) *TTLCache {
	return &TTLCache{items: make(map[string]*cacheEntry), ttl: ttl, onEvict: onEvict}
}

// Len reports the number of entries. It takes the read lock.
func (c *TTLCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Delete removes key. It takes the write lock.
func (c *TTLCache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, key)
}

// lenLocked must be called with c.mu held (read or write).
func (c *TTLCache) lenLocked() int { return len(c.items) }

func (c *TTLCache) countLookup(miss bool) {
	c.statsMu.Lock()
	c.lookups++
	if miss {
		c.misses++
	}
	c.statsMu.Unlock()
}

func (c *TTLCache) lookupStats() (lookups, misses int64) {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	return c.lookups, c.misses
}

func (c *TTLCache) notifyEvicted(key string) {
	c.mu.RLock()
	fn := c.onEvict
	c.mu.RUnlock()
	if fn != nil {
		fn(key)
	}
}

// ---------------------------------------------------------------------------
// defer-lock-mismatch

// GetLive returns the live value for key.
func (c *TTLCache) GetLive(key string) ([]byte, error) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[key]
	if !ok || time.Now().After(e.expiresAt) {
		return nil, ErrNotFound
	}
	return e.value, nil
}

// Set stores value under key with the cache's default TTL.
func (c *TTLCache) Set(key string, value []byte) {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	c.items[key] = &cacheEntry{value: value, expiresAt: time.Now().Add(c.ttl)}
}

// StartJanitor drops expired entries every interval until ctx is done.
func (c *TTLCache) StartJanitor(ctx context.Context, every time.Duration) {
	sweep := func(now time.Time) {
		c.mu.Lock()
		defer c.mu.RUnlock() // HAZ defer-lock-mismatch
		for k, e := range c.items {
			if now.After(e.expiresAt) {
				delete(c.items, k)
			}
		}
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				sweep(now)
			}
		}
	}()
}

// Peek returns the value for key, expired or not, and counts the lookup.
func (c *TTLCache) Peek(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock() // ok: read lock released as a read lock
	e, ok := c.items[key]
	c.countLookup(!ok) // ok: statsMu is a different mutex
	if !ok {
		return nil, false
	}
	return e.value, true
}

// PutEntry stores value under key.
func (c *TTLCache) PutEntry(key string, value []byte) {
	c.mu.Lock()
	defer c.mu.Unlock() // ok: matching write unlock
	c.items[key] = &cacheEntry{value: value, expiresAt: time.Now().Add(c.ttl)}
}

// GetOrFill returns the cached value or fills it with mk. The fast path runs
// under the read lock; the slow path upgrades to the write lock.
func (c *TTLCache) GetOrFill(key string, mk func() []byte) []byte {
	c.mu.RLock()
	e, ok := c.items[key]
	c.mu.RUnlock()
	if ok {
		return e.value
	}

	c.mu.Lock()
	defer c.mu.Unlock() // ok: pairs with the Lock above, the RLock was already released
	if e, ok := c.items[key]; ok {
		return e.value
	}
	v := mk()
	c.items[key] = &cacheEntry{value: v, expiresAt: time.Now().Add(c.ttl)}
	return v
}

// Refresh extends key's lifetime and returns a copy of its value. It downgrades
// from the write lock to a read lock for the copy.
func (c *TTLCache) Refresh(key string) ([]byte, bool) {
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		e.expiresAt = time.Now().Add(c.ttl)
	}
	c.mu.Unlock()

	c.mu.RLock()
	defer c.mu.RUnlock() // ok: pairs with the RLock just above
	cur, ok := c.items[key]
	if !ok {
		return nil, false
	}
	out := make([]byte, len(cur.value))
	copy(out, cur.value)
	return out, true
}

// ---------------------------------------------------------------------------
// lock-reentry-under-defer

// PurgeExpired removes expired entries and returns how many remain.
func (c *TTLCache) PurgeExpired() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, e := range c.items {
		if now.After(e.expiresAt) {
			c.Delete(k) // HAZ lock-reentry-under-defer
		}
	}
	return len(c.items)
}

// Stats returns a snapshot of the cache's size and hit statistics.
func (c *TTLCache) Stats() CacheStats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	lookups, misses := c.lookupStats()
	return CacheStats{
		Entries: c.Len(), // HAZ lock-reentry-under-defer
		Lookups: lookups,
		Misses:  misses,
	}
}

// Snapshot is Stats done right: it uses the Locked helper while holding the lock.
func (c *TTLCache) Snapshot() CacheStats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	lookups, misses := c.lookupStats() // ok: statsMu, not c.mu
	return CacheStats{Entries: c.lenLocked(), Lookups: lookups, Misses: misses}
}

// EvictOldest evicts the n entries closest to expiry. The eviction hook may
// call back into the cache, so the lock is dropped around it.
func (c *TTLCache) EvictOldest(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return c.items[keys[i]].expiresAt.Before(c.items[keys[j]].expiresAt)
	})
	if n > len(keys) {
		n = len(keys)
	}
	for _, k := range keys[:n] {
		delete(c.items, k)
		c.mu.Unlock()
		c.notifyEvicted(k) // ok: c.mu released around the hook
		c.mu.Lock()
	}
	return n
}

// TieredCache keeps hot entries in a small cache and demoted ones in a
// larger, longer-lived one. The tiers are always distinct instances.
type TieredCache struct {
	hot  *TTLCache
	cold *TTLCache
}

// NewTieredCache returns a two-tier cache.
func NewTieredCache(ttl time.Duration) *TieredCache {
	return &TieredCache{hot: NewTTLCache(ttl, nil), cold: NewTTLCache(4*ttl, nil)}
}

// Promote moves key from the cold tier into the hot tier.
func (t *TieredCache) Promote(key string) bool {
	t.hot.mu.Lock()
	defer t.hot.mu.Unlock()
	if _, ok := t.hot.items[key]; ok {
		return true
	}
	v, ok := t.cold.Peek(key) // ok: cold tier's own mutex
	if !ok {
		return false
	}
	t.hot.items[key] = &cacheEntry{value: v, expiresAt: time.Now().Add(t.hot.ttl)}
	t.cold.Delete(key) // ok: different receiver
	return true
}

// ---------------------------------------------------------------------------
// lock-leaked-on-return

// TouchKey extends key's lifetime.
func (c *TTLCache) TouchKey(key string) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[key]
	if !ok {
		return ErrNotFound
	}
	e.expiresAt = time.Now().Add(c.ttl)
	c.mu.Unlock()
	return nil
}

// ExpiresAt reports when key expires.
func (c *TTLCache) ExpiresAt(key string) (time.Time, error) {
	c.mu.RLock() // HAZ lock-leaked-on-return
	e, ok := c.items[key]
	if !ok {
		return time.Time{}, ErrNotFound
	}
	exp := e.expiresAt
	c.mu.RUnlock()
	return exp, nil
}

// Extend pushes key's expiry out by d; unlocks on every path.
func (c *TTLCache) Extend(key string, d time.Duration) error {
	c.mu.Lock()
	e, ok := c.items[key]
	if !ok {
		c.mu.Unlock()
		return ErrNotFound
	}
	if d <= 0 {
		c.mu.Unlock()
		return errors.New("cache: non-positive extension")
	}
	e.expiresAt = e.expiresAt.Add(d)
	c.mu.Unlock()
	return nil
}
