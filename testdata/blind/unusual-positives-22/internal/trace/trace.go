// Package trace records coarse timings and counters for batch jobs.
package trace

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Tracer accumulates named durations.
type Tracer struct {
	mu    sync.Mutex
	now   func() time.Time
	total map[string]time.Duration
	calls map[string]int
}

// New returns an empty tracer.
func New() *Tracer {
	return &Tracer{now: time.Now, total: map[string]time.Duration{}, calls: map[string]int{}}
}

// Region starts timing name and returns the function that stops it.
func (t *Tracer) Region(name string) func() {
	start := t.now()
	return func() { t.record(name, t.now().Sub(start)) }
}

func (t *Tracer) record(name string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total[name] += d
	t.calls[name]++
}

// Span is an open timing that must be ended.
type Span struct {
	t     *Tracer
	name  string
	start time.Time
}

// Start opens a span.
func (t *Tracer) Start(name string) *Span {
	return &Span{t: t, name: name, start: t.now()}
}

// End closes the span.
func (s *Span) End() {
	s.t.record(s.name, s.t.now().Sub(s.start))
}

// Dump writes the totals sorted by name.
func (t *Tracer) Dump(w io.Writer) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := make([]string, 0, len(t.total))
	for n := range t.total {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%-24s %6d %v\n", n, t.calls[n], t.total[n]); err != nil {
			return err
		}
	}
	return nil
}

// Counters are monotonically increasing job counters.
type Counters struct {
	mu     sync.Mutex
	values map[string]int64
}

// Add increments counter name by n.
func (c *Counters) Add(name string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.values == nil {
		c.values = map[string]int64{}
	}
	c.values[name] += n
}

// Snapshot returns a copy of the current values.
func (c *Counters) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := make(Snapshot, len(c.values))
	for k, v := range c.values {
		s[k] = v
	}
	return s
}

// Snapshot is a frozen copy of Counters.
type Snapshot map[string]int64

// Publish hands the values to sink.
func (s Snapshot) Publish(sink func(string, int64)) {
	for k, v := range s {
		sink(k, v)
	}
}
