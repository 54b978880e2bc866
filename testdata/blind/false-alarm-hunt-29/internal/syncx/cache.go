package syncx

import (
	"context"
	"iter"
	"sync"
	"time"
)

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a TTL cache holding at most limit entries (0 means unbounded).
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	items   map[K]entry[V]
	limit   int
	now     func() time.Time
	onEvict func(K, V)
}

// Stats describes a cache's occupancy.
type Stats struct {
	Len, Expired, Limit int
}

// NewCache returns an empty cache. onEvict, if not nil, is called outside
// the cache's lock for every entry removed by eviction or Delete.
func NewCache[K comparable, V any](limit int, onEvict func(K, V)) *Cache[K, V] {
	return &Cache[K, V]{
		items:   make(map[K]entry[V]),
		limit:   limit,
		now:     time.Now,
		onEvict: onEvict,
	}
}

// Get returns the live value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[k]
	if !ok || !c.now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Peek returns the value and deadline stored for k, even when it expired.
func (c *Cache[K, V]) Peek(k K) (V, time.Time, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[k]
	return e.val, e.expires, ok
}

// Len returns the number of stored entries, expired or not.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// expired counts the entries past their deadline.
func (c *Cache[K, V]) expired() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := c.now()
	n := 0
	for _, e := range c.items {
		if !now.Before(e.expires) {
			n++
		}
	}
	return n
}

// Stats reports the cache's occupancy.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return Stats{Len: len(c.items), Expired: c.expired(), Limit: c.limit} // HAZ lock-reentry-under-defer
}

// Set stores v for k for ttl. When the cache is over its limit, expired
// entries are dropped.
func (c *Cache[K, V]) Set(k K, v V, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = entry[V]{val: v, expires: c.now().Add(ttl)}
	if c.limit > 0 && c.Len() > c.limit { // HAZ lock-reentry-under-defer
		c.evictLocked(c.now())
	}
}

// SetMany stores all entries with the same ttl. Evicted entries are reported
// to onEvict after the lock is released.
func (c *Cache[K, V]) SetMany(entries map[K]V, ttl time.Duration) {
	c.mu.Lock()
	now := c.now()
	for k, v := range entries {
		c.items[k] = entry[V]{val: v, expires: now.Add(ttl)}
	}
	var evicted map[K]V
	if c.limit > 0 && len(c.items) > c.limit {
		evicted = c.evictLocked(now)
	}
	c.mu.Unlock()
	c.notify(evicted)
}

// evictLocked removes the entries expired at now and returns them. The
// caller holds c.mu for writing.
func (c *Cache[K, V]) evictLocked(now time.Time) map[K]V {
	out := make(map[K]V)
	for k, e := range c.items {
		if !now.Before(e.expires) {
			out[k] = e.val
			delete(c.items, k)
		}
	}
	return out
}

func (c *Cache[K, V]) notify(evicted map[K]V) {
	if c.onEvict == nil {
		return
	}
	for k, v := range evicted {
		c.onEvict(k, v)
	}
}

// Delete removes k and reports whether it was present.
func (c *Cache[K, V]) Delete(k K) bool {
	c.mu.Lock()
	e, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
		return false
	}
	delete(c.items, k)
	c.mu.Unlock()
	if c.onEvict != nil {
		c.onEvict(k, e.val)
	}
	return true
}

// DeleteSeq removes every key produced by keys and reports how many were
// present.
func (c *Cache[K, V]) DeleteSeq(keys iter.Seq[K]) int {
	n := 0
	for k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if _, ok := c.items[k]; ok {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// DeleteKeys removes keys one at a time so that readers are not starved by
// a long batch.
func (c *Cache[K, V]) DeleteKeys(keys []K) int {
	n := 0
	for _, k := range keys {
		if c.deleteOne(k) {
			n++
		}
	}
	return n
}

func (c *Cache[K, V]) deleteOne(k K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[k]
	delete(c.items, k)
	return ok
}

// Touch extends the deadline of every key produced by keys and reports how
// many were present.
func (c *Cache[K, V]) Touch(keys iter.Seq[K], ttl time.Duration) (touched int) {
	for k := range keys {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if e, ok := c.items[k]; ok {
				e.expires = c.now().Add(ttl)
				c.items[k] = e
				touched++
			}
		}()
	}
	return touched
}

// Keys returns an iterator over the keys present when iteration starts.
func (c *Cache[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		c.mu.RLock()
		keys := make([]K, 0, len(c.items))
		for k := range c.items {
			keys = append(keys, k)
		}
		c.mu.RUnlock()
		for _, k := range keys {
			if !yield(k) {
				return
			}
		}
	}
}

// GetOrLoad returns the cached value for k, calling load on a miss. Loads
// for the same cache are serialised.
func (c *Cache[K, V]) GetOrLoad(k K, ttl time.Duration, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok && c.now().Before(e.expires) {
		return e.val, nil
	}
	v, err := load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.items[k] = entry[V]{val: v, expires: c.now().Add(ttl)}
	return v, nil
}

// StartJanitor evicts expired entries every interval until ctx is done. The
// returned func blocks until the janitor has stopped.
func (c *Cache[K, V]) StartJanitor(ctx context.Context, every time.Duration) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				c.mu.Lock()
				evicted := c.evictLocked(now)
				c.mu.Unlock()
				c.notify(evicted)
			}
		}
	}()
	return func() { <-done }
}

// Extend pushes the deadline of k to ttl from now and reports whether k was
// present.
func (c *Cache[K, V]) Extend(k K, ttl time.Duration) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[k]
	if ok {
		e.expires = c.now().Add(ttl)
		c.items[k] = e
		c.mu.Unlock()
	}
	return ok
}
