// Package obs provides the span tracer and loggers shared by the up6 services.
package obs

import (
	"fmt"
	"io"
	"log"
	"os"
	"sync/atomic"
	"time"
)

// Record is one finished span.
type Record struct {
	Name string
	Took time.Duration
	Err  error
}

const ringSize = 256

// Tracer keeps the most recent finished spans in a lock-free ring, so ending a
// span never blocks the caller.
type Tracer struct {
	ring [ringSize]atomic.Pointer[Record]
	next atomic.Uint64
	now  func() time.Time
}

// NewTracer returns a tracer using the wall clock.
func NewTracer() *Tracer {
	return &Tracer{now: time.Now}
}

func (t *Tracer) record(r Record) {
	i := t.next.Add(1) - 1
	t.ring[i%ringSize].Store(&r)
}

// Start begins a span and returns the function that ends it:
//
//	defer tr.Start("sync")()
func (t *Tracer) Start(name string) func() {
	start := t.now()
	return func() {
		t.record(Record{Name: name, Took: t.now().Sub(start)})
	}
}

// Span is a span finished with an explicit outcome.
type Span struct {
	t     *Tracer
	name  string
	start time.Time
}

// Begin starts a span that is ended by Finish.
func (t *Tracer) Begin(name string) *Span {
	return &Span{t: t, name: name, start: t.now()}
}

// Finish ends the span and records its outcome.
func (s *Span) Finish(err error) {
	s.t.record(Record{Name: s.name, Took: s.t.now().Sub(s.start), Err: err})
}

// Recent returns the finished spans still held by the ring, oldest first.
func (t *Tracer) Recent() []Record {
	n := t.next.Load()
	lo := uint64(0)
	if n > ringSize {
		lo = n - ringSize
	}
	out := make([]Record, 0, n-lo)
	for i := lo; i < n; i++ {
		if r := t.ring[i%ringSize].Load(); r != nil {
			out = append(out, *r)
		}
	}
	return out
}

// Dump writes the recent spans to w, one per line.
func (t *Tracer) Dump(w io.Writer) error {
	for _, r := range t.Recent() {
		status := "ok"
		if r.Err != nil {
			status = r.Err.Error()
		}
		if _, err := fmt.Fprintf(w, "%-24s %12s %s\n", r.Name, r.Took.Round(time.Microsecond), status); err != nil {
			return err
		}
	}
	return nil
}

// Logger returns a logger that writes to stderr with the given prefix.
func Logger(prefix string) *log.Logger {
	return log.New(os.Stderr, prefix, log.LstdFlags|log.Lmsgprefix)
}

// Timed logs how long the surrounding function took. Use it as
//
//	defer obs.Timed(logger, "export")()
func Timed(l *log.Logger, what string) func() {
	start := time.Now()
	return func() {
		l.Printf("%s took %s", what, time.Since(start).Round(time.Millisecond))
	}
}
