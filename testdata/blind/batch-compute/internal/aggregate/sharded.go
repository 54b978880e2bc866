package aggregate

import (
	"hash/fnv"
	"log"
	"sync"
	"time"
)

// Sharded spreads keys over several tables to reduce lock contention.
type Sharded struct {
	shards []*Table
}

// NewSharded returns a table with n shards.
func NewSharded(n int) *Sharded {
	if n < 1 {
		n = 1
	}
	s := &Sharded{shards: make([]*Table, n)}
	for i := range s.shards {
		s.shards[i] = NewTable()
	}
	return s
}

func (s *Sharded) shard(key string) *Table {
	h := fnv.New32a()
	h.Write([]byte(key))
	return s.shards[h.Sum32()%uint32(len(s.shards))]
}

// Observe adds x under key in its shard.
func (s *Sharded) Observe(key string, x float64) error { return s.shard(key).Observe(key, x) }

// Collapse merges every shard into one table using one goroutine per shard, all of which
// are joined before Collapse returns.
func (s *Sharded) Collapse() (*Table, error) {
	out := NewTable()
	errs := make([]error, len(s.shards))
	var wg sync.WaitGroup
	for i, sh := range s.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = out.MergeFrom(sh)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Counter is a mutex-guarded map of event counts.
type Counter struct {
	mu sync.Mutex
	m  map[string]int
}

// NewCounter returns an empty counter.
func NewCounter() *Counter { return &Counter{m: make(map[string]int)} }

// Inc adds one to key.
func (c *Counter) Inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key]++
}

// IncIfBelow adds one to key unless it already reached limit.
func (c *Counter) IncIfBelow(key string, limit int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[key] >= limit {
		return false
	}
	c.m[key]++
	return true
}

// Total returns the sum of all counts.
func (c *Counter) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.m {
		n += v
	}
	return n
}

// Reset clears the counts and returns the total before the reset.
func (c *Counter) Reset() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.totalLocked()
	c.m = make(map[string]int)
	return n
}

func (c *Counter) totalLocked() int {
	n := 0
	for _, v := range c.m {
		n += v
	}
	return n
}

// MergeAll collapses every table into one and logs when each merge finished.
func MergeAll(tables []*Table, logger *log.Logger) (*Table, error) {
	out := NewTable()
	defer logger.Printf("merged %d tables, finished at %v", len(tables), time.Now()) // HAZ defer-eager-evaluation
	for _, t := range tables {
		if err := out.MergeFrom(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MergeAllTimed collapses every table into one and logs the elapsed time at exit.
func MergeAllTimed(tables []*Table, logger *log.Logger) (*Table, error) {
	start := time.Now()
	defer func() { logger.Printf("merged %d tables in %s", len(tables), time.Since(start)) }()
	out := NewTable()
	for _, t := range tables {
		if err := out.MergeFrom(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}
