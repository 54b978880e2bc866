package nilfunc

import "sync"

// evictingCache tests its hook against nil where it runs it through a guard, and stores it only
// in a setter: until OnEvict is called it is nil.
type evictingCache struct {
	mu      sync.Mutex
	items   map[string][]byte
	onEvict func(key string)
}

func newEvictingCache() *evictingCache {
	return &evictingCache{items: make(map[string][]byte)}
}

func (c *evictingCache) OnEvict(fn func(key string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onEvict = fn
}

func (c *evictingCache) notify(key string) {
	if c.onEvict == nil {
		return
	}
	c.onEvict(key)
}

// The package itself says the hook can be nil; this defer does not check.
func (c *evictingCache) take(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	if !ok {
		return nil, false
	}
	defer c.onEvict(key) // want `the package tests evictingCache\.onEvict against nil \(line \d+\), so it can be nil, but evictingCache\.take defers c\.onEvict\(key\) without a check`
	delete(c.items, key)
	return v, true
}

// tickingCache tests its hook too, but its constructor always fills it in: never nil.
type tickingCache struct {
	ticks  int
	onTick func()
}

func newTickingCache() *tickingCache {
	return &tickingCache{onTick: func() {}}
}

func (c *tickingCache) reset() {
	if c.onTick == nil {
		c.onTick = func() {}
	}
	c.ticks = 0
}

func (c *tickingCache) tick() {
	defer c.onTick()
	c.ticks++
}
