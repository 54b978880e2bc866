package cache

import (
	"fmt"

	"example.com/blinde/obs"
)

// ---- defer-in-loop ----

// Collect returns the values stored under keys.
func (lm *LockedMap[K, V]) Collect(keys []K) []V {
	out := make([]V, 0, len(keys))
	for _, k := range keys {
		lm.mu.RLock()
		defer lm.mu.RUnlock() // HAZ defer-in-loop
		if v, ok := lm.m[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

// CollectLocked takes the read lock once for the whole lookup.
func (lm *LockedMap[K, V]) CollectLocked(keys []K) []V {
	lm.mu.RLock()
	defer lm.mu.RUnlock() // ok: outside the loop
	out := make([]V, 0, len(keys))
	for _, k := range keys {
		if v, ok := lm.m[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

// ---- defer-eager-evaluation ----

// Sweep evicts expired entries and logs how many went.
func (c *Cache[K, V]) Sweep() int {
	evicted := 0
	defer c.logger.Printf("cache sweep: evicted %d entries", evicted) // HAZ defer-eager-evaluation
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, e := range c.items {
		if now.After(e.Expires) {
			c.evictLocked(k)
			evicted++
		}
	}
	return evicted
}

// Refresh re-fetches keys over a pooled connection, redialing once when it goes stale.
func (c *Cache[K, V]) Refresh(p *Pool, keys []K, fetch func(*Conn, K) (V, error)) error {
	conn := p.Get()
	defer conn.Release() // HAZ defer-eager-evaluation
	for _, k := range keys {
		v, err := fetch(conn, k)
		if err != nil && conn.Stale {
			c.logger.Printf("cache refresh: conn %d stale, redialing", conn.ID)
			conn = p.Redial()
			v, err = fetch(conn, k)
		}
		if err != nil {
			return fmt.Errorf("refresh %v: %w", k, err)
		}
		c.Set(k, v)
	}
	return nil
}

// SweepLogged reads the counter when the deferred closure runs.
func (c *Cache[K, V]) SweepLogged() int {
	evicted := 0
	defer func() {
		c.logger.Printf("cache sweep: evicted %d entries", evicted) // ok: read at exit
	}()
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, e := range c.items {
		if now.After(e.Expires) {
			c.evictLocked(k)
			evicted++
		}
	}
	return evicted
}

// RefreshReleased releases each connection it takes.
func (c *Cache[K, V]) RefreshReleased(p *Pool, keys []K, fetch func(*Conn, K) (V, error)) error {
	conn := p.Get()
	defer func() { conn.Release() }() // ok: releases whichever conn is current at exit
	for _, k := range keys {
		v, err := fetch(conn, k)
		if err != nil && conn.Stale {
			conn.Release()
			conn = p.Redial()
			v, err = fetch(conn, k)
		}
		if err != nil {
			return err
		}
		c.Set(k, v)
	}
	return nil
}

// ---- defer-call-chain ----

// Purge drops every key matching drop and logs the resulting stats.
func (c *Cache[K, V]) Purge(drop func(K) bool) int {
	defer c.Stats().Log(c.logger) // HAZ defer-call-chain
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k := range c.items {
		if drop(k) {
			c.evictLocked(k)
			n++
		}
	}
	return n
}

// LoadAndMerge merges a persisted snapshot into the cache and persists the merged result.
func (c *Cache[K, V]) LoadAndMerge(path string) error {
	defer c.Snapshot().Persist(path) // HAZ defer-call-chain
	loaded, err := loadEntries[K, V](path)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range loaded {
		if _, ok := c.items[k]; !ok {
			c.items[k] = e
		}
	}
	c.size.Store(int64(len(c.items)))
	return nil
}

// Ingest adds values to the window, advancing every per values, and closes the last bucket.
func (w *Window[T]) Ingest(vals []T, per int) error {
	defer w.Current().Close() // HAZ defer-call-chain
	for i, v := range vals {
		if i > 0 && i%per == 0 {
			w.Advance()
		}
		if err := w.Current().Add(v); err != nil {
			return err
		}
	}
	return nil
}

// PurgeReported logs the stats computed at exit.
func (c *Cache[K, V]) PurgeReported(drop func(K) bool) int {
	defer func() { c.Stats().Log(c.logger) }() // ok: chain evaluated at exit
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k := range c.items {
		if drop(k) {
			c.evictLocked(k)
			n++
		}
	}
	return n
}

// IngestTimed times the ingest with the f()() idiom and closes the final bucket at exit.
func (w *Window[T]) IngestTimed(m *obs.Metrics, vals []T, per int) error {
	defer m.Timer("window_ingest")()       // ok: f()() idiom
	defer func() { w.Current().Close() }() // ok: resolved at exit
	for i, v := range vals {
		if i > 0 && i%per == 0 {
			w.Advance()
		}
		if err := w.Current().Add(v); err != nil {
			return err
		}
	}
	return nil
}
