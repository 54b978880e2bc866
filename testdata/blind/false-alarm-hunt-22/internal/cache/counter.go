package cache

import (
	"hash/fnv"
	"sync"
)

const shardCount = 16

type shard struct {
	mu sync.Mutex
	m  map[string]int64
}

// Counter is a sharded map of int64 counters for hot-path accounting.
type Counter struct {
	shards [shardCount]*shard
}

// NewCounter returns an empty Counter.
func NewCounter() *Counter {
	c := &Counter{}
	for i := range c.shards {
		c.shards[i] = &shard{m: make(map[string]int64)}
	}
	return c
}

func (c *Counter) shardFor(key string) *shard {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return c.shards[h.Sum32()%shardCount]
}

// lockedShard returns the shard that owns key with its mutex held.
// The caller must unlock it.
func (c *Counter) lockedShard(key string) *shard {
	sh := c.shardFor(key)
	sh.mu.Lock()
	return sh
}

// Add adds n to key and returns the new value.
func (c *Counter) Add(key string, n int64) int64 {
	sh := c.lockedShard(key)
	defer sh.mu.Unlock()
	sh.m[key] += n
	return sh.m[key]
}

// Value returns the current value of key.
func (c *Counter) Value(key string) int64 {
	sh := c.lockedShard(key)
	v := sh.m[key]
	sh.mu.Unlock()
	return v
}

// Merge adds every counter in delta.
func (c *Counter) Merge(delta map[string]int64) {
	for k, n := range delta {
		sh := c.shardFor(k)
		sh.mu.Lock()
		defer sh.mu.Unlock() // HAZ defer-in-loop
		sh.m[k] += n
	}
}

// Drain returns all counters and resets them to zero.
func (c *Counter) Drain() map[string]int64 {
	out := make(map[string]int64)
	for _, sh := range c.shards {
		func() {
			sh.mu.Lock()
			defer sh.mu.Unlock()
			for k, v := range sh.m {
				out[k] += v
			}
			clear(sh.m)
		}()
	}
	return out
}
