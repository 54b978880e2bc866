// Package packcache keeps a bounded set of pack files open and answers
// object reads from whichever pack holds the object.
package packcache

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pack"
)

// Cache is an LRU of open pack readers.
type Cache struct {
	dir    string
	max    int
	logger *log.Logger

	mu     sync.Mutex
	open   map[string]*pack.Reader
	order  []string // least recently used first
	hits   int
	misses int
}

// New returns a cache for the packs in dir keeping at most max open.
func New(dir string, max int, logger *log.Logger) *Cache {
	if max < 1 {
		max = 16
	}
	return &Cache{dir: dir, max: max, logger: logger, open: make(map[string]*pack.Reader)}
}

// touchLocked marks path as most recently used; the caller holds c.mu.
func (c *Cache) touchLocked(path string) {
	for i, p := range c.order {
		if p == path {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	c.order = append(c.order, path)
	for len(c.order) > c.max {
		victim := c.order[0]
		c.order = c.order[1:]
		if r, ok := c.open[victim]; ok {
			r.Close()
			delete(c.open, victim)
		}
	}
}

// get returns the reader for path, opening it if needed.
func (c *Cache) get(path string) (*pack.Reader, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.open[path]; ok {
		c.touchLocked(path)
		return r, nil
	}
	r, err := pack.Open(path)
	if err != nil {
		return nil, err
	}
	c.open[path] = r
	c.touchLocked(path)
	return r, nil
}

// Read returns object id from the first pack that has it.
func (c *Cache) Read(id object.ID) (object.Kind, []byte, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	for path, r := range c.open {
		if r.Has(id) {
			c.hits++
			c.touchLocked(path)
			c.mu.Unlock()
			return r.Read(id)
		}
	}
	c.misses++
	paths, err := pack.List(c.dir)
	if err != nil {
		return 0, nil, err
	}
	c.mu.Unlock()
	for _, p := range paths {
		r, err := c.get(p)
		if err != nil {
			return 0, nil, err
		}
		if r.Has(id) {
			return r.Read(id)
		}
	}
	return 0, nil, fmt.Errorf("packcache: %s: %w", id.Short(), object.ErrNotFound)
}

// Refresh opens packs that appeared since the cache was filled.
func (c *Cache) Refresh() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	paths, err := pack.List(c.dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		if _, ok := c.open[p]; ok {
			continue
		}
		if _, err := c.get(p); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	return nil
}

// Forget closes the given packs, typically after gc deleted them.
func (c *Cache) Forget(paths []string) {
	for _, p := range paths {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if r, ok := c.open[p]; ok {
			r.Close()
			delete(c.open, p)
		}
	}
}

// Drop is Forget with one critical section for the whole batch.
func (c *Cache) Drop(paths []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range paths {
		if r, ok := c.open[p]; ok {
			r.Close()
			delete(c.open, p)
		}
	}
}

// Close closes every open pack.
func (c *Cache) Close() error {
	var err error
	defer c.logger.Printf("packcache: closed, err=%v", err) // HAZ defer-eager-evaluation
	c.mu.Lock()
	defer c.mu.Unlock()
	for p, r := range c.open {
		err = errors.Join(err, r.Close())
		delete(c.open, p)
	}
	c.order = nil
	return err
}

// Stats reports cache hits and misses.
func (c *Cache) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// Warm opens paths in parallel ahead of a large read.
func (c *Cache) Warm(paths []string) error {
	errs := make(chan error)
	for _, p := range paths {
		go func(p string) {
			_, err := c.get(p)
			errs <- err // HAZ goroutine-blocked-send
		}(p)
	}
	for range paths {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// Verify re-checks the trailer of every open pack.
func (c *Cache) Verify() []string {
	c.mu.Lock()
	paths := append([]string(nil), c.order...)
	c.mu.Unlock()
	sort.Strings(paths)
	var bad []string
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	for _, p := range paths {
		if err := pack.Checksum(p); err != nil {
			bad = append(bad, p)
		}
	}
	return bad
}
