package trace

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Counters counts processed and failed items; safe for concurrent use.
type Counters struct {
	processed atomic.Int64
	failed    atomic.Int64
}

// Inc counts one item, as failed unless ok.
func (c *Counters) Inc(ok bool) {
	if ok {
		c.processed.Add(1)
		return
	}
	c.failed.Add(1)
}

// Snapshot copies the current values.
func (c *Counters) Snapshot() Stats {
	return Stats{Processed: c.processed.Load(), Failed: c.failed.Load()}
}

// Stats is a point-in-time copy of Counters.
type Stats struct {
	Processed, Failed int64
}

// Publish writes the stats in key=value form.
func (s Stats) Publish(w io.Writer) {
	fmt.Fprintf(w, "processed=%d failed=%d\n", s.Processed, s.Failed)
}

// Hist keeps raw duration samples and answers quantile queries.
type Hist struct {
	mu      sync.Mutex
	samples []time.Duration
}

// Observe records one sample.
func (h *Hist) Observe(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.samples = append(h.samples, d)
}

// Quantile returns the q-quantile (0..1) of the recorded samples.
func (h *Hist) Quantile(q float64) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.samples) == 0 {
		return 0
	}
	s := slices.Clone(h.samples)
	slices.Sort(s)
	i := int(q * float64(len(s)-1))
	return s[i]
}

// Timed runs fn and observes how long it took, including the failing path.
func Timed[T any](h *Hist, fn func() (T, error)) (T, error) {
	start := time.Now()
	defer func() { h.Observe(time.Since(start)) }()
	return fn()
}
