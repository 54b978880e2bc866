// Package metrics keeps per-operation latency summaries in memory and serves them as text.
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

// Summary aggregates the observations of one operation.
type Summary struct {
	Count  int
	Errors int
	Total  time.Duration
	Max    time.Duration
}

// Registry is safe for concurrent use.
type Registry struct {
	mu  sync.RWMutex
	ops map[string]*Summary
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{ops: make(map[string]*Summary)}
}

// Observe records one duration for op.
func (r *Registry) Observe(op string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.summaryLocked(op)
	s.Count++
	s.Total += d
	if d > s.Max {
		s.Max = d
	}
}

// ObserveSpan records the duration between start and end for op.
func (r *Registry) ObserveSpan(op string, start, end time.Time) {
	r.Observe(op, end.Sub(start))
}

// ObserveError counts one failure of op.
func (r *Registry) ObserveError(op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.summaryLocked(op).Errors++
}

func (r *Registry) summaryLocked(op string) *Summary {
	s, ok := r.ops[op]
	if !ok {
		s = &Summary{}
		r.ops[op] = s
	}
	return s
}

// Track starts timing op and returns the function that records it:
//
//	defer reg.Track("sync")()
func (r *Registry) Track(op string) func() {
	start := time.Now()
	return func() { r.Observe(op, time.Since(start)) }
}

// Snapshot copies the current summaries.
func (r *Registry) Snapshot() map[string]Summary {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]Summary, len(r.ops))
	for k, v := range r.ops {
		out[k] = *v
	}
	return out
}

// Reset forgets every summary whose operation starts with prefix and returns how many it dropped.
func (r *Registry) Reset(prefix string) int {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	n := 0
	for op := range r.ops {
		if strings.HasPrefix(op, prefix) {
			delete(r.ops, op)
			n++
		}
	}
	return n
}

// Len returns the number of tracked operations.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.ops)
}

// WriteTo writes the summaries in a line-oriented text format, sorted by operation.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	snap := r.Snapshot()
	names := make([]string, 0, len(snap))
	for name := range snap {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		s := snap[name]
		fmt.Fprintf(&b, "op_count{op=%q} %d\n", name, s.Count)
		fmt.Fprintf(&b, "op_errors{op=%q} %d\n", name, s.Errors)
		fmt.Fprintf(&b, "op_seconds_total{op=%q} %f\n", name, s.Total.Seconds())
		fmt.Fprintf(&b, "op_seconds_max{op=%q} %f\n", name, s.Max.Seconds())
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// ServeHTTP exposes the registry on a metrics endpoint.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if _, err := r.WriteTo(w); err != nil {
		// The client went away; nothing more to do.
		return
	}
}
