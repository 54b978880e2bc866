package blindc

import (
	"io"
	"sync"
)

// MaxGauge tracks the maximum observed value and the number of observations.
type MaxGauge struct {
	mu  sync.Mutex
	max float64
	n   int64
}

// ObserveMax records v.
func (g *MaxGauge) ObserveMax(v float64) {
	g.mu.Lock() // HAZ lock-leaked-on-return
	g.n++
	if v > g.max {
		g.max = v
		g.mu.Unlock()
	}
}

// Record is ObserveMax with a single unlock at the end.
func (g *MaxGauge) Record(v float64) {
	g.mu.Lock()
	g.n++
	if v > g.max {
		g.max = v
	}
	g.mu.Unlock() // ok: reached on every path
}

// Counter is a counter that signals changes on a 1-buffered channel.
type Counter struct {
	mu      sync.Mutex
	val     int64
	changed chan struct{}
}

// NewCounter returns a zero counter.
func NewCounter() *Counter { return &Counter{changed: make(chan struct{}, 1)} }

// unlockAndNotify releases c.mu and signals waiters.
func (c *Counter) unlockAndNotify() {
	c.mu.Unlock()
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

// AddDelta adds delta and returns the new value.
func (c *Counter) AddDelta(delta int64) int64 {
	c.mu.Lock()
	c.val += delta
	v := c.val
	c.unlockAndNotify() // ok: the helper releases c.mu
	return v
}

// Histogram is a fixed-bucket histogram; counts has len(bounds)+1 slots.
type Histogram struct {
	mu      sync.Mutex
	bounds  []float64
	counts  []int64
	sum     float64
	version uint64
}

// NewHistogram returns a histogram with the given upper bounds.
func NewHistogram(bounds []float64) *Histogram {
	return &Histogram{bounds: bounds, counts: make([]int64, len(bounds)+1)}
}

// Observe records v; the deferred closure unlocks on both returns.
func (h *Histogram) Observe(v float64) {
	h.mu.Lock()
	defer func() {
		h.version++
		h.mu.Unlock() // ok
	}()
	h.sum += v
	for i, b := range h.bounds {
		if v <= b {
			h.counts[i]++
			return
		}
	}
	h.counts[len(h.counts)-1]++
}

// LockedWriter serialises writes to w. It implements sync.Locker so callers
// can group several writes into one critical section.
type LockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

var _ sync.Locker = (*LockedWriter)(nil)

// Lock acquires the writer; the caller releases it with Unlock.
func (lw *LockedWriter) Lock() { lw.mu.Lock() } // ok: sync.Locker wrapper

// Unlock releases the writer.
func (lw *LockedWriter) Unlock() { lw.mu.Unlock() }

// WriteString writes s as one unit.
func (lw *LockedWriter) WriteString(s string) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return io.WriteString(lw.w, s)
}
