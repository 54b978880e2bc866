// Package cache is a generic TTL cache with snapshots to disk.
package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/blinde/obs"
)

type entry[V any] struct {
	Val     V         `json:"val"`
	Expires time.Time `json:"expires"`
}

// Stats counts cache activity.
type Stats struct {
	Hits      int64
	Misses    int64
	Evictions int64
	Size      int
}

// Log writes the stats on one line.
func (s Stats) Log(l *log.Logger) {
	l.Printf("cache: size=%d hits=%d misses=%d evictions=%d", s.Size, s.Hits, s.Misses, s.Evictions)
}

// Cache is a TTL cache. Counters are atomic so Stats never takes the lock.
type Cache[K comparable, V any] struct {
	mu        sync.RWMutex
	items     map[K]entry[V]
	hits      atomic.Int64
	misses    atomic.Int64
	evictions atomic.Int64
	size      atomic.Int64
	ttl       time.Duration
	logger    *log.Logger
	metrics   *obs.Metrics
	now       func() time.Time
}

// New builds a cache.
func New[K comparable, V any](ttl time.Duration, logger *log.Logger) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]entry[V]), ttl: ttl, logger: logger, metrics: obs.NewMetrics(), now: time.Now}
}

// Get returns the live value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	e, ok := c.items[k]
	c.mu.RUnlock()
	if !ok || c.now().After(e.Expires) {
		var zero V
		c.misses.Add(1)
		return zero, false
	}
	c.hits.Add(1)
	return e.Val, true
}

// Set stores v under k.
func (c *Cache[K, V]) Set(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = entry[V]{Val: v, Expires: c.now().Add(c.ttl)}
	c.size.Store(int64(len(c.items)))
}

// Stats returns the current counters.
func (c *Cache[K, V]) Stats() Stats {
	return Stats{
		Hits:      c.hits.Load(),
		Misses:    c.misses.Load(),
		Evictions: c.evictions.Load(),
		Size:      int(c.size.Load()),
	}
}

// Snapshot is a point-in-time copy of the cache contents.
type Snapshot[K comparable, V any] struct {
	Taken time.Time
	Items map[K]entry[V]
}

// Snapshot copies the live items.
func (c *Cache[K, V]) Snapshot() *Snapshot[K, V] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	items := make(map[K]entry[V], len(c.items))
	for k, e := range c.items {
		items[k] = e
	}
	return &Snapshot[K, V]{Taken: c.now(), Items: items}
}

// Persist writes the snapshot to path atomically.
func (s *Snapshot[K, V]) Persist(path string) (err error) {
	b, err := json.Marshal(s.Items)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (c *Cache[K, V]) evictLocked(k K) {
	delete(c.items, k)
	c.evictions.Add(1)
	c.size.Store(int64(len(c.items)))
}

// LockedMap is a map guarded by a RWMutex.
type LockedMap[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// NewLockedMap builds an empty LockedMap.
func NewLockedMap[K comparable, V any]() *LockedMap[K, V] {
	return &LockedMap[K, V]{m: make(map[K]V)}
}

// Store sets k.
func (lm *LockedMap[K, V]) Store(k K, v V) {
	lm.mu.Lock()
	defer lm.mu.Unlock()
	lm.m[k] = v
}

// Bucket aggregates values for one window period.
type Bucket[T any] struct {
	mu     sync.Mutex
	Start  time.Time
	Values []T
	closed atomic.Bool
}

// Add appends v unless the bucket is closed.
func (b *Bucket[T]) Add(v T) error {
	if b.closed.Load() {
		return errors.New("bucket closed")
	}
	b.mu.Lock()
	b.Values = append(b.Values, v)
	b.mu.Unlock()
	return nil
}

// Close finalizes the bucket.
func (b *Bucket[T]) Close() { b.closed.Store(true) }

// Window is a sliding window of buckets.
type Window[T any] struct {
	mu      sync.Mutex // guards buckets
	buckets []*Bucket[T]
	cur     atomic.Pointer[Bucket[T]]
	max     int
}

// NewWindow builds a window holding max buckets.
func NewWindow[T any](max int) *Window[T] {
	first := &Bucket[T]{Start: time.Now()}
	w := &Window[T]{buckets: []*Bucket[T]{first}, max: max}
	w.cur.Store(first)
	return w
}

// Current returns the open bucket.
func (w *Window[T]) Current() *Bucket[T] { return w.cur.Load() }

// Advance opens a new bucket and drops the oldest beyond max.
func (w *Window[T]) Advance() {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := &Bucket[T]{Start: time.Now()}
	w.buckets = append(w.buckets, b)
	if len(w.buckets) > w.max {
		w.buckets = w.buckets[1:]
	}
	w.cur.Store(b)
}

// Conn is a pooled backend connection.
type Conn struct {
	ID       int
	Stale    bool
	released atomic.Bool
	pool     *Pool
}

// Release returns the connection to its pool.
func (c *Conn) Release() {
	if c.released.CompareAndSwap(false, true) {
		c.pool.outstanding.Add(-1)
	}
}

// Pool hands out backend connections.
type Pool struct {
	next        atomic.Int64
	outstanding atomic.Int64
}

// NewPool builds an empty pool.
func NewPool() *Pool { return &Pool{} }

// Get returns a new connection.
func (p *Pool) Get() *Conn {
	p.outstanding.Add(1)
	return &Conn{ID: int(p.next.Add(1)), pool: p}
}

// Redial replaces a stale connection with a fresh one.
func (p *Pool) Redial() *Conn { return p.Get() }

// Outstanding reports how many connections have not been released.
func (p *Pool) Outstanding() int64 { return p.outstanding.Load() }

func loadEntries[K comparable, V any](path string) (map[K]entry[V], error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	var m map[K]entry[V]
	return m, json.Unmarshal(b, &m)
}
