// Package obs holds the node's in-process metrics registry and tracing helpers.
package obs

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Registry is a small in-process metrics registry: monotonic counters and
// latency summaries, scraped by the admin API and persisted by the GC.
type Registry struct {
	mu       sync.RWMutex
	counters map[string]int64
	latency  map[string]*Summary
}

// Summary keeps a running count, sum and maximum of observed durations.
type Summary struct {
	Count int64         `json:"count"`
	Sum   time.Duration `json:"sum_ns"`
	Max   time.Duration `json:"max_ns"`
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters: make(map[string]int64),
		latency:  make(map[string]*Summary),
	}
}

// Add increments the named counter by n.
func (r *Registry) Add(name string, n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += n
}

// Inc increments the named counter by one.
func (r *Registry) Inc(name string) {
	r.Add(name, 1)
}

// Observe records one latency sample under name.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.latency[name]
	if !ok {
		s = &Summary{}
		r.latency[name] = s
	}
	s.Count++
	s.Sum += d
	if d > s.Max {
		s.Max = d
	}
}

// Snapshot is a point-in-time copy of a registry.
type Snapshot struct {
	Taken    time.Time          `json:"taken"`
	Counters map[string]int64   `json:"counters"`
	Latency  map[string]Summary `json:"latency"`
}

// Snapshot copies the current values under the read lock.
func (r *Registry) Snapshot() Snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	snap := Snapshot{
		Taken:    time.Now().UTC(),
		Counters: make(map[string]int64, len(r.counters)),
		Latency:  make(map[string]Summary, len(r.latency)),
	}
	for k, v := range r.counters {
		snap.Counters[k] = v
	}
	for k, v := range r.latency {
		snap.Latency[k] = *v
	}
	return snap
}

// Reset clears every counter and summary; the admin API calls it after a
// scrape when the node is configured for delta reporting.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	clear(r.counters)
	clear(r.latency)
}

// WriteText renders the snapshot in a line-oriented "name value" format.
func (s Snapshot) WriteText(w io.Writer) error {
	names := make([]string, 0, len(s.Counters))
	for n := range s.Counters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%s %d\n", n, s.Counters[n]); err != nil {
			return err
		}
	}
	names = names[:0]
	for n := range s.Latency {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		l := s.Latency[n]
		var avg time.Duration
		if l.Count > 0 {
			avg = l.Sum / time.Duration(l.Count)
		}
		if _, err := fmt.Fprintf(w, "%s_count %d\n%s_avg_ms %.3f\n%s_max_ms %.3f\n",
			n, l.Count, n, avg.Seconds()*1000, n, l.Max.Seconds()*1000); err != nil {
			return err
		}
	}
	return nil
}

// Persist writes the snapshot as JSON to path, atomically: a crash leaves
// either the old file or the new one.
func (s Snapshot) Persist(path string) (err error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".stats-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
