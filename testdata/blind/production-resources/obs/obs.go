// Package obs holds the small tracing and metrics helpers shared by the services.
package obs

import (
	"log"
	"sort"
	"sync"
	"time"
)

// Trace logs entry into name and returns the func that logs the exit.
func Trace(name string) func() {
	start := time.Now()
	log.Printf("enter %s", name)
	return func() {
		log.Printf("exit %s after %s", name, time.Since(start))
	}
}

// Histogram is a tiny in-process latency histogram.
type Histogram struct {
	mu      sync.Mutex
	name    string
	samples []float64
}

// NewHistogram returns an empty histogram.
func NewHistogram(name string) *Histogram { return &Histogram{name: name} }

// Observe records one sample.
func (h *Histogram) Observe(v float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.samples = append(h.samples, v)
}

// ObserveSince records the seconds elapsed since start.
func (h *Histogram) ObserveSince(start time.Time) {
	h.Observe(time.Since(start).Seconds())
}

// Quantile returns the q-quantile of the recorded samples.
func (h *Histogram) Quantile(q float64) float64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.samples) == 0 {
		return 0
	}
	s := append([]float64(nil), h.samples...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1))]
}

// Metrics is a registry of named histograms.
type Metrics struct {
	mu    sync.Mutex
	hists map[string]*Histogram
}

// NewMetrics returns an empty registry.
func NewMetrics() *Metrics { return &Metrics{hists: make(map[string]*Histogram)} }

// Histogram returns (creating if needed) the histogram called name.
func (m *Metrics) Histogram(name string) *Histogram {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.hists[name]
	if !ok {
		h = NewHistogram(name)
		m.hists[name] = h
	}
	return h
}

// Timer starts timing op and returns the func that records the duration.
func (m *Metrics) Timer(op string) func() {
	start := time.Now()
	h := m.Histogram(op + "_seconds")
	return func() { h.ObserveSince(start) }
}

// ObserveDuration records end-start for op.
func (m *Metrics) ObserveDuration(op string, start, end time.Time) {
	h := m.Histogram(op + "_seconds")
	h.Observe(end.Sub(start).Seconds())
}

// Span is a minimal tracing span.
type Span struct {
	Name  string
	start time.Time
	attrs map[string]string
}

// StartSpan opens a span.
func StartSpan(name string) *Span {
	return &Span{Name: name, start: time.Now(), attrs: map[string]string{}}
}

// SetAttr attaches an attribute.
func (s *Span) SetAttr(k, v string) { s.attrs[k] = v }

// End closes the span successfully.
func (s *Span) End() {
	log.Printf("span %s done in %s attrs=%v", s.Name, time.Since(s.start), s.attrs)
}

// Finish closes the span and records err (nil means success).
func (s *Span) Finish(err error) {
	status := "ok"
	if err != nil {
		status = "error: " + err.Error()
	}
	log.Printf("span %s %s in %s", s.Name, status, time.Since(s.start))
}

// Tracer starts spans and hands back the func that ends them.
type Tracer interface {
	Start(op string) (end func())
}

// LogTracer is a Tracer that writes to the standard logger.
type LogTracer struct{ Prefix string }

// Start implements Tracer.
func (t LogTracer) Start(op string) func() {
	sp := StartSpan(t.Prefix + op)
	return sp.End
}
