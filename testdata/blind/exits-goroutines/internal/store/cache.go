package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by a closed cache.
var ErrClosed = errors.New("cache closed")

var errNoLoader = errors.New("cache has no loader")

type entry[V any] struct {
	v   V
	err error
	at  time.Time
}

// Cache is a read-through cache with negative caching.
type Cache[K comparable, V any] struct {
	mu       sync.Mutex
	entries  map[K]entry[V]
	ttl      time.Duration
	negTTL   time.Duration
	max      int
	closed   bool
	hits     int64
	inflight atomic.Int64
	loader   func(ctx context.Context, k K) (V, error)
	validate func(V) error
}

func (c *Cache[K, V]) evictOldest() {
	var oldest K
	var at time.Time
	first := true
	for k, e := range c.entries {
		if first || e.at.Before(at) {
			oldest, at, first = k, e.at, false
		}
	}
	delete(c.entries, oldest)
}

// GetOrLoad returns the cached value for key, loading it on a miss. Two
// defers times eight returns = 16.
func (c *Cache[K, V]) GetOrLoad(ctx context.Context, key K) (V, error) {
	c.inflight.Add(1)
	defer c.inflight.Add(-1) // HAZ defer-not-open-coded
	c.mu.Lock()
	defer c.mu.Unlock()

	var zero V
	if c.closed {
		return zero, ErrClosed
	}
	if e, ok := c.entries[key]; ok {
		if e.err == nil && time.Since(e.at) < c.ttl {
			c.hits++
			return e.v, nil
		}
		if e.err != nil && time.Since(e.at) < c.negTTL {
			return zero, e.err
		}
	}
	if c.loader == nil {
		return zero, errNoLoader
	}
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	v, err := c.loader(ctx, key)
	if err != nil {
		c.entries[key] = entry[V]{err: err, at: time.Now()}
		return zero, err
	}
	if c.validate != nil {
		if err := c.validate(v); err != nil {
			return zero, fmt.Errorf("cache: invalid value: %w", err)
		}
	}
	if len(c.entries) >= c.max {
		c.evictOldest()
	}
	c.entries[key] = entry[V]{v: v, at: time.Now()}
	return v, nil
}

// Peek returns the cached value without loading. Two defers, three returns.
func (c *Cache[K, V]) Peek(key K) (V, bool) {
	c.inflight.Add(1)
	defer c.inflight.Add(-1)
	c.mu.Lock()
	defer c.mu.Unlock() // ok: 2 defers x 3 returns
	var zero V
	e, ok := c.entries[key]
	if !ok || e.err != nil {
		return zero, false
	}
	if time.Since(e.at) >= c.ttl {
		return zero, false
	}
	return e.v, true
}

// LeaseManager hands out migration leases.
type LeaseManager interface {
	Acquire(ctx context.Context, name string) (interface{ Release() error }, error)
}

// Migrator applies a data migration file under a lease.
type Migrator struct {
	tracer  *Tracer
	leases  LeaseManager
	path    string
	timeout time.Duration
	mu      sync.Mutex
	applied int
	apply   func(ctx context.Context, r io.Reader) (int, error)
}

// Run applies the migration once. Five defers times four returns = 20.
func (m *Migrator) Run(ctx context.Context) error {
	sp := m.tracer.Start("migrate")
	defer sp.End()
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	m.mu.Lock()
	defer m.mu.Unlock()

	lease, err := m.leases.Acquire(ctx, "migrate")
	if err != nil {
		return err
	}
	defer lease.Release()
	src, err := os.Open(m.path)
	if err != nil {
		return err
	}
	defer src.Close() // HAZ defer-not-open-coded
	n, err := m.apply(ctx, src)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.path, err)
	}
	m.applied += n
	return nil
}
