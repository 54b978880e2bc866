package pubsub

import (
	"hash/fnv"
	"sync"
)

type counterShard struct {
	mu sync.Mutex
	n  map[string]int64
}

// Counters is a sharded per-topic counter; the zero value is ready to use.
type Counters struct {
	shards [8]counterShard
}

func (c *Counters) shard(topic string) *counterShard {
	h := fnv.New32a()
	_, _ = h.Write([]byte(topic))
	return &c.shards[h.Sum32()%uint32(len(c.shards))]
}

// Add adds d to topic's count.
func (c *Counters) Add(topic string, d int64) {
	sh := c.shard(topic)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.n == nil {
		sh.n = make(map[string]int64)
	}
	sh.n[topic] += d
}

// Snapshot merges all shards. Each shard is locked only while it is copied:
// the unlock is deferred inside a func literal called once per iteration.
func (c *Counters) Snapshot() map[string]int64 {
	out := make(map[string]int64)
	for i := range c.shards {
		func() {
			sh := &c.shards[i]
			sh.mu.Lock()
			defer sh.mu.Unlock()
			for k, v := range sh.n {
				out[k] += v
			}
		}()
	}
	return out
}

// Reset zeroes every shard, locking and unlocking each in turn.
func (c *Counters) Reset() {
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		clear(sh.n)
		sh.mu.Unlock()
	}
}
