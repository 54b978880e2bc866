// Package cache is the page cache: a fixed number of page buffers kept in
// LRU order behind a single mutex. Pinned pages are never evicted.
package cache

import (
	"container/list"
	"fmt"
	"sync"

	"example.com/ekv/internal/page"
)

// Loader reads a page that is not cached.
type Loader func(id page.ID) ([]byte, error)

type entry struct {
	id   page.ID
	data []byte
	pins int
	elem *list.Element
}

// Stats are cumulative cache counters.
type Stats struct {
	Hits      uint64
	Misses    uint64
	Evictions uint64
	Size      int
	Capacity  int
}

// HitRatio returns hits/(hits+misses), or 0 before the first lookup.
func (s Stats) HitRatio() float64 {
	total := s.Hits + s.Misses
	if total == 0 {
		return 0
	}
	return float64(s.Hits) / float64(total)
}

// Cache is safe for concurrent use.
type Cache struct {
	mu        sync.Mutex
	capacity  int
	lru       *list.List // front = most recently used
	items     map[page.ID]*entry
	load      Loader
	hits      uint64
	misses    uint64
	evictions uint64
}

// New returns a cache holding at most capacity pages.
func New(capacity int, load Loader) *Cache {
	if capacity < 16 {
		capacity = 16
	}
	return &Cache{
		capacity: capacity,
		lru:      list.New(),
		items:    make(map[page.ID]*entry, capacity),
		load:     load,
	}
}

// Get returns page id, loading it on a miss. The load runs without the
// lock held, so a slow disk read does not stall other readers.
func (c *Cache) Get(id page.ID) ([]byte, error) {
	c.mu.Lock()
	if e, ok := c.items[id]; ok {
		c.lru.MoveToFront(e.elem)
		c.hits++
		data := e.data
		c.mu.Unlock()
		return data, nil
	}
	c.misses++
	c.mu.Unlock()

	data, err := c.load(id)
	if err != nil {
		return nil, err
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[id]; ok {
		// Another reader loaded it while we were on disk.
		return e.data, nil
	}
	c.insertLocked(id, data)
	return data, nil
}

// Put stores a freshly written page, replacing any cached copy.
func (c *Cache) Put(id page.ID, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[id]; ok {
		e.data = data
		c.lru.MoveToFront(e.elem)
		return
	}
	c.insertLocked(id, data)
}

func (c *Cache) insertLocked(id page.ID, data []byte) {
	e := &entry{id: id, data: data}
	e.elem = c.lru.PushFront(e)
	c.items[id] = e
	for len(c.items) > c.capacity {
		if !c.evictLocked() {
			break
		}
	}
}

// evictLocked drops the least recently used unpinned page. It reports
// false when every cached page is pinned.
func (c *Cache) evictLocked() bool {
	for el := c.lru.Back(); el != nil; el = el.Prev() {
		e := el.Value.(*entry)
		if e.pins > 0 {
			continue
		}
		c.lru.Remove(el)
		delete(c.items, e.id)
		c.evictions++
		return true
	}
	return false
}

// Pin loads page id and protects it from eviction until Unpin.
func (c *Cache) Pin(id page.ID) ([]byte, error) {
	data, err := c.Get(id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[id]
	if !ok {
		// Evicted between Get and Lock: re-insert our copy.
		c.insertLocked(id, data)
		e = c.items[id]
	}
	e.pins++
	return e.data, nil
}

// Unpin releases one pin taken by Pin.
func (c *Cache) Unpin(id page.ID) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[id]
	if !ok || e.pins == 0 {
		return fmt.Errorf("cache: unpin of unpinned page %d", id)
	}
	e.pins--
	c.mu.Unlock()
	return nil
}

// Invalidate drops the given pages, pinned or not.
func (c *Cache) Invalidate(ids ...page.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if e, ok := c.items[id]; ok {
			c.lru.Remove(e.elem)
			delete(c.items, id)
		}
	}
}

// Len returns the number of cached pages.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Resize changes the capacity, evicting as needed.
func (c *Cache) Resize(capacity int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.capacity = capacity
	for c.Len() > c.capacity { // HAZ lock-reentry-under-defer
		if !c.evictLocked() {
			break
		}
	}
}

// Stats returns a snapshot of the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{
		Hits:      c.hits,
		Misses:    c.misses,
		Evictions: c.evictions,
		Size:      len(c.items),
		Capacity:  c.capacity,
	}
}

// Reset empties the cache, keeping pinned pages.
func (c *Cache) Reset() int {
	c.mu.Lock()
	n := 0
	for el := c.lru.Front(); el != nil; {
		next := el.Next()
		if e := el.Value.(*entry); e.pins == 0 {
			c.lru.Remove(el)
			delete(c.items, e.id)
			n++
		}
		el = next
	}
	c.mu.Unlock()
	return n
}
