// Package lru implements a byte-bounded least-recently-used cache in the
// style of groupcache/lru, safe for concurrent use.
package lru

import (
	"container/list"
	"sync"
)

type entry struct {
	key   string
	value []byte
}

func (e *entry) size() int { return len(e.key) + len(e.value) }

// Stats is a snapshot of cache counters.
type Stats struct {
	Items  int
	Bytes  int
	Hits   int64
	Misses int64
}

// Cache is an LRU cache bounded by the total size of keys and values.
type Cache struct {
	// OnEvict, if non-nil, is called for each entry evicted because the
	// cache grew past its bound. It runs without the cache lock held, so it
	// may call back into the cache.
	OnEvict func(key string, value []byte)

	mu       sync.Mutex
	maxBytes int
	nbytes   int
	peak     int // largest len(items) since the map was last rebuilt
	ll       *list.List
	items    map[string]*list.Element
	hits     int64
	misses   int64
}

// New returns an empty cache holding at most maxBytes of keys and values.
func New(maxBytes int) *Cache {
	return &Cache{
		maxBytes: maxBytes,
		ll:       list.New(),
		items:    make(map[string]*list.Element),
	}
}

// Get looks up key and marks it as recently used.
func (c *Cache) Get(key string) (value []byte, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(key)
}

// getLocked is Get with c.mu held.
func (c *Cache) getLocked(key string) ([]byte, bool) {
	e, ok := c.items[key]
	if !ok {
		c.misses++
		return nil, false
	}
	c.hits++
	c.ll.MoveToFront(e)
	return e.Value.(*entry).value, true
}

// Add inserts or replaces key, evicting older entries as needed.
func (c *Cache) Add(key string, value []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addLocked(key, value)
}

// addLocked is Add with c.mu held. It may release and reacquire c.mu
// while running OnEvict (see trimLocked).
func (c *Cache) addLocked(key string, value []byte) {
	if e, ok := c.items[key]; ok {
		ent := e.Value.(*entry)
		c.nbytes += len(value) - len(ent.value)
		ent.value = value
		c.ll.MoveToFront(e)
	} else {
		ent := &entry{key: key, value: value}
		c.items[key] = c.ll.PushFront(ent)
		c.nbytes += ent.size()
		if len(c.items) > c.peak {
			c.peak = len(c.items)
		}
	}
	c.trimLocked()
}

// trimLocked evicts least recently used entries until the cache fits in
// maxBytes. c.mu must be held on entry; it is released around each call to
// OnEvict so that the callback may use the cache, and it is held again when
// trimLocked returns.
func (c *Cache) trimLocked() {
	for c.maxBytes > 0 && c.nbytes > c.maxBytes && c.ll.Len() > 0 {
		ent := c.removeElementLocked(c.ll.Back())
		if c.OnEvict != nil {
			c.mu.Unlock()
			c.OnEvict(ent.key, ent.value)
			c.mu.Lock()
		}
	}
}

// removeElementLocked unlinks e from the list and the index.
func (c *Cache) removeElementLocked(e *list.Element) *entry {
	ent := c.ll.Remove(e).(*entry)
	delete(c.items, ent.key)
	c.nbytes -= ent.size()
	return ent
}

// RemoveOldest evicts the least recently used entry and reports its key.
func (c *Cache) RemoveOldest() (key string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.ll.Back()
	if e == nil {
		return "", false
	}
	ent := c.removeElementLocked(e)
	c.shrinkIfSparse() // HAZ lock-reentry-under-defer
	return ent.key, true
}

// shrinkIfSparse rebuilds the index map once most of the entries it was
// sized for have gone, so that a cache that was briefly large gives the
// memory back.
func (c *Cache) shrinkIfSparse() {
	if c.Len() > c.peak/4 {
		return
	}
	m := make(map[string]*list.Element, len(c.items))
	for k, e := range c.items {
		m[k] = e
	}
	c.items = m
	c.peak = len(m)
}

// Remove deletes key from the cache, reporting whether it was present.
func (c *Cache) Remove(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return false
	}
	c.removeElementLocked(e)
	return true
}

// Len returns the number of entries in the cache.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Stats returns a snapshot of the cache counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Items: c.ll.Len(), Bytes: c.nbytes, Hits: c.hits, Misses: c.misses}
}

// SetMaxBytes changes the bound, evicting entries if the cache no longer
// fits.
func (c *Cache) SetMaxBytes(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxBytes = n
	c.trimLocked()
}

// Range calls fn for each entry, most recently used first, until fn
// returns false. fn sees a snapshot taken when Range starts and runs
// without the lock held, so it may modify the cache.
func (c *Cache) Range(fn func(key string, value []byte) bool) {
	c.mu.Lock()
	snap := c.snapshotLocked()
	c.mu.Unlock()
	for _, ent := range snap {
		if !fn(ent.key, ent.value) {
			return
		}
	}
}

// snapshotLocked copies the entries in recency order. c.mu must be held.
func (c *Cache) snapshotLocked() []entry {
	out := make([]entry, 0, c.ll.Len())
	for e := c.ll.Front(); e != nil; e = e.Next() {
		out = append(out, *e.Value.(*entry))
	}
	return out
}

// GetOrLoad returns the cached value for key, calling load to produce and
// cache it on a miss. The lock is not held while load runs, so concurrent
// misses for the same key may each call load.
func (c *Cache) GetOrLoad(key string, load func(key string) ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	if v, ok := c.getLocked(key); ok {
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()

	v, err := load(key)
	if err != nil {
		return nil, err
	}
	c.Add(key, v)
	return v, nil
}

// Peek returns the value for key without updating its recency or the hit
// counters.
func (c *Cache) Peek(key string) ([]byte, bool) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	v := e.Value.(*entry).value
	c.mu.Unlock()
	return v, true
}

// Contains reports whether key is cached, without updating its recency.
func (c *Cache) Contains(key string) (ok bool) {
	c.mu.Lock()
	_, ok = c.items[key]
	c.mu.Unlock()
	return ok
}
