package intern

import (
	"errors"
	"runtime"
	"sync"
	"weak"
)

// ErrLoading is returned when another caller is decoding the same key.
var ErrLoading = errors.New("intern: key is being loaded")

// WeakCache maps keys to decoded objects without keeping them alive: once
// nothing else references a value, the GC may drop it and the entry goes.
type WeakCache[K comparable, V any] struct {
	sync.Mutex
	m       map[K]weak.Pointer[V]
	loading map[K]struct{}
	dropped int
}

// NewWeakCache returns an empty cache.
func NewWeakCache[K comparable, V any]() *WeakCache[K, V] {
	return &WeakCache[K, V]{m: make(map[K]weak.Pointer[V]), loading: make(map[K]struct{})}
}

// Get returns the live value for k, if any.
func (c *WeakCache[K, V]) Get(k K) *V {
	c.Lock()
	defer c.Unlock()
	return c.getLocked(k)
}

func (c *WeakCache[K, V]) getLocked(k K) *V {
	wp, ok := c.m[k]
	if !ok {
		return nil
	}
	v := wp.Value()
	if v == nil {
		delete(c.m, k)
		c.dropped++
	}
	return v
}

// Put registers v under k and arranges for the entry to be removed once v
// is collected.
func (c *WeakCache[K, V]) Put(k K, v *V) {
	wp := weak.Make(v)
	c.Lock()
	c.m[k] = wp
	c.Unlock()
	runtime.AddCleanup(v, c.evict, cleanupArg[K, V]{k, wp})
}

type cleanupArg[K comparable, V any] struct {
	key K
	wp  weak.Pointer[V]
}

func (c *WeakCache[K, V]) evict(a cleanupArg[K, V]) {
	c.Lock()
	defer c.Unlock()
	if cur, ok := c.m[a.key]; ok && cur == a.wp {
		delete(c.m, a.key)
		c.dropped++
	}
}

// reserve marks k as being loaded and returns the function that clears
// the mark; ok is false if k is already being loaded.
func (c *WeakCache[K, V]) reserve(k K) (release func(), ok bool) {
	c.Lock()
	defer c.Unlock()
	if _, busy := c.loading[k]; busy {
		return nil, false
	}
	c.loading[k] = struct{}{}
	return func() {
		c.Lock()
		delete(c.loading, k)
		c.Unlock()
	}, true
}

// Load returns the cached value for k or decodes and caches it.
func (c *WeakCache[K, V]) Load(k K, decode func(K) (*V, error)) (*V, error) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if v := c.Get(k); v != nil {
		return v, nil
	}
	r, ok := c.reserve(k)
	if !ok {
		return nil, ErrLoading
	}
	release = r
	v, err := decode(k)
	if err != nil {
		return nil, err
	}
	c.Put(k, v)
	return v, nil
}

// LoadOnce is Load with the release deferred through a closure, so the
// function assigned later is the one that runs.
func (c *WeakCache[K, V]) LoadOnce(k K, decode func(K) (*V, error)) (*V, error) {
	var release func()
	defer func() {
		if release != nil {
			release()
		}
	}()
	if v := c.Get(k); v != nil {
		return v, nil
	}
	r, ok := c.reserve(k)
	if !ok {
		return nil, ErrLoading
	}
	release = r
	v, err := decode(k)
	if err != nil {
		return nil, err
	}
	c.Put(k, v)
	return v, nil
}

// LoadDirect defers the release only after it has been obtained.
func (c *WeakCache[K, V]) LoadDirect(k K, decode func(K) (*V, error)) (*V, error) {
	if v := c.Get(k); v != nil {
		return v, nil
	}
	release, ok := c.reserve(k)
	if !ok {
		return nil, ErrLoading
	}
	defer release()
	v, err := decode(k)
	if err != nil {
		return nil, err
	}
	c.Put(k, v)
	return v, nil
}

// Len reports live entries, pruning dead ones on the way.
func (c *WeakCache[K, V]) Len() int {
	c.Lock()
	defer c.Unlock()
	n := 0
	for k := range c.m {
		if c.getLocked(k) != nil {
			n++
		}
	}
	return n
}

// Dropped reports how many entries were removed after collection.
func (c *WeakCache[K, V]) Dropped() int {
	c.Lock()
	n := c.dropped
	c.Unlock()
	return n
}
