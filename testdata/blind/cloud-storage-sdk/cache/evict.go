package cache

import (
	"context"
	"errors"
	"io"
	"log"
	"os"
	"sort"
	"time"
)

// evictLocked removes least recently used, unpinned entries from the index
// until the cache holds at most target bytes. c.mu must be held.
func (c *Cache) evictLocked(target int64) []string {
	if c.size <= target {
		return nil
	}
	all := make([]*Entry, 0, len(c.entries))
	for _, e := range c.entries {
		if e.pins == 0 {
			all = append(all, e)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Atime.Before(all[j].Atime) })
	var evicted []string
	for _, e := range all {
		if c.size <= target {
			break
		}
		delete(c.entries, e.Key)
		c.size -= e.Size
		evicted = append(evicted, e.Key)
	}
	return evicted
}

// Trim evicts until the cache holds at most target bytes.
func (c *Cache) Trim(target int64) (int, error) {
	c.mu.Lock()
	keys := c.evictLocked(target)
	c.mu.Unlock()
	return len(keys), c.removeFiles(keys)
}

// removeFiles deletes the object and sidecar files of keys.
func (c *Cache) removeFiles(keys []string) error {
	var errs []error
	for _, k := range keys {
		p := c.path(k)
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		os.Remove(p + ".meta")
	}
	return errors.Join(errs...)
}

// Sweep evicts entries not used for maxAge.
func (c *Cache) Sweep(maxAge time.Duration) int {
	cutoff := time.Now().Add(-maxAge)
	var stale []string
	func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for k, e := range c.entries {
			if e.pins == 0 && e.Atime.Before(cutoff) {
				delete(c.entries, k)
				c.size -= e.Size
				stale = append(stale, k)
			}
		}
	}()
	if err := c.removeFiles(stale); err != nil {
		log.Printf("cache: sweep: %v", err)
	}
	return len(stale)
}

// StartPrefetch starts workers that fill the cache from fetch in the background.
func (c *Cache) StartPrefetch(fetch Fetcher, workers int) {
	c.fetch = fetch
	c.prefetch = make(chan string, 64)
	for i := 0; i < workers; i++ {
		go c.prefetchLoop()
	}
}

// prefetchLoop fills queued keys forever.
func (c *Cache) prefetchLoop() {
	for {
		key := <-c.prefetch
		if c.Contains(key) {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := c.fill(ctx, key); err != nil {
			log.Printf("cache: prefetch %s: %v", key, err)
		}
	}
}

// RunPrefetch fills queued keys until the queue is closed or ctx ends.
func (c *Cache) RunPrefetch(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case key, ok := <-c.prefetch:
			if !ok {
				return nil
			}
			if err := c.fillWithTimeout(ctx, key); err != nil {
				log.Printf("cache: prefetch %s: %v", key, err)
			}
		}
	}
}

// fillWithTimeout fills key with its own deadline.
func (c *Cache) fillWithTimeout(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.fill(ctx, key)
}

// Prefetch queues key without blocking; it reports whether it was queued.
func (c *Cache) Prefetch(key string) bool {
	select {
	case c.prefetch <- key:
		return true
	default:
		return false
	}
}

// fill loads key from the origin into the cache.
func (c *Cache) fill(ctx context.Context, key string) error {
	rc, etag, err := c.fetch(ctx, key)
	if err != nil {
		return err
	}
	defer rc.Close()
	return c.Put(key, rc, etag)
}

// GetOrFetch returns the cached copy of key, loading it first when missing.
func (c *Cache) GetOrFetch(ctx context.Context, key string) (io.ReadCloser, error) {
	if f, ok := c.Get(key); ok {
		return f, nil
	}
	if c.fetch == nil {
		return nil, errors.New("cache: no origin configured")
	}
	if err := c.fillWithTimeout(ctx, key); err != nil {
		return nil, err
	}
	f, ok := c.Get(key)
	if !ok {
		return nil, errors.New("cache: object evicted while filling")
	}
	return f, nil
}
