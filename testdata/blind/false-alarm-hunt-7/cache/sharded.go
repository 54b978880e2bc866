package cache

import (
	"hash/maphash"
	"sort"
	"sync"
)

type shard[V any] struct {
	mu    sync.RWMutex
	items map[string]V
}

// Sharded is a string-keyed map split over independently locked shards to
// reduce contention.
type Sharded[V any] struct {
	seed   maphash.Seed
	shards []*shard[V]
}

// NewSharded returns a map with n shards (rounded up to at least 1).
func NewSharded[V any](n int) *Sharded[V] {
	if n < 1 {
		n = 1
	}
	s := &Sharded[V]{seed: maphash.MakeSeed(), shards: make([]*shard[V], n)}
	for i := range s.shards {
		s.shards[i] = &shard[V]{items: make(map[string]V)}
	}
	return s
}

func (s *Sharded[V]) shardFor(key string) *shard[V] {
	h := maphash.String(s.seed, key)
	return s.shards[h%uint64(len(s.shards))]
}

// Load returns the value stored under key.
func (s *Sharded[V]) Load(key string) (V, bool) {
	sh := s.shardFor(key)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	v, ok := sh.items[key]
	return v, ok
}

// Store sets key to v.
func (s *Sharded[V]) Store(key string, v V) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.items[key] = v
}

// LoadOrStore returns the existing value for key or stores v.
func (s *Sharded[V]) LoadOrStore(key string, v V) (actual V, loaded bool) {
	sh := s.shardFor(key)
	sh.mu.RLock()
	if cur, ok := sh.items[key]; ok {
		sh.mu.RUnlock()
		return cur, true
	}
	sh.mu.RUnlock()

	sh.mu.Lock()
	defer sh.mu.Unlock()
	if cur, ok := sh.items[key]; ok {
		return cur, true
	}
	sh.items[key] = v
	return v, false
}

// Delete removes key.
func (s *Sharded[V]) Delete(key string) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	delete(sh.items, key)
	sh.mu.Unlock()
}

// Update applies fn to the current value of key under the shard lock.
// fn must not call back into s.
func (s *Sharded[V]) Update(key string, fn func(old V, ok bool) V) V {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	old, ok := sh.items[key]
	nv := fn(old, ok)
	sh.items[key] = nv
	return nv
}

// Len returns the total number of entries.
func (s *Sharded[V]) Len() int {
	n := 0
	for _, sh := range s.shards {
		n += sh.len()
	}
	return n
}

func (sh *shard[V]) len() int {
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return len(sh.items)
}

// snapshot copies the shard so callbacks can run without its lock.
func (sh *shard[V]) snapshot() map[string]V {
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	out := make(map[string]V, len(sh.items))
	for k, v := range sh.items {
		out[k] = v
	}
	return out
}

// Range calls fn for every entry until fn returns false. fn runs without
// any shard lock held, so it may call Store or Delete.
func (s *Sharded[V]) Range(fn func(key string, v V) bool) {
	for _, sh := range s.shards {
		for k, v := range sh.snapshot() {
			if !fn(k, v) {
				return
			}
		}
	}
}

// Keys returns all keys in sorted order.
func (s *Sharded[V]) Keys() []string {
	var keys []string
	for _, sh := range s.shards {
		for k := range sh.snapshot() {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Clear empties every shard. Each shard lock is taken and released inside
// its own function literal, so no lock is held across iterations.
func (s *Sharded[V]) Clear() {
	for _, sh := range s.shards {
		func() {
			sh.mu.Lock()
			defer sh.mu.Unlock()
			clear(sh.items)
		}()
	}
}

// DeleteFunc removes every entry for which pred returns true and returns
// how many were removed.
func (s *Sharded[V]) DeleteFunc(pred func(key string, v V) bool) int {
	removed := 0
	for _, sh := range s.shards {
		removed += sh.deleteFunc(pred)
	}
	return removed
}

func (sh *shard[V]) deleteFunc(pred func(string, V) bool) int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	n := 0
	for k, v := range sh.items {
		if pred(k, v) {
			delete(sh.items, k)
			n++
		}
	}
	return n
}
