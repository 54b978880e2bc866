package nilfunc

import "sync"

// EvictFunc is told about each entry that leaves the cache.
type EvictFunc[K comparable, V any] func(K, V)

type lruOption[K comparable, V any] func(*lru[K, V])

// withEvict is a functional option: the hook is set only when a caller passes it.
func withEvict[K comparable, V any](fn EvictFunc[K, V]) lruOption[K, V] {
	return func(c *lru[K, V]) { c.onEvict = fn }
}

type lru[K comparable, V any] struct {
	mu      sync.Mutex
	items   map[K]V
	onEvict EvictFunc[K, V]
	onClear func()
}

func newLRU[K comparable, V any](opts ...lruOption[K, V]) *lru[K, V] {
	c := &lru[K, V]{items: map[K]V{}, onClear: func() {}}
	for _, o := range opts {
		o(c)
	}
	return c
}

func (c *lru[K, V]) evictAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.items {
		delete(c.items, k)
		if c.onEvict != nil {
			c.onEvict(k, v)
		}
	}
	if c.onClear != nil {
		c.onClear()
	}
}

// The hook comes from an option that may never have been applied: nil then.
func (c *lru[K, V]) remove(k K) bool {
	c.mu.Lock()
	v, ok := c.items[k]
	delete(c.items, k)
	c.mu.Unlock()
	if !ok {
		return false
	}
	defer c.onEvict(k, v) // want `the package tests lru\.onEvict against nil \(line \d+\), so it can be nil, but lru\.remove defers c\.onEvict\(k, v\) without a check`
	return true
}

// The constructor always sets onClear; the nil test elsewhere is only defensive.
func (c *lru[K, V]) clear() {
	defer c.onClear()
	c.mu.Lock()
	clear(c.items)
	c.mu.Unlock()
}
