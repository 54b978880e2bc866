package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// BuildCache maps content keys to cached directories. Entries are pinned
// while in use; eviction skips pinned entries.
type BuildCache struct {
	root string

	mu      sync.RWMutex
	entries map[string]*cacheEntry
	hits    int
	misses  int
}

type cacheEntry struct {
	mu       sync.Mutex
	path     string
	pins     int
	lastUsed time.Time
	size     int64
}

// NewBuildCache returns a cache rooted at dir.
func NewBuildCache(dir string) *BuildCache {
	return &BuildCache{root: dir, entries: map[string]*cacheEntry{}}
}

// Key hashes the given files into a cache key. Each file is hashed in a
// helper that closes it.
func Key(files []string) (string, error) {
	h := sha256.New()
	for _, f := range files {
		if err := hashFile(h, f); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only, per-file helper
	_, err = io.Copy(w, f)
	return err
}

// Lookup returns the cached path for key and pins it. The caller must call
// the returned release function.
func (c *BuildCache) Lookup(key string) (string, func(), bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		c.misses++
		c.mu.Unlock()
		return "", nil, false
	}
	e.mu.Lock()
	e.pins++
	e.lastUsed = time.Now()
	e.mu.Unlock()

	c.mu.Lock()
	c.hits++
	c.mu.Unlock()

	var once sync.Once
	return e.path, func() {
		once.Do(func() {
			e.mu.Lock()
			e.pins--
			e.mu.Unlock()
		})
	}, true
}

// WithCached runs fn with the cached dir for key, or with "" on a miss.
func (c *BuildCache) WithCached(key string, fn func(dir string) error) error {
	dir, release, ok := c.Lookup(key)
	if ok {
		defer release() // ok: only deferred when Lookup returned a non-nil release
	}
	return fn(dir)
}

// Store records a freshly built directory. If another builder stored the key
// in the meantime the existing entry wins (checked again under the write lock).
func (c *BuildCache) Store(key, dir string, size int64) (string, error) {
	c.mu.RLock()
	if e, ok := c.entries[key]; ok {
		c.mu.RUnlock()
		return e.path, nil
	}
	c.mu.RUnlock()

	dst := filepath.Join(c.root, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		return e.path, nil
	}
	if err := os.Rename(dir, dst); err != nil {
		return "", fmt.Errorf("store %s: %w", key, err)
	}
	c.entries[key] = &cacheEntry{path: dst, lastUsed: time.Now(), size: size}
	return dst, nil
}

// Evict removes unpinned entries until the total size is at most limit,
// oldest first. Each entry lock is taken and released within an iteration.
func (c *BuildCache) Evict(limit int64) (freed int64, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var total int64
	for _, e := range c.entries {
		total += e.size
	}
	for total > limit {
		key, e := c.oldestUnpinnedLocked()
		if e == nil {
			return freed, errors.New("cache: everything is pinned")
		}
		if err := os.RemoveAll(e.path); err != nil {
			return freed, err
		}
		delete(c.entries, key)
		total -= e.size
		freed += e.size
	}
	return freed, nil
}

// oldestUnpinnedLocked finds the eviction candidate. Caller must hold c.mu;
// entry locks are taken inside, which is the documented order.
func (c *BuildCache) oldestUnpinnedLocked() (string, *cacheEntry) {
	var (
		bestKey string
		best    *cacheEntry
		bestAt  time.Time
	)
	for k, e := range c.entries {
		e.mu.Lock()
		pinned, at := e.pins > 0, e.lastUsed
		e.mu.Unlock()
		if pinned {
			continue
		}
		if best == nil || at.Before(bestAt) {
			bestKey, best, bestAt = k, e, at
		}
	}
	return bestKey, best
}

// Touch updates the access time of several keys.
func (c *BuildCache) Touch(keys []string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := time.Now()
	for _, k := range keys {
		e, ok := c.entries[k]
		if !ok {
			continue
		}
		e.mu.Lock()
		defer e.mu.Unlock() // HAZ defer-in-loop
		e.lastUsed = now
	}
}

// TouchScoped is Touch with each entry unlocked in its iteration.
func (c *BuildCache) TouchScoped(keys []string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := time.Now()
	for _, k := range keys {
		e, ok := c.entries[k]
		if !ok {
			continue
		}
		func() {
			e.mu.Lock()
			defer e.mu.Unlock() // ok: per-iteration function literal
			e.lastUsed = now
		}()
	}
}

// Stats reports hits and misses.
func (c *BuildCache) Stats() (hits, misses int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits, c.misses
}

// Warm restores several keys, timing the whole operation.
func (c *BuildCache) Warm(keys []string, restore func(key, dir string) error) error {
	start := time.Now()
	defer log.Printf("cache warm of %d keys took %s", len(keys), time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for _, k := range keys {
		err := c.WithCached(k, func(dir string) error {
			if dir == "" {
				return nil
			}
			return restore(k, dir)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// WarmTimed is Warm with the duration computed at exit.
func (c *BuildCache) WarmTimed(keys []string, restore func(key, dir string) error) error {
	start := time.Now()
	defer func() {
		log.Printf("cache warm of %d keys took %s", len(keys), time.Since(start)) // ok: inside the closure
	}()
	for _, k := range keys {
		err := c.WithCached(k, func(dir string) error {
			if dir == "" {
				return nil
			}
			return restore(k, dir)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
