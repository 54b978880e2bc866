package schema

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
)

// cached returns a cached schema or nil.
func (c *Client) cached(id string) *Schema {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cache[id]
}

// CachedFor returns the cached schemas of a subject, newest first.
func (c *Client) CachedFor(subject string) []*Schema {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []*Schema
	for id := range c.cache {
		if s := c.cached(id); s != nil && s.Subject == subject { // HAZ lock-reentry-under-defer
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version > out[j].Version })
	return out
}

// Len returns the number of cached schemas.
func (c *Client) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.cache)
}

// Retain drops the cached schemas whose subject is not listed.
func (c *Client) Retain(subjects []string) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	keep := make(map[string]bool, len(subjects))
	for _, s := range subjects {
		if s == "" {
			return errors.New("schema: empty subject in retain list")
		}
		keep[s] = true
	}
	for id, s := range c.cache {
		if !keep[s.Subject] {
			delete(c.cache, id)
		}
	}
	c.mu.Unlock()
	return nil
}

// Reset empties the cache.
func (c *Client) Reset() {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	c.cache = make(map[string]*Schema)
}

// Warm loads the given ids into the cache concurrently and returns how
// many were found.
func (c *Client) Warm(ctx context.Context, ids []string) int {
	defer func() {
		if p := recover(); p != nil {
			c.log.Printf("schema warm aborted: %v", p)
		}
	}()
	var wg sync.WaitGroup
	var found atomic.Int64
	for _, id := range ids {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if _, err := c.Lookup(ctx, id); err == nil {
				found.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(found.Load())
}

// PrefetchRange loads the numeric ids [from, to) and returns the first id
// that was not attempted (to, unless ctx ended).
func (c *Client) PrefetchRange(ctx context.Context, from, to int) int {
	var wg sync.WaitGroup
	var id int
	for id = from; id < to && ctx.Err() == nil; id++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := c.Lookup(ctx, strconv.Itoa(id)); err != nil {
				c.log.Printf("prefetch %d: %v", id, err)
			}
		}()
	}
	wg.Wait()
	return id
}

// Snapshot returns a copy of the cache.
func (c *Client) Snapshot() map[string]Schema {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]Schema, len(c.cache))
	for id, s := range c.cache {
		out[id] = *s
	}
	return out
}

type lookupResult struct {
	id  string
	s   *Schema
	err error
}

func (c *Client) lookupInto(ctx context.Context, id string, out chan<- lookupResult) {
	s, err := c.Lookup(ctx, id)
	out <- lookupResult{id, s, err}
}

// LookupAll looks the ids up concurrently and fails on the first error.
func (c *Client) LookupAll(ctx context.Context, ids []string) (map[string]*Schema, error) {
	out := make(chan lookupResult, len(ids))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go c.lookupInto(ctx, id, out)
	}
	res := make(map[string]*Schema, len(ids))
	for range ids {
		r := <-out
		if r.err != nil {
			return nil, r.err
		}
		res[r.id] = r.s
	}
	return res, nil
}
