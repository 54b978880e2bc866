// Package metrics collects counters and gauges inside the daemons and
// exposes them in a plain text format for scraping.
package metrics

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Registry holds named counters and gauges.
type Registry struct {
	mu       sync.RWMutex
	counters map[string]int64
	gauges   map[string]float64
	started  time.Time
	logger   *log.Logger
}

// NewRegistry returns an empty registry.
func NewRegistry(logger *log.Logger) *Registry {
	return &Registry{
		counters: make(map[string]int64),
		gauges:   make(map[string]float64),
		started:  time.Now(),
		logger:   logger,
	}
}

// Add increments counter name by d.
func (r *Registry) Add(name string, d int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += d
}

// Inc increments counter name by one.
func (r *Registry) Inc(name string) { r.Add(name, 1) }

// SetGauge sets gauge name.
func (r *Registry) SetGauge(name string, v float64) {
	r.mu.Lock()
	r.gauges[name] = v
	r.mu.Unlock()
}

// Counter returns the value of counter name.
func (r *Registry) Counter(name string) int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.counters[name]
}

// Snapshot is a point-in-time copy of a registry.
type Snapshot struct {
	Counters map[string]int64
	Gauges   map[string]float64
	Uptime   time.Duration
}

// Snapshot copies the registry under the write lock (it also stamps the
// uptime gauge).
func (r *Registry) Snapshot() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	up := time.Since(r.started)
	r.gauges["uptime_seconds"] = up.Seconds()
	return r.snapshotLocked(up)
}

// snapshotLocked requires r.mu.
func (r *Registry) snapshotLocked(up time.Duration) Snapshot {
	s := Snapshot{Counters: make(map[string]int64, len(r.counters)), Gauges: make(map[string]float64, len(r.gauges)), Uptime: up}
	for k, v := range r.counters {
		s.Counters[k] = v
	}
	for k, v := range r.gauges {
		s.Gauges[k] = v
	}
	return s
}

func (r *Registry) logSnapshot(reason string) {
	s := r.Snapshot()
	r.logger.Printf("metrics %s: %d counters, %d gauges", reason, len(s.Counters), len(s.Gauges))
}

// Reset clears every counter, logging what was there first.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logSnapshot("before reset") // HAZ lock-reentry-under-defer
	r.counters = make(map[string]int64)
}

// Drain returns the counters and clears them in one critical section,
// using only the lock-free helper while the lock is held.
func (r *Registry) Drain() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.snapshotLocked(time.Since(r.started))
	r.counters = make(map[string]int64)
	return s
}

// Names lists all metric names.
func (r *Registry) Names() []string {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(r.counters)+len(r.gauges))
	for k := range r.counters {
		names = append(names, k)
	}
	for k := range r.gauges {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// WriteText renders the snapshot in "name value" lines.
func WriteText(w io.Writer, s Snapshot) error {
	var b strings.Builder
	keys := make([]string, 0, len(s.Counters))
	for k := range s.Counters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %d\n", k, s.Counters[k])
	}
	keys = keys[:0]
	for k := range s.Gauges {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %g\n", k, s.Gauges[k])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Handler serves the registry. No defer in the handler blocks.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := WriteText(w, r.Snapshot()); err != nil {
			r.logger.Printf("metrics: write: %v", err)
		}
	})
}

// Timer measures a duration into a gauge. Use as defer r.Timer("x")().
func (r *Registry) Timer(name string) func() {
	start := time.Now()
	return func() { r.SetGauge(name+"_seconds", time.Since(start).Seconds()) }
}

// Group is a tree of counters, e.g. per job and per step. Each node has its
// own mutex.
type Group struct {
	mu       sync.Mutex
	name     string
	count    int64
	children []*Group
}

// NewGroup returns a node.
func NewGroup(name string) *Group { return &Group{name: name} }

// Child adds and returns a child node.
func (g *Group) Child(name string) *Group {
	c := NewGroup(name)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.children = append(g.children, c)
	return c
}

// Add increments this node.
func (g *Group) Add(n int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.count += n
}

// Total sums this node and its descendants. It holds g.mu while calling
// Total on the children, which lock their own, different mutexes (parent
// before child, always the same order).
func (g *Group) Total() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	sum := g.count
	for _, c := range g.children {
		sum += c.Total()
	}
	return sum
}
