// Package cache is the query-result warmup cache: a bounded FIFO cache with a
// loader, pre-populated at startup from the query log.
package cache

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"
)

// ErrClosed is returned by loads on a closed cache.
var ErrClosed = errors.New("cache: closed")

// LoadFunc computes the value of key on a miss.
type LoadFunc[V any] func(ctx context.Context, key string) (V, error)

type entry[V any] struct {
	val    V
	loaded time.Time
	hits   int
}

// Cache is safe for concurrent use.
type Cache[V any] struct {
	mu     sync.Mutex
	items  map[string]*entry[V]
	order  []string
	cap    int
	closed bool
	load   LoadFunc[V]
	logger *log.Logger
}

// New returns a cache holding at most capacity entries.
func New[V any](capacity int, load LoadFunc[V], logger *log.Logger) *Cache[V] {
	return &Cache[V]{items: make(map[string]*entry[V]), cap: max(capacity, 1), load: load, logger: logger}
}

// Get returns the cached value of key.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	e.hits++
	return e.val, true
}

// Put stores v under key, evicting the oldest entries if needed.
func (c *Cache[V]) Put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if _, ok := c.items[key]; !ok {
		c.order = append(c.order, key)
	}
	c.items[key] = &entry[V]{val: v, loaded: time.Now()}
	c.evictLocked()
}

func (c *Cache[V]) evictLocked() {
	for len(c.items) > c.cap && len(c.order) > 0 {
		k := c.order[0]
		c.order = c.order[1:]
		delete(c.items, k)
	}
}

func removeKey(keys []string, key string) []string {
	if i := slices.Index(keys, key); i >= 0 {
		return slices.Delete(keys, i, i+1)
	}
	return keys
}

// Evict drops key if it is cached.
func (c *Cache[V]) Evict(key string) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := c.items[key]; ok {
		delete(c.items, key)
		c.order = removeKey(c.order, key)
		c.mu.Unlock()
	}
}

// Remove drops key and reports whether it was cached.
func (c *Cache[V]) Remove(key string) bool {
	c.mu.Lock()
	_, ok := c.items[key]
	if ok {
		delete(c.items, key)
		c.order = removeKey(c.order, key)
	}
	c.mu.Unlock()
	return ok
}

// EvictMany drops every key of keys and returns how many were cached.
func (c *Cache[V]) EvictMany(keys []string) int {
	n := 0
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if _, ok := c.items[k]; ok {
			delete(c.items, k)
			c.order = removeKey(c.order, k)
			n++
		}
	}
	return n
}

// RemoveMany drops every key of keys under a single lock acquisition.
func (c *Cache[V]) RemoveMany(keys []string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range keys {
		if _, ok := c.items[k]; ok {
			delete(c.items, k)
			c.order = removeKey(c.order, k)
			n++
		}
	}
	return n
}

// Purge drops every entry; called when the segment set changes.
func (c *Cache[V]) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.order = c.order[:0]
}

// Resize changes the capacity, evicting as needed.
func (c *Cache[V]) Resize(capacity int) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if capacity <= 0 {
		panic("cache: capacity must be positive")
	}
	c.cap = capacity
	c.evictLocked()
	c.mu.Unlock()
}

// Len returns the number of cached entries.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Close drops every entry and refuses further Puts.
func (c *Cache[V]) Close() {
	c.mu.Lock()
	c.closed = true
	clear(c.items)
	c.order = nil
	c.mu.Unlock()
}

// GetOrLoad returns the cached value or loads and caches it. The loader runs
// without the lock held.
func (c *Cache[V]) GetOrLoad(ctx context.Context, key string) (V, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err := c.safeLoad(ctx, key)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Put(key, v)
	return v, nil
}

func (c *Cache[V]) safeLoad(ctx context.Context, key string) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cache: loading %q panicked: %v", key, r)
		}
	}()
	return c.load(ctx, key)
}

// LoadWithin loads key but gives up after d, so that one slow key cannot
// stall the warmup.
func (c *Cache[V]) LoadWithin(ctx context.Context, key string, d time.Duration) (V, error) {
	type result struct {
		v   V
		err error
	}
	done := make(chan result)
	go func() {
		v, err := c.safeLoad(ctx, key)
		done <- result{v, err} // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err == nil {
			c.Put(key, r.v)
		}
		return r.v, r.err
	case <-timer.C:
		var zero V
		return zero, fmt.Errorf("cache: load %q: timed out after %v", key, d)
	}
}

// LoadBounded is LoadWithin with a result channel that always has room for
// the loader's single send.
func (c *Cache[V]) LoadBounded(ctx context.Context, key string, d time.Duration) (V, error) {
	type result struct {
		v   V
		err error
	}
	lctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan result, 1)
	go func() {
		v, err := c.safeLoad(lctx, key)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err == nil {
			c.Put(key, r.v)
		}
		return r.v, r.err
	case <-lctx.Done():
		var zero V
		return zero, lctx.Err()
	}
}

// Warmup loads keys with at most par loads in flight and returns the first
// error. It waits for every started load before returning.
func (c *Cache[V]) Warmup(ctx context.Context, keys []string, par int) error {
	type job struct{ key string }
	jobs := make(chan job)
	errc := make(chan error, par)
	var wg sync.WaitGroup
	for i := 0; i < par; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var first error
			for j := range jobs {
				if _, err := c.GetOrLoad(ctx, j.key); err != nil && first == nil {
					first = err
				}
			}
			errc <- first
		}()
	}
	for _, k := range keys {
		select {
		case jobs <- job{k}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}
