package cache

import (
	"context"
	"iter"
	"sync"
	"time"
)

type ttlEntry[V any] struct {
	val     V
	expires time.Time
}

// TTL is a cache whose entries expire after a fixed time to live.
type TTL[K comparable, V any] struct {
	sync.RWMutex
	ttl     time.Duration
	entries map[K]ttlEntry[V]
	now     func() time.Time
	stop    func()
}

// NewTTL returns a TTL cache and starts a janitor that sweeps expired
// entries until ctx is done or Close is called.
func NewTTL[K comparable, V any](ctx context.Context, ttl time.Duration) *TTL[K, V] {
	c := &TTL[K, V]{ttl: ttl, entries: make(map[K]ttlEntry[V]), now: time.Now}
	ctx, cancel := context.WithCancel(ctx)
	c.stop = sync.OnceFunc(cancel)
	go c.janitor(ctx)
	return c
}

func (c *TTL[K, V]) janitor(ctx context.Context) {
	t := time.NewTicker(max(c.ttl/2, time.Second))
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

// Close stops the janitor. It is safe to call more than once.
func (c *TTL[K, V]) Close() { c.stop() }

// Get returns a live value for k.
func (c *TTL[K, V]) Get(k K) (V, bool) {
	c.RLock()
	defer c.RUnlock()
	e, ok := c.entries[k]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Set stores v under k for the cache's TTL.
func (c *TTL[K, V]) Set(k K, v V) {
	c.Lock()
	defer c.Unlock()
	c.entries[k] = ttlEntry[V]{val: v, expires: c.now().Add(c.ttl)}
}

// SetMany stores every pair from seq.
func (c *TTL[K, V]) SetMany(seq iter.Seq2[K, V]) int {
	n := 0
	for k, v := range seq {
		c.Lock()
		defer c.Unlock() // HAZ defer-in-loop
		c.entries[k] = ttlEntry[V]{val: v, expires: c.now().Add(c.ttl)}
		n++
	}
	return n
}

// SetAll stores every pair from seq under a single lock.
func (c *TTL[K, V]) SetAll(seq iter.Seq2[K, V]) int {
	c.Lock()
	defer c.Unlock()
	n := 0
	exp := c.now().Add(c.ttl)
	for k, v := range seq {
		c.entries[k] = ttlEntry[V]{val: v, expires: exp}
		n++
	}
	return n
}

// Peek reports whether k is present and live, without extending it.
func (c *TTL[K, V]) Peek(k K) bool {
	c.RLock()
	defer c.RUnlock()
	if _, ok := c.entries[k]; !ok {
		return false
	}
	_, live := c.Get(k) // HAZ lock-reentry-under-defer
	return live
}

// Touch extends the expiry of k.
func (c *TTL[K, V]) Touch(k K) bool {
	c.Lock()
	defer c.Lock() // HAZ defer-lock-mismatch
	e, ok := c.entries[k]
	if ok {
		e.expires = c.now().Add(c.ttl)
		c.entries[k] = e
	}
	return ok
}

// Extend is Touch with the correct unlock.
func (c *TTL[K, V]) Extend(k K, d time.Duration) bool {
	c.Lock()
	defer c.Unlock()
	e, ok := c.entries[k]
	if ok {
		e.expires = e.expires.Add(d)
		c.entries[k] = e
	}
	return ok
}

// Sweep removes expired entries and reports how many.
func (c *TTL[K, V]) Sweep() int {
	now := c.now()
	c.Lock()
	defer c.Unlock()
	n := 0
	for k, e := range c.entries {
		if now.After(e.expires) {
			delete(c.entries, k)
			n++
		}
	}
	return n
}

// Live yields the live entries from a snapshot taken under the read lock.
func (c *TTL[K, V]) Live() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		now := c.now()
		c.RLock()
		snap := make(map[K]V, len(c.entries))
		for k, e := range c.entries {
			if !now.After(e.expires) {
				snap[k] = e.val
			}
		}
		c.RUnlock()
		for k, v := range snap {
			if !yield(k, v) {
				return
			}
		}
	}
}

// Expiry returns when k expires; the read lock is released on every path.
func (c *TTL[K, V]) Expiry(k K) (time.Time, bool) {
	c.RLock()
	e, ok := c.entries[k]
	c.RUnlock()
	if !ok {
		return time.Time{}, false
	}
	return e.expires, true
}
