// Package metrics keeps process-wide counters and durations and renders them
// in a Prometheus-like text format.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Registry is a set of named counters and accumulated durations.
type Registry struct {
	mu        sync.Mutex
	counters  map[string]int64
	durations map[string]time.Duration
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters:  make(map[string]int64),
		durations: make(map[string]time.Duration),
	}
}

// Inc adds one to the counter name.
func (r *Registry) Inc(name string) { r.Add(name, 1) }

// Add adds n to the counter name.
func (r *Registry) Add(name string, n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += n
}

// Set sets the counter name to v (used as a gauge, e.g. for timestamps).
func (r *Registry) Set(name string, v int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] = v
}

// Get returns the current value of the counter name.
func (r *Registry) Get(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counters[name]
}

// ObserveDuration adds d to the duration name and counts the observation.
func (r *Registry) ObserveDuration(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.durations[name] += d
	r.counters[name+"_count"]++
}

// Timer starts timing name and returns the function that stops the timer:
//
//	defer reg.Timer("upload")()
func (r *Registry) Timer(name string) func() {
	start := time.Now()
	return func() { r.ObserveDuration(name, time.Since(start)) }
}

// Reset clears every counter and duration and counts the reset itself, so
// dashboards can tell a deliberate reset from a process restart.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.counters)
	clear(r.durations)
	r.Inc("metrics_resets_total") // HAZ lock-reentry-under-defer
}

// ResetCounter zeroes one counter and counts the reset.
func (r *Registry) ResetCounter(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.counters, name)
	r.incLocked("metrics_resets_total")
}

// incLocked increments a counter; the caller holds r.mu.
func (r *Registry) incLocked(name string) {
	r.counters[name]++
}

// WriteText writes all counters and durations (in seconds), sorted by name.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	lines := make([]string, 0, len(r.counters)+len(r.durations))
	for name, v := range r.counters {
		lines = append(lines, fmt.Sprintf("backupsched_%s %d", name, v))
	}
	for name, d := range r.durations {
		lines = append(lines, fmt.Sprintf("backupsched_%s_seconds %.3f", name, d.Seconds()))
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
