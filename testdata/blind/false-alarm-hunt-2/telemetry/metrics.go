package telemetry

import (
	"context"
	"fmt"
	"io"
	"log"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Histogram is a fixed-bucket histogram.
type Histogram struct {
	mu      sync.Mutex
	buckets []float64
	counts  []uint64
	sum     float64
	n       uint64
}

// HistogramSnapshot is a point-in-time copy of a histogram.
type HistogramSnapshot struct {
	Buckets []float64
	Counts  []uint64
	Sum     float64
	Count   uint64
}

// NewHistogram returns a histogram with the given upper bounds.
func NewHistogram(buckets ...float64) *Histogram {
	b := append([]float64(nil), buckets...)
	sort.Float64s(b)
	return &Histogram{buckets: b, counts: make([]uint64, len(b)+1)}
}

// Observe adds one value.
func (h *Histogram) Observe(v float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	i := sort.SearchFloat64s(h.buckets, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

// ObserveDuration adds a duration in seconds.
func (h *Histogram) ObserveDuration(d time.Duration) { h.Observe(d.Seconds()) }

// Since observes the time elapsed since start; use as defer h.Since(time.Now()).
func (h *Histogram) Since(start time.Time) { h.ObserveDuration(time.Since(start)) }

// Count returns the number of observations.
func (h *Histogram) Count() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// Snapshot copies the histogram state.
func (h *Histogram) Snapshot() HistogramSnapshot {
	h.mu.Lock()
	defer h.mu.Unlock()
	return HistogramSnapshot{
		Buckets: append([]float64(nil), h.buckets...),
		Counts:  append([]uint64(nil), h.counts...),
		Sum:     h.sum,
		Count:   h.n,
	}
}

// Merge adds the observations of o into h.
func (h *Histogram) Merge(o *Histogram) error {
	snap := o.Snapshot() // ok: o's lock is taken and released before h's
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(snap.Counts) != len(h.counts) {
		return fmt.Errorf("telemetry: bucket layout mismatch")
	}
	for i, c := range snap.Counts {
		h.counts[i] += c
	}
	h.sum += snap.Sum
	h.n += snap.Count
	return nil
}

// Measure returns a stop function that observes the elapsed time.
func Measure(h *Histogram) func() {
	start := time.Now()
	return func() { h.Since(start) }
}

// Counter is a monotonically increasing counter.
type Counter struct{ v atomic.Int64 }

// Add increments the counter.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Value reads the counter.
func (c *Counter) Value() int64 { return c.v.Load() }

// Registry holds named histograms.
type Registry struct {
	mu    sync.RWMutex
	hists map[string]*Histogram
	help  map[string]string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{hists: map[string]*Histogram{}, help: map[string]string{}}
}

// Histogram returns the histogram for name, creating it if needed.
func (r *Registry) Histogram(name string, buckets ...float64) *Histogram {
	r.mu.RLock()
	h, ok := r.hists[name]
	r.mu.RUnlock()
	if ok {
		return h
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.hists[name]; ok { // re-check under the write lock
		return h
	}
	h = NewHistogram(buckets...)
	r.hists[name] = h
	return h
}

// SetHelp sets the help text for a metric.
func (r *Registry) SetHelp(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.help[name] = text
}

// Names returns the sorted metric names.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.namesLocked()
}

// namesLocked requires r.mu to be held (read or write).
func (r *Registry) namesLocked() []string {
	names := make([]string, 0, len(r.hists))
	for n := range r.hists {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Len returns the number of metrics.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.hists)
}

// Describe returns a one-line summary with help texts.
func (r *Registry) Describe() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d metrics:", r.Len()) // HAZ lock-reentry-under-defer
	for _, n := range r.namesLocked() {
		fmt.Fprintf(&b, " %s(%s)", n, r.help[n])
	}
	return b.String()
}

// WriteText writes all histograms in a text exposition format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.RLock()
	names := r.namesLocked()
	hists := make([]*Histogram, len(names))
	for i, n := range names {
		hists[i] = r.hists[n]
	}
	r.mu.RUnlock() // ok: released before calling into each histogram

	for i, h := range hists {
		s := h.Snapshot()
		if _, err := fmt.Fprintf(w, "%s_count %d\n%s_sum %g\n", names[i], s.Count, names[i], s.Sum); err != nil {
			return err
		}
	}
	return nil
}

// Exporter periodically writes the registry somewhere.
type Exporter struct {
	reg      *Registry
	out      io.Writer
	interval time.Duration
	logger   *log.Logger

	mu      sync.Mutex
	running bool
	stop    chan struct{}
	done    chan struct{}
}

// NewExporter creates an exporter.
func NewExporter(reg *Registry, out io.Writer, interval time.Duration, logger *log.Logger) *Exporter {
	return &Exporter{reg: reg, out: out, interval: interval, logger: logger}
}

// Start launches the export loop once.
func (e *Exporter) Start() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running {
		return
	}
	e.running = true
	e.stop = make(chan struct{})
	e.done = make(chan struct{})
	go e.loop(e.stop, e.done)
}

func (e *Exporter) loop(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done) // ok: done is only closed here, nobody sends on it
	t := time.NewTicker(e.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			e.flushOnce()
		case <-stop:
			e.flushOnce()
			return
		}
	}
}

func (e *Exporter) flushOnce() {
	defer Measure(e.reg.Histogram("exporter_flush_seconds"))()
	if err := e.reg.WriteText(e.out); err != nil {
		e.logger.Printf("telemetry: export: %v", err)
	}
}

// Stop ends the loop and waits for the last flush, bounded by ctx.
func (e *Exporter) Stop(ctx context.Context) error {
	e.mu.Lock()
	if !e.running {
		e.mu.Unlock()
		return nil
	}
	e.running = false
	stop, done := e.stop, e.done
	e.mu.Unlock()

	close(stop)
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
