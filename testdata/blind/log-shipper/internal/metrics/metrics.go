// Package metrics keeps simple in-process counters and timings that the
// admin endpoint exposes in a text format.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

type timing struct {
	count int64
	total time.Duration
	max   time.Duration
}

// Registry holds named counters and timings.
type Registry struct {
	mu       sync.Mutex
	counters map[string]int64
	timings  map[string]*timing
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{counters: make(map[string]int64), timings: make(map[string]*timing)}
}

// Add increments counter name by delta.
func (r *Registry) Add(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += delta
}

// Time starts a timer and returns the function that stops it:
//
//	defer m.Time("ship")()
func (r *Registry) Time(name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start)) }
}

// Observe records one duration for name.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.timings[name]
	if t == nil {
		t = &timing{}
		r.timings[name] = t
	}
	t.count++
	t.total += d
	if d > t.max {
		t.max = d
	}
}

// Counter returns the current value of a counter.
func (r *Registry) Counter(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counters[name]
}

// Reset clears everything and returns the counters as they were.
func (r *Registry) Reset() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	old := r.counters
	r.counters = make(map[string]int64)
	r.timings = make(map[string]*timing)
	return old
}

// WriteText writes "name value" lines, sorted by name; timings are written
// as name_count, name_avg_ms and name_max_ms.
func (r *Registry) WriteText(w io.Writer) error {
	lines := r.lines()
	sort.Strings(lines)
	for _, l := range lines {
		if _, err := io.WriteString(w, l+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// lines renders every metric while holding the lock only for the copy.
func (r *Registry) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.counters)+3*len(r.timings))
	for k, v := range r.counters {
		out = append(out, fmt.Sprintf("%s %d", k, v))
	}
	for k, t := range r.timings {
		avg := time.Duration(0)
		if t.count > 0 {
			avg = t.total / time.Duration(t.count)
		}
		out = append(out,
			fmt.Sprintf("%s_count %d", k, t.count),
			fmt.Sprintf("%s_avg_ms %.3f", k, float64(avg)/float64(time.Millisecond)),
			fmt.Sprintf("%s_max_ms %.3f", k, float64(t.max)/float64(time.Millisecond)))
	}
	return out
}

// Measure runs fn and records how long it took under name.
func (r *Registry) Measure(name string, fn func()) {
	start := time.Now()
	defer r.Observe(name, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	fn()
}

// MeasureErr runs fn and records its duration; failures are also counted.
func (r *Registry) MeasureErr(name string, fn func() error) error {
	defer r.Time(name)()
	err := fn()
	if err != nil {
		r.Add(name+"_errors", 1)
	}
	return err
}

// Take returns counter name and resets it to zero; ok is false if the
// counter does not exist.
func (r *Registry) Take(name string) (v int64, ok bool) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	v, ok = r.counters[name]
	if !ok {
		return 0, false
	}
	delete(r.counters, name)
	r.mu.Unlock()
	return v, true
}
