package cache

import (
	"sync"
	"time"
)

type ttlItem[V any] struct {
	value   V
	expires time.Time
}

// TTL is a map whose entries expire after a fixed time to live. A janitor
// goroutine sweeps expired entries until Close is called.
type TTL[K comparable, V any] struct {
	mu       sync.RWMutex
	items    map[K]ttlItem[V]
	ttl      time.Duration
	now      func() time.Time
	onEvict  EvictFunc[K, V]
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// TTLOption configures a TTL cache.
type TTLOption[K comparable, V any] func(*TTL[K, V])

// WithClock replaces time.Now, mostly for tests.
func WithClock[K comparable, V any](now func() time.Time) TTLOption[K, V] {
	return func(c *TTL[K, V]) {
		if now != nil {
			c.now = now
		}
	}
}

// WithEvictFunc installs an eviction callback.
func WithEvictFunc[K comparable, V any](fn EvictFunc[K, V]) TTLOption[K, V] {
	return func(c *TTL[K, V]) { c.onEvict = fn }
}

// NewTTL returns a cache whose entries live for ttl. A sweep interval of
// zero disables the janitor.
func NewTTL[K comparable, V any](ttl, sweep time.Duration, opts ...TTLOption[K, V]) *TTL[K, V] {
	c := &TTL[K, V]{
		items: make(map[K]ttlItem[V]),
		ttl:   ttl,
		now:   time.Now,
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	for _, opt := range opts {
		opt(c)
	}
	if sweep > 0 {
		go c.janitor(sweep)
	} else {
		close(c.done)
	}
	return c
}

func (c *TTL[K, V]) janitor(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.Sweep()
		}
	}
}

// Close stops the janitor and waits for it to exit. It is safe to call
// Close more than once.
func (c *TTL[K, V]) Close() {
	c.stopOnce.Do(func() { close(c.stop) })
	<-c.done
}

// Set stores value under key with the cache's default TTL.
func (c *TTL[K, V]) Set(key K, value V) {
	c.SetWithTTL(key, value, c.ttl)
}

// SetWithTTL stores value under key for ttl.
func (c *TTL[K, V]) SetWithTTL(key K, value V, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = ttlItem[V]{value: value, expires: c.now().Add(ttl)}
}

// Get returns the live value for key. Expired entries are reported as
// missing and left for the janitor.
func (c *TTL[K, V]) Get(key K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[key]
	if !ok || !c.now().Before(it.expires) {
		var zero V
		return zero, false
	}
	return it.value, true
}

// Peek returns the value for key even if it has expired, together with
// its expiry time.
func (c *TTL[K, V]) Peek(key K) (V, time.Time, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	it, ok := c.items[key]
	return it.value, it.expires, ok
}

// Touch extends the life of key by the default TTL and reports whether the
// key was still live.
func (c *TTL[K, V]) Touch(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[key]
	now := c.now()
	if !ok || !now.Before(it.expires) {
		return false
	}
	it.expires = now.Add(c.ttl)
	c.items[key] = it
	return true
}

// Delete removes key and reports it to the eviction callback.
func (c *TTL[K, V]) Delete(key K) {
	c.mu.Lock()
	it, ok := c.items[key]
	delete(c.items, key)
	c.mu.Unlock()
	if ok && c.onEvict != nil {
		c.onEvict(key, it.value, ReasonRemoved)
	}
}

// Sweep removes expired entries and returns how many were removed.
func (c *TTL[K, V]) Sweep() int {
	now := c.now()
	var evs []eviction[K, V]
	c.mu.Lock()
	for k, it := range c.items {
		if !now.Before(it.expires) {
			delete(c.items, k)
			evs = append(evs, eviction[K, V]{key: k, value: it.value, reason: ReasonExpired})
		}
	}
	c.mu.Unlock()
	if c.onEvict != nil {
		for _, ev := range evs {
			c.onEvict(ev.key, ev.value, ev.reason)
		}
	}
	return len(evs)
}

// Len returns the number of stored entries, live or not yet swept.
func (c *TTL[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// GetOrSet returns the live value for key or stores the one made by mk.
// mk runs under the write lock and must not call back into the cache.
func (c *TTL[K, V]) GetOrSet(key K, mk func() V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if it, ok := c.items[key]; ok && now.Before(it.expires) {
		return it.value
	}
	v := mk()
	c.items[key] = ttlItem[V]{value: v, expires: now.Add(c.ttl)}
	return v
}
