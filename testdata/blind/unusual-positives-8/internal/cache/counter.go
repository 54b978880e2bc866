package cache

import "sync"

// Counter counts events per key up to a limit. The embedded Mutex guards
// counts.
type Counter[K comparable] struct {
	sync.Mutex
	counts map[K]int
	limit  int
}

// NewCounter returns a counter that allows limit events per key.
func NewCounter[K comparable](limit int) *Counter[K] {
	return &Counter[K]{counts: make(map[K]int), limit: limit}
}

// Allow records one event for k and reports whether k was still under its
// limit.
func (c *Counter[K]) Allow(k K) bool {
	c.Lock() // HAZ lock-leaked-on-return
	if c.counts[k] >= c.limit {
		return false
	}
	c.counts[k]++
	c.Unlock()
	return true
}

// Remaining returns how many more events k may record.
func (c *Counter[K]) Remaining(k K) int {
	c.Lock()
	n := c.limit - c.counts[k]
	c.Unlock()
	if n < 0 {
		return 0
	}
	return n
}

// Release gives back one event previously allowed for k.
func (c *Counter[K]) Release(k K) {
	c.Lock()
	defer c.Unlock()
	if c.counts[k] > 1 {
		c.counts[k]--
		return
	}
	delete(c.counts, k)
}

// Reset forgets all counts and returns the previous ones.
func (c *Counter[K]) Reset() map[K]int {
	c.Lock()
	defer c.Unlock()
	old := c.counts
	c.counts = make(map[K]int, len(old))
	return old
}
