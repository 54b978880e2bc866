package cache

import (
	"hash/maphash"
	"iter"
	"maps"
	"slices"
	"sync"
)

type shard[K comparable, V any] struct {
	sync.RWMutex
	m map[K]V
}

// Sharded is a concurrent map split over independently locked shards.
type Sharded[K comparable, V any] struct {
	seed   maphash.Seed
	shards []*shard[K, V]
}

// Stats is a point-in-time view of a Sharded map.
type Stats struct {
	Entries   int
	PerShard  []int
	Published bool
}

// NewSharded returns a map with n shards (at least one).
func NewSharded[K comparable, V any](n int) *Sharded[K, V] {
	n = max(n, 1)
	s := &Sharded[K, V]{seed: maphash.MakeSeed(), shards: make([]*shard[K, V], n)}
	for i := range n {
		s.shards[i] = &shard[K, V]{m: make(map[K]V)}
	}
	return s
}

func (s *Sharded[K, V]) shardFor(k K) *shard[K, V] {
	h := maphash.Comparable(s.seed, k)
	return s.shards[h%uint64(len(s.shards))]
}

// lockKey write-locks the shard holding k and returns the unlock function.
func (s *Sharded[K, V]) lockKey(k K) func() {
	sh := s.shardFor(k)
	sh.Lock()
	return sh.Unlock
}

// Load returns the value for k.
func (s *Sharded[K, V]) Load(k K) (V, bool) {
	sh := s.shardFor(k)
	sh.RLock()
	defer sh.RUnlock()
	v, ok := sh.m[k]
	return v, ok
}

// Store sets k to v.
func (s *Sharded[K, V]) Store(k K, v V) {
	sh := s.shardFor(k)
	sh.Lock()
	sh.m[k] = v
	sh.Unlock()
}

// Update applies fn to the current value of k under the shard lock.
func (s *Sharded[K, V]) Update(k K, fn func(V, bool) V) V {
	defer s.lockKey(k)()
	sh := s.shardFor(k)
	old, ok := sh.m[k]
	nv := fn(old, ok)
	sh.m[k] = nv
	return nv
}

// Swap stores v and returns the previous value.
func (s *Sharded[K, V]) Swap(k K, v V) (V, bool) {
	defer s.lockKey(k) // HAZ defer-func-result-not-called
	sh := s.shardFor(k)
	old, ok := sh.m[k]
	sh.m[k] = v
	return old, ok
}

// Delete removes k.
func (s *Sharded[K, V]) Delete(k K) {
	unlock := s.lockKey(k)
	defer unlock()
	delete(s.shardFor(k).m, k)
}

// Len counts entries, taking one shard lock at a time.
func (s *Sharded[K, V]) Len() int {
	n := 0
	for _, sh := range s.shards {
		n += func() int {
			sh.RLock()
			defer sh.RUnlock()
			return len(sh.m)
		}()
	}
	return n
}

// Snapshot copies one shard's contents.
func (s *Sharded[K, V]) Snapshot(i int) map[K]V {
	sh := s.shards[i]
	sh.RLock()
	defer sh.Unlock() // HAZ defer-lock-mismatch
	return maps.Clone(sh.m)
}

// Clone copies every shard, one at a time.
func (s *Sharded[K, V]) Clone() map[K]V {
	out := make(map[K]V)
	for _, sh := range s.shards {
		sh.RLock()
		maps.Copy(out, sh.m)
		sh.RUnlock()
	}
	return out
}

// All yields every entry; each shard is copied under its read lock and
// then yielded without holding it.
func (s *Sharded[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for _, sh := range s.shards {
			sh.RLock()
			snap := maps.Clone(sh.m)
			sh.RUnlock()
			for k, v := range snap {
				if !yield(k, v) {
					return
				}
			}
		}
	}
}

// Stats returns entry counts per shard.
func (s *Sharded[K, V]) Stats() *Stats {
	st := &Stats{PerShard: make([]int, len(s.shards))}
	for i, sh := range s.shards {
		sh.RLock()
		st.PerShard[i] = len(sh.m)
		sh.RUnlock()
		st.Entries += st.PerShard[i]
	}
	return st
}

// Publish hands the stats to sink.
func (st *Stats) Publish(sink func(Stats)) {
	st.Published = true
	sink(*st)
}

// Rebalance rebuilds the map with n shards and reports the final stats.
func (s *Sharded[K, V]) Rebalance(n int, sink func(Stats)) {
	defer s.Stats().Publish(sink) // HAZ defer-call-chain
	old := s.Clone()
	fresh := NewSharded[K, V](n)
	for k, v := range old {
		fresh.Store(k, v)
	}
	s.shards = fresh.shards
	s.seed = fresh.seed
}

// Compact drops entries for which keep reports false and then publishes
// the stats computed after the work.
func (s *Sharded[K, V]) Compact(keep func(K, V) bool, sink func(Stats)) {
	defer func() { s.Stats().Publish(sink) }()
	for _, sh := range s.shards {
		sh.Lock()
		maps.DeleteFunc(sh.m, func(k K, v V) bool { return !keep(k, v) })
		sh.Unlock()
	}
}

// SortedKeys returns the keys sorted with cmp.
func SortedKeys[K comparable, V any](s *Sharded[K, V], cmp func(a, b K) int) []K {
	keys := make([]K, 0, s.Len())
	for k := range s.All() {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp)
	return keys
}
