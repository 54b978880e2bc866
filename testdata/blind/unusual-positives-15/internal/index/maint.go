package index

import (
	"log"
	"sort"
	"time"
)

// Evict drops the documents that expire soonest until the index fits in
// maxBytes, and returns how many were dropped.
func (ix *Index) Evict(maxBytes int64) int {
	ix.inner.mu.Lock()
	defer ix.inner.mu.Unlock()
	victims := ix.victims(maxBytes) // HAZ lock-reentry-under-defer
	for _, k := range victims {
		d := ix.inner.docs[k]
		delete(ix.inner.docs, k)
		ix.inner.bytes -= d.Size
	}
	return len(victims)
}

// victims picks eviction candidates, soonest-expiring first.
func (ix *Index) victims(maxBytes int64) []string {
	over := ix.Bytes() - maxBytes
	if over <= 0 {
		return nil
	}
	docs := make([]Doc, 0, len(ix.inner.docs))
	for _, d := range ix.inner.docs {
		docs = append(docs, d)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Expires.Before(docs[j].Expires) })
	var keys []string
	for _, d := range docs {
		if over <= 0 {
			break
		}
		keys = append(keys, d.Key)
		over -= d.Size
	}
	return keys
}

// ResetCounters logs the current statistics and zeroes the hit counters.
func (ix *Index) ResetCounters(lg *log.Logger) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	lg.Printf("index %s: resetting counters: %+v", ix.name, ix.Stats()) // HAZ lock-reentry-under-defer
	ix.hits, ix.misses = 0, 0
}

// ResetCountersAfter is ResetCounters with the statistics taken before the
// counters' mutex is locked.
func (ix *Index) ResetCountersAfter(lg *log.Logger) {
	st := ix.Stats()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	lg.Printf("index %s: resetting counters: %+v", ix.name, st)
	ix.hits, ix.misses = 0, 0
}

// Expire sets the expiry of each group of keys; a group with an unknown
// key is skipped from that key on.
func (ix *Index) Expire(groups [][]string, at time.Time) int {
	n := 0
nextGroup:
	for _, keys := range groups {
		ix.inner.mu.Lock() // HAZ lock-leaked-on-return
		for _, k := range keys {
			d, ok := ix.inner.docs[k]
			if !ok {
				continue nextGroup
			}
			d.Expires = at
			ix.inner.docs[k] = d
			n++
		}
		ix.inner.mu.Unlock()
	}
	return n
}

// ExpireGroups is Expire with the unlock done before leaving the group.
func (ix *Index) ExpireGroups(groups [][]string, at time.Time) int {
	n := 0
nextGroup:
	for _, keys := range groups {
		ix.inner.mu.Lock()
		for _, k := range keys {
			d, ok := ix.inner.docs[k]
			if !ok {
				ix.inner.mu.Unlock()
				continue nextGroup
			}
			d.Expires = at
			ix.inner.docs[k] = d
			n++
		}
		ix.inner.mu.Unlock()
	}
	return n
}

// lockAll takes the shard lock and then the counters' lock and returns the
// func that releases both.
func (ix *Index) lockAll() func() {
	ix.inner.mu.Lock()
	ix.mu.Lock()
	return func() {
		ix.mu.Unlock()
		ix.inner.mu.Unlock()
	}
}

// Restore replaces the whole content of the index and resets its counters.
func (ix *Index) Restore(docs []Doc) {
	defer ix.lockAll() // HAZ defer-func-result-not-called
	ix.inner.docs = make(map[string]Doc, len(docs))
	ix.inner.bytes = 0
	for _, d := range docs {
		ix.inner.docs[d.Key] = d
		ix.inner.bytes += d.Size
	}
	ix.hits, ix.misses = 0, 0
}

// Replace is Restore with the returned release func called at exit.
func (ix *Index) Replace(docs []Doc) {
	defer ix.lockAll()()
	ix.inner.docs = make(map[string]Doc, len(docs))
	ix.inner.bytes = 0
	for _, d := range docs {
		ix.inner.docs[d.Key] = d
		ix.inner.bytes += d.Size
	}
	ix.hits, ix.misses = 0, 0
}

// Retag replaces the tags of key.
func (ix *Index) Retag(key string, tags ...string) error {
	ix.inner.mu.Lock()
	defer ix.inner.mu.RUnlock() // HAZ defer-lock-mismatch
	d, ok := ix.inner.docs[key]
	if !ok {
		return ErrNotFound
	}
	d.Tags = append([]string(nil), tags...)
	ix.inner.docs[key] = d
	return nil
}
