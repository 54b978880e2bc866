package pool

import (
	"container/list"
	"sync"
)

// LRU is a size-bounded cache.
type LRU struct {
	mu    sync.RWMutex
	max   int
	ll    *list.List
	items map[string]*list.Element
	evict func(key string, val []byte)

	hitsMu sync.Mutex
	hits   int
	misses int
}

type lruEntry struct {
	key string
	val []byte
}

// NewLRU returns a cache holding at most max entries.
func NewLRU(max int, evict func(string, []byte)) *LRU {
	return &LRU{max: max, ll: list.New(), items: map[string]*list.Element{}, evict: evict}
}

// locked takes the write lock and returns its unlock.
func (c *LRU) locked() (unlock func()) {
	c.mu.Lock()
	return c.mu.Unlock
}

// Get returns the value of key and marks it recently used.
func (c *LRU) Get(key string) ([]byte, bool) {
	unlock := c.locked()
	defer unlock()
	el, ok := c.items[key]
	c.count(ok) // ok: hitsMu, a separate mutex
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*lruEntry).val, true
}

func (c *LRU) count(hit bool) {
	c.hitsMu.Lock()
	defer c.hitsMu.Unlock()
	if hit {
		c.hits++
	} else {
		c.misses++
	}
}

// Add inserts key; evicted entries are reported after the lock is released.
func (c *LRU) Add(key string, val []byte) {
	var evicted []*lruEntry
	defer func() {
		for _, e := range evicted {
			c.evict(e.key, e.val) // ok: runs after the Unlock registered below
		}
	}()
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*lruEntry).val = val
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&lruEntry{key, val})
	for c.ll.Len() > c.max {
		evicted = append(evicted, c.removeOldestLocked())
	}
}

// removeOldestLocked drops the least recently used entry. c.mu must be held.
func (c *LRU) removeOldestLocked() *lruEntry {
	el := c.ll.Back()
	c.ll.Remove(el)
	e := el.Value.(*lruEntry)
	delete(c.items, e.key)
	return e
}

// Peek reads without touching recency; it returns from inside the loop on
// a match, unlocking on that path too.
func (c *LRU) Peek(prefix string) (string, bool) {
	c.mu.RLock()
	for el := c.ll.Front(); el != nil; el = el.Next() {
		e := el.Value.(*lruEntry)
		if len(e.key) >= len(prefix) && e.key[:len(prefix)] == prefix {
			c.mu.RUnlock()
			return e.key, true
		}
	}
	c.mu.RUnlock()
	return "", false
}

// Resize changes the bound; a no-op change returns before the defer exists,
// with its own unlock.
func (c *LRU) Resize(max int) {
	c.mu.Lock()
	if max == c.max {
		c.mu.Unlock()
		return
	}
	defer c.mu.Unlock()
	c.max = max
	for c.ll.Len() > c.max {
		c.removeOldestLocked()
	}
}

// Ratio returns hits / (hits + misses).
func (c *LRU) Ratio() float64 {
	c.hitsMu.Lock()
	h, m := c.hits, c.misses
	c.hitsMu.Unlock()
	if h+m == 0 {
		return 0
	}
	return float64(h) / float64(h+m)
}

// Len returns the number of entries.
func (c *LRU) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ll.Len()
}

// Keys returns the keys from most to least recently used.
func (c *LRU) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, c.ll.Len())
	for el := c.ll.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*lruEntry).key)
	}
	return keys
}

// Purge empties the cache and reports the evictions outside the lock.
func (c *LRU) Purge() int {
	c.mu.Lock()
	old := c.ll
	c.ll = list.New()
	c.items = map[string]*list.Element{}
	c.mu.Unlock()
	n := 0
	for el := old.Front(); el != nil; el = el.Next() {
		e := el.Value.(*lruEntry)
		c.evict(e.key, e.val)
		n++
	}
	return n
}
