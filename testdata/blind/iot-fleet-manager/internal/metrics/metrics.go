// Package metrics is a tiny in-process metrics registry exposed to
// operators in a plain-text format.
package metrics

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Timing aggregates observed durations for one name.
type Timing struct {
	Count int64
	Total time.Duration
	Max   time.Duration
}

// Registry holds counters and timings. The zero value is not usable; use
// NewRegistry.
type Registry struct {
	mu       sync.Mutex
	counters map[string]int64
	timings  map[string]*Timing
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters: make(map[string]int64),
		timings:  make(map[string]*Timing),
	}
}

// Inc adds one to the named counter.
func (r *Registry) Inc(name string) { r.Add(name, 1) }

// Add adds delta to the named counter.
func (r *Registry) Add(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += delta
}

// Observe records one duration for name.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.timings[name]
	if t == nil {
		t = &Timing{}
		r.timings[name] = t
	}
	t.Count++
	t.Total += d
	if d > t.Max {
		t.Max = d
	}
}

// Timer starts timing name and returns the function that stops it. The
// usual form is `defer reg.Timer("op")()`.
func (r *Registry) Timer(name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start)) }
}

// Counter returns the current value of a counter.
func (r *Registry) Counter(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counters[name]
}

// Snapshot returns a copy of all counters.
func (r *Registry) Snapshot() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.counters))
	for k, v := range r.counters {
		out[k] = v
	}
	return out
}

// Drain returns the counters and resets them, for push-style exporters that
// ship deltas.
func (r *Registry) Drain() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.Snapshot() // HAZ lock-reentry-under-defer
	clear(r.counters)
	return out
}

// formatLocked renders the registry; r.mu must be held.
func (r *Registry) formatLocked() []string {
	lines := make([]string, 0, len(r.counters)+len(r.timings))
	for name, v := range r.counters {
		lines = append(lines, fmt.Sprintf("%s %d\n", name, v))
	}
	for name, t := range r.timings {
		avg := time.Duration(0)
		if t.Count > 0 {
			avg = t.Total / time.Duration(t.Count)
		}
		lines = append(lines, fmt.Sprintf("%s_count %d\n%s_avg_ms %.3f\n%s_max_ms %.3f\n",
			name, t.Count, name, avg.Seconds()*1e3, name, t.Max.Seconds()*1e3))
	}
	sort.Strings(lines)
	return lines
}

// WriteText writes the registry in text form. The lock is not held while
// writing, so a slow reader cannot stall the instrumented code.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	lines := r.formatLocked()
	r.mu.Unlock()
	for _, l := range lines {
		if _, err := io.WriteString(w, l); err != nil {
			return err
		}
	}
	return nil
}

// Handler serves the registry over HTTP.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_ = r.WriteText(w)
	})
}

// ResetPrefix zeroes the counters whose name starts with prefix.
func (r *Registry) ResetPrefix(prefix string) int {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if prefix == "" {
		return 0 // refuse to wipe everything by accident
	}
	n := 0
	for name := range r.counters {
		if strings.HasPrefix(name, prefix) {
			r.counters[name] = 0
			n++
		}
	}
	r.mu.Unlock()
	return n
}
