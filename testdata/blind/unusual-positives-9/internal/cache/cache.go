// Package cache is a sharded in-memory cache with per-entry expiry and pinning.
package cache

import (
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// ErrClosed is returned by operations on a closed cache.
var ErrClosed = errors.New("cache: closed")

type entry struct {
	val     []byte
	expires time.Time
	pinned  bool
}

type shard struct {
	mu     sync.Mutex
	items  map[string]*entry
	closed bool
}

// Cache is safe for concurrent use.
type Cache struct {
	shards []*shard
	ttl    time.Duration
}

// New returns a cache with n shards whose entries live for ttl.
func New(n int, ttl time.Duration) *Cache {
	if n < 1 {
		n = 1
	}
	c := &Cache{shards: make([]*shard, n), ttl: ttl}
	for i := range c.shards {
		c.shards[i] = &shard{items: make(map[string]*entry)}
	}
	return c
}

func (c *Cache) shardFor(key string) *shard {
	h := fnv.New32a()
	h.Write([]byte(key))
	return c.shards[h.Sum32()%uint32(len(c.shards))]
}

// lockShard returns key's shard with its mutex held; the caller unlocks it.
func (c *Cache) lockShard(key string) (*shard, error) {
	sh := c.shardFor(key)
	sh.mu.Lock() // HAZ lock-leaked-on-return
	if sh.closed {
		return nil, ErrClosed
	}
	return sh, nil
}

// Get returns the live value stored under key.
func (c *Cache) Get(key string) ([]byte, bool) {
	sh, err := c.lockShard(key)
	if err != nil {
		return nil, false
	}
	defer sh.mu.Unlock()
	e, ok := sh.items[key]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.val, true
}

// Pin keeps key from being swept until the cache is closed.
func (c *Cache) Pin(key string) error {
	sh, err := c.lockShard(key)
	if err != nil {
		return err
	}
	defer sh.mu.Unlock()
	e, ok := sh.items[key]
	if !ok {
		return fmt.Errorf("cache: pin %q: no such key", key)
	}
	e.pinned = true
	return nil
}

// Set stores val under key.
func (c *Cache) Set(key string, val []byte) {
	sh := c.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.closed {
		return
	}
	sh.items[key] = &entry{val: val, expires: time.Now().Add(c.ttl)}
}

// Sweep drops expired entries and reports how many went. A shard that holds a pinned
// entry is left alone for this round.
func (c *Cache) Sweep(now time.Time) int {
	dropped := 0
shards:
	for _, sh := range c.shards {
		sh.mu.Lock() // HAZ lock-leaked-on-return
		for _, e := range sh.items {
			if e.pinned {
				continue shards
			}
		}
		for k, e := range sh.items {
			if now.After(e.expires) {
				delete(sh.items, k)
				dropped++
			}
		}
		sh.mu.Unlock()
	}
	return dropped
}

// Stats counts live and pinned entries over the open shards.
func (c *Cache) Stats() (entries, pinned int) {
shards:
	for _, sh := range c.shards {
		sh.mu.Lock()
		if sh.closed {
			sh.mu.Unlock()
			continue shards
		}
		for _, e := range sh.items {
			entries++
			if e.pinned {
				pinned++
			}
		}
		sh.mu.Unlock()
	}
	return entries, pinned
}

// Expire drops the given keys if they are expired and not pinned.
func (c *Cache) Expire(keys []string, now time.Time) int {
	n := 0
	for _, k := range keys {
		sh := c.shardFor(k)
		switch {
		case k == "":
			continue
		default:
			n += func() int {
				sh.mu.Lock()
				defer sh.mu.Unlock()
				if e, ok := sh.items[k]; ok && !e.pinned && now.After(e.expires) {
					delete(sh.items, k)
					return 1
				}
				return 0
			}()
		}
	}
	return n
}

// Close empties the cache; later Sets are ignored and Gets miss.
func (c *Cache) Close() {
	for _, sh := range c.shards {
		func() {
			sh.mu.Lock()
			defer sh.mu.Unlock()
			sh.closed = true
			clear(sh.items)
		}()
	}
}

// OpKind is the kind of a batched cache operation.
type OpKind int

// Batched operation kinds.
const (
	OpSet OpKind = iota
	OpDelete
)

// Op is one operation of a batch.
type Op struct {
	Kind OpKind
	Key  string
	Val  []byte
}

// Apply runs a batch of operations in order.
func (c *Cache) Apply(ops []Op) error {
	for i, op := range ops {
		sh := c.shardFor(op.Key)
		switch op.Kind {
		case OpSet:
			sh.mu.Lock()
			defer sh.mu.Unlock() // HAZ defer-in-loop
			sh.items[op.Key] = &entry{val: op.Val, expires: time.Now().Add(c.ttl)}
		case OpDelete:
			sh.mu.Lock()
			delete(sh.items, op.Key)
			sh.mu.Unlock()
		default:
			return fmt.Errorf("cache: op %d: unknown kind %d", i, op.Kind)
		}
	}
	return nil
}

// Warm loads keys concurrently, at most limit of them, and returns how many it
// started.
func (c *Cache) Warm(keys []string, limit int, load func(string) []byte) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(keys) && i < limit; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.Set(keys[i], load(keys[i]))
		}()
	}
	wg.Wait()
	return i
}

// Preload loads every key concurrently and stores the ones that loaded.
func (c *Cache) Preload(keys []string, load func(string) ([]byte, error)) error {
	var wg sync.WaitGroup
	errs := make([]error, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := load(k)
			if err != nil {
				errs[i] = fmt.Errorf("preload %s: %w", k, err)
				return
			}
			c.Set(k, v)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
