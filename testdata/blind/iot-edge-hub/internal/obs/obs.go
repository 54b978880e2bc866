// Package obs holds the small logging, tracing and counting helpers shared by
// the hub's packages.
package obs

import (
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"time"
)

// Span measures the duration of one operation.
type Span struct {
	name  string
	start time.Time
	once  sync.Once
}

// Start begins a span named name.
func Start(name string) *Span {
	return &Span{name: name, start: time.Now()}
}

// End logs the span's duration; later calls do nothing.
func (s *Span) End() {
	s.once.Do(func() {
		log.Printf("trace: %s took %v", s.name, time.Since(s.start))
	})
}

// Trace logs entry to name and returns the matching exit logger, for use as
// defer obs.Trace("name")().
func Trace(name string) func() {
	log.Printf("trace: enter %s", name)
	return Start(name).End
}

// Counters is a set of named, monotonically increasing counters.
type Counters struct {
	mu sync.Mutex
	m  map[string]int64
}

// NewCounters returns an empty counter set.
func NewCounters() *Counters {
	return &Counters{m: make(map[string]int64)}
}

// Add adds delta to the counter name.
func (c *Counters) Add(name string, delta int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[name] += delta
}

// Get returns the current value of the counter name.
func (c *Counters) Get(name string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name]
}

// Record counts the outcome of one operation as op.ok or op.err.
func (c *Counters) Record(op string, err error) {
	if err != nil {
		c.Add(op+".err", 1)
		return
	}
	c.Add(op+".ok", 1)
}

// String renders the counters sorted by name, one per line.
func (c *Counters) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.m))
	for n := range c.m {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s %d\n", n, c.m[n])
	}
	return b.String()
}
