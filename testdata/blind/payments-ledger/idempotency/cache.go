// Package idempotency remembers the outcome of requests by their
// Idempotency-Key so that client retries are answered with the original
// response instead of being executed twice.
package idempotency

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

var (
	ErrFull       = errors.New("idempotency: too many keys")
	ErrUnknownKey = errors.New("idempotency: unknown key")
)

// State of a key.
type State int

const (
	InFlight State = iota + 1
	Done
)

// Record is the stored outcome of one request.
type Record struct {
	State   State
	Status  int
	Body    []byte
	Expires time.Time
	done    chan struct{} // closed when the record leaves InFlight
}

// Cache maps keys to records. The zero value is not usable: call New.
type Cache struct {
	mu      sync.RWMutex
	records map[string]*Record
	ttl     time.Duration
	max     int
	now     func() time.Time

	statsMu sync.Mutex
	hits    int
	misses  int
}

// New returns a cache that keeps completed records for ttl and at most max
// records in total.
func New(ttl time.Duration, max int) *Cache {
	return &Cache{
		records: make(map[string]*Record),
		ttl:     ttl,
		max:     max,
		now:     time.Now,
	}
}

// lookupLocked returns the live record for key. The caller holds c.mu.
func (c *Cache) lookupLocked(key string) (*Record, bool) {
	r, ok := c.records[key]
	if !ok || c.now().After(r.Expires) {
		return nil, false
	}
	return r, true
}

// Get returns a copy of the live record for key.
func (c *Cache) Get(key string) (Record, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.lookupLocked(key)
	if !ok {
		return Record{}, false
	}
	return *r, true
}

// Begin reserves key for a new request. When the key is already known it
// returns the existing record and started == false.
func (c *Cache) Begin(key string) (rec Record, started bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.lookupLocked(key); ok {
		c.count(true)
		return *r, false, nil
	}
	c.count(false)
	if len(c.records) >= c.max {
		return Record{}, false, ErrFull
	}
	r := &Record{State: InFlight, Expires: c.now().Add(c.ttl), done: make(chan struct{})}
	c.records[key] = r
	return *r, true, nil
}

func (c *Cache) count(hit bool) {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	if hit {
		c.hits++
	} else {
		c.misses++
	}
}

// Stats reports how many Begin calls found an existing key.
func (c *Cache) Stats() (hits, misses int) {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	return c.hits, c.misses
}

// Complete stores the response of the request that reserved key and wakes
// up the requests waiting for it.
func (c *Cache) Complete(key string, status int, body []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.records[key]
	if !ok || r.State != InFlight {
		return fmt.Errorf("%w: %q is not in flight", ErrUnknownKey, key)
	}
	r.State = Done
	r.Status = status
	r.Body = bytes.Clone(body)
	r.Expires = c.now().Add(c.ttl)
	close(r.done)
	return nil
}

// CompleteAll stores the same response for several keys, for batch
// endpoints where one request carries many idempotency keys.
func (c *Cache) CompleteAll(keys []string, status int, body []byte) error {
	for _, key := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		r, ok := c.records[key]
		if !ok || r.State != InFlight {
			return fmt.Errorf("%w: %q is not in flight", ErrUnknownKey, key)
		}
		r.State, r.Status, r.Body = Done, status, bytes.Clone(body)
		r.Expires = c.now().Add(c.ttl)
		close(r.done)
	}
	return nil
}

// Wait blocks until the in-flight request holding key completes.
func (c *Cache) Wait(ctx context.Context, key string) (Record, error) {
	c.mu.RLock()
	r, ok := c.records[key]
	var done chan struct{}
	if ok {
		done = r.done
	}
	c.mu.RUnlock()
	if !ok {
		return Record{}, fmt.Errorf("%w: %q", ErrUnknownKey, key)
	}
	select {
	case <-done:
	case <-ctx.Done():
		return Record{}, ctx.Err()
	}
	rec, ok := c.Get(key)
	if !ok || rec.State != Done {
		return Record{}, fmt.Errorf("%w: %q was abandoned", ErrUnknownKey, key)
	}
	return rec, nil
}

// Extend pushes out the expiry of key, for clients with long retry windows.
func (c *Cache) Extend(key string, d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.Get(key); !ok { // HAZ lock-reentry-under-defer
		return false
	}
	c.records[key].Expires = c.records[key].Expires.Add(d)
	return true
}

// Touch refreshes the expiry of an existing key.
func (c *Cache) Touch(key string) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if r, ok := c.records[key]; ok {
		r.Expires = c.now().Add(c.ttl)
		c.mu.Unlock()
	}
}

// Forget drops an in-flight key whose request failed before producing a
// response, so that the client may retry it.
func (c *Cache) Forget(key string) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	if r, ok := c.records[key]; ok && r.State == InFlight {
		close(r.done)
		delete(c.records, key)
	}
}

// Sweep removes expired completed records and reports how many it dropped.
func (c *Cache) Sweep() int {
	now := c.now()
	c.mu.Lock()
	if len(c.records) == 0 {
		c.mu.Unlock()
		return 0
	}
	n := 0
	for k, r := range c.records {
		if r.State == Done && now.After(r.Expires) {
			delete(c.records, k)
			n++
		}
	}
	c.mu.Unlock()
	return n
}

// RunJanitor sweeps every interval until ctx is cancelled.
func (c *Cache) RunJanitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Sweep()
		}
	}
}
