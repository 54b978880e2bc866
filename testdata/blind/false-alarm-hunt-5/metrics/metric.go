// Package metrics is a small Prometheus-style metrics library: counters,
// gauges, histograms and summaries, label vectors, a registry and the text
// exposition format.
package metrics

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// MetricType is the kind of a family.
type MetricType int

// Family kinds.
const (
	CounterType MetricType = iota
	GaugeType
	HistogramType
	SummaryType
	UntypedType
)

func (t MetricType) String() string {
	switch t {
	case CounterType:
		return "counter"
	case GaugeType:
		return "gauge"
	case HistogramType:
		return "histogram"
	case SummaryType:
		return "summary"
	}
	return "untyped"
}

// Desc describes a metric family.
type Desc struct {
	Name       string
	Help       string
	Type       MetricType
	LabelNames []string
	ConstPairs []LabelPair
}

// LabelPair is one label.
type LabelPair struct {
	Name, Value string
}

// Sample is one exposed value.
type Sample struct {
	Desc   *Desc
	Suffix string
	Labels []LabelPair
	Value  float64
}

// Collector produces samples.
type Collector interface {
	Describe() []*Desc
	Collect(ch chan<- Sample)
}

// NewDesc validates and builds a Desc.
func NewDesc(name, help string, t MetricType, labels []string, constLabels map[string]string) (*Desc, error) {
	if !validName(name) {
		return nil, fmt.Errorf("metrics: invalid metric name %q", name)
	}
	for _, l := range labels {
		if !validLabel(l) {
			return nil, fmt.Errorf("metrics: invalid label name %q in %s", l, name)
		}
	}
	d := &Desc{Name: name, Help: help, Type: t, LabelNames: append([]string(nil), labels...)}
	for k, v := range constLabels {
		d.ConstPairs = append(d.ConstPairs, LabelPair{k, v})
	}
	sort.Slice(d.ConstPairs, func(i, j int) bool { return d.ConstPairs[i].Name < d.ConstPairs[j].Name })
	return d, nil
}

// MustNewDesc is NewDesc that panics on error, for package-level metrics.
func MustNewDesc(name, help string, t MetricType, labels []string) *Desc {
	d, err := NewDesc(name, help, t, labels, nil)
	if err != nil {
		panic(err)
	}
	return d
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r == ':' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

func validLabel(s string) bool {
	return validName(s) && !strings.Contains(s, ":") && !strings.HasPrefix(s, "__")
}

// Counter only goes up.
type Counter struct {
	desc   *Desc
	labels []LabelPair
	bits   atomic.Uint64
}

// NewCounter returns an unlabeled counter.
func NewCounter(name, help string) *Counter {
	return &Counter{desc: MustNewDesc(name, help, CounterType, nil)}
}

// Add adds v, which must not be negative.
func (c *Counter) Add(v float64) {
	if v < 0 {
		panic("metrics: counter cannot decrease")
	}
	for {
		old := c.bits.Load()
		if c.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Inc adds one.
func (c *Counter) Inc() { c.Add(1) }

// Value returns the current value.
func (c *Counter) Value() float64 { return math.Float64frombits(c.bits.Load()) }

// Describe implements Collector.
func (c *Counter) Describe() []*Desc { return []*Desc{c.desc} }

// Collect implements Collector.
func (c *Counter) Collect(ch chan<- Sample) {
	ch <- Sample{Desc: c.desc, Labels: c.labels, Value: c.Value()}
}

// Gauge goes up and down.
type Gauge struct {
	desc   *Desc
	labels []LabelPair
	bits   atomic.Uint64
}

// NewGauge returns an unlabeled gauge.
func NewGauge(name, help string) *Gauge {
	return &Gauge{desc: MustNewDesc(name, help, GaugeType, nil)}
}

// Set stores v.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Add adds v (which may be negative).
func (g *Gauge) Add(v float64) {
	for {
		old := g.bits.Load()
		if g.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Inc adds one.
func (g *Gauge) Inc() { g.Add(1) }

// Dec subtracts one.
func (g *Gauge) Dec() { g.Add(-1) }

// SetToCurrentTime stores the current Unix time.
func (g *Gauge) SetToCurrentTime() { g.Set(float64(time.Now().UnixNano()) / 1e9) }

// Value returns the current value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

// Describe implements Collector.
func (g *Gauge) Describe() []*Desc { return []*Desc{g.desc} }

// Collect implements Collector.
func (g *Gauge) Collect(ch chan<- Sample) {
	ch <- Sample{Desc: g.desc, Labels: g.labels, Value: g.Value()}
}

// Track increments g and returns the function that decrements it, for
// use as defer g.Track()().
func (g *Gauge) Track() func() {
	g.Inc()
	return g.Dec
}

// GaugeFunc exposes the value of a callback.
type GaugeFunc struct {
	desc *Desc
	fn   func() float64
}

// NewGaugeFunc returns a collector that calls fn at every scrape.
func NewGaugeFunc(name, help string, fn func() float64) *GaugeFunc {
	return &GaugeFunc{desc: MustNewDesc(name, help, GaugeType, nil), fn: fn}
}

// Describe implements Collector.
func (g *GaugeFunc) Describe() []*Desc { return []*Desc{g.desc} }

// Collect implements Collector.
func (g *GaugeFunc) Collect(ch chan<- Sample) {
	ch <- Sample{Desc: g.desc, Value: g.fn()}
}
