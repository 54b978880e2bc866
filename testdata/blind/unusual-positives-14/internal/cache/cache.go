// Package cache provides generic in-memory caches guarded by embedded locks.
package cache

import (
	"sync"
	"time"
)

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a TTL cache. The embedded RWMutex guards items; helpers whose
// names end in Locked expect the caller to hold it.
type Cache[K comparable, V any] struct {
	sync.RWMutex
	items map[K]entry[V]
	ttl   time.Duration
	now   func() time.Time

	// OnEvict, if set, is called outside the lock for every entry removed.
	OnEvict func(K, V)
}

// New returns an empty cache whose entries live for ttl (forever if ttl <= 0).
func New[K comparable, V any](ttl time.Duration) *Cache[K, V] {
	return &Cache[K, V]{
		items: make(map[K]entry[V]),
		ttl:   ttl,
		now:   time.Now,
	}
}

func (c *Cache[K, V]) expiredLocked(e entry[V]) bool {
	return !e.expires.IsZero() && c.now().After(e.expires)
}

func (c *Cache[K, V]) setLocked(k K, v V) {
	var exp time.Time
	if c.ttl > 0 {
		exp = c.now().Add(c.ttl)
	}
	c.items[k] = entry[V]{val: v, expires: exp}
}

// Get returns the live value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.RLock()
	defer c.RUnlock()
	e, ok := c.items[k]
	if !ok || c.expiredLocked(e) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Set stores v under k with the cache's TTL.
func (c *Cache[K, V]) Set(k K, v V) {
	c.Lock()
	defer c.Unlock()
	c.setLocked(k, v)
}

// GetOrCompute returns the cached value for k, computing and storing it under
// the write lock so that concurrent callers compute it only once.
func (c *Cache[K, V]) GetOrCompute(k K, compute func(K) (V, error)) (V, error) {
	c.Lock()
	defer c.Unlock()
	if e, ok := c.items[k]; ok && !c.expiredLocked(e) {
		return e.val, nil
	}
	v, err := compute(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Set(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// GetOrLoad is the optimistic variant: it loads without holding the lock and
// keeps whichever value reached the cache first.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Lock()
	defer c.Unlock()
	if e, ok := c.items[k]; ok && !c.expiredLocked(e) {
		return e.val, nil
	}
	c.setLocked(k, v)
	return v, nil
}

// Delete removes k and reports whether it was present.
func (c *Cache[K, V]) Delete(k K) bool {
	c.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[k]
	if !ok {
		return false
	}
	delete(c.items, k)
	c.Unlock()
	if c.OnEvict != nil {
		c.OnEvict(k, e.val)
	}
	return true
}

// Sweep drops expired entries and returns how many it removed.
func (c *Cache[K, V]) Sweep() int {
	type victim struct {
		k K
		v V
	}
	var victims []victim
	c.Lock()
	for k, e := range c.items {
		if !c.expiredLocked(e) {
			continue
		}
		delete(c.items, k)
		victims = append(victims, victim{k, e.val})
	}
	c.Unlock()
	if c.OnEvict != nil {
		for _, v := range victims {
			c.OnEvict(v.k, v.v)
		}
	}
	return len(victims)
}

// TTLRemaining reports how long k has left; entries without expiry report 0.
func (c *Cache[K, V]) TTLRemaining(k K) (time.Duration, bool) {
	c.RLock()
	defer c.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[k]
	if !ok || e.expires.IsZero() {
		return 0, ok
	}
	return e.expires.Sub(c.now()), true
}

// Len counts the entries, expired or not.
func (c *Cache[K, V]) Len() int {
	c.RLock()
	defer c.RUnlock()
	return len(c.items)
}

// Snapshot copies the live entries.
func (c *Cache[K, V]) Snapshot() map[K]V {
	c.RLock()
	defer c.RUnlock()
	out := make(map[K]V, c.Len()) // HAZ lock-reentry-under-defer
	for k, e := range c.items {
		if !c.expiredLocked(e) {
			out[k] = e.val
		}
	}
	return out
}

// Keys lists the live keys in no particular order.
func (c *Cache[K, V]) Keys() []K {
	c.RLock()
	defer c.RUnlock()
	keys := make([]K, 0, len(c.items))
	for k, e := range c.items {
		if !c.expiredLocked(e) {
			keys = append(keys, k)
		}
	}
	return keys
}

// CopyTo copies the live entries of c into dst and returns how many it copied.
func (c *Cache[K, V]) CopyTo(dst *Cache[K, V]) int {
	c.RLock()
	live := make(map[K]V, len(c.items))
	for k, e := range c.items {
		if !c.expiredLocked(e) {
			live[k] = e.val
		}
	}
	c.RUnlock()

	dst.Lock()
	defer dst.Unlock()
	for k, v := range live {
		dst.setLocked(k, v)
	}
	return len(live)
}
