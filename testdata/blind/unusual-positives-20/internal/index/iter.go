//go:build go1.23

package index

import (
	"iter"
	"sort"
)

// All yields the live entries in key order. The index lock is held for the
// whole iteration, so the loop body must not call back into the index.
func (ix *Index) All() iter.Seq2[string, Entry] {
	return func(yield func(string, Entry) bool) {
		mu := ix.lock()
		mu.Lock()
		defer mu.Unlock()
		keys := make([]string, 0, len(ix.entries))
		for k, e := range ix.entries {
			if !e.Tombstone {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !yield(k, ix.entries[k]) {
				return
			}
		}
	}
}

// Import adds the entries of seq one at a time, so that lookups are not
// starved by a long import.
func (ix *Index) Import(seq iter.Seq[Entry]) int {
	n := 0
	for e := range seq {
		mu := ix.lock()
		mu.Lock()
		defer mu.Unlock() // HAZ defer-in-loop
		ix.putLocked(e)
		n++
	}
	ix.bump(func(s *Stats) { s.Puts += n })
	return n
}

// ImportAll collects seq first and then adds it under one lock.
func (ix *Index) ImportAll(seq iter.Seq[Entry]) int {
	var batch []Entry
	for e := range seq {
		batch = append(batch, e)
	}
	mu := ix.lock()
	mu.Lock()
	defer mu.Unlock()
	for _, e := range batch {
		ix.putLocked(e)
	}
	ix.bump(func(s *Stats) { s.Puts += len(batch) })
	return len(batch)
}
