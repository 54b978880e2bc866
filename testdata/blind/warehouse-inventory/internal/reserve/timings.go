package reserve

import (
	"sort"
	"sync"
	"time"
)

// Timings accumulates operation latencies for the ops dashboard.
type Timings struct {
	mu    sync.RWMutex
	total map[string]time.Duration
	count map[string]int
}

// NewTimings returns an empty latency table.
func NewTimings() *Timings {
	return &Timings{total: make(map[string]time.Duration), count: make(map[string]int)}
}

// Observe records one operation of kind op that took d.
func (t *Timings) Observe(op string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total[op] += d
	t.count[op]++
}

// ObserveSince records one operation of kind op that started at start. It is
// meant to be deferred with the start time: defer t.ObserveSince(op, time.Now()).
func (t *Timings) ObserveSince(op string, start time.Time) {
	t.Observe(op, time.Since(start))
}

// Mean returns the average latency of op, or zero if it was never observed.
func (t *Timings) Mean(op string) time.Duration {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := t.count[op]
	if n == 0 {
		return 0
	}
	return t.total[op] / time.Duration(n)
}

// Ops lists the observed operation kinds.
func (t *Timings) Ops() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	ops := make([]string, 0, len(t.count))
	for op := range t.count {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	return ops
}

// Reset clears the table; ops call it after each dashboard export.
func (t *Timings) Reset() {
	t.mu.Lock()
	defer t.mu.RUnlock() // HAZ defer-lock-mismatch
	clear(t.total)
	clear(t.count)
}
