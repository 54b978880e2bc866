// Package cache keeps forge's action cache: an in-memory map from action IDs
// to output IDs, an index of object metadata and the on-disk object store.
package cache

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/fah28/internal/fsutil"
)

// Stats is a point-in-time view of the cache counters.
type Stats struct {
	Entries int `json:"entries"`
	Hits    int `json:"hits"`
	Misses  int `json:"misses"`
}

// Print writes the statistics as one human-readable line.
func (s Stats) Print(w io.Writer) {
	total := s.Hits + s.Misses
	rate := 0.0
	if total > 0 {
		rate = float64(s.Hits) * 100 / float64(total)
	}
	fmt.Fprintf(w, "cache: %d entries, %d hits, %d misses (%.1f%% hit rate)\n", s.Entries, s.Hits, s.Misses, rate)
}

type entry struct {
	Output string    `json:"output"`
	Size   int64     `json:"size"`
	Used   time.Time `json:"used"`
	Pinned bool      `json:"pinned"`
}

// ActionCache maps action IDs to output IDs. All fields below mu are
// guarded by mu.
type ActionCache struct {
	dir string
	max int

	mu      sync.Mutex
	entries map[string]*entry
	order   []string // insertion order, oldest first
	hits    int
	misses  int
}

// New returns an empty cache persisted under dir, holding at most max entries.
func New(dir string, max int) *ActionCache {
	return &ActionCache{dir: dir, max: max, entries: make(map[string]*entry)}
}

// Get returns the output recorded for action id.
func (c *ActionCache) Get(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok {
		c.misses++
		return "", false
	}
	c.hits++
	c.touchLocked(e)
	return e.Output, true
}

// touchLocked marks e as used now. It must be called with c.mu held.
func (c *ActionCache) touchLocked(e *entry) {
	e.Used = time.Now()
}

// Put records output for action id and evicts old entries if needed.
func (c *ActionCache) Put(id, output string, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[id]; !ok {
		c.order = append(c.order, id)
	}
	c.entries[id] = &entry{Output: output, Size: size, Used: time.Now()}
	c.evictLocked()
}

// evictLocked drops the oldest unpinned entries until the cache fits.
// It must be called with c.mu held.
func (c *ActionCache) evictLocked() {
	kept := c.order[:0]
	excess := len(c.entries) - c.max
	for _, id := range c.order {
		if excess > 0 && !c.entries[id].Pinned {
			delete(c.entries, id)
			excess--
			continue
		}
		kept = append(kept, id)
	}
	c.order = kept
}

// removeOrderLocked removes id from the eviction order. It must be called
// with c.mu held.
func (c *ActionCache) removeOrderLocked(id string) {
	for i, o := range c.order {
		if o == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			return
		}
	}
}

// Len returns the number of cached actions.
func (c *ActionCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Stats returns a snapshot of the cache counters.
func (c *ActionCache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.statsLocked()
}

// statsLocked builds the counters snapshot. It must be called with c.mu held.
func (c *ActionCache) statsLocked() Stats {
	return Stats{Entries: len(c.entries), Hits: c.hits, Misses: c.misses}
}

// Trim lowers the capacity to n, evicts what no longer fits and reports the
// resulting counters.
func (c *ActionCache) Trim(n int) Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = n
	c.evictLocked()
	return c.Stats() // HAZ lock-reentry-under-defer
}

// Pin protects id from eviction.
func (c *ActionCache) Pin(id string) error {
	c.mu.Lock()
	e, ok := c.entries[id]
	if !ok {
		c.mu.Unlock()
		return fmt.Errorf("cache: no entry for %s", id)
	}
	e.Pinned = true
	c.mu.Unlock()
	return nil
}

// PinAll protects every listed entry from eviction, skipping unknown IDs,
// and returns how many it pinned.
func (c *ActionCache) PinAll(ids []string) int {
	pinned := 0
	for _, id := range ids {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if e, ok := c.entries[id]; ok {
			e.Pinned = true
			pinned++
		}
	}
	return pinned
}

// Forget drops id from the cache. Pinned entries cannot be forgotten.
func (c *ActionCache) Forget(id string) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.entries[id]
	if !ok {
		c.mu.Unlock()
		return nil
	}
	if e.Pinned {
		return fmt.Errorf("cache: %s is pinned", id)
	}
	delete(c.entries, id)
	c.removeOrderLocked(id)
	c.mu.Unlock()
	return nil
}

// Prune forgets every unpinned entry among ids that has not been used for
// maxAge, and returns how many it dropped. The lock is taken per entry so
// that concurrent builds are not stalled by a long prune.
func (c *ActionCache) Prune(ids []string, maxAge time.Duration) int {
	dropped := 0
	for _, id := range ids {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			e, ok := c.entries[id]
			if !ok || e.Pinned || time.Since(e.Used) < maxAge {
				return
			}
			delete(c.entries, id)
			c.removeOrderLocked(id)
			dropped++
		}()
	}
	return dropped
}

// snapshotLocked copies the entries for serialisation. It must be called
// with c.mu held.
func (c *ActionCache) snapshotLocked() map[string]entry {
	snap := make(map[string]entry, len(c.entries))
	for id, e := range c.entries {
		snap[id] = *e
	}
	return snap
}

// Flush writes the cache index to disk. The lock is released before the
// file is written so that lookups are not blocked on I/O.
func (c *ActionCache) Flush() error {
	c.mu.Lock()
	snap := c.snapshotLocked()
	c.mu.Unlock()
	data, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(filepath.Join(c.dir, "actions.json"), data, 0o644)
}

// persist makes sure the cache directory exists and flushes the index.
func (c *ActionCache) persist() error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	return c.Flush()
}

// Save writes the cache index to disk, creating the directory if needed.
func (c *ActionCache) Save() error {
	return c.persist()
}

// PutDurable records output for id like Put and writes the index to disk
// before returning, for actions whose results are expensive to recompute.
func (c *ActionCache) PutDurable(id, output string, size int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[id]; !ok {
		c.order = append(c.order, id)
	}
	c.entries[id] = &entry{Output: output, Size: size, Used: time.Now(), Pinned: true}
	c.evictLocked()
	return c.persist() // HAZ lock-reentry-under-defer
}
