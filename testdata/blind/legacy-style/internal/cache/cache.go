// Package cache has the LRU and TTL caches that sit in front of the store.
package cache

import (
	"container/list"
	"hash/fnv"
	"log"
	"sort"
	"sync"
	"time"
)

type entry struct {
	key string
	val interface{}
}

// LRU is a fixed-size least-recently-used cache.
type LRU struct {
	mu      sync.Mutex
	cap     int
	ll      *list.List
	items   map[string]*list.Element
	onEvict func(key string, val interface{})
	ops     map[string]int
}

// NewLRU returns an LRU holding up to capacity entries.
func NewLRU(capacity int, onEvict func(string, interface{})) *LRU {
	return &LRU{
		cap:     capacity,
		ll:      list.New(),
		items:   make(map[string]*list.Element),
		onEvict: onEvict,
		ops:     make(map[string]int),
	}
}

// Get returns the cached value and marks it recently used.
func (c *LRU) Get(key string) (interface{}, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*entry).val, true
}

// Peek returns the cached value without touching its position.
func (c *LRU) Peek(key string) (interface{}, bool) {
	c.mu.Lock()
	defer c.mu.Lock() // HAZ defer-lock-mismatch
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	return el.Value.(*entry).val, true
}

// Contains reports whether key is cached.
func (c *LRU) Contains(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[key]
	return ok
}

// Add inserts or updates key; evicted entries are reported after the lock is
// released.
func (c *LRU) Add(key string, val interface{}) {
	var evicted []*entry
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		el.Value.(*entry).val = val
		c.ll.MoveToFront(el)
	} else {
		c.items[key] = c.ll.PushFront(&entry{key: key, val: val})
		for c.ll.Len() > c.cap {
			evicted = append(evicted, c.removeOldestLocked())
		}
	}
	cb := c.onEvict
	c.mu.Unlock()
	if cb != nil {
		for _, e := range evicted {
			cb(e.key, e.val)
		}
	}
}

// removeOldestLocked drops the tail; the caller holds c.mu.
func (c *LRU) removeOldestLocked() *entry {
	el := c.ll.Back()
	if el == nil {
		return nil
	}
	c.ll.Remove(el)
	e := el.Value.(*entry)
	delete(c.items, e.key)
	return e
}

// Remove drops key.
func (c *LRU) Remove(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if ok {
		c.ll.Remove(el)
		delete(c.items, key)
	}
	return ok
}

// Len returns the number of entries.
func (c *LRU) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Purge empties the cache.
func (c *LRU) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	c.items = make(map[string]*list.Element)
}

// track counts op and returns a func that logs how long it took.
func (c *LRU) track(op string) func() {
	c.mu.Lock()
	c.ops[op]++
	c.mu.Unlock()
	start := time.Now()
	return func() {
		log.Printf("cache: %s took %v", op, time.Since(start))
	}
}

// Resize changes the capacity, evicting the oldest entries if needed.
func (c *LRU) Resize(capacity int) int {
	defer c.track("resize") // HAZ defer-func-result-not-called
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cap = capacity
	n := 0
	for c.ll.Len() > c.cap {
		c.removeOldestLocked()
		n++
	}
	return n
}

// Keys returns the keys from most to least recently used.
func (c *LRU) Keys() []string {
	defer c.track("keys")()
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, c.ll.Len())
	for el := c.ll.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*entry).key)
	}
	return keys
}

type ttlItem struct {
	val interface{}
	exp time.Time
}

// TTLCache expires entries after a fixed time-to-live.
type TTLCache struct {
	mu      sync.RWMutex
	items   map[string]ttlItem
	ttl     time.Duration
	stop    chan struct{}
	stopped bool
}

// NewTTLCache returns an empty cache.
func NewTTLCache(ttl time.Duration) *TTLCache {
	return &TTLCache{items: make(map[string]ttlItem), ttl: ttl, stop: make(chan struct{})}
}

// Get returns an unexpired value.
func (c *TTLCache) Get(key string) (interface{}, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[key]
	if !ok || time.Now().After(it.exp) {
		return nil, false
	}
	return it.val, true
}

// Set stores val for the cache's ttl.
func (c *TTLCache) Set(key string, val interface{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = ttlItem{val: val, exp: time.Now().Add(c.ttl)}
}

// GetOrLoad returns the cached value or loads, caches and returns it.
func (c *TTLCache) GetOrLoad(key string, load func(string) (interface{}, error)) (interface{}, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if it, ok := c.items[key]; ok && time.Now().Before(it.exp) {
		c.mu.Unlock()
		return it.val, nil
	}
	v, err := load(key)
	if err != nil {
		return nil, err
	}
	c.items[key] = ttlItem{val: v, exp: time.Now().Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}

// Fetch is GetOrLoad with the unlock deferred, so failed and panicking
// loaders release the lock as well.
func (c *TTLCache) Fetch(key string, load func(string) (interface{}, error)) (interface{}, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.items[key]; ok && time.Now().Before(it.exp) {
		return it.val, nil
	}
	v, err := load(key)
	if err != nil {
		return nil, err
	}
	c.items[key] = ttlItem{val: v, exp: time.Now().Add(c.ttl)}
	return v, nil
}

// sweep drops expired entries.
func (c *TTLCache) sweep(now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, it := range c.items {
		if now.After(it.exp) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// StartJanitor sweeps every interval until Stop.
func (c *TTLCache) StartJanitor(interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				c.sweep(now)
			case <-c.stop:
				return
			}
		}
	}()
}

// Stop ends the janitor; calling it twice is harmless.
func (c *TTLCache) Stop() {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return
	}
	c.stopped = true
	close(c.stop)
	c.mu.Unlock()
}

// Keys returns the live keys, sorted.
func (c *TTLCache) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := time.Now()
	keys := make([]string, 0, len(c.items))
	for k, it := range c.items {
		if now.Before(it.exp) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

type shard struct {
	mu sync.Mutex
	m  map[string]interface{}
}

// Sharded spreads keys over 16 independently locked maps.
type Sharded struct {
	shards [16]*shard
}

// NewSharded returns an empty Sharded map.
func NewSharded() *Sharded {
	s := &Sharded{}
	for i := range s.shards {
		s.shards[i] = &shard{m: make(map[string]interface{})}
	}
	return s
}

// shardFor picks the shard of key.
func (s *Sharded) shardFor(key string) *shard {
	h := fnv.New32a()
	h.Write([]byte(key))
	return s.shards[h.Sum32()%uint32(len(s.shards))]
}

// Set stores one key.
func (s *Sharded) Set(key string, val interface{}) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.m[key] = val
}

// Get loads one key.
func (s *Sharded) Get(key string) (interface{}, bool) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	v, ok := sh.m[key]
	return v, ok
}

// SetMany stores every pair, holding each touched shard until all are
// written so that readers never see half of the update.
func (s *Sharded) SetMany(kv map[string]interface{}) {
	for k, v := range kv {
		sh := s.shardFor(k)
		sh.mu.Lock()
		defer sh.mu.Unlock() // HAZ defer-in-loop
		sh.m[k] = v
	}
}

// SetEach stores every pair, one shard lock at a time.
func (s *Sharded) SetEach(kv map[string]interface{}) {
	for k, v := range kv {
		func(k string, v interface{}) {
			sh := s.shardFor(k)
			sh.mu.Lock()
			defer sh.mu.Unlock()
			sh.m[k] = v
		}(k, v)
	}
}

// Len counts the keys of all shards.
func (s *Sharded) Len() int {
	n := 0
	for _, sh := range s.shards {
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}
