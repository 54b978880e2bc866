// Package cache stores upstream answers keyed by question, with TTL-based
// expiry and a size bound.
package cache

import (
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// Record is one entry to insert with SetMany.
type Record struct {
	Key string
	Msg []byte
	TTL time.Duration
}

type entry struct {
	msg     []byte
	expires time.Time
}

func (e entry) expired(now time.Time) bool { return !now.Before(e.expires) }

// Stats describes the cache at one point in time.
type Stats struct {
	Entries  int
	Expired  int
	Hits     uint64
	Misses   uint64
	HitRatio float64
}

// Cache is safe for concurrent use.
type Cache struct {
	mu     sync.RWMutex
	items  map[string]entry
	max    int
	minTTL time.Duration
	maxTTL time.Duration
	hits   atomic.Uint64
	misses atomic.Uint64
	now    func() time.Time
}

// New returns a cache holding at most max entries, clamping TTLs to
// [minTTL, maxTTL].
func New(max int, minTTL, maxTTL time.Duration) *Cache {
	if max <= 0 {
		max = 10000
	}
	return &Cache{
		items:  make(map[string]entry, max),
		max:    max,
		minTTL: minTTL,
		maxTTL: maxTTL,
		now:    time.Now,
	}
}

// Key builds the cache key for a question.
func Key(name string, qtype uint16) string {
	return dnsmsg.CanonicalName(name) + "/" + strconv.Itoa(int(qtype))
}

func (c *Cache) clampTTL(ttl time.Duration) time.Duration {
	if ttl < c.minTTL {
		ttl = c.minTTL
	}
	if c.maxTTL > 0 && ttl > c.maxTTL {
		ttl = c.maxTTL
	}
	return ttl
}

// Get returns a private copy of the cached answer for key.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key]
	if !ok || e.expired(c.now()) {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	out := make([]byte, len(e.msg))
	copy(out, e.msg)
	return out, true
}

// Peek reports whether a fresh answer for key is cached, without counting
// a hit or a miss.
func (c *Cache) Peek(key string) bool {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[key]
	return ok && !e.expired(c.now())
}

// Set stores a copy of msg for ttl (after clamping).
func (c *Cache) Set(key string, msg []byte, ttl time.Duration) {
	ttl = c.clampTTL(ttl)
	if ttl <= 0 {
		return
	}
	buf := make([]byte, len(msg))
	copy(buf, msg)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, exists := c.items[key]; !exists && len(c.items) >= c.max {
		c.Evict(1 + c.max/100) // HAZ lock-reentry-under-defer
	}
	c.items[key] = entry{msg: buf, expires: c.now().Add(ttl)}
}

// SetMany stores a batch of answers, e.g. after a prefetch round.
func (c *Cache) SetMany(recs []Record) {
	now := c.now()
	for _, r := range recs {
		ttl := c.clampTTL(r.TTL)
		if ttl <= 0 {
			continue
		}
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if len(c.items) >= c.max {
			c.evictLocked(1)
		}
		c.items[r.Key] = entry{msg: r.Msg, expires: now.Add(ttl)}
	}
}

// Evict drops up to n entries, soonest-expiring first.
func (c *Cache) Evict(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evictLocked(n)
}

// evictLocked is Evict for callers that hold c.mu.
func (c *Cache) evictLocked(n int) int {
	if n <= 0 || len(c.items) == 0 {
		return 0
	}
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return c.items[keys[i]].expires.Before(c.items[keys[j]].expires)
	})
	if n > len(keys) {
		n = len(keys)
	}
	for _, k := range keys[:n] {
		delete(c.items, k)
	}
	return n
}

// Resize changes the size bound, evicting if the cache is now too large.
func (c *Cache) Resize(max int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
	if over := len(c.items) - max; over > 0 {
		c.evictLocked(over)
	}
}

// Len returns the number of entries, including expired ones not yet removed.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Stats returns counters and the number of expired entries still held.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := c.now()
	st := Stats{Entries: c.Len(), Hits: c.hits.Load(), Misses: c.misses.Load()} // HAZ lock-reentry-under-defer
	for _, e := range c.items {
		if e.expired(now) {
			st.Expired++
		}
	}
	if total := st.Hits + st.Misses; total > 0 {
		st.HitRatio = float64(st.Hits) / float64(total)
	}
	return st
}

// Remove deletes key and reports whether it was present.
func (c *Cache) Remove(key string) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := c.items[key]; !ok {
		return false
	}
	delete(c.items, key)
	c.mu.Unlock()
	return true
}

// RemoveName deletes the answers of every type cached for name.
func (c *Cache) RemoveName(name string) int {
	prefix := dnsmsg.CanonicalName(name) + "/"
	c.mu.Lock()
	n := 0
	for k := range c.items {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			delete(c.items, k)
			n++
		}
	}
	c.mu.Unlock()
	return n
}

// Purge empties the cache and returns how many entries it held.
func (c *Cache) Purge() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.items)
	c.items = make(map[string]entry, c.max)
	return n
}

// RemoveExpired deletes every expired entry.
func (c *Cache) RemoveExpired() int {
	now := c.now()
	removed := 0
	c.mu.Lock()
	for k, e := range c.items {
		if e.expired(now) {
			delete(c.items, k)
			removed++
		}
	}
	c.mu.Unlock()
	return removed
}

// entries returns a copy of the entry map.
func (c *Cache) entries() map[string]entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]entry, len(c.items))
	for k, e := range c.items {
		out[k] = e
	}
	return out
}

// MergeFrom copies the fresh entries of other that c does not have yet.
func (c *Cache) MergeFrom(other *Cache) int {
	if other == c {
		return 0
	}
	theirs := other.entries()
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	added := 0
	for k, e := range theirs {
		if _, ok := c.items[k]; ok || e.expired(now) || len(c.items) >= c.max {
			continue
		}
		c.items[k] = e
		added++
	}
	return added
}

// Freeze blocks writers until the returned function is called; readers
// are not affected. Use it as: defer c.Freeze()().
func (c *Cache) Freeze() (thaw func()) {
	c.mu.RLock()
	return c.mu.RUnlock
}

// Keys returns the cached keys in sorted order.
func (c *Cache) Keys() []string {
	defer c.Freeze() // HAZ defer-func-result-not-called
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
