package cache

import (
	"cmp"
	"slices"
	"sync"
)

// Index is a sorted set of keys with positions, rebuilt lazily. The mutex is
// embedded, so Lock and Unlock are promoted onto *Index.
type Index[K cmp.Ordered] struct {
	sync.Mutex
	keys  []K
	pos   map[K]int
	dirty bool
}

// NewIndex returns an empty index.
func NewIndex[K cmp.Ordered]() *Index[K] {
	return &Index[K]{pos: make(map[K]int)}
}

// Add inserts k; the index is re-sorted on the next read.
func (ix *Index[K]) Add(keys ...K) {
	ix.Lock()
	defer ix.Unlock()
	ix.keys = append(ix.keys, keys...)
	ix.dirty = true
}

// Rebuild sorts and de-duplicates the keys now.
func (ix *Index[K]) Rebuild() {
	ix.Lock()
	defer ix.Unlock()
	ix.rebuildLocked()
}

func (ix *Index[K]) rebuildLocked() {
	slices.Sort(ix.keys)
	ix.keys = slices.Compact(ix.keys)
	clear(ix.pos)
	for i, k := range ix.keys {
		ix.pos[k] = i
	}
	ix.dirty = false
}

// Search returns the rank of k.
func (ix *Index[K]) Search(k K) (int, bool) {
	ix.Lock()
	defer ix.Unlock()
	if ix.dirty {
		ix.Rebuild() // HAZ lock-reentry-under-defer
	}
	i, ok := ix.pos[k]
	return i, ok
}

// Keys returns the sorted keys.
func (ix *Index[K]) Keys() []K {
	ix.Lock()
	defer ix.Unlock()
	if ix.dirty {
		ix.rebuildLocked()
	}
	return slices.Clone(ix.keys)
}

// Range returns the keys in [lo, hi).
func (ix *Index[K]) Range(lo, hi K) []K {
	keys := ix.Keys()
	i, _ := slices.BinarySearch(keys, lo)
	j, _ := slices.BinarySearch(keys, hi)
	if i >= j {
		return nil
	}
	return keys[i:j]
}
