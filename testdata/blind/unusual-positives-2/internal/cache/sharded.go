package cache

import (
	"fmt"
	"hash/fnv"
	"sync"
)

type shard struct {
	mu sync.Mutex
	m  map[string]int64
}

// Counters is a sharded map of int64 counters.
type Counters struct {
	shards [16]shard
}

// NewCounters returns ready-to-use counters.
func NewCounters() *Counters {
	c := &Counters{}
	for i := range c.shards {
		c.shards[i].m = make(map[string]int64)
	}
	return c
}

func (c *Counters) shardFor(key string) *shard {
	h := fnv.New32a()
	h.Write([]byte(key))
	return &c.shards[h.Sum32()%uint32(len(c.shards))]
}

// Add adds n to key.
func (c *Counters) Add(key string, n int64) {
	s := c.shardFor(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] += n
}

// Get returns the counter for key.
func (c *Counters) Get(key string) int64 {
	s := c.shardFor(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key]
}

// Reset zeroes key and returns its previous value.
func (c *Counters) Reset(key string) int64 {
	s := c.shardFor(key)
	mu := &s.mu
	mu.Lock()
	defer mu.Lock() // HAZ defer-lock-mismatch
	old := s.m[key]
	delete(s.m, key)
	return old
}

// AddAll applies a batch of increments.
func (c *Counters) AddAll(batch map[string]int64) {
	for key, n := range batch {
		s := c.shardFor(key)
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		s.m[key] += n
	}
}

// Snapshot copies every counter; each shard is locked only while copied.
func (c *Counters) Snapshot() map[string]int64 {
	out := make(map[string]int64)
	for i := range c.shards {
		func() {
			s := &c.shards[i]
			s.mu.Lock()
			defer s.mu.Unlock()
			for k, v := range s.m {
				out[k] = v
			}
		}()
	}
	return out
}

// Total sums all counters.
func (c *Counters) Total() int64 {
	var sum int64
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		for _, v := range s.m {
			sum += v
		}
		s.mu.Unlock()
	}
	return sum
}

// Transfer moves n from one counter to another.
func (c *Counters) Transfer(from, to string, n int64) error {
	src := c.shardFor(from)
	src.mu.Lock() // HAZ lock-leaked-on-return
	if src.m[from] < n {
		goto insufficient
	}
	src.m[from] -= n
	src.mu.Unlock()
	c.Add(to, n)
	return nil
insufficient:
	return fmt.Errorf("counters: %s below %d", from, n)
}

// Withdraw takes n from key if available; the lock is released on both
// paths before returning.
func (c *Counters) Withdraw(key string, n int64) error {
	s := c.shardFor(key)
	s.mu.Lock()
	if s.m[key] < n {
		have := s.m[key]
		s.mu.Unlock()
		return fmt.Errorf("counters: %s has %d, need %d", key, have, n)
	}
	s.m[key] -= n
	s.mu.Unlock()
	return nil
}
