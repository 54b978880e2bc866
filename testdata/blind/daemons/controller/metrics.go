package controller

import (
	"fmt"
	"io"
	"log"
	"sync/atomic"
	"time"
)

// Metrics are the controller's process-local counters.
type Metrics struct {
	reconciles atomic.Int64
	errors     atomic.Int64
	panics     atomic.Int64
	totalNanos atomic.Int64
}

// timeReconcile starts timing a reconcile of key and returns the func that
// records its duration.
func (m *Metrics) timeReconcile(key string) func() {
	_ = key
	start := time.Now()
	return func() {
		m.reconciles.Add(1)
		m.totalNanos.Add(int64(time.Since(start)))
	}
}

func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	n, err := fmt.Fprintf(w, "reconciles_total %d\nreconcile_errors_total %d\nreconcile_panics_total %d\nreconcile_seconds_total %f\n",
		m.reconciles.Load(), m.errors.Load(), m.panics.Load(), time.Duration(m.totalNanos.Load()).Seconds())
	return int64(n), err
}

// AuditSink writes one line per observed event. log.Logger serialises writers.
type AuditSink struct {
	l *log.Logger
}

func NewAuditSink(w io.Writer) *AuditSink { return &AuditSink{l: log.New(w, "", 0)} }

// Span is an open audit record.
type Span struct {
	sink  *AuditSink
	key   string
	start time.Time
}

func (a *AuditSink) Begin(key string) *Span {
	return &Span{sink: a, key: key, start: time.Now()}
}

func (a *AuditSink) Write(sp *Span, ev Event) {
	a.l.Printf("%s %s %s v%d", sp.start.Format(time.RFC3339Nano), ev.Type, sp.key, ev.Object.Version)
}

// End records the span's handling latency.
func (sp *Span) End() {
	sp.sink.l.Printf("%s handled in %s", sp.key, time.Since(sp.start))
}
