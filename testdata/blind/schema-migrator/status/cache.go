package status

import (
	"context"
	"sync"
	"time"
)

// LoadFunc produces fresh status rows.
type LoadFunc func(ctx context.Context) ([]Row, error)

// Cache keeps the status rows for a while, so that dashboards polling the
// status server do not hammer the database.
type Cache struct {
	mu     sync.RWMutex
	rows   []Row
	loaded time.Time
	ttl    time.Duration
	load   LoadFunc
}

// NewCache returns a cache refreshing through load after ttl.
func NewCache(ttl time.Duration, load LoadFunc) *Cache {
	return &Cache{ttl: ttl, load: load}
}

// Get returns cached rows, loading them when stale.
func (c *Cache) Get(ctx context.Context) ([]Row, error) {
	c.mu.RLock()
	if c.rows != nil && time.Since(c.loaded) < c.ttl {
		rows := c.rows
		c.mu.RUnlock()
		return rows, nil
	}
	c.mu.RUnlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rows != nil && time.Since(c.loaded) < c.ttl {
		return c.rows, nil
	}
	rows, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	c.rows, c.loaded = rows, time.Now()
	return rows, nil
}

// Set replaces the cached rows, e.g. right after a migration run.
func (c *Cache) Set(rows []Row) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rows, c.loaded = rows, time.Now()
}

// Invalidate forces the next Get to load.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	c.rows = nil
}

// Age returns how old the cached rows are; zero when there are none.
func (c *Cache) Age() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.rows == nil {
		return 0
	}
	return time.Since(c.loaded)
}

// Len returns the number of cached rows.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.rows)
}
