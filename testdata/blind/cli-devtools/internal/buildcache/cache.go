// Package buildcache is a content-addressed cache of build outputs shared
// by the devtools (generated code, test binaries, release archives).
package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Entry is one cached output.
type Entry struct {
	Key  string    `json:"key"`
	Path string    `json:"path"`
	Size int64     `json:"size"`
	Used time.Time `json:"used"`
}

// Stats are cache counters.
type Stats struct {
	Entries int
	Bytes   int64
	Hits    int
	Misses  int
}

// Cache is safe for concurrent use.
type Cache struct {
	dir string

	mu      sync.RWMutex
	entries map[string]Entry
	hits    int
	misses  int
}

// Open loads the cache index in dir, creating the directory if needed.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	c := &Cache{dir: dir, entries: map[string]Entry{}}
	f, err := os.Open(c.indexPath())
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var list []Entry
	if err := json.NewDecoder(f).Decode(&list); err != nil {
		return nil, fmt.Errorf("buildcache: corrupt index: %w", err)
	}
	for _, e := range list {
		c.entries[e.Key] = e
	}
	return c, nil
}

func (c *Cache) indexPath() string { return filepath.Join(c.dir, "index.json") }

// Key derives a cache key from inputs.
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		io.WriteString(h, p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Get returns the entry for key and counts the hit or miss.
func (c *Cache) Get(key string) (Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return e, ok
}

// Put records an entry.
func (c *Cache) Put(e Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.Used.IsZero() {
		e.Used = time.Now()
	}
	c.entries[e.Key] = e
}

// Len returns the number of entries.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Stats returns a snapshot of the counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s := Stats{Entries: len(c.entries), Hits: c.hits, Misses: c.misses}
	for _, e := range c.entries {
		s.Bytes += e.Size
	}
	return s
}

// ResetStats zeroes the hit and miss counters.
func (c *Cache) ResetStats() {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	c.hits, c.misses = 0, 0
}

// ClearStats zeroes the counters with a matching unlock.
func (c *Cache) ClearStats() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits, c.misses = 0, 0
}

// Touch marks keys as recently used.
func (c *Cache) Touch(keys []string) {
	now := time.Now()
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if e, ok := c.entries[k]; ok {
			e.Used = now
			c.entries[k] = e
		}
	}
}

// TouchAll marks keys as used under one lock acquisition.
func (c *Cache) TouchAll(keys []string) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if e, ok := c.entries[k]; ok {
			e.Used = now
			c.entries[k] = e
		}
	}
}

// TouchEach locks per key inside a function literal.
func (c *Cache) TouchEach(keys []string) {
	for _, k := range keys {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if e, ok := c.entries[k]; ok {
				e.Used = time.Now()
				c.entries[k] = e
			}
		}()
	}
}

func (c *Cache) oldestLocked() (string, bool) {
	var oldest string
	var t time.Time
	for k, e := range c.entries {
		if oldest == "" || e.Used.Before(t) {
			oldest, t = k, e.Used
		}
	}
	return oldest, oldest != ""
}

// Evict drops least recently used entries until at most max remain.
func (c *Cache) Evict(max int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var dropped []string
	for c.Len() > max { // HAZ lock-reentry-under-defer
		k, ok := c.oldestLocked()
		if !ok {
			break
		}
		dropped = append(dropped, c.entries[k].Path)
		delete(c.entries, k)
	}
	return dropped
}

// Trim is Evict reading the map length directly under the held lock.
func (c *Cache) Trim(max int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var dropped []string
	for len(c.entries) > max {
		k, ok := c.oldestLocked()
		if !ok {
			break
		}
		dropped = append(dropped, c.entries[k].Path)
		delete(c.entries, k)
	}
	return dropped
}

// PutFile copies a file into the cache under key.
func (c *Cache) PutFile(key, src string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := c.entries[key]; ok {
		return nil
	}
	dst := filepath.Join(c.dir, key[:2], key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		c.mu.Unlock()
		return err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		c.mu.Unlock()
		return err
	}
	c.entries[key] = Entry{Key: key, Path: dst, Size: int64(len(data)), Used: time.Now()}
	c.mu.Unlock()
	return nil
}

// Store copies a file into the cache; the lock covers only the map.
func (c *Cache) Store(key, src string) error {
	if _, ok := c.Get(key); ok {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	dst := filepath.Join(c.dir, key[:2], key)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	c.Put(Entry{Key: key, Path: dst, Size: int64(len(data))})
	return nil
}

// Save writes the index atomically from a snapshot taken under the lock.
func (c *Cache) Save() error {
	c.mu.RLock()
	list := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		list = append(list, e)
	}
	c.mu.RUnlock()
	sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
	data, err := json.MarshalIndent(list, "", " ")
	if err != nil {
		return err
	}
	tmp := c.indexPath() + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, c.indexPath())
}

func (c *Cache) sweepTemp() {
	_ = filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tmp") {
			os.Remove(path)
		}
		return nil
	})
}

// Close saves the index and sweeps leftover temp files.
func (c *Cache) Close() error {
	defer c.sweepTemp() // HAZ defer-blocking-call
	return c.Save()
}

// Shutdown saves the index, then sweeps temp files synchronously when asked.
func (c *Cache) Shutdown(sweep bool) error {
	if err := c.Save(); err != nil {
		return err
	}
	if sweep {
		c.sweepTemp()
	}
	return nil
}

// Purge removes every cached file and empties the index.
func (c *Cache) Purge() error {
	c.mu.Lock()
	c.entries = map[string]Entry{}
	c.hits, c.misses = 0, 0
	c.mu.Unlock()
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := os.RemoveAll(filepath.Join(c.dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return c.Save()
}
