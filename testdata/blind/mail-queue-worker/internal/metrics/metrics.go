// Package metrics is a tiny lock-free registry of counters and timings,
// exported in a Prometheus-like text format.
package metrics

import (
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type timing struct {
	count atomic.Int64
	total atomic.Int64
	max   atomic.Int64
}

// Registry holds named counters and timings. The maps are sync.Maps so that
// hot paths never take a registry-wide lock.
type Registry struct {
	counters sync.Map // string -> *atomic.Int64
	timings  sync.Map // string -> *timing
	now      func() time.Time
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{now: time.Now}
}

// Inc adds one to the counter name.
func (r *Registry) Inc(name string) {
	v, _ := r.counters.LoadOrStore(name, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// Observe records one duration under name.
func (r *Registry) Observe(name string, d time.Duration) {
	v, _ := r.timings.LoadOrStore(name, new(timing))
	t := v.(*timing)
	t.count.Add(1)
	t.total.Add(int64(d))
	for {
		cur := t.max.Load()
		if int64(d) <= cur || t.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// Track starts a timer and returns the func that stops it:
//
//	defer reg.Track("lease")()
func (r *Registry) Track(name string) func() {
	start := r.now()
	return func() {
		r.Observe(name, r.now().Sub(start))
	}
}

// WriteText writes every metric, sorted by name.
func (r *Registry) WriteText(w io.Writer) error {
	var lines []string
	r.counters.Range(func(k, v any) bool {
		lines = append(lines, fmt.Sprintf("%s %d", k, v.(*atomic.Int64).Load()))
		return true
	})
	r.timings.Range(func(k, v any) bool {
		t := v.(*timing)
		n := t.count.Load()
		avg := time.Duration(0)
		if n > 0 {
			avg = time.Duration(t.total.Load() / n)
		}
		lines = append(lines,
			fmt.Sprintf("%s_count %d", k, n),
			fmt.Sprintf("%s_avg_seconds %.6f", k, avg.Seconds()),
			fmt.Sprintf("%s_max_seconds %.6f", k, time.Duration(t.max.Load()).Seconds()))
		return true
	})
	sort.Strings(lines)
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// DumpFile writes every metric to path; mqworker calls it on exit so the
// last numbers survive a restart.
func (r *Registry) DumpFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return r.WriteText(f)
}
