// Package cache is the resolver's answer cache: a fixed number of shards,
// each behind its own RWMutex, with a background evictor per shard.
package cache

import (
	"hash/fnv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

// Config tunes the cache.
type Config struct {
	Shards        int
	MaxPerShard   int
	EvictInterval time.Duration
	MinTTL        time.Duration
	MaxTTL        time.Duration
	// Now is the clock; tests replace it.
	Now func() time.Time
}

type entry struct {
	msg     *dnsmsg.Msg
	stored  time.Time
	expires time.Time
	hits    uint32
}

type shard struct {
	mu    sync.RWMutex
	items map[string]*entry
	max   int
}

// Cache is safe for concurrent use.
type Cache struct {
	cfg       Config
	shards    []*shard
	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once

	hits, misses, evictions atomic.Int64
}

// New creates a cache and starts one evictor goroutine per shard. Call Close
// to stop them.
func New(cfg Config) *Cache {
	if cfg.Shards <= 0 {
		cfg.Shards = 64
	}
	if cfg.MaxPerShard <= 0 {
		cfg.MaxPerShard = 4096
	}
	if cfg.EvictInterval <= 0 {
		cfg.EvictInterval = 30 * time.Second
	}
	if cfg.MaxTTL <= 0 {
		cfg.MaxTTL = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Cache{cfg: cfg, stop: make(chan struct{})}
	c.shards = make([]*shard, cfg.Shards)
	for i := range c.shards {
		c.shards[i] = &shard{items: make(map[string]*entry), max: cfg.MaxPerShard}
	}
	for _, s := range c.shards {
		c.wg.Add(1)
		go c.runEvictor(s)
	}
	return c
}

// Key is the cache key of a question.
func Key(q dnsmsg.Question) string {
	var sb strings.Builder
	sb.WriteString(dnsmsg.Canonical(q.Name))
	sb.WriteByte('/')
	sb.WriteString(q.Type.String())
	return sb.String()
}

func (c *Cache) shardFor(key string) *shard {
	h := fnv.New32a()
	h.Write([]byte(key))
	return c.shards[h.Sum32()%uint32(len(c.shards))]
}

func (c *Cache) clampTTL(ttl uint32) time.Duration {
	d := time.Duration(ttl) * time.Second
	if d > c.cfg.MaxTTL {
		d = c.cfg.MaxTTL
	}
	if d > 0 && d < c.cfg.MinTTL {
		d = c.cfg.MinTTL
	}
	return d
}

// Get returns a copy of the cached answer for q with its TTLs aged, or false.
func (c *Cache) Get(q dnsmsg.Question) (*dnsmsg.Msg, bool) {
	key := Key(q)
	now := c.cfg.Now()
	e, ok := c.shardFor(key).get(key, now)
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	m := e.msg.Copy()
	m.DecrementTTL(uint32(now.Sub(e.stored) / time.Second))
	return m, true
}

func (s *shard) get(key string, now time.Time) (*entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.items[key]
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return e, true
}

// Set stores m as the answer to q for as long as its smallest TTL allows.
func (c *Cache) Set(q dnsmsg.Question, m *dnsmsg.Msg) {
	key := Key(q)
	s := c.shardFor(key)
	now := c.cfg.Now()
	s.mu.Lock() // HAZ lock-leaked-on-return
	if len(s.items) >= s.max {
		s.evictOneLocked(now)
		c.evictions.Add(1)
	}
	ttl := c.clampTTL(m.MinTTL())
	if ttl == 0 {
		// Zero-TTL answers must not be cached (RFC 1035 section 3.2.1).
		return
	}
	s.items[key] = &entry{msg: m.Copy(), stored: now, expires: now.Add(ttl)}
	s.mu.Unlock()
}

// Delete removes the answer to q.
func (c *Cache) Delete(q dnsmsg.Question) bool {
	key := Key(q)
	s := c.shardFor(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.items[key]
	delete(s.items, key)
	return ok
}

// DeleteName removes every cached type for name, e.g. after a zone update.
func (c *Cache) DeleteName(name string) int {
	prefix := dnsmsg.Canonical(name) + "/"
	removed := 0
	for _, s := range c.shards {
		s.mu.Lock()
		for k := range s.items {
			if strings.HasPrefix(k, prefix) {
				delete(s.items, k)
				removed++
			}
		}
		s.mu.Unlock()
	}
	return removed
}

// Hit marks the answer to q as used, which protects it from size eviction.
func (c *Cache) Hit(q dnsmsg.Question) bool {
	key := Key(q)
	return c.shardFor(key).bumpHits(key, c.cfg.Now())
}

func (s *shard) bumpHits(key string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.get(key, now) // HAZ lock-reentry-under-defer
	if !ok {
		return false
	}
	e.hits++
	return true
}

// Len returns the number of entries over all shards.
func (c *Cache) Len() int {
	n := 0
	for _, s := range c.shards {
		s.mu.RLock()
		n += len(s.items)
		s.mu.RUnlock()
	}
	return n
}

// Flush empties every shard.
func (c *Cache) Flush() int {
	flushed := 0
	for _, s := range c.shards {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			flushed += len(s.items)
			clear(s.items)
		}()
	}
	return flushed
}

// Stats reports hit, miss and eviction counters.
func (c *Cache) Stats() (hits, misses, evictions int64) {
	return c.hits.Load(), c.misses.Load(), c.evictions.Load()
}

// evictOneLocked drops the least used entry, preferring expired ones. The
// caller holds s.mu for writing.
func (s *shard) evictOneLocked(now time.Time) {
	var victim string
	var fewest uint32 = ^uint32(0)
	for k, e := range s.items {
		if !now.Before(e.expires) {
			delete(s.items, k)
			return
		}
		if e.hits < fewest {
			victim, fewest = k, e.hits
		}
	}
	delete(s.items, victim)
}

func (s *shard) evictExpired(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, e := range s.items {
		if !now.Before(e.expires) {
			delete(s.items, k)
			n++
		}
	}
	return n
}

func (c *Cache) runEvictor(s *shard) {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.EvictInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if n := s.evictExpired(c.cfg.Now()); n > 0 {
				c.evictions.Add(int64(n))
			}
		case <-c.stop:
			return
		}
	}
}

// Close stops the evictors and waits for them. It is safe to call twice.
func (c *Cache) Close() {
	c.closeOnce.Do(func() { close(c.stop) })
	c.wg.Wait()
}
