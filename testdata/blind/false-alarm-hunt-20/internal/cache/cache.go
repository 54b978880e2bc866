// Package cache is the API's in-process response cache.
package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Loader fetches the value for a key from the source of truth.
type Loader func(ctx context.Context, key string) ([]byte, error)

type item struct {
	value   []byte
	expires time.Time
}

// Cache is a TTL cache safe for concurrent use.
type Cache struct {
	mu     sync.RWMutex
	items  map[string]item
	ttl    time.Duration
	now    func() time.Time
	hits   atomic.Int64
	misses atomic.Int64

	keyMu    sync.Mutex
	keyLocks map[string]*sync.Mutex
}

// Stats summarises cache effectiveness.
type Stats struct {
	Entries      int
	Hits, Misses int64
}

// New returns an empty cache whose entries live for ttl.
func New(ttl time.Duration) *Cache {
	return &Cache{items: make(map[string]item), ttl: ttl, now: time.Now, keyLocks: make(map[string]*sync.Mutex)}
}

// Get returns the live value for key.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[key]
	if !ok || c.now().After(it.expires) {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	return it.value, true
}

// Has reports whether key has a live value.
func (c *Cache) Has(key string) bool {
	_, ok := c.Get(key)
	return ok
}

// Set stores value under key for the cache's TTL.
func (c *Cache) Set(key string, value []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = item{value: value, expires: c.now().Add(c.ttl)}
}

// GetOrLoad returns the cached value or loads and caches it. The lock is not
// held while loading, so two callers may load the same key; the last one wins.
func (c *Cache) GetOrLoad(ctx context.Context, key string, load Loader) ([]byte, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err := load(ctx, key)
	if err != nil {
		return nil, err
	}
	c.Set(key, v)
	return v, nil
}

// lockKey serialises work on one key. The key's mutex is handed to the
// caller locked; calling the returned function unlocks it.
func (c *Cache) lockKey(key string) func() {
	c.keyMu.Lock()
	m, ok := c.keyLocks[key]
	if !ok {
		m = new(sync.Mutex)
		c.keyLocks[key] = m
	}
	c.keyMu.Unlock()
	m.Lock()
	return m.Unlock
}

// Invalidate removes key, waiting for any exclusive load of it to finish.
func (c *Cache) Invalidate(key string) {
	defer c.lockKey(key)()
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, key)
}

// LoadExclusive is GetOrLoad for expensive loaders: concurrent callers for
// the same key wait for the first load instead of repeating it.
func (c *Cache) LoadExclusive(ctx context.Context, key string, load Loader) ([]byte, error) {
	defer c.lockKey(key) // HAZ defer-func-result-not-called defer-blocking-call
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err := load(ctx, key)
	if err != nil {
		return nil, err
	}
	c.Set(key, v)
	return v, nil
}

// Purge drops expired entries and returns how many it dropped.
func (c *Cache) Purge() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	n := 0
	for k, it := range c.items {
		if now.After(it.expires) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// Len is the number of entries, live or not yet purged.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Stats reports entries and hit counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return Stats{
		Entries: c.Len(), // HAZ lock-reentry-under-defer
		Hits:    c.hits.Load(),
		Misses:  c.misses.Load(),
	}
}

// Prefetch loads every missing key concurrently and waits for all of them.
// It returns the number of keys loaded.
func Prefetch(ctx context.Context, c *Cache, keys []string, load Loader) int {
	var wg sync.WaitGroup
	var loaded atomic.Int64
	for _, key := range keys {
		if c.Has(key) {
			continue
		}
		wg.Add(1)
		go func() {
			v, err := load(ctx, key)
			if err != nil {
				return
			}
			c.Set(key, v)
			loaded.Add(1)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return int(loaded.Load())
}

// Refresh reloads the given keys with at most parallel loads at a time and
// returns the first error.
func Refresh(ctx context.Context, c *Cache, keys []string, parallel int, load Loader) error {
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	sem := make(chan struct{}, parallel)
	for _, key := range keys {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			v, err := load(ctx, key)
			if err != nil {
				errOnce.Do(func() { firstErr = err })
				return
			}
			c.Set(key, v)
		}()
	}
	wg.Wait()
	return firstErr
}
