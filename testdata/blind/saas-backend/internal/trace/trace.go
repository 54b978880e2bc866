// Package trace is a small in-process span recorder and timing helper.
package trace

import (
	"log"
	"sync"
	"time"
)

// Record is a finished span.
type Record struct {
	Name     string
	Duration time.Duration
	Err      string
	Attrs    map[string]string
}

// Tracer collects finished spans and optionally logs them.
type Tracer struct {
	logger *log.Logger
	mu     sync.Mutex
	spans  []Record
	limit  int
}

// New returns a tracer keeping at most limit records.
func New(logger *log.Logger, limit int) *Tracer {
	if limit <= 0 {
		limit = 1024
	}
	return &Tracer{logger: logger, limit: limit}
}

// Span is one in-flight operation.
type Span struct {
	t     *Tracer
	name  string
	start time.Time
	attrs map[string]string
}

// Start begins a span; finish it with End or EndErr.
func (t *Tracer) Start(name string) *Span {
	return &Span{t: t, name: name, start: time.Now(), attrs: map[string]string{}}
}

// Set attaches an attribute.
func (s *Span) Set(k, v string) *Span {
	s.attrs[k] = v
	return s
}

// End finishes the span without error.
func (s *Span) End() { s.EndErr(nil) }

// EndErr finishes the span with err (may be nil).
func (s *Span) EndErr(err error) {
	r := Record{Name: s.name, Duration: time.Since(s.start), Attrs: s.attrs}
	if err != nil {
		r.Err = err.Error()
	}
	s.t.record(r)
}

func (t *Tracer) record(r Record) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.spans) >= t.limit {
		t.spans = t.spans[1:]
	}
	t.spans = append(t.spans, r)
	if t.logger != nil {
		t.logger.Printf("span %s %s err=%q", r.Name, r.Duration, r.Err)
	}
}

// Records returns a copy of the kept spans.
func (t *Tracer) Records() []Record {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Record(nil), t.spans...)
}

// Timed logs how long the caller took. Use it as
//
//	defer trace.Timed(logger, "export")()
func Timed(logger *log.Logger, name string) func() {
	start := time.Now()
	return func() {
		logger.Printf("%s took %s", name, time.Since(start))
	}
}
