// Package platform holds the shared infrastructure used by the services in
// this module: a tiny tracer, metrics, audit log, lease manager and a few
// batching helpers. It contains no business logic.
package platform

import (
	"context"
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"time"
)

// Span is a single timed operation.
type Span struct {
	Name    string
	Start   time.Time
	EndTime time.Time
	Err     error
	attrs   map[string]string
	tracer  *Tracer
}

// SetAttr attaches a key/value attribute to the span.
func (s *Span) SetAttr(key, value string) {
	if s.attrs == nil {
		s.attrs = make(map[string]string)
	}
	s.attrs[key] = value
}

// Finish ends the span now with the given outcome.
func (s *Span) Finish(err error) {
	s.FinishAt(time.Now(), err)
}

// FinishAt ends the span at an explicit time.
func (s *Span) FinishAt(end time.Time, err error) {
	s.EndTime = end
	s.Err = err
	if s.tracer != nil {
		s.tracer.export(s)
	}
}

// End finishes the span without an error.
func (s *Span) End() { s.Finish(nil) }

// Duration is the recorded length of the span.
func (s *Span) Duration() time.Duration { return s.EndTime.Sub(s.Start) }

// Tracer creates spans and keeps the finished ones for export.
type Tracer struct {
	Service string

	mu   sync.Mutex
	done []*Span
}

// NewTracer returns a tracer for service.
func NewTracer(service string) *Tracer { return &Tracer{Service: service} }

type spanKey struct{}

// Start opens a span and stores it in the returned context.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	sp := &Span{Name: name, Start: time.Now(), tracer: t}
	return context.WithValue(ctx, spanKey{}, sp), sp
}

// StartSpan opens a span without a context.
func (t *Tracer) StartSpan(name string) *Span {
	return &Span{Name: name, Start: time.Now(), tracer: t}
}

// Trace starts a span and returns the function that ends it, meant for
//
//	defer tracer.Trace("load")()
func (t *Tracer) Trace(name string) func() {
	sp := t.StartSpan(name)
	return sp.End
}

func (t *Tracer) export(s *Span) {
	t.mu.Lock()
	t.done = append(t.done, s)
	t.mu.Unlock()
}

// Finished reports how many spans were exported.
func (t *Tracer) Finished() int {
	t.mu.Lock()
	n := len(t.done)
	t.mu.Unlock()
	return n
}

// SpanFromContext returns the span stored by Start, or nil.
func SpanFromContext(ctx context.Context) *Span {
	sp, _ := ctx.Value(spanKey{}).(*Span)
	return sp
}

// Histogram collects float samples per label.
type Histogram struct {
	Name string

	mu      sync.Mutex
	samples map[string][]float64
}

// NewHistogram returns an empty histogram.
func NewHistogram(name string) *Histogram {
	return &Histogram{Name: name, samples: make(map[string][]float64)}
}

// Observe records v without a label.
func (h *Histogram) Observe(v float64) { h.ObserveLabeled("", v) }

// ObserveLabeled records v under label.
func (h *Histogram) ObserveLabeled(label string, v float64) {
	h.mu.Lock()
	h.samples[label] = append(h.samples[label], v)
	h.mu.Unlock()
}

// ObserveSince records the seconds elapsed since start; the elapsed time is
// computed when ObserveSince runs.
func (h *Histogram) ObserveSince(label string, start time.Time) {
	h.ObserveLabeled(label, time.Since(start).Seconds())
}

// ObserveDuration records d under label.
func (h *Histogram) ObserveDuration(label string, d time.Duration) {
	h.ObserveLabeled(label, d.Seconds())
}

// Count returns the number of samples under label.
func (h *Histogram) Count(label string) int {
	h.mu.Lock()
	n := len(h.samples[label])
	h.mu.Unlock()
	return n
}

// StartTimer returns a function that records the elapsed time under label
// when called, meant for `defer platform.StartTimer(h, "op")()`.
func StartTimer(h *Histogram, label string) func() {
	start := time.Now()
	return func() { h.ObserveSince(label, start) }
}

// Sink receives published metric values.
type Sink interface {
	Emit(name string, value int64)
}

// LogSink writes metric values to a logger.
type LogSink struct{ Logger *log.Logger }

// Emit implements Sink.
func (s LogSink) Emit(name string, value int64) { s.Logger.Printf("metric %s=%d", name, value) }

// Counters is a set of named monotonic counters.
type Counters struct {
	mu sync.Mutex
	m  map[string]int64
}

// NewCounters returns an empty counter set.
func NewCounters() *Counters { return &Counters{m: make(map[string]int64)} }

// Add increments counter name by n.
func (c *Counters) Add(name string, n int64) {
	c.mu.Lock()
	c.m[name] += n
	c.mu.Unlock()
}

// Snapshot copies the current values.
func (c *Counters) Snapshot() Snapshot {
	c.mu.Lock()
	vals := make(map[string]int64, len(c.m))
	for k, v := range c.m {
		vals[k] = v
	}
	c.mu.Unlock()
	return Snapshot{Taken: time.Now(), Values: vals}
}

// Snapshot is a point-in-time copy of a counter set.
type Snapshot struct {
	Taken  time.Time
	Values map[string]int64
}

// Publish sends every value of the snapshot to sink.
func (s Snapshot) Publish(sink Sink) {
	keys := make([]string, 0, len(s.Values))
	for k := range s.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sink.Emit(k, s.Values[k])
	}
}

// Report logs the snapshot in one line.
func (s Snapshot) Report(l *log.Logger) {
	l.Printf("counters at %s: %v", s.Taken.Format(time.RFC3339), s.Values)
}

// StatusPublisher announces state changes of long-running operations.
type StatusPublisher struct {
	Logger *log.Logger
}

// Publish announces that id reached status.
func (p *StatusPublisher) Publish(id, status string) {
	p.Logger.Printf("status %s -> %s", id, status)
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	User   string
	Action string
	Err    error
	At     time.Time
}

// AuditLog is an append-only audit trail.
type AuditLog struct {
	mu      sync.Mutex
	entries []AuditEntry
}

// Record appends an audit entry.
func (a *AuditLog) Record(user, action string, err error) {
	a.mu.Lock()
	a.entries = append(a.entries, AuditEntry{User: user, Action: action, Err: err, At: time.Now()})
	a.mu.Unlock()
}

// Len returns the number of entries.
func (a *AuditLog) Len() int {
	a.mu.Lock()
	n := len(a.entries)
	a.mu.Unlock()
	return n
}

// Lease is an exclusive claim on a named resource.
type Lease struct {
	Name  string
	Token int64
}

// LeaseManager hands out leases.
type LeaseManager struct {
	mu   sync.Mutex
	held map[string]int64
	next int64
}

// NewLeaseManager returns an empty lease manager.
func NewLeaseManager() *LeaseManager { return &LeaseManager{held: make(map[string]int64)} }

// Acquire claims name or fails if it is already held.
func (m *LeaseManager) Acquire(ctx context.Context, name string) (*Lease, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	if _, busy := m.held[name]; busy {
		m.mu.Unlock()
		return nil, fmt.Errorf("lease %s is held", name)
	}
	m.next++
	tok := m.next
	m.held[name] = tok
	m.mu.Unlock()
	return &Lease{Name: name, Token: tok}, nil
}

// Release gives a lease back.
func (m *LeaseManager) Release(l *Lease) {
	m.mu.Lock()
	if m.held[l.Name] == l.Token {
		delete(m.held, l.Name)
	}
	m.mu.Unlock()
}

// Held reports whether name is currently leased.
func (m *LeaseManager) Held(name string) bool {
	m.mu.Lock()
	_, ok := m.held[name]
	m.mu.Unlock()
	return ok
}

// WriteTable prints a two-column table of values.
func WriteTable(w io.Writer, values map[string]int64) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(w, "%-24s %12d\n", k, values[k]); err != nil {
			return err
		}
	}
	return nil
}
