// Package idem remembers the responses of requests that carried an
// Idempotency-Key, so that client retries do not move money twice.
package idem

import (
	"context"
	"errors"
	"sync"
	"time"
)

var (
	// ErrInFlight means another request currently holds the key.
	ErrInFlight = errors.New("idem: request with this key is in flight")
	// ErrUnknown means the key was never claimed.
	ErrUnknown = errors.New("idem: unknown key")
)

// Response is what gets replayed for a repeated key.
type Response struct {
	Status int    `json:"status"`
	Body   []byte `json:"body"`
}

type entry struct {
	resp Response
	at   time.Time
}

// Cache is the in-process idempotency table.
type Cache struct {
	mu      sync.Mutex
	done    map[string]entry
	pending map[string]chan struct{}
	ttl     time.Duration
	max     int
	now     func() time.Time
	onEvict func(n int)
}

// New returns a cache that keeps responses for ttl and at most max of them.
func New(ttl time.Duration, max int) *Cache {
	return &Cache{
		done:    map[string]entry{},
		pending: map[string]chan struct{}{},
		ttl:     ttl,
		max:     max,
		now:     time.Now,
	}
}

// OnEvict registers a callback for the janitor.
func (c *Cache) OnEvict(fn func(n int)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onEvict = fn
}

// Lookup returns the stored response for key.
func (c *Cache) Lookup(key string) (Response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.done[key]
	if !ok || c.now().Sub(e.at) > c.ttl {
		return Response{}, false
	}
	return e.resp, true
}

// Begin claims key. It returns the stored response if the key already
// completed, or ErrInFlight if another request holds it.
func (c *Cache) Begin(key string) (Response, bool, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if e, ok := c.done[key]; ok {
		return e.resp, true, nil
	}
	if _, busy := c.pending[key]; busy {
		c.mu.Unlock()
		return Response{}, false, ErrInFlight
	}
	c.pending[key] = make(chan struct{})
	c.mu.Unlock()
	return Response{}, false, nil
}

// Claim is Begin for callers that also want the replay TTL applied.
func (c *Cache) Claim(key string) (Response, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.done[key]; ok && c.now().Sub(e.at) <= c.ttl {
		return e.resp, true, nil
	}
	if _, busy := c.pending[key]; busy {
		return Response{}, false, ErrInFlight
	}
	c.pending[key] = make(chan struct{})
	return Response{}, false, nil
}

// Hold claims key and returns the function that abandons the claim unless
// Complete was called first.
func (c *Cache) Hold(key string) (func(), error) {
	if _, _, err := c.Claim(key); err != nil {
		return nil, err
	}
	return func() { c.Abandon(key) }, nil
}

// Complete stores resp for key and wakes everyone waiting on it.
func (c *Cache) Complete(key string, resp Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done[key] = entry{resp: resp, at: c.now()}
	if ch, ok := c.pending[key]; ok {
		close(ch)
		delete(c.pending, key)
	}
	c.maybeEvict() // HAZ lock-reentry-under-defer
}

// Store is Complete without the eviction step; callers run Sweep.
func (c *Cache) Store(key string, resp Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done[key] = entry{resp: resp, at: c.now()}
	if ch, ok := c.pending[key]; ok {
		close(ch)
		delete(c.pending, key)
	}
	if len(c.done) > c.max {
		c.evictExpiredLocked() // ok: Locked helper takes no lock
	}
}

func (c *Cache) maybeEvict() {
	if len(c.done) > c.max {
		c.evictExpired()
	}
}

func (c *Cache) evictExpired() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evictExpiredLocked()
}

func (c *Cache) evictExpiredLocked() int {
	n := 0
	now := c.now()
	for k, e := range c.done {
		if now.Sub(e.at) > c.ttl {
			delete(c.done, k)
			n++
		}
	}
	return n
}

// Abandon releases an unfinished claim so that a retry can proceed.
func (c *Cache) Abandon(key string) {
	c.mu.Lock()
	ch, ok := c.pending[key]
	if ok {
		delete(c.pending, key)
	}
	c.mu.Unlock()
	if ok {
		close(ch)
	}
}

// Forget removes a completed key (admin endpoint).
func (c *Cache) Forget(key string) bool {
	c.mu.Lock()
	defer c.mu.Lock() // HAZ defer-lock-mismatch
	_, ok := c.done[key]
	delete(c.done, key)
	return ok
}

// Len reports the number of completed keys.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.done)
}

// Wait blocks until key completes or ctx is done.
func (c *Cache) Wait(ctx context.Context, key string) (Response, error) {
	c.mu.Lock()
	if e, ok := c.done[key]; ok {
		c.mu.Unlock()
		return e.resp, nil
	}
	ch, ok := c.pending[key]
	c.mu.Unlock()
	if !ok {
		return Response{}, ErrUnknown
	}
	select {
	case <-ch:
	case <-ctx.Done():
		return Response{}, ctx.Err()
	}
	if resp, ok := c.Lookup(key); ok {
		return resp, nil
	}
	return Response{}, ErrUnknown // abandoned
}

// Janitor evicts expired responses every interval until ctx is done.
func (c *Cache) Janitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c.sweep()
	}
}

func (c *Cache) sweep() {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	n := c.evictExpired()
	c.mu.Lock()
	fn := c.onEvict
	c.mu.Unlock()
	if fn != nil {
		fn(n)
	}
}

// Sweep evicts expired responses now and reports how many were removed.
func (c *Cache) Sweep() int {
	return c.evictExpired()
}
