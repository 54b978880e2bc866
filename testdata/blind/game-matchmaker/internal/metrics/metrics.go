// Package metrics is a tiny in-process metrics registry exported as text on
// the admin endpoint.
package metrics

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// Registry holds counters and latency summaries.
type Registry struct {
	mu       sync.Mutex
	counters map[string]int64
	timings  map[string]*summary
}

type summary struct {
	count int64
	total time.Duration
	max   time.Duration
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		counters: make(map[string]int64),
		timings:  make(map[string]*summary),
	}
}

// Add increments counter name by delta.
func (r *Registry) Add(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += delta
}

// Inc increments counter name by one.
func (r *Registry) Inc(name string) { r.Add(name, 1) }

// Observe records one latency sample for name.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.timings[name]
	if !ok {
		s = &summary{}
		r.timings[name] = s
	}
	s.count++
	s.total += d
	if d > s.max {
		s.max = d
	}
}

// Time starts a timer and returns the func that records it. Use it as
// `defer reg.Time("name")()`.
func (r *Registry) Time(name string) func() {
	start := time.Now()
	return func() {
		r.Observe(name, time.Since(start))
	}
}

// Counter returns the current value of a counter.
func (r *Registry) Counter(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counters[name]
}

// Reset zeroes every counter whose name starts with prefix.
func (r *Registry) Reset(prefix string) (int, error) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if prefix == "" {
		return 0, errors.New("metrics: refusing to reset every counter")
	}
	n := 0
	for name := range r.counters {
		if strings.HasPrefix(name, prefix) {
			r.counters[name] = 0
			n++
		}
	}
	r.mu.Unlock()
	return n, nil
}

// WriteText writes every metric in a stable order. The registry lock is
// only held while copying, never while writing to w.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	lines := make([]string, 0, len(r.counters)+len(r.timings))
	for name, v := range r.counters {
		lines = append(lines, fmt.Sprintf("%s %d", name, v))
	}
	for name, s := range r.timings {
		avg := time.Duration(0)
		if s.count > 0 {
			avg = s.total / time.Duration(s.count)
		}
		lines = append(lines, fmt.Sprintf("%s_count %d", name, s.count),
			fmt.Sprintf("%s_avg_ms %.3f", name, avg.Seconds()*1000),
			fmt.Sprintf("%s_max_ms %.3f", name, s.max.Seconds()*1000))
	}
	r.mu.Unlock()

	sort.Strings(lines)
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}
