package lru

import (
	"context"
	"fmt"
	"sync"
)

// Loader fills a cache on misses and deduplicates concurrent loads of the
// same key.
type Loader[K comparable, V any] struct {
	cache *Cache[K, V]
	fetch func(context.Context, K) (V, error)

	mu    sync.Mutex
	calls map[K]*call[V]
}

type call[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// NewLoader returns a Loader that fills c using fetch.
func NewLoader[K comparable, V any](c *Cache[K, V], fetch func(context.Context, K) (V, error)) *Loader[K, V] {
	return &Loader[K, V]{cache: c, fetch: fetch, calls: make(map[K]*call[V])}
}

// Load returns the cached value for key, fetching it at most once at a time.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	if v, ok := l.cache.Get(key); ok {
		return v, nil
	}
	l.mu.Lock()
	if c, ok := l.calls[key]; ok {
		l.mu.Unlock()
		select {
		case <-c.done:
			return c.val, c.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	c := &call[V]{done: make(chan struct{})}
	l.calls[key] = c
	l.mu.Unlock()

	c.val, c.err = l.safeFetch(ctx, key)
	l.finish(key, c)
	return c.val, c.err
}

// safeFetch calls the fetch function with no lock held and turns a panic into
// an error so that waiters are always released.
func (l *Loader[K, V]) safeFetch(ctx context.Context, key K) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lru: fetch of %v panicked: %v", key, r)
		}
	}()
	return l.fetch(ctx, key)
}

func (l *Loader[K, V]) finish(key K, c *call[V]) {
	if c.err == nil {
		l.cache.Add(key, c.val)
	}
	l.mu.Lock()
	delete(l.calls, key)
	l.mu.Unlock()
	close(c.done)
}
