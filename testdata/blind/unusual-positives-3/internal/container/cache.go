package container

import (
	"io"
	"sync"
	"time"
)

// Stats describes the contents of a Cache.
type Stats struct {
	Entries int
	Expired int
}

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a TTL cache that fills misses through a loader function.
type Cache[K comparable, V any] struct {
	mu     sync.RWMutex
	items  map[K]entry[V]
	ttl    time.Duration
	load   func(K) (V, error)
	closed bool
}

// NewCache returns an empty cache whose entries live for ttl.
func NewCache[K comparable, V any](ttl time.Duration, load func(K) (V, error)) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]entry[V]), ttl: ttl, load: load}
}

// Len returns the number of entries, expired or not.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Peek returns the cached value for k without loading it.
func (c *Cache[K, V]) Peek(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[k]
	if !ok || time.Now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Stats reports how many entries are cached and how many of them expired.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := time.Now()
	expired := 0
	for _, e := range c.items {
		if now.After(e.expires) {
			expired++
		}
	}
	return Stats{Entries: c.Len(), Expired: expired} // HAZ lock-reentry-under-defer
}

// Get returns the value for k, loading and caching it on a miss.
func (c *Cache[K, V]) Get(k K) (V, error) {
	if v, ok := c.Peek(k); ok {
		return v, nil
	}
	v, err := c.load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Put(k, v)
	return v, nil
}

// Put stores v under k. Writing to a closed cache is a programming error.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.closed {
		panic("container: Put on closed Cache")
	}
	c.items[k] = entry[V]{val: v, expires: time.Now().Add(c.ttl)}
	c.mu.Unlock()
}

// Purge drops every entry that expired before now and reports how many.
func (c *Cache[K, V]) Purge(now time.Time) int {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	n := 0
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// Range calls fn for a snapshot of the live entries until fn returns false.
// fn runs without the lock held, so it may use the cache.
func (c *Cache[K, V]) Range(fn func(K, V) bool) {
	type kv struct {
		k K
		v V
	}
	now := time.Now()
	c.mu.RLock()
	snap := make([]kv, 0, len(c.items))
	for k, e := range c.items {
		if !now.After(e.expires) {
			snap = append(snap, kv{k, e.val})
		}
	}
	c.mu.RUnlock()
	for _, p := range snap {
		if !fn(p.k, p.v) {
			return
		}
	}
}

// Close empties the cache and rejects further writes.
func (c *Cache[K, V]) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	clear(c.items)
}

// Warm loads the values for keys from the readers that open returns and
// stores them, decoded by decode.
func (c *Cache[K, V]) Warm(keys []K, open func(K) (io.ReadCloser, error), decode func(io.Reader) (V, error)) error {
	for _, k := range keys {
		rc, err := open(k)
		if err != nil {
			return err
		}
		defer rc.Close() // HAZ defer-in-loop
		v, err := decode(rc)
		if err != nil {
			return err
		}
		c.Put(k, v)
	}
	return nil
}
