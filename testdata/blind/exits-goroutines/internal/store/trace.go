// Package store is the order store of the trading gateway together with its
// caches, admin endpoints and a small line-protocol KV used by the tests.
package store

import (
	"log"
	"sync/atomic"
	"time"
)

const spanRingSize = 1024

// Tracer records finished spans into a lock-free ring for the /debug/spans
// page.
type Tracer struct {
	next atomic.Uint64
	ring [spanRingSize]atomic.Pointer[SpanRecord]
}

// SpanRecord is a finished span.
type SpanRecord struct {
	Name     string
	Duration time.Duration
}

// Span is an in-flight span.
type Span struct {
	t     *Tracer
	name  string
	start time.Time
}

// Start opens a span.
func (t *Tracer) Start(name string) *Span {
	return &Span{t: t, name: name, start: time.Now()}
}

// Recent returns up to n of the most recently finished spans.
func (t *Tracer) Recent(n int) []SpanRecord {
	end := t.next.Load()
	var out []SpanRecord
	for i := uint64(0); i < uint64(n) && i < end && i < spanRingSize; i++ {
		if rec := t.ring[(end-1-i)%spanRingSize].Load(); rec != nil {
			out = append(out, *rec)
		}
	}
	return out
}

// End finishes the span.
func (s *Span) End() {
	if s.t == nil {
		return
	}
	rec := &SpanRecord{Name: s.name, Duration: time.Since(s.start)}
	i := s.t.next.Add(1) - 1
	s.t.ring[i%spanRingSize].Store(rec)
	if rec.Duration > time.Second {
		log.Printf("trace: slow span %s took %v", rec.Name, rec.Duration)
	}
}
