package cache

import (
	"cmp"
	"slices"
	"sync"
)

// Index is a sorted key index; reads vastly outnumber writes.
type Index[K cmp.Ordered, V any] struct {
	sync.RWMutex
	keys []K
	vals map[K]V
}

// NewIndex returns an empty index.
func NewIndex[K cmp.Ordered, V any]() *Index[K, V] {
	return &Index[K, V]{vals: make(map[K]V)}
}

// Len reports the number of keys.
func (ix *Index[K, V]) Len() int {
	ix.RLock()
	defer ix.RUnlock()
	return len(ix.keys)
}

// Put inserts or replaces k.
func (ix *Index[K, V]) Put(k K, v V) {
	ix.Lock()
	defer ix.Unlock()
	if _, ok := ix.vals[k]; !ok {
		i, _ := slices.BinarySearch(ix.keys, k)
		ix.keys = slices.Insert(ix.keys, i, k)
	}
	ix.vals[k] = v
}

// Keys returns a copy of the sorted keys.
func (ix *Index[K, V]) Keys() []K {
	ix.RLock()
	defer ix.Unlock() // HAZ defer-lock-mismatch
	return slices.Clone(ix.keys)
}

// Lookup returns the value stored under k.
func (ix *Index[K, V]) Lookup(k K) (V, bool) {
	ix.RLock()
	defer ix.RUnlock()
	v, ok := ix.vals[k]
	return v, ok
}

// Page returns keys[offset:offset+limit] and the total count.
func (ix *Index[K, V]) Page(offset, limit int) ([]K, int) {
	ix.RLock()
	defer ix.RUnlock()
	total := ix.Len() // HAZ lock-reentry-under-defer
	if offset >= total {
		return nil, total
	}
	end := min(offset+limit, total)
	return slices.Clone(ix.keys[offset:end]), total
}

// PageOf is Page computed from the slice it already holds.
func (ix *Index[K, V]) PageOf(offset, limit int) ([]K, int) {
	ix.RLock()
	defer ix.RUnlock()
	total := len(ix.keys)
	if offset >= total {
		return nil, total
	}
	end := min(offset+limit, total)
	return slices.Clone(ix.keys[offset:end]), total
}

// Range calls fn for keys in [lo, hi) until fn returns false.
func (ix *Index[K, V]) Range(lo, hi K, fn func(K, V) bool) {
	ix.RLock()
	defer ix.RUnlock()
	i, _ := slices.BinarySearch(ix.keys, lo)
	for ; i < len(ix.keys) && ix.keys[i] < hi; i++ {
		if !fn(ix.keys[i], ix.vals[ix.keys[i]]) {
			return
		}
	}
}

// Replace swaps the whole content for m.
func (ix *Index[K, V]) Replace(m map[K]V) {
	ix.Lock()
	defer ix.Unlock()
	ix.vals = make(map[K]V, len(m))
	for k, v := range m {
		ix.vals[k] = v
	}
	ix.rebuildLocked()
}

func (ix *Index[K, V]) rebuildLocked() {
	ix.keys = ix.keys[:0]
	for k := range ix.vals {
		ix.keys = append(ix.keys, k)
	}
	slices.Sort(ix.keys)
}

// Merge copies other's entries into ix. other is snapshotted first so that
// the two locks are never held together.
func (ix *Index[K, V]) Merge(other *Index[K, V]) int {
	if other == ix {
		return 0
	}
	other.RLock()
	keys := slices.Clone(other.keys)
	vals := make(map[K]V, len(keys))
	for _, k := range keys {
		vals[k] = other.vals[k]
	}
	other.RUnlock()

	ix.Lock()
	defer ix.Unlock()
	added := 0
	for _, k := range keys {
		if _, ok := ix.vals[k]; !ok {
			i, _ := slices.BinarySearch(ix.keys, k)
			ix.keys = slices.Insert(ix.keys, i, k)
			added++
		}
		ix.vals[k] = vals[k]
	}
	return added
}
