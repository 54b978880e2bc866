package cache

import "sync"

type shard[K comparable, V any] struct {
	mu   sync.Mutex
	m    map[K]V
	hits map[K]int
}

// Sharded is a map split over independently locked shards.
type Sharded[K comparable, V any] struct {
	shards []*shard[K, V]
	hash   func(K) uint64
}

// NewSharded returns a map with n shards.
func NewSharded[K comparable, V any](n int, hash func(K) uint64) *Sharded[K, V] {
	s := &Sharded[K, V]{hash: hash}
	for i := 0; i < n; i++ {
		s.shards = append(s.shards, &shard[K, V]{m: make(map[K]V), hits: make(map[K]int)})
	}
	return s
}

func (s *Sharded[K, V]) shardFor(k K) *shard[K, V] {
	return s.shards[s.hash(k)%uint64(len(s.shards))]
}

// Load returns the value for k and counts the hit.
func (s *Sharded[K, V]) Load(k K) (V, bool) {
	sh := s.shardFor(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	v, ok := sh.m[k]
	if ok {
		sh.hits[k]++
	}
	return v, ok
}

// Store sets k to v.
func (s *Sharded[K, V]) Store(k K, v V) {
	sh := s.shardFor(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.m[k] = v
	if _, ok := sh.hits[k]; !ok {
		sh.hits[k] = 0
	}
}

// EvictCold drops keys with fewer than minHits hits. A shard that holds a
// pinned key is left alone entirely.
func (s *Sharded[K, V]) EvictCold(minHits int, pinned func(K) bool) int {
	evicted := 0
shards:
	for _, sh := range s.shards {
		sh.mu.Lock() // HAZ lock-leaked-on-return
		for k := range sh.hits {
			if pinned(k) {
				continue shards
			}
		}
		for k, n := range sh.hits {
			if n < minHits {
				delete(sh.m, k)
				delete(sh.hits, k)
				evicted++
			}
		}
		sh.mu.Unlock()
	}
	return evicted
}

// ResetHits zeroes hit counters, skipping shards that hold a pinned key.
func (s *Sharded[K, V]) ResetHits(pinned func(K) bool) {
shards:
	for _, sh := range s.shards {
		sh.mu.Lock()
		for k := range sh.hits {
			if pinned(k) {
				sh.mu.Unlock()
				continue shards
			}
		}
		for k := range sh.hits {
			sh.hits[k] = 0
		}
		sh.mu.Unlock()
	}
}

// Snapshot copies every shard, holding one shard lock at a time.
func (s *Sharded[K, V]) Snapshot() map[K]V {
	out := make(map[K]V)
	for _, sh := range s.shards {
		func() {
			sh.mu.Lock()
			defer sh.mu.Unlock()
			for k, v := range sh.m {
				out[k] = v
			}
		}()
	}
	return out
}
