package cache

import (
	"hash/maphash"
	"sync"
)

type shard[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

// Sharded is a string-keyed map split over independently locked shards.
type Sharded[V any] struct {
	seed   maphash.Seed
	shards []*shard[V]
}

// NewSharded returns a map with n shards.
func NewSharded[V any](n int) *Sharded[V] {
	if n < 1 {
		n = 16
	}
	s := &Sharded[V]{seed: maphash.MakeSeed(), shards: make([]*shard[V], n)}
	for i := range s.shards {
		s.shards[i] = &shard[V]{m: map[string]V{}}
	}
	return s
}

func (s *Sharded[V]) shardFor(key string) *shard[V] {
	return s.shards[maphash.String(s.seed, key)%uint64(len(s.shards))]
}

// Load returns the value for key.
func (s *Sharded[V]) Load(key string) (V, bool) {
	sh := s.shardFor(key)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	v, ok := sh.m[key]
	return v, ok
}

// Store sets key.
func (s *Sharded[V]) Store(key string, v V) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	sh.m[key] = v
	sh.mu.Unlock()
}

// Update applies fn to the current value under the shard's lock.
func (s *Sharded[V]) Update(key string, fn func(old V, ok bool) V) V {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	old, ok := sh.m[key]
	nv := fn(old, ok)
	sh.m[key] = nv
	return nv
}

// Delete removes key.
func (s *Sharded[V]) Delete(key string) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	delete(sh.m, key)
	sh.mu.Unlock()
}

// Len sums the shard sizes; each shard is unlocked before the next is
// locked, with no defer in the loop.
func (s *Sharded[V]) Len() int {
	n := 0
	for _, sh := range s.shards {
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

// Range calls fn for every entry on a per-shard copy, so fn may modify the
// map. Each shard is copied inside a function literal whose deferred
// unlock runs before the next shard.
func (s *Sharded[V]) Range(fn func(key string, v V) bool) {
	for _, sh := range s.shards {
		var keys []string
		var vals []V
		func() {
			sh.mu.RLock()
			defer sh.mu.RUnlock()
			for k, v := range sh.m {
				keys = append(keys, k)
				vals = append(vals, v)
			}
		}()
		for i := range keys {
			if !fn(keys[i], vals[i]) {
				return
			}
		}
	}
}
