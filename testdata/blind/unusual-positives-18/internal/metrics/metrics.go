// Package metrics keeps in-process timings and operation results.
package metrics

import (
	"sort"
	"sync"
	"time"
)

// Registry accumulates timings and success/failure counts by name.
type Registry struct {
	mu      sync.Mutex
	timings map[string][]time.Duration
	ok      map[string]int
	failed  map[string]int
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		timings: make(map[string][]time.Duration),
		ok:      make(map[string]int),
		failed:  make(map[string]int),
	}
}

// Default is the process-wide registry.
var Default = NewRegistry()

// Observe records one timing for name.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timings[name] = append(r.timings[name], d)
}

// Result counts the outcome of one operation.
func (r *Registry) Result(op string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.failed[op]++
		return
	}
	r.ok[op]++
}

// Mean returns the mean of every name's timings, in name order.
func (r *Registry) Mean() []Timing {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Timing, 0, len(r.timings))
	for name, ds := range r.timings {
		var sum time.Duration
		for _, d := range ds {
			sum += d
		}
		out = append(out, Timing{Name: name, Mean: sum / time.Duration(len(ds)), N: len(ds)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Timing is one row of Mean's result.
type Timing struct {
	Name string
	Mean time.Duration
	N    int
}

// Track starts timing name on the default registry and returns the func
// that stops the clock. Use it as `defer metrics.Track("name")()`.
func Track(name string) func() {
	start := time.Now()
	return func() { Default.Observe(name, time.Since(start)) }
}
