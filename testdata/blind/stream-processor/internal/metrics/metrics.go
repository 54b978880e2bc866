// Package metrics holds a small in-process registry of counters and gauges.
package metrics

import (
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"sync"
	"time"
)

// Hook is called with a counter snapshot after every Flush.
type Hook func(map[string]int64)

// Registry is a goroutine-safe set of named counters and gauges.
type Registry struct {
	mu       sync.Mutex
	counters map[string]int64
	gauges   map[string]float64
	hooks    []Hook
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters: make(map[string]int64),
		gauges:   make(map[string]float64),
	}
}

// Inc adds delta to the named counter.
func (r *Registry) Inc(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += delta
}

// SetGauge records the current value of a gauge.
func (r *Registry) SetGauge(name string, v float64) {
	r.mu.Lock()
	r.gauges[name] = v
	r.mu.Unlock()
}

// Observe records a duration in milliseconds as a gauge.
func (r *Registry) Observe(name string, d time.Duration) {
	r.SetGauge(name+"_ms", float64(d.Microseconds())/1000)
}

// ObserveSince records the time elapsed since start. It is meant to be
// deferred with time.Now() as the argument: the start is taken when the defer
// statement runs and the elapsed time when the deferred call runs.
func (r *Registry) ObserveSince(name string, start time.Time) {
	r.Observe(name, time.Since(start))
}

// Time starts a timer and returns the function that stops it.
// Use it as: defer metrics.Time(reg, "op")().
func Time(r *Registry, name string) func() {
	start := time.Now()
	return func() {
		r.Observe(name, time.Since(start))
	}
}

// OnFlush registers a hook.
func (r *Registry) OnFlush(h Hook) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks = append(r.hooks, h)
}

// Snapshot copies the counters.
func (r *Registry) Snapshot() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.counters))
	for k, v := range r.counters {
		out[k] = v
	}
	return out
}

// sortedNames returns the counter names in a stable order.
func (r *Registry) sortedNames() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.counters))
	for k := range r.counters {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// WriteText renders the counters in a line format, holding the lock so the
// output is a consistent cut.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, name := range r.sortedNames() { // HAZ lock-reentry-under-defer
		if _, err := fmt.Fprintf(w, "%s %d\n", name, r.counters[name]); err != nil {
			return err
		}
	}
	return nil
}

// WriteGauges renders the gauges; names are collected under the lock, the
// lock is released before any I/O.
func (r *Registry) WriteGauges(w io.Writer) error {
	r.mu.Lock()
	vals := make(map[string]float64, len(r.gauges))
	names := make([]string, 0, len(r.gauges))
	for k, v := range r.gauges {
		names = append(names, k)
		vals[k] = v
	}
	r.mu.Unlock()
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%s %g\n", n, vals[n]); err != nil {
			return err
		}
	}
	return nil
}

// Flush snapshots the counters and hands them to every hook.
func (r *Registry) Flush() {
	snap := r.Snapshot()
	r.mu.Lock()
	hooks := append([]Hook(nil), r.hooks...)
	r.mu.Unlock()
	for _, h := range hooks {
		callHook(h, snap)
	}
}

// callHook runs a user hook; a misbehaving hook must not take the flusher down.
func callHook(h Hook, snap map[string]int64) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	h(snap)
}

// DumpFile writes the counters to path for a node-exporter textfile collector.
func (r *Registry) DumpFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for name, v := range r.Snapshot() {
		fmt.Fprintf(f, "streamproc_%s %d\n", name, v)
	}
	return nil
}

// DumpFileAtomic is DumpFile done right: temp file, fsync, rename.
func (r *Registry) DumpFileAtomic(path string) (err error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	snap := r.Snapshot()
	names := make([]string, 0, len(snap))
	for n := range snap {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err = fmt.Fprintf(f, "streamproc_%s %d\n", n, snap[n]); err != nil {
			f.Close()
			return err
		}
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LogEvery logs the counters until stop is closed.
func (r *Registry) LogEvery(every time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			log.Printf("metrics: %v", r.Snapshot())
		}
	}
}
