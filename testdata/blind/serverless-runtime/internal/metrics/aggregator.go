// Package metrics aggregates runtime counters and latency histograms in
// memory and flushes them to a sink on a ticker.
package metrics

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

// DefaultBounds are the latency bucket bounds, in milliseconds.
var DefaultBounds = []float64{1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000}

// Histogram counts observations into fixed buckets.
type Histogram struct {
	Bounds []float64 `json:"bounds"`
	Counts []int64   `json:"counts"`
	Count  int64     `json:"count"`
	Sum    float64   `json:"sum"`
}

func newHistogram(bounds []float64) *Histogram {
	return &Histogram{Bounds: bounds, Counts: make([]int64, len(bounds)+1)}
}

func (h *Histogram) add(v float64) {
	i := sort.SearchFloat64s(h.Bounds, v)
	h.Counts[i]++
	h.Count++
	h.Sum += v
}

func (h *Histogram) clone() Histogram {
	c := *h
	c.Counts = append([]int64(nil), h.Counts...)
	return c
}

// Snapshot is a copy of the aggregated values at one instant.
type Snapshot struct {
	At       time.Time            `json:"at"`
	Counters map[string]int64     `json:"counters"`
	Hists    map[string]Histogram `json:"histograms"`
}

// Empty reports whether nothing was recorded.
func (s Snapshot) Empty() bool { return len(s.Counters) == 0 && len(s.Hists) == 0 }

// WriteTo writes the snapshot as sorted "name value" lines.
func (s Snapshot) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	names := make([]string, 0, len(s.Counters))
	for name := range s.Counters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "%s %d %d\n", name, s.Counters[name], s.At.Unix())
	}
	names = names[:0]
	for name := range s.Hists {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		h := s.Hists[name]
		fmt.Fprintf(&b, "%s_count %d %d\n%s_sum %g %d\n", name, h.Count, s.At.Unix(), name, h.Sum, s.At.Unix())
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Log prints a one-line summary of the snapshot.
func (s Snapshot) Log(l *log.Logger) {
	var total int64
	for _, v := range s.Counters {
		total += v
	}
	l.Printf("metrics: %d counters (sum %d), %d histograms at %s", len(s.Counters), total, len(s.Hists), s.At.Format(time.RFC3339))
}

// Aggregator collects metrics between flushes.
type Aggregator struct {
	mu       sync.Mutex
	counters map[string]int64
	hists    map[string]*Histogram
	bounds   map[string][]float64

	sink      Sink
	interval  time.Duration
	flushes   atomic.Int64
	failures  atomic.Int64
	lastFlush atomic.Value // time.Time
}

// NewAggregator returns an aggregator flushing to sink every interval.
func NewAggregator(sink Sink, interval time.Duration) *Aggregator {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	return &Aggregator{
		counters: make(map[string]int64),
		hists:    make(map[string]*Histogram),
		bounds:   make(map[string][]float64),
		sink:     sink,
		interval: interval,
	}
}

// Inc adds delta to a counter.
func (a *Aggregator) Inc(name string, delta int64) {
	a.mu.Lock()
	a.counters[name] += delta
	a.mu.Unlock()
}

// Register declares a histogram with custom bounds.
func (a *Aggregator) Register(name string, bounds []float64) {
	b := append([]float64(nil), bounds...)
	sort.Float64s(b)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.bounds[name] = b
	if _, ok := a.hists[name]; !ok {
		a.hists[name] = newHistogram(b)
	}
}

// Observe records a latency in the histogram name, creating it on first use.
func (a *Aggregator) Observe(name string, d time.Duration) {
	ms := float64(d) / float64(time.Millisecond)
	a.mu.Lock()
	defer a.mu.Unlock()
	h, ok := a.hists[name]
	if !ok {
		h = newHistogram(DefaultBounds)
		a.hists[name] = h
	}
	h.add(ms)
}

// ObserveValue records v in a histogram declared with Register.
func (a *Aggregator) ObserveValue(name string, v float64) error {
	a.mu.Lock() // HAZ lock-leaked-on-return
	h, ok := a.hists[name]
	if !ok {
		return fmt.Errorf("metrics: histogram %q not registered", name)
	}
	h.add(v)
	a.mu.Unlock()
	return nil
}

// Snapshot copies the current values without resetting them.
func (a *Aggregator) Snapshot() Snapshot {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := Snapshot{
		At:       time.Now(),
		Counters: make(map[string]int64, len(a.counters)),
		Hists:    make(map[string]Histogram, len(a.hists)),
	}
	for k, v := range a.counters {
		s.Counters[k] = v
	}
	for k, h := range a.hists {
		s.Hists[k] = h.clone()
	}
	return s
}

// swap takes the current values and starts a new interval.
func (a *Aggregator) swap() Snapshot {
	a.mu.Lock()
	counters, hists := a.counters, a.hists
	a.counters = make(map[string]int64, len(counters))
	a.hists = make(map[string]*Histogram, len(hists))
	for name, b := range a.bounds {
		a.hists[name] = newHistogram(b)
	}
	a.mu.Unlock()

	s := Snapshot{At: time.Now(), Counters: counters, Hists: make(map[string]Histogram, len(hists))}
	for k, h := range hists {
		s.Hists[k] = *h
	}
	return s
}

// flush sends one interval to the sink.
func (a *Aggregator) flush(ctx context.Context) error {
	s := a.swap()
	if s.Empty() || a.sink == nil {
		return nil
	}
	if err := a.sink.Write(ctx, s); err != nil {
		a.failures.Add(1)
		return err
	}
	a.flushes.Add(1)
	return nil
}

// safeFlush is flush for the ticker loop, which must survive a bad sink.
func (a *Aggregator) safeFlush(ctx context.Context) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	if err := a.flush(ctx); err != nil {
		log.Printf("metrics: flush: %v", err)
	}
}

// Run flushes every interval until ctx is done, then flushes once more
// with a short deadline of its own.
func (a *Aggregator) Run(ctx context.Context) error {
	t := time.NewTicker(a.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err := a.flush(fctx)
			cancel()
			return err
		case <-t.C:
			a.safeFlush(ctx)
		}
	}
}

// Stats reports flush counts.
func (a *Aggregator) Stats() (flushes, failures int64) {
	return a.flushes.Load(), a.failures.Load()
}

// Counter returns the current value of one counter.
func (a *Aggregator) Counter(name string) (int64, bool) {
	a.mu.Lock() // HAZ lock-leaked-on-return
	v, ok := a.counters[name]
	if !ok {
		return 0, false
	}
	a.mu.Unlock()
	return v, true
}
