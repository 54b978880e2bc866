// Package trace records coarse wall-clock spans for the gateway's hot paths.
// It is deliberately tiny: spans are aggregated in memory and exposed on the
// admin API, nothing is exported to a tracing backend.
package trace

import (
	"sort"
	"sync"
	"time"
)

// Stat aggregates the spans recorded under one name.
type Stat struct {
	Name  string        `json:"name"`
	Count int64         `json:"count"`
	Total time.Duration `json:"total"`
	Max   time.Duration `json:"max"`
}

var (
	mu    sync.Mutex
	stats = map[string]*Stat{}
)

// Span starts a span and returns the function that ends it, so callers write
// `defer trace.Span("name")()`.
func Span(name string) func() {
	start := time.Now()
	return func() {
		record(name, time.Since(start))
	}
}

func record(name string, d time.Duration) {
	mu.Lock()
	defer mu.Unlock()
	s, ok := stats[name]
	if !ok {
		s = &Stat{Name: name}
		stats[name] = s
	}
	s.Count++
	s.Total += d
	if d > s.Max {
		s.Max = d
	}
}

// Snapshot returns a copy of all span statistics sorted by name.
func Snapshot() []Stat {
	mu.Lock()
	out := make([]Stat, 0, len(stats))
	for _, s := range stats {
		out = append(out, *s)
	}
	mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Reset drops all recorded statistics.
func Reset() {
	mu.Lock()
	defer mu.Unlock()
	stats = map[string]*Stat{}
}
