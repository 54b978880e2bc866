package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// LoadFunc produces the value for a missing key.
type LoadFunc[K comparable, V any] func(ctx context.Context, key K) (V, error)

// ErrNoLoader is returned when a LoadingCache has no loader.
var ErrNoLoader = errors.New("cache: no loader configured")

type call[V any] struct {
	wg  sync.WaitGroup
	val V
	err error
}

// LoadingCache wraps an LRU and fills misses with a loader, running at most
// one load per key at a time.
type LoadingCache[K comparable, V any] struct {
	mu       sync.Mutex
	lru      *LRU[K, V]
	load     LoadFunc[K, V]
	inflight map[K]*call[V]
}

// NewLoading returns a loading cache of the given capacity.
func NewLoading[K comparable, V any](capacity int, load LoadFunc[K, V], onEvict EvictFunc[K, V]) *LoadingCache[K, V] {
	return &LoadingCache[K, V]{
		lru:      NewLRU(capacity, onEvict),
		load:     load,
		inflight: make(map[K]*call[V]),
	}
}

// Get returns the cached value or loads it. Concurrent callers for the
// same key share one load.
func (c *LoadingCache[K, V]) Get(ctx context.Context, key K) (V, error) {
	if v, ok := c.lru.Get(key); ok {
		return v, nil
	}
	c.mu.Lock()
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		cl.wg.Wait()
		return cl.val, cl.err
	}
	cl := &call[V]{}
	cl.wg.Add(1)
	c.inflight[key] = cl
	c.mu.Unlock()

	c.doLoad(ctx, key, cl)
	return cl.val, cl.err
}

func (c *LoadingCache[K, V]) doLoad(ctx context.Context, key K, cl *call[V]) {
	defer cl.wg.Done()
	cl.val, cl.err = c.safeLoad(ctx, key)
	if cl.err == nil {
		c.lru.Add(key, cl.val)
	}
	c.forget(key)
}

func (c *LoadingCache[K, V]) forget(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.inflight, key)
}

// safeLoad turns a loader panic into an error so waiting callers are
// released instead of blocking forever.
func (c *LoadingCache[K, V]) safeLoad(ctx context.Context, key K) (v V, err error) {
	if c.load == nil {
		return v, ErrNoLoader
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cache: loader panicked for key %v: %v", key, r)
		}
	}()
	return c.load(ctx, key)
}

// GetAsync loads key in the background and returns early when ctx ends.
func (c *LoadingCache[K, V]) GetAsync(ctx context.Context, key K) (V, error) {
	type result struct {
		v   V
		err error
	}
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		v, err := c.Get(context.WithoutCancel(ctx), key)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// GetWithin is GetAsync done right: the result channel has room for the
// single send, so an abandoned loader still finishes and exits.
func (c *LoadingCache[K, V]) GetWithin(ctx context.Context, key K) (V, error) {
	type result struct {
		v   V
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := c.Get(context.WithoutCancel(ctx), key)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// Prefetch loads keys concurrently and returns the first error. All
// loaders have finished when it returns.
func (c *LoadingCache[K, V]) Prefetch(ctx context.Context, keys []K) error {
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Get(ctx, k)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Invalidate drops key from the cache.
func (c *LoadingCache[K, V]) Invalidate(key K) bool {
	return c.lru.Remove(key)
}

// Loading reports how many loads are in flight.
func (c *LoadingCache[K, V]) Loading() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.inflight)
}
