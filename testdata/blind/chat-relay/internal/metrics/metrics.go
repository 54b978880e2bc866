// Package metrics keeps the relay's counters and timings in memory and
// renders them in a plain text exposition format.
package metrics

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Registry holds named counters and timings. The zero value is not usable;
// call New.
type Registry struct {
	mu       sync.Mutex
	counters map[string]int64
	timings  map[string]*TimingStat
}

// TimingStat aggregates observed durations.
type TimingStat struct {
	Count int64
	Total time.Duration
	Max   time.Duration
}

// Snapshot is a point-in-time copy of a Registry.
type Snapshot struct {
	Taken    time.Time
	Counters map[string]int64
	Timings  map[string]TimingStat
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		counters: make(map[string]int64),
		timings:  make(map[string]*TimingStat),
	}
}

// Add adds delta to the named counter.
func (r *Registry) Add(name string, delta int64) {
	r.mu.Lock()
	r.counters[name] += delta
	r.mu.Unlock()
}

// Inc increments the named counter.
func (r *Registry) Inc(name string) {
	r.Add(name, 1)
}

// Observe records one duration for the named timing.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.timings[name]
	if !ok {
		t = &TimingStat{}
		r.timings[name] = t
	}
	t.Count++
	t.Total += d
	if d > t.Max {
		t.Max = d
	}
}

// Track starts a timing and returns the function that stops it:
//
//	defer reg.Track("room.join")()
func (r *Registry) Track(name string) func() {
	start := time.Now()
	return func() {
		r.Observe(name, time.Since(start))
	}
}

// Time runs fn and records how long it took.
func (r *Registry) Time(name string, fn func() error) error {
	defer r.Track(name)()
	return fn()
}

// Snapshot copies the current values.
func (r *Registry) Snapshot() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := Snapshot{
		Taken:    time.Now(),
		Counters: make(map[string]int64, len(r.counters)),
		Timings:  make(map[string]TimingStat, len(r.timings)),
	}
	for k, v := range r.counters {
		s.Counters[k] = v
	}
	for k, v := range r.timings {
		s.Timings[k] = *v
	}
	return s
}

// WriteText writes the snapshot as "name value" lines, sorted by name.
func (s Snapshot) WriteText(w io.Writer) error {
	names := make([]string, 0, len(s.Counters))
	for k := range s.Counters {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if _, err := fmt.Fprintf(w, "%s %d\n", k, s.Counters[k]); err != nil {
			return err
		}
	}
	names = names[:0]
	for k := range s.Timings {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t := s.Timings[k]
		if _, err := fmt.Fprintf(w, "%s_count %d\n%s_seconds_total %.6f\n%s_seconds_max %.6f\n",
			k, t.Count, k, t.Total.Seconds(), k, t.Max.Seconds()); err != nil {
			return err
		}
	}
	return nil
}

// DumpFile writes the current metrics to path, replacing its content. It
// is called by the relay on SIGUSR1 for ad-hoc inspection.
func (r *Registry) DumpFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return r.Snapshot().WriteText(f)
}

// WriteFileAtomic writes the current metrics to path through a temporary
// file in the same directory, so readers never see a partial file.
func (r *Registry) WriteFileAtomic(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".metrics-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = r.Snapshot().WriteText(tmp); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
