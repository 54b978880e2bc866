// Package cache provides the generic in-memory caches, indexes and
// registries used by the up11 services.
package cache

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// ErrMiss is returned when a key is absent and no loader is configured.
var ErrMiss = errors.New("cache: miss")

type config[K comparable, V any] struct {
	capacity int
	onEvict  func(K, V)
	loader   func(context.Context, K) (V, error)
	parent   *Cache[K, V]
}

// Option configures a Cache.
type Option[K comparable, V any] func(*config[K, V])

// WithCapacity bounds the number of entries; non-positive values are ignored.
func WithCapacity[K comparable, V any](n int) Option[K, V] {
	return func(c *config[K, V]) {
		if n > 0 {
			c.capacity = n
		}
	}
}

// WithLoader sets the func that GetOrLoad and Fill use on a miss.
func WithLoader[K comparable, V any](fn func(context.Context, K) (V, error)) Option[K, V] {
	return func(c *config[K, V]) { c.loader = fn }
}

// WithEvictHook is called for every evicted entry. A nil hook is ignored,
// so the default no-op stays in place.
func WithEvictHook[K comparable, V any](fn func(K, V)) Option[K, V] {
	return func(c *config[K, V]) {
		if fn != nil {
			c.onEvict = fn
		}
	}
}

// WithParent makes Lookup fall back to a shared, longer-lived cache.
func WithParent[K comparable, V any](p *Cache[K, V]) Option[K, V] {
	return func(c *config[K, V]) { c.parent = p }
}

type entry[V any] struct {
	val    V
	stored time.Time
}

// Pair is one replicated key/value.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// Cache is a bounded FIFO cache safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	cfg   config[K, V]
	items map[K]*entry[V]
	order []K // insertion order, oldest first
}

// New returns an empty cache.
func New[K comparable, V any](opts ...Option[K, V]) *Cache[K, V] {
	cfg := config[K, V]{capacity: 1024, onEvict: func(K, V) {}}
	for _, o := range opts {
		o(&cfg)
	}
	return &Cache[K, V]{cfg: cfg, items: make(map[K]*entry[V])}
}

// Get returns the cached value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(k)
}

func (c *Cache[K, V]) getLocked(k K) (V, bool) {
	e, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Set stores v under k, evicting the oldest entries beyond capacity.
func (c *Cache[K, V]) Set(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(k, v)
}

func (c *Cache[K, V]) setLocked(k K, v V) {
	if e, ok := c.items[k]; ok {
		e.val, e.stored = v, time.Now()
		return
	}
	c.items[k] = &entry[V]{val: v, stored: time.Now()}
	c.order = append(c.order, k)
	for len(c.order) > c.cfg.capacity {
		old := c.order[0]
		c.order = c.order[1:]
		if e, ok := c.items[old]; ok {
			delete(c.items, old)
			c.cfg.onEvict(old, e.val)
		}
	}
}

// Delete removes k.
func (c *Cache[K, V]) Delete(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; !ok {
		return
	}
	delete(c.items, k)
	if i := slices.Index(c.order, k); i >= 0 {
		c.order = slices.Delete(c.order, i, i+1)
	}
}

// Len reports the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// GetOrLoad returns the cached value for k, loading and caching it on a miss.
func (c *Cache[K, V]) GetOrLoad(ctx context.Context, k K) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.getLocked(k); ok {
		return v, nil
	}
	if c.cfg.loader == nil {
		var zero V
		return zero, fmt.Errorf("cache: key %v: %w", k, ErrMiss)
	}
	v, err := c.cfg.loader(ctx, k)
	if err != nil {
		return v, fmt.Errorf("cache: load %v: %w", k, err)
	}
	c.Set(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Fill is GetOrLoad without holding the lock across the loader: two callers
// may load the same key, the last one wins.
func (c *Cache[K, V]) Fill(ctx context.Context, k K) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	if c.cfg.loader == nil {
		var zero V
		return zero, fmt.Errorf("cache: key %v: %w", k, ErrMiss)
	}
	v, err := c.cfg.loader(ctx, k)
	if err != nil {
		return v, fmt.Errorf("cache: fill %v: %w", k, err)
	}
	c.Set(k, v)
	return v, nil
}

// Lookup consults this cache, then the parent cache, copying parent hits
// into this one. The parent is a different Cache with its own mutex.
func (c *Cache[K, V]) Lookup(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.getLocked(k); ok {
		return v, true
	}
	if c.cfg.parent == nil || c.cfg.parent == c {
		var zero V
		return zero, false
	}
	v, ok := c.cfg.parent.Get(k)
	if ok {
		c.setLocked(k, v)
	}
	return v, ok
}

// Absorb applies frames from the replication stream: key/value pairs and
// nil keep-alive frames.
func (c *Cache[K, V]) Absorb(frames ...any) (int, error) {
	n := 0
	for i, fr := range frames {
		switch x := fr.(type) {
		case Pair[K, V]:
			c.mu.Lock()
			defer c.mu.Unlock() // HAZ defer-in-loop
			c.setLocked(x.Key, x.Val)
			n++
		case nil:
			// keep-alive frames carry no data
		default:
			return n, fmt.Errorf("cache: absorb frame %d: unexpected %T", i, fr)
		}
	}
	return n, nil
}

// Merge stores every pair under one acquisition of the lock.
func (c *Cache[K, V]) Merge(pairs []Pair[K, V]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range pairs {
		c.setLocked(p.Key, p.Val)
	}
}

// MergeEach stores pairs one lock acquisition at a time so that readers are
// not starved during large merges; the defer is scoped to the literal.
func (c *Cache[K, V]) MergeEach(pairs []Pair[K, V]) {
	for _, p := range pairs {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.setLocked(p.Key, p.Val)
		}()
	}
}
