package cache

import (
	"sync"
	"time"
)

type ttlItem[V any] struct {
	val     V
	expires time.Time
}

// TTLCache expires entries after a fixed time; a janitor goroutine removes
// expired entries until Stop.
type TTLCache[K comparable, V any] struct {
	ttl   time.Duration
	now   func() time.Time
	mu    sync.RWMutex
	items map[K]ttlItem[V]

	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// NewTTLCache returns a cache whose janitor runs every sweep.
func NewTTLCache[K comparable, V any](ttl, sweep time.Duration) *TTLCache[K, V] {
	c := &TTLCache[K, V]{ttl: ttl, now: time.Now, items: map[K]ttlItem[V]{}, stop: make(chan struct{})}
	if sweep > 0 {
		c.wg.Add(1)
		go c.janitor(sweep)
	}
	return c
}

func (c *TTLCache[K, V]) janitor(every time.Duration) {
	defer c.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.DeleteExpired()
		}
	}
}

// Stop ends the janitor and waits for it.
func (c *TTLCache[K, V]) Stop() {
	c.stopOnce.Do(func() { close(c.stop) })
	c.wg.Wait()
}

// Set stores val for the cache's TTL.
func (c *TTLCache[K, V]) Set(key K, val V) {
	c.SetWithTTL(key, val, c.ttl)
}

// SetWithTTL stores val for ttl.
func (c *TTLCache[K, V]) SetWithTTL(key K, val V, ttl time.Duration) {
	exp := c.now().Add(ttl)
	c.mu.Lock()
	c.items[key] = ttlItem[V]{val: val, expires: exp}
	c.mu.Unlock()
}

// Get returns an unexpired value.
func (c *TTLCache[K, V]) Get(key K) (V, bool) {
	c.mu.RLock()
	it, ok := c.items[key]
	c.mu.RUnlock()
	if !ok || c.now().After(it.expires) {
		var zero V
		return zero, false
	}
	return it.val, true
}

// GetOrSet returns the existing value or stores and returns val.
func (c *TTLCache[K, V]) GetOrSet(key K, val V) (V, bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.items[key]; ok && now.Before(it.expires) {
		return it.val, true
	}
	c.items[key] = ttlItem[V]{val: val, expires: now.Add(c.ttl)}
	return val, false
}

// Delete removes key.
func (c *TTLCache[K, V]) Delete(key K) {
	c.mu.Lock()
	delete(c.items, key)
	c.mu.Unlock()
}

// DeleteExpired removes expired entries and returns how many.
func (c *TTLCache[K, V]) DeleteExpired() int {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, it := range c.items {
		if now.After(it.expires) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// Len counts entries, expired or not.
func (c *TTLCache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}
