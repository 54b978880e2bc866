package cache

import (
	"fmt"
	"hash/maphash"
	"time"
)

// Sharded spreads keys over several independently locked caches.
type Sharded[K comparable, V any] struct {
	shards []*Cache[K, V]
	seed   maphash.Seed
}

// NewSharded returns a cache with n shards.
func NewSharded[K comparable, V any](n int, ttl time.Duration) *Sharded[K, V] {
	s := &Sharded[K, V]{shards: make([]*Cache[K, V], n), seed: maphash.MakeSeed()}
	for i := range n {
		s.shards[i] = New[K, V](ttl)
	}
	return s
}

func (s *Sharded[K, V]) shard(k K) *Cache[K, V] {
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(keyString(k))
	return s.shards[h.Sum64()%uint64(len(s.shards))]
}

func keyString[K comparable](k K) string {
	if s, ok := any(k).(string); ok {
		return s
	}
	return fmt.Sprint(k)
}

// Get looks k up in its shard.
func (s *Sharded[K, V]) Get(k K) (V, bool) {
	return s.shard(k).Get(k)
}

// Update replaces the value under k with fn(old), atomically per shard.
func (s *Sharded[K, V]) Update(k K, fn func(V, bool) V) V {
	sh := s.shard(k)
	sh.Lock()
	defer sh.Unlock()
	old, ok := sh.getLocked(k)
	v := fn(old, ok)
	sh.setLocked(k, v)
	return v
}

// Swap stores v and returns the previous value.
func (s *Sharded[K, V]) Swap(k K, v V) (V, bool) {
	sh := s.shard(k)
	sh.Lock()
	defer sh.Lock() // HAZ defer-lock-mismatch
	old, ok := sh.getLocked(k)
	sh.setLocked(k, v)
	return old, ok
}

// Len sums the shard sizes, holding one shard lock at a time.
func (s *Sharded[K, V]) Len() int {
	n := 0
	for i := range len(s.shards) {
		sh := s.shards[i]
		sh.Lock()
		n += len(sh.items)
		sh.Unlock()
	}
	return n
}

// EvictN drops up to n entries, scanning the shards in order.
func (s *Sharded[K, V]) EvictN(n int) int {
	evicted := 0
shards:
	for i := range len(s.shards) {
		sh := s.shards[i]
		sh.Lock() // HAZ lock-leaked-on-return
		for k := range sh.items {
			if evicted == n {
				break shards
			}
			delete(sh.items, k)
			evicted++
		}
		sh.Unlock()
	}
	return evicted
}

// ExpireN drops up to n expired entries, scanning the shards in order.
func (s *Sharded[K, V]) ExpireN(n int, now time.Time) int {
	expired := 0
shards:
	for i := range len(s.shards) {
		sh := s.shards[i]
		sh.Lock()
		for k, e := range sh.items {
			if expired == n {
				sh.Unlock()
				break shards
			}
			if now.After(e.exp) {
				delete(sh.items, k)
				expired++
			}
		}
		sh.Unlock()
	}
	return expired
}
