// Package cache holds the generic caches shared by the gateway services.
package cache

import (
	"container/list"
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"sync"
	"time"
)

type lruEntry[K comparable, V any] struct {
	key K
	val V
}

// LRU is a size-bounded least-recently-used cache.
type LRU[K comparable, V any] struct {
	mu    sync.Mutex
	cap   int
	ll    *list.List
	items map[K]*list.Element
	hits  uint64
	miss  uint64
}

func NewLRU[K comparable, V any](capacity int) *LRU[K, V] {
	return &LRU[K, V]{cap: capacity, ll: list.New(), items: make(map[K]*list.Element)}
}

func (c *LRU[K, V]) getLocked(key K) (V, bool) {
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		c.hits++
		return el.Value.(*lruEntry[K, V]).val, true
	}
	c.miss++
	var zero V
	return zero, false
}

func (c *LRU[K, V]) putLocked(key K, val V) {
	if el, ok := c.items[key]; ok {
		el.Value.(*lruEntry[K, V]).val = val
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&lruEntry[K, V]{key: key, val: val})
	for c.ll.Len() > c.cap {
		oldest := c.ll.Back()
		c.ll.Remove(oldest)
		delete(c.items, oldest.Value.(*lruEntry[K, V]).key)
	}
}

func (c *LRU[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(key)
}

func (c *LRU[K, V]) Put(key K, val V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, val)
}

// GetOrPut returns the cached value for key, creating it with mk on a miss.
func (c *LRU[K, V]) GetOrPut(key K, mk func() V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.Get(key); ok { // HAZ lock-reentry-under-defer
		return v
	}
	v := mk()
	c.putLocked(key, v)
	return v
}

// Upsert applies fn to the current value (zero on a miss) and stores the result.
func (c *LRU[K, V]) Upsert(key K, fn func(old V, found bool) V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, found := c.getLocked(key) // ok: lock-free helper
	v := fn(old, found)
	c.putLocked(key, v)
	return v
}

type loadedEntry[V any] struct {
	val     V
	expires time.Time
}

// LoadingCache fills misses from a loader and expires entries after ttl.
type LoadingCache[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]loadedEntry[V]
	ttl   time.Duration
	load  func(context.Context, K) (V, error)
	now   func() time.Time
}

func NewLoading[K comparable, V any](ttl time.Duration, load func(context.Context, K) (V, error)) *LoadingCache[K, V] {
	return &LoadingCache[K, V]{items: make(map[K]loadedEntry[V]), ttl: ttl, load: load, now: time.Now}
}

// Get returns the cached value or loads it. Loads are serialised on purpose:
// the backing service cannot take a thundering herd.
func (c *LoadingCache[K, V]) Get(ctx context.Context, key K) (V, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if e, ok := c.items[key]; ok && c.now().Before(e.expires) {
		c.mu.Unlock()
		return e.val, nil
	}
	v, err := c.load(ctx, key)
	if err != nil {
		var zero V
		return zero, fmt.Errorf("cache: load %v: %w", key, err)
	}
	c.items[key] = loadedEntry[V]{val: v, expires: c.now().Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}

// Invalidate drops key.
func (c *LoadingCache[K, V]) Invalidate(key K) {
	c.mu.Lock()
	delete(c.items, key)
	c.mu.Unlock()
}

type shard[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

// ShardedMap spreads keys over independently locked shards.
type ShardedMap[V any] struct {
	shards []*shard[V]
}

func NewSharded[V any](n int) *ShardedMap[V] {
	m := &ShardedMap[V]{shards: make([]*shard[V], n)}
	for i := range m.shards {
		m.shards[i] = &shard[V]{m: make(map[string]V)}
	}
	return m
}

func (m *ShardedMap[V]) shardFor(key string) *shard[V] {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return m.shards[h.Sum32()%uint32(len(m.shards))]
}

func (m *ShardedMap[V]) Store(key string, v V) {
	sh := m.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.m[key] = v
}

// Load returns the value stored under key.
func (m *ShardedMap[V]) Load(key string) (V, bool) {
	sh := m.shardFor(key)
	sh.mu.RLock()
	defer sh.mu.Unlock() // HAZ defer-lock-mismatch
	v, ok := sh.m[key]
	return v, ok
}

// Range calls fn for every entry until fn returns false.
func (m *ShardedMap[V]) Range(fn func(string, V) bool) {
	for _, sh := range m.shards {
		if !sh.rangeShard(fn) {
			return
		}
	}
}

func (sh *shard[V]) rangeShard(fn func(string, V) bool) bool {
	rl := sh.mu.RLocker()
	rl.Lock()
	defer rl.Unlock() // ok: RLocker's Lock/Unlock are RLock/RUnlock
	for k, v := range sh.m {
		if !fn(k, v) {
			return false
		}
	}
	return true
}

// GaugeSet keeps the last value of each gauge; exporters read it through
// the snapshot closure so tests can swap it out.
type GaugeSet struct {
	mu       sync.RWMutex
	vals     map[string]float64
	snapshot func() map[string]float64
}

func NewGaugeSet() *GaugeSet {
	g := &GaugeSet{vals: make(map[string]float64)}
	g.snapshot = func() map[string]float64 {
		g.mu.RLock()
		defer g.mu.Unlock() // HAZ defer-lock-mismatch
		out := make(map[string]float64, len(g.vals))
		maps.Copy(out, g.vals)
		return out
	}
	return g
}

func (g *GaugeSet) Set(name string, v float64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.vals[name] = v
}

func (g *GaugeSet) Snapshot() map[string]float64 { return g.snapshot() }
