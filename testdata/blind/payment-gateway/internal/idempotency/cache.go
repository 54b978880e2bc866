// Package idempotency remembers the outcome of requests carrying an
// Idempotency-Key header so that client retries replay the first response.
package idempotency

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// ErrFingerprintMismatch means the key was reused with a different body.
var ErrFingerprintMismatch = errors.New("idempotency: key reused with a different request")

// ErrInFlight means the first request with this key is still running.
var ErrInFlight = errors.New("idempotency: request with this key is in flight")

// State of a cached entry.
type State int

const (
	StateInFlight State = iota
	StateDone
)

// Entry is the remembered outcome of one request.
type Entry struct {
	Key         string
	Fingerprint string
	State       State
	Status      int
	Body        []byte
	ExpiresAt   time.Time
}

// Stats are cache counters.
type Stats struct {
	Entries      int
	Hits, Misses int64
}

// Cache is a TTL map of idempotency keys.
type Cache struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	ttl     time.Duration
	now     func() time.Time
	hits    int64
	misses  int64
}

// New returns a cache whose entries live for ttl.
func New(ttl time.Duration) *Cache {
	return &Cache{entries: make(map[string]*Entry), ttl: ttl, now: time.Now}
}

// Begin reserves key for a new request. When the key is known and not
// expired it returns the existing entry and false.
func (c *Cache) Begin(key, fingerprint string) (*Entry, bool, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	now := c.now()
	if e, ok := c.entries[key]; ok && now.Before(e.ExpiresAt) {
		if e.Fingerprint != fingerprint {
			c.mu.Unlock()
			return nil, false, ErrFingerprintMismatch
		}
		c.hits++
		return e, false, nil
	}
	c.misses++
	e := &Entry{Key: key, Fingerprint: fingerprint, State: StateInFlight, ExpiresAt: now.Add(c.ttl)}
	c.entries[key] = e
	c.mu.Unlock()
	return e, true, nil
}

// Reserve is the variant used by the payout API: every path unlocks.
func (c *Cache) Reserve(key, fingerprint string) (*Entry, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok && c.now().Before(e.ExpiresAt) {
		c.mu.Unlock()
		if e.Fingerprint != fingerprint {
			return nil, ErrFingerprintMismatch
		}
		if e.State == StateInFlight {
			return nil, ErrInFlight
		}
		return e, nil
	}
	e = &Entry{Key: key, Fingerprint: fingerprint, State: StateInFlight, ExpiresAt: c.now().Add(c.ttl)}
	c.entries[key] = e
	c.mu.Unlock()
	return nil, nil
}

// Complete stores the response for key and opportunistically evicts.
func (c *Cache) Complete(key string, status int, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if e, ok := c.entries[key]; ok {
		e.State = StateDone
		e.Status = status
		e.Body = append([]byte(nil), body...)
		e.ExpiresAt = now.Add(c.ttl)
	}
	if len(c.entries) > 10000 {
		c.evictExpiredLocked(now)
	}
}

// evictExpiredLocked must be called with c.mu held.
func (c *Cache) evictExpiredLocked(now time.Time) int {
	n := 0
	for k, e := range c.entries {
		if !now.Before(e.ExpiresAt) {
			delete(c.entries, k)
			n++
		}
	}
	return n
}

// Release forgets key, e.g. when the first request failed before any side
// effect so that a retry may run again.
func (c *Cache) Release(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}

// Lookup returns a copy of the entry for key.
func (c *Cache) Lookup(key string) (Entry, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[key]
	if !ok || !c.now().Before(e.ExpiresAt) {
		return Entry{}, false
	}
	return *e, true
}

// Sweep removes expired entries and reports how many were removed.
func (c *Cache) Sweep() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	n := 0
	for k, e := range c.entries {
		if !now.Before(e.ExpiresAt) {
			c.Release(k) // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// Prune is the janitor's eviction pass.
func (c *Cache) Prune() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evictExpiredLocked(c.now())
}

// Stats returns the cache counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	return Stats{Entries: len(c.entries), Hits: c.hits, Misses: c.misses}
}

// Len reports the number of cached keys.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Snapshot returns the live entries sorted by key.
func (c *Cache) Snapshot() []Entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Merge copies the entries of another cache (used when a node takes over a
// shard). It locks c and reads src through src's own lock.
func (c *Cache) Merge(src *Cache) int {
	if src == c {
		return 0
	}
	entries := src.Snapshot()
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range entries {
		if _, exists := c.entries[e.Key]; !exists {
			e := e
			c.entries[e.Key] = &e
			n++
		}
	}
	return n
}

// StartJanitor prunes expired keys every interval until ctx is done. The
// returned channel is closed when the janitor has stopped.
func (c *Cache) StartJanitor(ctx context.Context, interval time.Duration) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c.Prune()
			}
		}
	}()
	return done
}
