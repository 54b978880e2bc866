// Package catalog is the in-memory index of stored snapshots.
package catalog

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotFound is returned for unknown keys.
var ErrNotFound = errors.New("catalog: not found")

// Entry describes one stored snapshot blob.
type Entry struct {
	Key      string    `json:"key"`
	Digest   string    `json:"digest"`
	Size     int64     `json:"size"`
	Refs     int       `json:"refs"`
	LastUsed time.Time `json:"last_used"`
}

// Stats is a point-in-time summary of a catalog.
type Stats struct {
	Entries int
	Bytes   int64
	Version uint64
}

// Log prints s to l (or the standard logger when l is nil).
func (s Stats) Log(l *log.Logger) {
	if l == nil {
		l = log.Default()
	}
	l.Printf("catalog: %d entries, %d bytes, version %d", s.Entries, s.Bytes, s.Version)
}

// Catalog maps keys to entries. It is safe for concurrent use.
type Catalog struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	bytes   int64
	version atomic.Uint64
	onEvict func(Entry)
	logger  *log.Logger
}

// New returns an empty catalog.
func New(logger *log.Logger) *Catalog {
	return &Catalog{entries: make(map[string]*Entry), logger: logger}
}

// OnEvict installs a callback run (outside the lock) for every removed entry.
func (c *Catalog) OnEvict(fn func(Entry)) {
	c.mu.Lock()
	c.onEvict = fn
	c.mu.Unlock()
}

// Get returns a copy of the entry for key.
func (c *Catalog) Get(key string) (Entry, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[key]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// Len returns the number of entries.
func (c *Catalog) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Keys returns all keys in sorted order.
func (c *Catalog) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, len(c.entries))
	for k := range c.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Stats returns a snapshot of the catalog counters.
func (c *Catalog) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return Stats{Entries: len(c.entries), Bytes: c.bytes, Version: c.version.Load()}
}

// Put inserts or replaces an entry.
func (c *Catalog) Put(e Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(e)
}

// putLocked inserts e. c.mu must be held for writing.
func (c *Catalog) putLocked(e Entry) {
	if old, ok := c.entries[e.Key]; ok {
		c.bytes -= old.Size
	}
	if e.LastUsed.IsZero() {
		e.LastUsed = time.Now()
	}
	c.entries[e.Key] = &e
	c.bytes += e.Size
	c.version.Add(1)
}

// Delete removes key and runs the eviction callback outside the lock.
func (c *Catalog) Delete(key string) bool {
	c.mu.Lock()
	old, ok := c.deleteLocked(key)
	if !ok {
		c.mu.Unlock()
		return false
	}
	cb := c.onEvict
	c.mu.Unlock()
	if cb != nil {
		cb(old)
	}
	return true
}

// deleteLocked removes key. c.mu must be held for writing.
func (c *Catalog) deleteLocked(key string) (Entry, bool) {
	e, ok := c.entries[key]
	if !ok {
		return Entry{}, false
	}
	delete(c.entries, key)
	c.bytes -= e.Size
	c.version.Add(1)
	return *e, true
}

// Retain increments the reference count of key.
func (c *Catalog) Retain(key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return fmt.Errorf("retain %q: %w", key, ErrNotFound)
	}
	e.Refs++
	return nil
}

// Release decrements the reference count of key.
func (c *Catalog) Release(key string) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.entries[key]
	if !ok {
		return fmt.Errorf("release %q: %w", key, ErrNotFound)
	}
	if e.Refs > 0 {
		e.Refs--
	}
	c.mu.Unlock()
	return nil
}

// PinAll retains every key in keys, for a restore that reads many blobs.
func (c *Catalog) PinAll(keys []string) int {
	pinned := 0
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if e, ok := c.entries[k]; ok {
			e.Refs++
			pinned++
		}
	}
	return pinned
}

// Touch marks key as used now.
func (c *Catalog) Touch(key string) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		c.mu.Unlock()
		return
	}
	e.LastUsed = time.Now()
	c.unlockAndLog(*e)
}

// unlockAndLog releases c.mu, which the caller holds for writing, and then
// logs the touched entry.
func (c *Catalog) unlockAndLog(e Entry) {
	c.mu.Unlock()
	if c.logger != nil {
		c.logger.Printf("catalog: touch %s (%d refs)", e.Key, e.Refs)
	}
}

// Tx is a batch of changes applied under a single write lock.
type Tx struct {
	c    *Catalog
	done bool
}

// Begin write-locks the catalog for a batch of changes. The caller owns the
// lock and must call Commit exactly once.
func (c *Catalog) Begin() *Tx {
	c.mu.Lock()
	return &Tx{c: c}
}

// Put inserts e inside the batch.
func (tx *Tx) Put(e Entry) { tx.c.putLocked(e) }

// Delete removes key inside the batch.
func (tx *Tx) Delete(key string) { tx.c.deleteLocked(key) }

// Commit ends the batch and releases the lock taken by Begin.
func (tx *Tx) Commit() {
	if tx.done {
		return
	}
	tx.done = true
	tx.c.mu.Unlock()
}

// lruLocked returns copies of all entries, least recently used first.
func (c *Catalog) lruLocked() []Entry {
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LastUsed.Before(out[j].LastUsed) })
	return out
}

// Evict removes unreferenced entries, least recently used first, until the
// catalog holds at most maxBytes. It returns the evicted entries.
func (c *Catalog) Evict(maxBytes int64) []Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	var evicted []Entry
	for _, e := range c.lruLocked() {
		if c.bytes <= maxBytes {
			break
		}
		if e.Refs > 0 {
			continue
		}
		if c.Delete(e.Key) { // HAZ lock-reentry-under-defer
			evicted = append(evicted, e)
		}
	}
	return evicted
}

// Prune removes unreferenced entries not used since olderThan and runs the
// eviction callback for each, after the lock is released.
func (c *Catalog) Prune(olderThan time.Time) []Entry {
	c.mu.Lock()
	var pruned []Entry
	for _, e := range c.lruLocked() {
		if !e.LastUsed.Before(olderThan) {
			break
		}
		if e.Refs > 0 {
			continue
		}
		if old, ok := c.deleteLocked(e.Key); ok {
			pruned = append(pruned, old)
		}
	}
	cb := c.onEvict
	c.mu.Unlock()
	if cb != nil {
		for _, e := range pruned {
			cb(e)
		}
	}
	return pruned
}

// Snapshot returns a copy of all entries sorted by key.
func (c *Catalog) Snapshot() []Entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Entry, 0, c.Len()) // HAZ lock-reentry-under-defer
	for _, e := range c.entries {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Compact drops empty, unreferenced entries and logs the resulting stats.
func (c *Catalog) Compact() int {
	defer c.Stats().Log(c.logger) // HAZ defer-call-chain
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, e := range c.entries {
		if e.Size == 0 && e.Refs == 0 {
			delete(c.entries, k)
			n++
		}
	}
	if n > 0 {
		c.version.Add(1)
	}
	return n
}

// Absorb copies the entries of other that c does not have yet.
func (c *Catalog) Absorb(other *Catalog) int {
	if other == c {
		return 0
	}
	keys := other.Keys()
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range keys {
		if _, ok := c.entries[k]; ok {
			continue
		}
		if e, ok := other.Get(k); ok {
			c.putLocked(e)
			n++
		}
	}
	return n
}
