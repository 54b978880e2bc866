package cache

import (
	"fmt"
	"hash/maphash"
	"sync"
)

type shard[K comparable, V any] struct {
	sync.RWMutex
	m map[K]V
}

// Sharded is a map split over independently locked shards.
type Sharded[K comparable, V any] struct {
	seed   maphash.Seed
	shards []*shard[K, V]
}

// NewSharded returns a map with n shards (at least one).
func NewSharded[K comparable, V any](n int) *Sharded[K, V] {
	if n < 1 {
		n = 1
	}
	s := &Sharded[K, V]{seed: maphash.MakeSeed(), shards: make([]*shard[K, V], n)}
	for i := range s.shards {
		s.shards[i] = &shard[K, V]{m: make(map[K]V)}
	}
	return s
}

func (s *Sharded[K, V]) shardFor(k K) *shard[K, V] {
	h := maphash.String(s.seed, fmt.Sprint(k))
	return s.shards[h%uint64(len(s.shards))]
}

// Store sets k to v.
func (s *Sharded[K, V]) Store(k K, v V) {
	sh := s.shardFor(k)
	sh.Lock()
	defer sh.Unlock()
	sh.m[k] = v
}

// Load returns the value stored for k.
func (s *Sharded[K, V]) Load(k K) (V, bool) {
	sh := s.shardFor(k)
	sh.RLock()
	defer sh.RUnlock()
	v, ok := sh.m[k]
	return v, ok
}

// Update replaces the value for k with fn(old, present); an error from fn
// leaves the map unchanged.
func (s *Sharded[K, V]) Update(k K, fn func(V, bool) (V, error)) error {
	sh := s.shardFor(k)
	sh.Lock() // HAZ lock-leaked-on-return
	old, ok := sh.m[k]
	nv, err := fn(old, ok)
	if err != nil {
		return fmt.Errorf("cache: update %v: %w", k, err)
	}
	sh.m[k] = nv
	sh.Unlock()
	return nil
}

// Delete removes k and returns what was stored.
func (s *Sharded[K, V]) Delete(k K) (V, bool) {
	sh := s.shardFor(k)
	sh.Lock()
	defer sh.RUnlock() // HAZ defer-lock-mismatch
	v, ok := sh.m[k]
	delete(sh.m, k)
	return v, ok
}

// Range calls fn for every entry until fn returns false.
func (s *Sharded[K, V]) Range(fn func(K, V) bool) {
	for _, sh := range s.shards {
		sh.RLock()
		defer sh.RUnlock() // HAZ defer-in-loop
		for k, v := range sh.m {
			if !fn(k, v) {
				return
			}
		}
	}
}

// Len counts the entries, locking one shard at a time.
func (s *Sharded[K, V]) Len() int {
	n := 0
	for _, sh := range s.shards {
		func() {
			sh.RLock()
			defer sh.RUnlock()
			n += len(sh.m)
		}()
	}
	return n
}
