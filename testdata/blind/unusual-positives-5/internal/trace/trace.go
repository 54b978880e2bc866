// Package trace offers light-weight timing regions and spans used by the
// replication and hook machinery.
package trace

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Tracer records named durations in memory and can print a summary.
type Tracer struct {
	mu      sync.Mutex
	regions map[string][]time.Duration
	out     io.Writer
}

// NewTracer returns a tracer that reports to out.
func NewTracer(out io.Writer) *Tracer {
	return &Tracer{regions: make(map[string][]time.Duration), out: out}
}

// Region starts timing name; call the returned func to stop the clock.
//
//	defer t.Region("load")()
func (t *Tracer) Region(name string) func() {
	start := time.Now()
	return func() { t.record(name, time.Since(start)) }
}

func (t *Tracer) record(name string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.regions[name] = append(t.regions[name], d)
}

// Report writes one line per region: name, count and total time.
func (t *Tracer) Report() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := make([]string, 0, len(t.regions))
	for name := range t.regions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var total time.Duration
		for _, d := range t.regions[name] {
			total += d
		}
		if _, err := fmt.Fprintf(t.out, "%s\t%d\t%s\n", name, len(t.regions[name]), total); err != nil {
			return err
		}
	}
	return nil
}

// Reset forgets every recorded region and returns how many were dropped.
func (t *Tracer) Reset() int {
	unlock := t.mu.Unlock
	t.mu.Lock()
	defer unlock()
	n := len(t.regions)
	clear(t.regions)
	return n
}

// Span is one in-flight operation.
type Span struct {
	t     *Tracer
	name  string
	start time.Time
	attrs map[string]string
}

// Start opens a span called name.
func (t *Tracer) Start(name string) *Span {
	return &Span{t: t, name: name, start: time.Now(), attrs: map[string]string{}}
}

// Set attaches an attribute to the span.
func (s *Span) Set(k, v string) *Span {
	s.attrs[k] = v
	return s
}

// Finish ends the span, recording err (if any) as the "error" attribute.
func (s *Span) Finish(err error) {
	if err != nil {
		s.attrs["error"] = err.Error()
		s.t.record(s.name+".error", time.Since(s.start))
		return
	}
	s.t.record(s.name, time.Since(s.start))
}
