// Package metrics keeps in-process counters and latency samples for the
// feature store and renders them as JSON for the admin endpoint.
package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

const defaultMaxSamples = 2048

// Registry holds named counters and a bounded window of latency samples per
// timer. The zero value is not usable; call NewRegistry.
type Registry struct {
	mu         sync.RWMutex
	counters   map[string]int64
	latencies  map[string][]time.Duration
	maxSamples int
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters:   make(map[string]int64),
		latencies:  make(map[string][]time.Duration),
		maxSamples: defaultMaxSamples,
	}
}

// Inc adds delta to the named counter.
func (r *Registry) Inc(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += delta
}

// Observe records one latency sample for the named timer.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := append(r.latencies[name], d)
	if len(s) > r.maxSamples {
		s = s[len(s)-r.maxSamples:]
	}
	r.latencies[name] = s
}

// Time starts a timer and returns the function that records it:
//
//	defer m.Time("cache.sweep")()
func (r *Registry) Time(name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start)) }
}

// Counter returns the current value of a counter.
func (r *Registry) Counter(name string) int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.counters[name]
}

// Reset drops every counter and sample.
func (r *Registry) Reset() {
	r.mu.Lock()
	r.counters = make(map[string]int64)
	r.latencies = make(map[string][]time.Duration)
	r.mu.Unlock()
}

// Snapshot is a point-in-time copy of a registry.
type Snapshot struct {
	Taken    time.Time                `json:"taken"`
	Counters map[string]int64         `json:"counters"`
	P50      map[string]time.Duration `json:"p50"`
	P99      map[string]time.Duration `json:"p99"`
}

// Snapshot copies the registry's current state.
func (r *Registry) Snapshot() Snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s := Snapshot{
		Taken:    time.Now(),
		Counters: make(map[string]int64, len(r.counters)),
		P50:      make(map[string]time.Duration, len(r.latencies)),
		P99:      make(map[string]time.Duration, len(r.latencies)),
	}
	for k, v := range r.counters {
		s.Counters[k] = v
	}
	for k, ds := range r.latencies {
		s.P50[k] = percentile(ds, 0.50)
		s.P99[k] = percentile(ds, 0.99)
	}
	return s
}

// Summary renders a one-line human summary for logs.
func (r *Registry) Summary() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var events int64
	for _, v := range r.counters {
		events += v
	}
	snap := r.Snapshot() // HAZ lock-reentry-under-defer
	return fmt.Sprintf("%d counters (%d events), %d timers, taken %s",
		len(snap.Counters), events, len(snap.P50), snap.Taken.Format(time.RFC3339))
}

// Publish writes the snapshot as indented JSON.
func (s Snapshot) Publish(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// ServeHTTP exposes the registry on the admin mux.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := r.Snapshot().Publish(w); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	idx := int(math.Ceil(p*float64(len(sorted)))) - 1
	if idx < 0 {
		idx = 0
	}
	return sorted[idx]
}

// SetMaxSamples changes how many latency samples are kept per timer.
func (r *Registry) SetMaxSamples(n int) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if n < 1 {
		return fmt.Errorf("metrics: max samples must be positive, got %d", n)
	}
	r.maxSamples = n
	for k, s := range r.latencies {
		if len(s) > n {
			r.latencies[k] = s[len(s)-n:]
		}
	}
	r.mu.Unlock()
	return nil
}
