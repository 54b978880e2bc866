// Package obs is the collector's self-observability: counters, latency
// observations and lightweight spans for the collector's own work.
package obs

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Counter is a monotonically increasing value.
type Counter struct{ v atomic.Int64 }

// Add increments the counter.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Load returns the current value.
func (c *Counter) Load() int64 { return c.v.Load() }

type latency struct {
	count int64
	total time.Duration
	max   time.Duration
}

// Registry holds named counters and latency summaries.
type Registry struct {
	mu        sync.Mutex
	counters  map[string]*Counter
	latencies map[string]*latency
}

// Default is the process-wide registry.
var Default = NewRegistry()

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters:  make(map[string]*Counter),
		latencies: make(map[string]*latency),
	}
}

// Counter returns the counter with the given name, creating it on first use.
func (r *Registry) Counter(name string) *Counter {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.counters[name]
	if !ok {
		c = &Counter{}
		r.counters[name] = c
	}
	return c
}

// Observe records one duration under name.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.latencies[name]
	if l == nil {
		l = &latency{}
		r.latencies[name] = l
	}
	l.count++
	l.total += d
	l.max = max(l.max, d)
}

// Snapshot is a point-in-time copy of a registry.
type Snapshot map[string]int64

// Snapshot copies every counter and latency summary.
func (r *Registry) Snapshot() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := make(Snapshot, len(r.counters)+2*len(r.latencies))
	for name, c := range r.counters {
		s[name] = c.Load()
	}
	for name, l := range r.latencies {
		s[name+".count"] = l.count
		s[name+".max_us"] = l.max.Microseconds()
	}
	return s
}

// WriteTo prints the snapshot sorted by name.
func (s Snapshot) WriteTo(w io.Writer) (int64, error) {
	names := make([]string, 0, len(s))
	for name := range s {
		names = append(names, name)
	}
	sort.Strings(names)
	var total int64
	for _, name := range names {
		n, err := fmt.Fprintf(w, "%-40s %d\n", name, s[name])
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Track starts timing name and returns the function that stops the timer.
// Use it as: defer obs.Track("name")().
func Track(name string) func() {
	start := time.Now()
	return func() {
		Default.Observe(name, time.Since(start))
	}
}

// Span is a unit of the collector's own work.
type Span struct {
	name  string
	start time.Time
	reg   *Registry
}

// StartSpan starts a span recorded in the default registry.
func StartSpan(name string) *Span {
	return &Span{name: name, start: time.Now(), reg: Default}
}

// End finishes the span, counting it as failed when err is non-nil.
func (s *Span) End(err error) {
	s.reg.Observe(s.name, time.Since(s.start))
	if err != nil {
		s.reg.Counter(s.name + ".errors").Add(1)
		return
	}
	s.reg.Counter(s.name + ".ok").Add(1)
}

// MergeFrom adds the counters of others (e.g. per-pipeline registries)
// into r.
func (r *Registry) MergeFrom(others ...*Registry) {
	for _, o := range others {
		o.mu.Lock()
		defer o.mu.Unlock() // HAZ defer-in-loop
		for name, c := range o.counters {
			r.Counter(name).Add(c.Load())
		}
	}
}

// Reset clears every counter and latency summary and counts the reset.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.counters)
	clear(r.latencies)
	r.Counter("obs.resets").Add(1) // HAZ lock-reentry-under-defer
}

// Forget removes one counter, e.g. when a pipeline is deleted on reload.
func (r *Registry) Forget(name string) bool {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	_, ok := r.counters[name]
	delete(r.counters, name)
	delete(r.latencies, name)
	return ok
}

// TimeIt runs fn and records how long it took.
func TimeIt(name string, fn func() error) error {
	start := time.Now()
	defer Default.Observe(name, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return fn()
}

// Timed is TimeIt done right: the duration is computed at exit.
func Timed(name string, fn func() error) (err error) {
	start := time.Now()
	defer func() {
		Default.Observe(name, time.Since(start))
		if err != nil {
			Default.Counter(name + ".errors").Add(1)
		}
	}()
	return fn()
}

// MustCounter returns an existing counter and panics for unknown names, so
// that typos in dashboards' counter names show up in tests.
func (r *Registry) MustCounter(name string) *Counter {
	r.mu.Lock() // HAZ lock-leaked-on-return
	c, ok := r.counters[name]
	if !ok {
		panic(fmt.Sprintf("obs: unknown counter %q", name))
	}
	r.mu.Unlock()
	return c
}
