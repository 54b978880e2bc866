// Package index is the in-memory document index of the sync daemon. The
// documents live in a shard reached through a pointer field (ix.inner), and
// hit/miss counters come from an embedded *counters, so ix.mu is the
// counters' mutex and ix.inner.mu is the shard's.
package index

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned for unknown keys.
var ErrNotFound = errors.New("index: not found")

// Doc describes one stored blob.
type Doc struct {
	Key     string
	Size    int64
	Tags    []string
	Expires time.Time
}

type shard struct {
	mu    sync.RWMutex
	docs  map[string]Doc
	bytes int64
}

type counters struct {
	mu     sync.Mutex
	hits   int64
	misses int64
}

// Index maps keys to documents.
type Index struct {
	name  string
	inner *shard
	*counters
}

// New returns an empty index.
func New(name string) *Index {
	return &Index{
		name:     name,
		inner:    &shard{docs: make(map[string]Doc)},
		counters: &counters{},
	}
}

// Get looks key up. The shard's read lock is held while the hit is counted
// under the counters' mutex, a different lock.
func (ix *Index) Get(key string) (Doc, bool) {
	ix.inner.mu.RLock()
	defer ix.inner.mu.RUnlock()
	d, ok := ix.inner.docs[key]
	ix.record(ok)
	return d, ok
}

func (ix *Index) record(hit bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if hit {
		ix.hits++
	} else {
		ix.misses++
	}
}

// Put inserts or replaces d.
func (ix *Index) Put(d Doc) {
	ix.inner.mu.Lock()
	defer ix.inner.mu.Unlock()
	if old, ok := ix.inner.docs[d.Key]; ok {
		ix.inner.bytes -= old.Size
	}
	ix.inner.docs[d.Key] = d
	ix.inner.bytes += d.Size
}

// Delete removes key if present.
func (ix *Index) Delete(key string) {
	ix.inner.mu.Lock()
	defer ix.inner.mu.Unlock()
	if d, ok := ix.inner.docs[key]; ok {
		ix.inner.bytes -= d.Size
		delete(ix.inner.docs, key)
	}
}

// Len returns the number of documents.
func (ix *Index) Len() int {
	ix.inner.mu.RLock()
	defer ix.inner.mu.RUnlock()
	return len(ix.inner.docs)
}

// Bytes returns the total size of all documents.
func (ix *Index) Bytes() int64 {
	ix.inner.mu.RLock()
	defer ix.inner.mu.RUnlock()
	return ix.inner.bytes
}

// Sizes returns Len and Bytes under one read lock, reading the fields
// directly.
func (ix *Index) Sizes() (docs int, bytes int64) {
	ix.inner.mu.RLock()
	defer ix.inner.mu.RUnlock()
	return len(ix.inner.docs), ix.inner.bytes
}

// Snapshot returns every document, sorted by key.
func (ix *Index) Snapshot() []Doc {
	ix.inner.mu.RLock()
	defer ix.inner.mu.RUnlock()
	out := make([]Doc, 0, ix.Len()) // HAZ lock-reentry-under-defer
	for _, d := range ix.inner.docs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Keys returns the keys with the given prefix.
func (ix *Index) Keys(prefix string) []string {
	ix.inner.mu.RLock()
	defer ix.inner.mu.Unlock() // HAZ defer-lock-mismatch
	var keys []string
	for k := range ix.inner.docs {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Policy selects what Compact removes.
type Policy int

// Compaction policies.
const (
	PolicyNone Policy = iota
	PolicyExpired
	PolicyAll
)

// Compact removes documents according to policy and returns how many were
// removed.
func (ix *Index) Compact(policy Policy, now time.Time) (int, error) {
	ix.inner.mu.Lock() // HAZ lock-leaked-on-return
	switch policy {
	case PolicyNone:
		return 0, nil
	case PolicyExpired, PolicyAll:
	default:
		ix.inner.mu.Unlock()
		return 0, fmt.Errorf("index: unknown policy %d", policy)
	}
	n := 0
	for k, d := range ix.inner.docs {
		if policy == PolicyAll || (!d.Expires.IsZero() && d.Expires.Before(now)) {
			delete(ix.inner.docs, k)
			ix.inner.bytes -= d.Size
			n++
		}
	}
	ix.inner.mu.Unlock()
	return n, nil
}

// Rename moves the document at from to to. Every path unlocks explicitly.
func (ix *Index) Rename(from, to string) error {
	ix.inner.mu.Lock()
	d, ok := ix.inner.docs[from]
	if !ok {
		ix.inner.mu.Unlock()
		return ErrNotFound
	}
	if _, taken := ix.inner.docs[to]; taken {
		ix.inner.mu.Unlock()
		return fmt.Errorf("index: %s already exists", to)
	}
	delete(ix.inner.docs, from)
	d.Key = to
	ix.inner.docs[to] = d
	ix.inner.mu.Unlock()
	return nil
}

// Merge applies batches of documents. A batch containing a document without
// a key is abandoned at that point.
func (ix *Index) Merge(batches [][]Doc) int {
	n := 0
nextBatch:
	for _, b := range batches {
		if len(b) == 0 {
			continue nextBatch
		}
		ix.inner.mu.Lock()
		defer ix.inner.mu.Unlock() // HAZ defer-in-loop
		for _, d := range b {
			if d.Key == "" {
				continue nextBatch
			}
			ix.inner.docs[d.Key] = d
			ix.inner.bytes += d.Size
			n++
		}
	}
	return n
}

// MergeEach is Merge with the lock scoped to one batch by a function
// literal, so readers can interleave between batches.
func (ix *Index) MergeEach(batches [][]Doc) int {
	n := 0
	for _, b := range batches {
		n += func() int {
			ix.inner.mu.Lock()
			defer ix.inner.mu.Unlock()
			applied := 0
			for _, d := range b {
				if d.Key == "" {
					return applied
				}
				if old, ok := ix.inner.docs[d.Key]; ok {
					ix.inner.bytes -= old.Size
				}
				ix.inner.docs[d.Key] = d
				ix.inner.bytes += d.Size
				applied++
			}
			return applied
		}()
	}
	return n
}

// Stats is a point-in-time summary of the index.
type Stats struct {
	Name   string
	Docs   int
	Bytes  int64
	Hits   int64
	Misses int64
}

// Stats reads the shard sizes first, then takes the counters' mutex: the
// two locks are never held together in this order.
func (ix *Index) Stats() Stats {
	docs, bytes := ix.Sizes()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return Stats{Name: ix.name, Docs: docs, Bytes: bytes, Hits: ix.hits, Misses: ix.misses}
}
