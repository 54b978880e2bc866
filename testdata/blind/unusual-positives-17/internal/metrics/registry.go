package metrics

import (
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"sync"
	"time"
)

// Registry holds named metrics.
type Registry struct {
	mu      sync.Mutex
	metrics map[string]io.WriterTo
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{metrics: make(map[string]io.WriterTo)}
}

// MustRegister adds m under name and panics on a duplicate name.
func (r *Registry) MustRegister(name string, m io.WriterTo) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.metrics[name]; dup {
		panic(fmt.Sprintf("metrics: duplicate metric %q", name))
	}
	r.metrics[name] = m
}

// WriteAll writes every metric, sorted by name.
func (r *Registry) WriteAll(w io.Writer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.metrics))
	for n := range r.metrics {
		names = append(names, n)
	}
	slices.Sort(names)
	defer log.Printf("metrics: wrote %d metrics", len(names))
	for _, n := range names {
		if _, err := r.metrics[n].WriteTo(w); err != nil {
			return fmt.Errorf("metrics: write %s: %w", n, err)
		}
	}
	return nil
}

// FlushTo writes every metric and records how long the flush took.
func (r *Registry) FlushTo(w io.Writer) error {
	defer FlushLatency.Time(Seconds) // HAZ defer-func-result-not-called
	return r.WriteAll(w)
}

// FlushTimed is FlushTo with the returned stop function actually deferred.
func (r *Registry) FlushTimed(w io.Writer) error {
	defer FlushLatency.Time(Seconds)()
	return r.WriteAll(w)
}

// flushLoop writes the registry to w every interval, forever.
func (r *Registry) flushLoop(w io.Writer, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		if err := r.FlushTimed(w); err != nil {
			log.Printf("metrics: flush: %v", err)
		}
	}
}

// ObserveIngest runs fn and records its duration in IngestLatency.
func ObserveIngest(fn func() error) error {
	start := time.Now()
	defer IngestLatency.Observe(time.Now().Sub(start).Seconds()) // HAZ defer-eager-evaluation
	return fn()
}

// ObserveDecode runs fn and records its duration in DecodeLatency; the
// elapsed time is computed inside the deferred literal.
func ObserveDecode(fn func() error) error {
	start := time.Now()
	defer func() { DecodeLatency.Observe(time.Since(start).Milliseconds()) }()
	return fn()
}

// flushInterval reads the flush period from the environment.
func flushInterval() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("UP17_METRICS_EVERY")); err == nil && d > 0 {
		return d
	}
	return 30 * time.Second
}
