// Package monitor is the monitoring side of the system: a metrics registry,
// a scraper that pulls other processes' metrics, a pusher, alert rule
// evaluation, black-box probes and a segment archiver.
package monitor

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
)

// Metric is anything with a current value.
type Metric interface {
	Value() float64
}

// Counter is a monotonically increasing count.
type Counter struct{ n atomic.Uint64 }

// Inc adds one.
func (c *Counter) Inc() { c.n.Add(1) }

// Value returns the count.
func (c *Counter) Value() float64 { return float64(c.n.Load()) }

// Gauge is a value that can go up and down.
type Gauge struct{ bits atomic.Uint64 }

// Set stores v.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Value returns the last stored value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

// GaugeFunc reports the value of a callback, e.g. a queue length.
type GaugeFunc func() float64

// Value calls the callback. A panicking callback reads as zero.
func (f GaugeFunc) Value() (v float64) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	return f()
}

// Registry holds named metrics.
type Registry struct {
	mu      sync.RWMutex
	metrics map[string]Metric
	help    map[string]string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{metrics: make(map[string]Metric), help: make(map[string]string)}
}

// Register adds m under name.
func (r *Registry) Register(name, help string, m Metric) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.metrics[name]; dup {
		return fmt.Errorf("metric %q already registered", name)
	}
	r.metrics[name] = m
	r.help[name] = help
	return nil
}

// MustRegister is Register for metrics defined at init time; it panics on
// a duplicate name.
func (r *Registry) MustRegister(name, help string, m Metric) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.metrics[name]; dup {
		panic(fmt.Sprintf("metric %q already registered", name))
	}
	r.metrics[name] = m
	r.help[name] = help
	r.mu.Unlock()
}

// RegisterPlugin lets a plugin register its metrics; a plugin that panics
// while doing so is reported as an error instead of taking the process
// down.
func (r *Registry) RegisterPlugin(name string, register func(*Registry)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("plugin %s: %v", name, p)
		}
	}()
	register(r)
	return nil
}

// Unregister removes name and reports whether it was registered.
func (r *Registry) Unregister(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.metrics[name]; !ok {
		return false
	}
	delete(r.metrics, name)
	delete(r.help, name)
	return true
}

// Names returns the registered names in order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.sortedNamesLocked()
}

// sortedNamesLocked requires r.mu, for reading or writing.
func (r *Registry) sortedNamesLocked() []string {
	names := make([]string, 0, len(r.metrics))
	for name := range r.metrics {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Values returns the current value of every metric.
func (r *Registry) Values() map[string]float64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]float64, len(r.metrics))
	for name, m := range r.metrics {
		out[name] = m.Value()
	}
	return out
}

// Gather returns one sample per metric, in name order.
func (r *Registry) Gather() []Sample {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := r.sortedNamesLocked()
	out := make([]Sample, 0, len(names))
	for _, name := range names {
		out = append(out, Sample{Name: name, Value: r.metrics[name].Value()})
	}
	return out
}

// WriteText writes the metrics in the text exposition format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, name := range r.Names() { // HAZ lock-reentry-under-defer
		if h := r.help[name]; h != "" {
			if _, err := fmt.Fprintf(w, "# HELP %s %s\n", name, h); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "%s %g\n", name, r.metrics[name].Value()); err != nil {
			return err
		}
	}
	return nil
}

// ServeHTTP exposes the registry. The samples are gathered first, so the
// lock is not held while writing to a slow client.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	samples := r.Gather()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	for _, s := range samples {
		if _, err := fmt.Fprintf(w, "%s %g\n", s.Name, s.Value); err != nil {
			return
		}
	}
}

// DumpToFile writes every metric to path, for support bundles.
func (r *Registry) DumpToFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(f)
	for _, s := range r.Gather() {
		if _, err := fmt.Fprintf(bw, "%s %g\n", s.Name, s.Value); err != nil {
			return err
		}
	}
	return bw.Flush()
}
