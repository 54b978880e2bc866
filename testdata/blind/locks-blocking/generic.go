package blindc

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Store is a generic concurrency-safe map.
type Store[K comparable, V any] struct {
	mu    sync.RWMutex
	items map[K]V
}

// NewStore returns an empty store.
func NewStore[K comparable, V any]() *Store[K, V] {
	return &Store[K, V]{items: make(map[K]V)}
}

// Get returns the value for k.
func (s *Store[K, V]) Get(k K) (V, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.items[k]
	return v, ok
}

// Put sets k to v.
func (s *Store[K, V]) Put(k K, v V) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[k] = v
}

// GetOrLoad returns the value for k, loading and caching it on a miss.
func (s *Store[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.items[k]; ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	s.Put(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// LoadOrStore loads outside the lock and keeps the first stored value.
func (s *Store[K, V]) LoadOrStore(k K, load func(K) (V, error)) (V, error) {
	if v, ok := s.Get(k); ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.items[k]; ok {
		return cur, nil
	}
	s.items[k] = v // ok: direct map write, no call back into Put
	return v, nil
}

// Swap stores v and returns the previous value.
func (s *Store[K, V]) Swap(k K, v V) (old V, loaded bool) {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	old, loaded = s.items[k]
	s.items[k] = v
	return old, loaded
}

// Range calls fn for each entry until it returns false.
func (s *Store[K, V]) Range(fn func(K, V) bool) {
	s.mu.RLock()
	defer s.mu.RUnlock() // ok
	for k, v := range s.items {
		if !fn(k, v) {
			return
		}
	}
}

// Update replaces the value for k with fn(old).
func (s *Store[K, V]) Update(k K, fn func(V) (V, error)) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	cur, ok := s.items[k]
	if !ok {
		return ErrNotFound
	}
	next, err := fn(cur)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	s.items[k] = next
	s.mu.Unlock()
	return nil
}

// ---------------------------------------------------------------------------
// ShardedMap spreads keys over independently locked shards.

type mapShard[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// ShardedMap is a map split into n shards.
type ShardedMap[K comparable, V any] struct {
	shards []*mapShard[K, V]
	hash   func(K) uint64
}

// NewShardedMap returns a map with n shards.
func NewShardedMap[K comparable, V any](n int, hash func(K) uint64) *ShardedMap[K, V] {
	m := &ShardedMap[K, V]{hash: hash}
	for i := 0; i < n; i++ {
		m.shards = append(m.shards, &mapShard[K, V]{m: make(map[K]V)})
	}
	return m
}

func (m *ShardedMap[K, V]) shardFor(k K) *mapShard[K, V] {
	return m.shards[m.hash(k)%uint64(len(m.shards))]
}

// lockShard returns the shard owning k with its write lock held; the caller
// must unlock it.
func (m *ShardedMap[K, V]) lockShard(k K) *mapShard[K, V] {
	sh := m.shardFor(k)
	sh.mu.Lock() // ok: hand-off to the caller
	return sh
}

// Store sets k to v.
func (m *ShardedMap[K, V]) Store(k K, v V) {
	sh := m.lockShard(k)
	sh.m[k] = v
	sh.mu.Unlock()
}

// Load returns the value for k.
func (m *ShardedMap[K, V]) Load(k K) (V, bool) {
	sh := m.shardFor(k)
	sh.mu.RLock()
	defer sh.mu.Unlock() // HAZ defer-lock-mismatch
	v, ok := sh.m[k]
	return v, ok
}

// TotalLen sums the shard sizes, taking each read lock in turn.
func (m *ShardedMap[K, V]) TotalLen() int {
	n := 0
	for _, sh := range m.shards {
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

// ---------------------------------------------------------------------------
// Fan-out helpers.

// ParallelMap applies fn to every element concurrently.
func ParallelMap[T, R any](ctx context.Context, in []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() {
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			r, err := fn(ctx, v)
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = r
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// ParallelMapDeferred is ParallelMap with a deferred Done.
func ParallelMapDeferred[T, R any](ctx context.Context, in []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			out[i], errs[i] = fn(ctx, v)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Outcome carries a value or an error.
type Outcome[T any] struct {
	Val T
	Err error
}

// Deliver runs fn and always reports its outcome on results.
func Deliver[T any](results chan<- Outcome[T], fn func() (T, error)) {
	var out Outcome[T]
	defer func() { results <- out }() // HAZ defer-blocking-call
	out.Val, out.Err = fn()
}

// DeliverWithin reports the outcome but gives up if nobody receives in time.
func DeliverWithin[T any](results chan<- Outcome[T], wait time.Duration, fn func() (T, error)) {
	var out Outcome[T]
	defer func() {
		select {
		case results <- out: // ok: bounded by the timeout case
		case <-time.After(wait):
		}
	}()
	out.Val, out.Err = fn()
}
