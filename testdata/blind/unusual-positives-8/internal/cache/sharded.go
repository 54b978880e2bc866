package cache

import "sync"

// Sharded is a map split over independently locked shards.
type Sharded[K comparable, V any] struct {
	shards []*shard[K, V]
	hash   func(K) uint64
}

// shard is one part of a Sharded map. The embedded RWMutex guards m.
type shard[K comparable, V any] struct {
	sync.RWMutex
	m map[K]V
}

// NewSharded returns a map with n shards; hash picks a key's shard.
func NewSharded[K comparable, V any](n int, hash func(K) uint64) *Sharded[K, V] {
	s := &Sharded[K, V]{shards: make([]*shard[K, V], n), hash: hash}
	for i := range s.shards {
		s.shards[i] = &shard[K, V]{m: make(map[K]V)}
	}
	return s
}

func (s *Sharded[K, V]) shardFor(k K) *shard[K, V] {
	return s.shards[s.hash(k)%uint64(len(s.shards))]
}

// lockShard locks the shard holding k and returns the function that unlocks
// it:
//
//	defer s.lockShard(k)()
func (s *Sharded[K, V]) lockShard(k K) func() {
	sh := s.shardFor(k)
	sh.Lock()
	return sh.Unlock
}

// withRLock runs fn holding mu for reading.
func withRLock(mu *sync.RWMutex, fn func()) {
	mu.RLock()
	defer mu.RUnlock()
	fn()
}

// withLock runs fn holding mu for writing.
func withLock(mu *sync.RWMutex, fn func()) {
	mu.Lock()
	defer mu.RUnlock() // HAZ defer-lock-mismatch
	fn()
}

// Put stores v under k.
func (s *Sharded[K, V]) Put(k K, v V) {
	defer s.lockShard(k)()
	s.shardFor(k).m[k] = v
}

// Update replaces the value under k with fn(old, present).
func (s *Sharded[K, V]) Update(k K, fn func(V, bool) V) {
	defer s.lockShard(k) // HAZ defer-func-result-not-called
	sh := s.shardFor(k)
	old, ok := sh.m[k]
	sh.m[k] = fn(old, ok)
}

// Get returns the value stored under k.
func (s *Sharded[K, V]) Get(k K) (v V, ok bool) {
	sh := s.shardFor(k)
	withRLock(&sh.RWMutex, func() { v, ok = sh.m[k] })
	return v, ok
}

// Delete removes k.
func (s *Sharded[K, V]) Delete(k K) {
	sh := s.shardFor(k)
	withLock(&sh.RWMutex, func() { delete(sh.m, k) })
}

// Len returns the number of entries over all shards.
func (s *Sharded[K, V]) Len() int {
	n := 0
	for _, sh := range s.shards {
		withRLock(&sh.RWMutex, func() { n += len(sh.m) })
	}
	return n
}
