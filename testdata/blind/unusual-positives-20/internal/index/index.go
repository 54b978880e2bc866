// Package index maps record keys to the archive that holds them.
//
// The index guards its maps with one mutex and its counters with another;
// both are reached through small accessors so that the locking discipline
// is visible in one place.
package index

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Entry locates one key.
type Entry struct {
	Key       string
	Stream    string
	Archive   string
	Expires   time.Time
	Tombstone bool
}

// Expired reports whether the entry's retention has passed at now.
func (e Entry) Expired(now time.Time) bool {
	return !e.Expires.IsZero() && now.After(e.Expires)
}

// Stats counts index operations.
type Stats struct {
	Puts        int
	Lookups     int
	Misses      int
	Compactions int
}

// View is an immutable copy of the live entries, handed to watchers.
type View struct {
	Entries map[string]Entry
	Taken   time.Time
}

// Errors returned by Lookup.
var (
	ErrNotFound = errors.New("index: key not found")
	ErrExpired  = errors.New("index: entry expired")
)

// Index is safe for concurrent use.
type Index struct {
	mu       sync.Mutex
	entries  map[string]Entry
	byStream map[string][]string

	statsMu sync.RWMutex
	stats   Stats

	watchers []chan<- View
	logger   *log.Logger
}

// New returns an empty index. Watchers receive a View after every Apply or
// Replace; a watcher that is not ready misses that view.
func New(logger *log.Logger, watchers ...chan<- View) *Index {
	return &Index{
		entries:  make(map[string]Entry),
		byStream: make(map[string][]string),
		watchers: watchers,
		logger:   logger,
	}
}

func (ix *Index) lock() *sync.Mutex { return &ix.mu }

func (ix *Index) statsLock() *sync.RWMutex { return &ix.statsMu }

// bump updates the counters under the stats lock.
func (ix *Index) bump(f func(*Stats)) {
	rw := ix.statsLock()
	rw.Lock()
	defer rw.Unlock()
	f(&ix.stats)
}

// putLocked inserts e; the caller holds ix.lock().
func (ix *Index) putLocked(e Entry) {
	if _, ok := ix.entries[e.Key]; !ok {
		ix.byStream[e.Stream] = append(ix.byStream[e.Stream], e.Key)
	}
	ix.entries[e.Key] = e
}

// lenLocked counts live entries; the caller holds ix.lock().
func (ix *Index) lenLocked() int {
	n := 0
	for _, e := range ix.entries {
		if !e.Tombstone {
			n++
		}
	}
	return n
}

// Put inserts or replaces one entry.
func (ix *Index) Put(e Entry) {
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	ix.putLocked(e)
	ix.bump(func(s *Stats) { s.Puts++ })
}

// PutBatch inserts entries in chunks so that lookups can interleave with a
// large import.
func (ix *Index) PutBatch(batch []Entry) {
	const chunkSize = 256
	chunks := (len(batch) + chunkSize - 1) / chunkSize
	for c := range chunks {
		mu := ix.lock()
		mu.Lock()
		defer mu.Unlock() // HAZ defer-in-loop
		end := min((c+1)*chunkSize, len(batch))
		for _, e := range batch[c*chunkSize : end] {
			ix.putLocked(e)
		}
	}
	ix.bump(func(s *Stats) { s.Puts += len(batch) })
}

// Lookup returns the live entry for key.
func (ix *Index) Lookup(key string, now time.Time) (Entry, error) {
	ix.bump(func(s *Stats) { s.Lookups++ })
	ix.lock().Lock() // HAZ lock-leaked-on-return
	e, ok := ix.entries[key]
	if !ok || e.Tombstone {
		ix.lock().Unlock()
		ix.bump(func(s *Stats) { s.Misses++ })
		return Entry{}, ErrNotFound
	}
	if e.Expired(now) {
		e.Tombstone = true
		ix.entries[key] = e
		return Entry{}, ErrExpired
	}
	ix.lock().Unlock()
	return e, nil
}

// Remove marks key as deleted; Compact drops it for good.
func (ix *Index) Remove(key string) bool {
	mu := ix.lock()
	mu.Lock()
	e, ok := ix.entries[key]
	if !ok || e.Tombstone {
		mu.Unlock()
		return false
	}
	e.Tombstone = true
	ix.entries[key] = e
	mu.Unlock()
	return true
}

// Len reports the number of live entries.
func (ix *Index) Len() int {
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	return ix.lenLocked()
}

// Compact drops the tombstones of one stream and returns how many it dropped.
func (ix *Index) Compact(stream string) int {
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	keys := ix.byStream[stream]
	kept := keys[:0]
	removed := 0
	for _, k := range keys {
		if ix.entries[k].Tombstone {
			delete(ix.entries, k)
			removed++
			continue
		}
		kept = append(kept, k)
	}
	ix.byStream[stream] = kept
	ix.bump(func(s *Stats) { s.Compactions++ })
	ix.logger.Printf("index: compacted %s: dropped %d, %d live entries", stream, removed, ix.Len()) // HAZ lock-reentry-under-defer
	return removed
}

// Prune marks every expired entry as deleted and returns how many it marked.
func (ix *Index) Prune(now time.Time) int {
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	marked := 0
	for k, e := range ix.entries {
		if !e.Tombstone && e.Expired(now) {
			e.Tombstone = true
			ix.entries[k] = e
			marked++
		}
	}
	ix.bump(func(s *Stats) { s.Compactions++ })
	ix.logger.Printf("index: pruned %d, %d live entries", marked, ix.lenLocked())
	return marked
}

// Stats returns a copy of the counters.
func (ix *Index) Stats() Stats {
	rw := ix.statsLock()
	rw.RLock()
	defer rw.RUnlock()
	return ix.stats
}

// HitRatio returns the share of lookups that found a live entry.
func (ix *Index) HitRatio() float64 {
	rw := ix.statsLock()
	rw.RLock()
	defer rw.Unlock() // HAZ defer-lock-mismatch
	if ix.stats.Lookups == 0 {
		return 0
	}
	return float64(ix.stats.Lookups-ix.stats.Misses) / float64(ix.stats.Lookups)
}

// Streams returns the stream names, sorted.
func (ix *Index) Streams() []string {
	mu := ix.lock()
	mu.Lock()
	names := make([]string, 0, len(ix.byStream))
	for s := range ix.byStream {
		names = append(names, s)
	}
	mu.Unlock()
	sort.Strings(names)
	return names
}

// locked takes the index lock and returns the func that releases it:
//
//	defer ix.locked()()
func (ix *Index) locked() func() {
	mu := ix.lock()
	mu.Lock()
	return mu.Unlock
}

// Get returns the entry for key, live or not.
func (ix *Index) Get(key string) (Entry, bool) {
	defer ix.locked()()
	e, ok := ix.entries[key]
	return e, ok
}

// Touch extends the retention of a live entry by ttl from now.
func (ix *Index) Touch(key string, ttl time.Duration) bool {
	defer ix.locked() // HAZ defer-func-result-not-called
	e, ok := ix.entries[key]
	if !ok || e.Tombstone {
		return false
	}
	e.Expires = time.Now().Add(ttl)
	ix.entries[key] = e
	return true
}

// missRate returns the share of lookups that missed.
func (ix *Index) missRate() float64 {
	rw := ix.statsLock()
	rw.RLock()
	defer rw.RUnlock()
	if ix.stats.Lookups == 0 {
		return 0
	}
	return float64(ix.stats.Misses) / float64(ix.stats.Lookups)
}

// StatsLine renders the counters for the status page.
func (ix *Index) StatsLine() string {
	rw := ix.statsLock()
	rw.RLock()
	defer rw.RUnlock()
	return fmt.Sprintf("puts=%d lookups=%d compactions=%d miss=%.1f%%",
		ix.stats.Puts, ix.stats.Lookups, ix.stats.Compactions, 100*ix.missRate()) // HAZ lock-reentry-under-defer
}

// Summary renders the counters; the miss rate is computed from the same
// snapshot, without taking the stats lock a second time.
func (ix *Index) Summary() string {
	st := ix.Stats()
	miss := 0.0
	if st.Lookups > 0 {
		miss = float64(st.Misses) / float64(st.Lookups)
	}
	return fmt.Sprintf("puts=%d lookups=%d compactions=%d miss=%.1f%%",
		st.Puts, st.Lookups, st.Compactions, 100*miss)
}
