package fixture

import (
	"hash/fnv"
	"sync"
)

type counterShard struct {
	mu sync.Mutex
	m  map[string]int
}

type shardedCounter struct {
	shards [16]counterShard
}

func (c *shardedCounter) shardFor(k string) *counterShard {
	h := fnv.New32a()
	h.Write([]byte(k))
	return &c.shards[h.Sum32()%uint32(len(c.shards))]
}

// Lock striping by key: two keys of the batch can hash to the same shard.
func (c *shardedCounter) addBatch(keys []string) {
	for _, k := range keys {
		sh := c.shardFor(k)
		sh.mu.Lock()
		defer sh.mu.Unlock() // want `sh\.mu is locked on line \d+ but the deferred sh\.mu\.Unlock\(\) runs only when shardedCounter\.addBatch returns, so a later iteration whose key c\.shardFor\(k\) gives the same mutex runs sh\.mu\.Lock\(\), which deadlocks`
		sh.m[k]++
	}
}

// Every shard once, in order, counted under all their locks: each shard stays locked while the
// later ones are counted, and nothing after the loop needs them held (medium: the count may want
// a consistent view).
func (c *shardedCounter) lockAll() int {
	n := 0
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		defer sh.mu.Unlock() // want `sh\.mu is locked on line \d+ in every iteration of the loop on line \d+, but the deferred sh\.mu\.Unlock\(\) runs only when shardedCounter\.lockAll returns`
		n += len(sh.m)
	}
	return n
}

type upstream struct {
	mu      sync.Mutex
	addr    string
	fails   int
	healthy bool
}

// Each upstream is updated on its own: nothing is gathered across them and nothing follows the
// loop, so holding every earlier upstream locked while the later ones are handled buys nothing.
func applyHealth(upstreams []*upstream, results map[string]error) {
	for _, b := range upstreams {
		b.mu.Lock()
		defer b.mu.Unlock() // want `b\.mu is locked on line \d+ in every iteration of the loop on line \d+, but the deferred b\.mu\.Unlock\(\) runs only when applyHealth returns, so each b\.mu stays locked while the later iterations run`
		err, ok := results[b.addr]
		if !ok {
			continue
		}
		if err != nil {
			b.fails++
			b.healthy = b.fails < 3
			continue
		}
		b.fails = 0
		b.healthy = true
	}
}

// Counted across all upstreams under all their locks: the locks pile up as the loop goes on.
func healthyCount(upstreams []*upstream) int {
	n := 0
	for _, b := range upstreams {
		b.mu.Lock()
		defer b.mu.Unlock() // want `b\.mu is locked on line \d+ in every iteration of the loop on line \d+, but the deferred b\.mu\.Unlock\(\) runs only when healthyCount returns`
		if b.healthy {
			n++
		}
	}
	return n
}

type testNode struct {
	mu     sync.Mutex
	done   bool
	parent *testNode
}

// A search up the ancestors, each kept locked until the answer is returned: no finding.
func (c *testNode) destination() *testNode {
	for p := c.parent; p != nil; p = p.parent {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.done {
			return p
		}
	}
	return nil
}
