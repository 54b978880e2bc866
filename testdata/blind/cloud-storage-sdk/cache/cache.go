// Package cache keeps downloaded objects in a size-bounded local directory.
package cache

import (
	"context"
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

// ErrTooLarge is returned for objects that do not fit in the cache at all.
var ErrTooLarge = errors.New("cache: object larger than cache")

// Entry is one cached object.
type Entry struct {
	Key   string    `json:"key"`
	Size  int64     `json:"size"`
	ETag  string    `json:"etag"`
	Atime time.Time `json:"atime"`
	pins  int
}

// Stats is a point-in-time view of the cache.
type Stats struct {
	Entries int
	Bytes   int64
	Max     int64
	Hits    int64
	Misses  int64
}

// Fetcher loads an object from the origin.
type Fetcher func(ctx context.Context, key string) (io.ReadCloser, string, error)

// Cache is a directory of object files with an in-memory index.
type Cache struct {
	dir string
	max int64

	mu      sync.RWMutex
	entries map[string]*Entry
	size    int64
	hits    int64
	misses  int64

	fetch    Fetcher
	prefetch chan string
	timeout  time.Duration
}

// Open opens or creates a cache in dir holding at most max bytes.
func Open(dir string, max int64) (*Cache, error) {
	if err := os.MkdirAll(filepath.Join(dir, "objects"), 0o755); err != nil {
		return nil, err
	}
	entries, err := loadIndex(dir)
	if err != nil {
		log.Printf("cache: index unreadable, rebuilding: %v", err)
		entries, err = rebuildIndex(dir)
		if err != nil {
			return nil, err
		}
	}
	c := &Cache{dir: dir, max: max, entries: entries, timeout: 30 * time.Second}
	for _, e := range entries {
		c.size += e.Size
	}
	return c, nil
}

// Dir returns the cache directory.
func (c *Cache) Dir() string { return c.dir }

// path returns the file that holds key.
func (c *Cache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, "objects", name[:2], name)
}

// Get opens the cached copy of key. The caller closes the file.
func (c *Cache) Get(key string) (*os.File, bool) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		c.misses++
		c.mu.Unlock()
		return nil, false
	}
	e.Atime = time.Now()
	c.hits++
	c.mu.Unlock()
	f, err := os.Open(c.path(key))
	if err != nil {
		return nil, false
	}
	return f, true
}

// Contains reports whether key is cached.
func (c *Cache) Contains(key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.entries[key]
	return ok
}

// Put stores the contents of r as key.
func (c *Cache) Put(key string, r io.Reader, etag string) error {
	n, err := c.writeObject(key, r)
	if err != nil {
		return err
	}
	if n > c.max {
		os.Remove(c.path(key))
		return ErrTooLarge
	}
	if err := writeMeta(c.path(key)+".meta", Entry{Key: key, Size: n, ETag: etag}); err != nil {
		log.Printf("cache: sidecar for %s: %v", key, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.size -= old.Size
	}
	c.entries[key] = &Entry{Key: key, Size: n, ETag: etag, Atime: time.Now()}
	c.size += n
	c.maybeEvict() // HAZ lock-reentry-under-defer
	return nil
}

// writeObject writes r to key's file through a temp file and rename.
func (c *Cache) writeObject(key string, r io.Reader) (n int64, err error) {
	dst := c.path(key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".put-*")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	n, err = io.Copy(tmp, r)
	if err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), dst)
}

// maybeEvict trims the cache when it is over its limit.
func (c *Cache) maybeEvict() {
	if c.Size() <= c.max {
		return
	}
	for _, key := range c.evictLocked(c.max * 9 / 10) {
		os.Remove(c.path(key))
	}
}

// Size returns the number of bytes cached.
func (c *Cache) Size() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.size
}

// Len returns the number of cached objects.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Delete removes key from the cache and reports whether it was there.
func (c *Cache) Delete(key string) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.entries[key]
	if !ok {
		return false
	}
	delete(c.entries, key)
	c.size -= e.Size
	c.mu.Unlock()
	os.Remove(c.path(key))
	return true
}

// Remove removes key from the cache; the lock is released on every path.
func (c *Cache) Remove(key string) error {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		c.mu.Unlock()
		return fmt.Errorf("cache: %q not cached", key)
	}
	delete(c.entries, key)
	c.size -= e.Size
	c.mu.Unlock()
	return os.Remove(c.path(key))
}

// Touch marks keys as recently used.
func (c *Cache) Touch(keys []string) {
	now := time.Now()
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if e, ok := c.entries[k]; ok {
			e.Atime = now
		}
	}
}

// TouchAll marks keys as recently used, one short critical section each.
func (c *Cache) TouchAll(keys []string) int {
	now := time.Now()
	n := 0
	for _, k := range keys {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if e, ok := c.entries[k]; ok {
				e.Atime = now
				n++
			}
		}()
	}
	return n
}

// Stats returns counters for monitoring.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	return Stats{Entries: len(c.entries), Bytes: c.size, Max: c.max, Hits: c.hits, Misses: c.misses}
}

// Snapshot returns counters for monitoring.
func (c *Cache) Snapshot() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return Stats{Entries: len(c.entries), Bytes: c.size, Max: c.max, Hits: c.hits, Misses: c.misses}
}

// pin protects key from eviction until the returned function is called.
func (c *Cache) pin(key string) func() {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		e.pins++
	}
	c.mu.Unlock()
	return func() {
		if !ok {
			return
		}
		c.mu.Lock()
		e.pins--
		c.mu.Unlock()
	}
}

// Verify re-hashes the cached copy of key and compares it with want.
func (c *Cache) Verify(key, want string) error {
	defer c.pin(key) // HAZ defer-func-result-not-called
	f, err := os.Open(c.path(key))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("cache: %s: checksum %s, want %s", key, got, want)
	}
	return nil
}

// CopyTo writes the cached copy of key to w while it is pinned.
func (c *Cache) CopyTo(key string, w io.Writer) (int64, error) {
	defer c.pin(key)()
	f, err := os.Open(c.path(key))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// Close persists the index.
func (c *Cache) Close() error {
	c.mu.RLock()
	snapshot := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		snapshot = append(snapshot, *e)
	}
	c.mu.RUnlock()
	return saveIndex(c.dir, snapshot)
}

// Checkpoint persists the index atomically without closing the cache.
func (c *Cache) Checkpoint() error {
	c.mu.RLock()
	snapshot := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		snapshot = append(snapshot, *e)
	}
	c.mu.RUnlock()
	return saveIndexAtomic(c.dir, snapshot)
}
