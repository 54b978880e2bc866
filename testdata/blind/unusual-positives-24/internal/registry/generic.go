package registry

import (
	"fmt"
	"sync"
)

// Locker is the constraint for the lock type parameter of the helpers below.
type Locker interface {
	Lock()
	Unlock()
}

// Number is the constraint for counters kept in locked maps.
type Number interface {
	~int | ~int32 | ~int64 | ~float64
}

// With runs fn while holding l.
func With[L Locker](l L, fn func()) {
	l.Lock()
	defer l.Unlock()
	fn()
}

// Take removes and returns up to n items from the front of *q under l.
func Take[L Locker, T any](l L, q *[]T, n int) []T {
	l.Lock() // HAZ lock-leaked-on-return
	if len(*q) == 0 {
		return nil
	}
	n = min(n, len(*q))
	out := append([]T(nil), (*q)[:n]...)
	*q = (*q)[n:]
	l.Unlock()
	return out
}

// TakeAll empties *q under l and returns what it held.
func TakeAll[L Locker, T any](l L, q *[]T) []T {
	var out []T
	With(l, func() {
		out = *q
		*q = nil
	})
	return out
}

// Push appends items to *q under l, refusing to grow past limit.
func Push[L Locker, T any](l L, q *[]T, limit int, items ...T) bool {
	l.Lock()
	defer l.Unlock()
	if len(*q)+len(items) > limit {
		return false
	}
	*q = append(*q, items...)
	return true
}

// AddClamped adds delta to m[k] under mu unless the result would pass limit.
func AddClamped[K comparable, N Number](mu *sync.Mutex, m map[K]N, k K, delta, limit N) (N, bool) {
	mu.Lock() // HAZ lock-leaked-on-return
	next := m[k] + delta
	if next > limit {
		return m[k], false
	}
	m[k] = next
	mu.Unlock()
	return next, true
}

// AddCapped is AddClamped with the lock released on the refusal path too.
func AddCapped[K comparable, N Number](mu *sync.Mutex, m map[K]N, k K, delta, limit N) (N, bool) {
	mu.Lock()
	next := m[k] + delta
	if next > limit {
		cur := m[k]
		mu.Unlock()
		return cur, false
	}
	m[k] = next
	mu.Unlock()
	return next, true
}

// MaxEntry returns the key with the largest value under a read lock.
func MaxEntry[K comparable, N Number](mu *sync.RWMutex, m map[K]N) (K, N, bool) {
	var (
		bestK K
		bestN N
	)
	mu.RLock()
	if len(m) == 0 {
		mu.RUnlock()
		return bestK, bestN, false
	}
	first := true
	for k, n := range m {
		if first || n > bestN {
			bestK, bestN, first = k, n, false
		}
	}
	mu.RUnlock()
	return bestK, bestN, true
}

// Cache is a typed map guarded by a read-write mutex.
type Cache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// NewCache returns an empty cache.
func NewCache[K comparable, V any]() *Cache[K, V] {
	return &Cache[K, V]{m: make(map[K]V)}
}

// Get returns the value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

// Set stores v under k.
func (c *Cache[K, V]) Set(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
}

// Len returns the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// GetOrCompute returns the value for k, computing and storing it on a miss.
func (c *Cache[K, V]) GetOrCompute(k K, compute func(K) (V, error)) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.Get(k); ok { // HAZ lock-reentry-under-defer
		return v, nil
	}
	v, err := compute(k)
	if err != nil {
		return v, err
	}
	c.m[k] = v
	return v, nil
}

// Ensure is GetOrCompute done right: the fast path takes the read lock and
// releases it; the slow path re-checks the map directly under the write lock.
func (c *Cache[K, V]) Ensure(k K, compute func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[k]; ok {
		return v, nil
	}
	v, err := compute(k)
	if err != nil {
		return v, err
	}
	c.m[k] = v
	return v, nil
}

// Snapshot copies the cache.
func (c *Cache[K, V]) Snapshot() map[K]V {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[K]V, c.Len()) // HAZ lock-reentry-under-defer
	for k, v := range c.m {
		out[k] = v
	}
	return out
}

// Clone copies the cache, sizing the copy from the map it already holds.
func (c *Cache[K, V]) Clone() map[K]V {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[K]V, len(c.m))
	for k, v := range c.m {
		out[k] = v
	}
	return out
}

// Keys returns the keys in unspecified order.
func (c *Cache[K, V]) Keys() []K {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]K, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	return keys
}

// First returns the value of the first of keys that is present.
func (c *Cache[K, V]) First(keys ...K) (V, bool) {
	c.mu.RLock() // HAZ lock-leaked-on-return
	for _, k := range keys {
		if v, ok := c.m[k]; ok {
			return v, true
		}
	}
	c.mu.RUnlock()
	var zero V
	return zero, false
}

// Any returns the value of the first of keys that is present, holding the
// read lock until it returns.
func (c *Cache[K, V]) Any(keys ...K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, k := range keys {
		if v, ok := c.m[k]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// MustGet returns m[k] under mu and panics when k is missing.
func MustGet[K comparable, V any](mu *sync.Mutex, m map[K]V, k K) V {
	mu.Lock() // HAZ lock-leaked-on-return
	v, ok := m[k]
	if !ok {
		panic(fmt.Sprintf("registry: missing key %v", k))
	}
	mu.Unlock()
	return v
}

// MustLookup is MustGet with the unlock deferred, so the panic releases it.
func MustLookup[K comparable, V any](mu *sync.Mutex, m map[K]V, k K) V {
	mu.Lock()
	defer mu.Unlock()
	v, ok := m[k]
	if !ok {
		panic(fmt.Sprintf("registry: missing key %v", k))
	}
	return v
}
