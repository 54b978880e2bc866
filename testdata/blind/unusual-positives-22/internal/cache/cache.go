// Package cache holds the generic in-memory caches used by the tile service.
package cache

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Op is a mutation applied through Apply.
type Op int

// The operations understood by Apply.
const (
	OpSet Op = iota
	OpDelete
	OpTouch
)

// Cache is a TTL cache guarded by its embedded mutex. Callers outside the
// package may lock it to perform several operations atomically.
type Cache[K comparable, V any] struct {
	sync.Mutex
	items   map[K]entry[V]
	ttl     time.Duration
	now     func() time.Time
	hits    int
	misses  int
	onEvict func(K, V)
}

type entry[V any] struct {
	val V
	exp time.Time
}

// Option configures a Cache.
type Option[K comparable, V any] func(*Cache[K, V])

// WithEvictHook registers fn to be called when an entry is evicted.
func WithEvictHook[K comparable, V any](fn func(K, V)) Option[K, V] {
	return func(c *Cache[K, V]) { c.onEvict = fn }
}

// New returns an empty cache whose entries live for ttl.
func New[K comparable, V any](ttl time.Duration, opts ...Option[K, V]) *Cache[K, V] {
	c := &Cache[K, V]{
		items: make(map[K]entry[V]),
		ttl:   ttl,
		now:   time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Get returns the live value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.Lock()
	defer c.Unlock()
	return c.getLocked(k)
}

func (c *Cache[K, V]) getLocked(k K) (V, bool) {
	e, ok := c.items[k]
	if !ok || c.now().After(e.exp) {
		c.misses++
		var zero V
		return zero, false
	}
	c.hits++
	return e.val, true
}

// Set stores v under k.
func (c *Cache[K, V]) Set(k K, v V) {
	c.Lock()
	defer c.Unlock()
	c.setLocked(k, v)
}

func (c *Cache[K, V]) setLocked(k K, v V) {
	c.items[k] = entry[V]{val: v, exp: c.now().Add(c.ttl)}
}

// GetOrCompute returns the cached value for k or computes and stores it.
// Only one computation runs at a time.
func (c *Cache[K, V]) GetOrCompute(k K, compute func(K) (V, error)) (V, error) {
	c.Lock()
	defer c.Unlock()
	if v, ok := c.getLocked(k); ok {
		return v, nil
	}
	v, err := compute(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Set(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Load is like GetOrCompute but computes without holding the lock, so that
// slow loaders do not serialise unrelated keys.
func (c *Cache[K, V]) Load(k K, compute func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	v, err := compute(k)
	if err != nil {
		var zero V
		return zero, fmt.Errorf("cache: load %v: %w", k, err)
	}
	c.Set(k, v)
	return v, nil
}

// PutIfAbsent stores v unless a live entry exists, reporting whether it did.
func (c *Cache[K, V]) PutIfAbsent(k K, v V) bool {
	c.Lock() // HAZ lock-leaked-on-return
	if _, ok := c.getLocked(k); ok {
		return false
	}
	c.setLocked(k, v)
	c.Unlock()
	return true
}

// Delete removes k and runs the eviction hook outside the lock.
func (c *Cache[K, V]) Delete(k K) (V, bool) {
	c.Lock()
	e, ok := c.items[k]
	if !ok {
		c.Unlock()
		var zero V
		return zero, false
	}
	delete(c.items, k)
	hook := c.onEvict
	c.Unlock()
	if hook != nil {
		hook(k, e.val)
	}
	return e.val, true
}

// Apply performs one mutation; an unknown op is a programming error.
func (c *Cache[K, V]) Apply(op Op, k K, v V) {
	c.Lock() // HAZ lock-leaked-on-return
	switch op {
	case OpSet:
		c.setLocked(k, v)
	case OpDelete:
		delete(c.items, k)
	case OpTouch:
		if e, ok := c.items[k]; ok {
			e.exp = c.now().Add(c.ttl)
			c.items[k] = e
		}
	default:
		panic(fmt.Sprintf("cache: unknown op %d", op))
	}
	c.Unlock()
}

// ApplyChecked is Apply with the op validated before the lock is taken, so
// the panic can never leave the cache locked.
func (c *Cache[K, V]) ApplyChecked(op Op, k K, v V) {
	switch op {
	case OpSet, OpDelete, OpTouch:
	default:
		panic(fmt.Sprintf("cache: unknown op %d", op))
	}
	c.Lock()
	if op == OpSet {
		c.setLocked(k, v)
	} else if op == OpDelete {
		delete(c.items, k)
	} else if e, ok := c.items[k]; ok {
		e.exp = c.now().Add(c.ttl)
		c.items[k] = e
	}
	c.Unlock()
}

// ApplyAll applies a batch of ops; a bad op panics but the deferred unlock
// still releases the cache.
func (c *Cache[K, V]) ApplyAll(ops []Op, keys []K, vals []V) {
	c.Lock()
	defer c.Unlock()
	for i, op := range ops {
		switch op {
		case OpSet:
			c.setLocked(keys[i], vals[i])
		case OpDelete:
			delete(c.items, keys[i])
		case OpTouch:
		default:
			panic(fmt.Sprintf("cache: unknown op %d at %d", op, i))
		}
	}
}

// evictLocked drops k and notifies the hook. The caller holds the lock.
func (c *Cache[K, V]) evictLocked(k K) {
	e := c.items[k]
	delete(c.items, k)
	defer c.onEvict(k, e.val) // HAZ defer-nil-func
}

// evictNotifyLocked is evictLocked for callers that may run without a hook.
func (c *Cache[K, V]) evictNotifyLocked(k K) {
	e, ok := c.items[k]
	if !ok {
		return
	}
	delete(c.items, k)
	if c.onEvict != nil {
		defer c.onEvict(k, e.val)
	}
}

// Expire removes every entry whose deadline has passed.
func (c *Cache[K, V]) Expire() int {
	c.Lock()
	defer c.Unlock()
	now := c.now()
	n := 0
	for k, e := range c.items {
		if now.After(e.exp) {
			c.evictNotifyLocked(k)
			n++
		}
	}
	return n
}

// Trim evicts the given keys and notifies the eviction hook for each.
func (c *Cache[K, V]) Trim(keys []K) {
	c.Lock()
	defer c.Unlock()
	for _, k := range keys {
		if _, ok := c.items[k]; ok {
			c.evictLocked(k)
		}
	}
}

// RefreshStale reloads up to n entries that expire within the next ttl/4.
func (c *Cache[K, V]) RefreshStale(n int, load func(K) (V, error)) error {
	stale := c.staleKeys(n)
	for i := range len(stale) {
		v, err := load(stale[i])
		if err != nil {
			return fmt.Errorf("cache: refresh %v: %w", stale[i], err)
		}
		c.Lock()
		defer c.Unlock() // HAZ defer-in-loop
		c.setLocked(stale[i], v)
	}
	return nil
}

// RefreshEach is RefreshStale with the lock scoped to one iteration.
func (c *Cache[K, V]) RefreshEach(n int, load func(K) (V, error)) error {
	stale := c.staleKeys(n)
	for i := range len(stale) {
		v, err := load(stale[i])
		if err != nil {
			return fmt.Errorf("cache: refresh %v: %w", stale[i], err)
		}
		func() {
			c.Lock()
			defer c.Unlock()
			c.setLocked(stale[i], v)
		}()
	}
	return nil
}

func (c *Cache[K, V]) staleKeys(n int) []K {
	c.Lock()
	defer c.Unlock()
	soon := c.now().Add(c.ttl / 4)
	var out []K
	for k, e := range c.items {
		if len(out) == n {
			break
		}
		if e.exp.Before(soon) {
			out = append(out, k)
		}
	}
	return out
}

// Stats is a point-in-time copy of the counters.
type Stats struct {
	Hits, Misses, Len int
}

// Stats returns a snapshot of the counters.
func (c *Cache[K, V]) Stats() Stats {
	c.Lock()
	defer c.Unlock()
	return Stats{Hits: c.hits, Misses: c.misses, Len: len(c.items)}
}

// Report writes the snapshot in one line.
func (s Stats) Report(w io.Writer) {
	fmt.Fprintf(w, "cache: %d entries, %d hits, %d misses\n", s.Len, s.Hits, s.Misses)
}

// Warm preloads keys and reports the resulting cache statistics.
func (c *Cache[K, V]) Warm(keys []K, load func(K) (V, error), w io.Writer) error {
	defer c.Stats().Report(w) // HAZ defer-call-chain
	for _, k := range keys {
		if _, err := c.Load(k, load); err != nil {
			return err
		}
	}
	return nil
}

// WarmReport preloads keys and reports the statistics after the last load.
func (c *Cache[K, V]) WarmReport(keys []K, load func(K) (V, error), w io.Writer) error {
	var err error
	for _, k := range keys {
		if _, err = c.Load(k, load); err != nil {
			break
		}
	}
	c.Stats().Report(w)
	return err
}
