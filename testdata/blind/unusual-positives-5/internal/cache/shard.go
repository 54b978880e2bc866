package cache

import (
	"hash/fnv"
	"iter"
	"sync"
)

// shard is one lock domain of a Sharded map; the RWMutex is embedded.
type shard[V any] struct {
	sync.RWMutex
	m map[string]V
}

// Sharded is a string-keyed map split over several independently locked shards.
type Sharded[V any] struct {
	shards []*shard[V]
}

// NewSharded returns a map with n shards (at least one).
func NewSharded[V any](n int) *Sharded[V] {
	s := &Sharded[V]{shards: make([]*shard[V], max(n, 1))}
	for i := range s.shards {
		s.shards[i] = &shard[V]{m: make(map[string]V)}
	}
	return s
}

func (s *Sharded[V]) shardFor(key string) *shard[V] {
	h := fnv.New32a()
	h.Write([]byte(key))
	return s.shards[h.Sum32()%uint32(len(s.shards))]
}

// get reads one key from the shard.
func (sh *shard[V]) get(key string) (V, bool) {
	sh.RLock()
	defer sh.Unlock() // HAZ defer-lock-mismatch
	v, ok := sh.m[key]
	return v, ok
}

// size is the number of keys in the shard.
func (sh *shard[V]) size() int {
	sh.RLock()
	defer sh.RUnlock()
	return len(sh.m)
}

// dump copies the shard and reports its size alongside.
func (sh *shard[V]) dump() (map[string]V, int) {
	sh.RLock()
	defer sh.RUnlock()
	out := make(map[string]V, len(sh.m))
	for k, v := range sh.m {
		out[k] = v
	}
	return out, sh.size() // HAZ lock-reentry-under-defer
}

// each calls yield for every pair under the read lock and reports whether
// iteration should go on.
func (sh *shard[V]) each(yield func(string, V) bool) bool {
	sh.RLock()
	defer sh.RUnlock()
	for k, v := range sh.m {
		if !yield(k, v) {
			return false
		}
	}
	return true
}

// Get returns the value stored under key.
func (s *Sharded[V]) Get(key string) (V, bool) {
	return s.shardFor(key).get(key)
}

// Put stores v under key.
func (s *Sharded[V]) Put(key string, v V) {
	sh := s.shardFor(key)
	sh.Lock()
	defer sh.Unlock()
	sh.m[key] = v
}

// Delete removes key and reports whether it was present.
func (s *Sharded[V]) Delete(key string) bool {
	sh := s.shardFor(key)
	unlock := sh.RUnlock
	sh.Lock()
	defer unlock() // HAZ defer-lock-mismatch
	_, ok := sh.m[key]
	delete(sh.m, key)
	return ok
}

// Has reports whether key is present; the deferred method value matches
// the read lock.
func (s *Sharded[V]) Has(key string) bool {
	sh := s.shardFor(key)
	runlock := sh.RUnlock
	sh.RLock()
	defer runlock()
	_, ok := sh.m[key]
	return ok
}

// Filter removes every pair for which keep returns false.
func (s *Sharded[V]) Filter(keep func(string, V) bool) int {
	removed := 0
	for _, sh := range s.shards {
		sh.Lock()
		defer sh.Unlock() // HAZ defer-in-loop
		for k, v := range sh.m {
			if !keep(k, v) {
				delete(sh.m, k)
				removed++
			}
		}
	}
	return removed
}

// FilterEach is Filter with each shard unlocked by its own closure.
func (s *Sharded[V]) FilterEach(keep func(string, V) bool) int {
	removed := 0
	for _, sh := range s.shards {
		func() {
			sh.Lock()
			defer sh.Unlock()
			for k, v := range sh.m {
				if !keep(k, v) {
					delete(sh.m, k)
					removed++
				}
			}
		}()
	}
	return removed
}

// Len counts keys shard by shard; each shard lock is released before the
// next one is taken.
func (s *Sharded[V]) Len() int {
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

// All iterates over every pair, one shard at a time.
func (s *Sharded[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, sh := range s.shards {
			if !sh.each(yield) {
				return
			}
		}
	}
}

// Snapshot copies the whole map; shards are locked one after another.
func (s *Sharded[V]) Snapshot() map[string]V {
	out := make(map[string]V)
	for _, sh := range s.shards {
		part, _ := sh.dump()
		for k, v := range part {
			out[k] = v
		}
	}
	return out
}

// Update applies fn to the value under key while holding the shard's write
// lock; fn must not touch the map.
func (s *Sharded[V]) Update(key string, fn func(V, bool) V) V {
	sh := s.shardFor(key)
	(*sync.RWMutex).Lock(&sh.RWMutex)
	defer (*sync.RWMutex).Unlock(&sh.RWMutex)
	old, ok := sh.m[key]
	nv := fn(old, ok)
	sh.m[key] = nv
	return nv
}
