package replica

import (
	"slices"
	"sync"
	"time"
)

// Tracer keeps the most recent finished spans for the debug pages.
type Tracer struct {
	mu     sync.Mutex
	limit  int
	recent []FinishedSpan
}

// FinishedSpan is a completed operation.
type FinishedSpan struct {
	Op       string
	Start    time.Time
	Duration time.Duration
	Err      string
}

// Span is an operation in progress.
type Span struct {
	t     *Tracer
	op    string
	start time.Time
}

// NewTracer keeps up to limit spans.
func NewTracer(limit int) *Tracer {
	return &Tracer{limit: limit}
}

// Start begins a span.
func (t *Tracer) Start(op string) *Span {
	return &Span{t: t, op: op, start: time.Now()}
}

// Finish ends the span with its outcome.
func (s *Span) Finish(err error) {
	fs := FinishedSpan{Op: s.op, Start: s.start, Duration: time.Since(s.start)}
	if err != nil {
		fs.Err = err.Error()
	}
	s.t.record(fs)
}

func (t *Tracer) record(fs FinishedSpan) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.recent = append(t.recent, fs)
	if over := len(t.recent) - t.limit; over > 0 {
		t.recent = slices.Delete(t.recent, 0, over)
	}
}

// Recent returns the retained spans, oldest first.
func (t *Tracer) Recent() []FinishedSpan {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.recent)
}
