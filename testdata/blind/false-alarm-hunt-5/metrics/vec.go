package metrics

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// vec maps label values to child metrics.
type vec[T Collector] struct {
	desc     *Desc
	mu       sync.RWMutex
	children map[string]T
	newChild func(labels []LabelPair) T
}

func labelKey(vals []string) string { return strings.Join(vals, "\xff") }

// get returns the child for vals, creating it on first use. The fast path
// holds only the read lock and releases it before taking the write lock.
func (v *vec[T]) get(vals []string) (T, error) {
	var zero T
	if len(vals) != len(v.desc.LabelNames) {
		return zero, fmt.Errorf("metrics: %s wants %d label values, got %d", v.desc.Name, len(v.desc.LabelNames), len(vals))
	}
	key := labelKey(vals)
	v.mu.RLock()
	c, ok := v.children[key]
	v.mu.RUnlock()
	if ok {
		return c, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.children[key]; ok {
		return c, nil
	}
	pairs := make([]LabelPair, len(vals))
	for i, name := range v.desc.LabelNames {
		pairs[i] = LabelPair{name, vals[i]}
	}
	c = v.newChild(pairs)
	v.children[key] = c
	return c, nil
}

// remove deletes the child for vals.
func (v *vec[T]) remove(vals []string) bool {
	key := labelKey(vals)
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.children[key]; !ok {
		return false
	}
	delete(v.children, key)
	return true
}

// reset drops all children.
func (v *vec[T]) reset() {
	v.mu.Lock()
	clear(v.children)
	v.mu.Unlock()
}

// collect snapshots the children under the read lock, then collects them
// with no lock held so a slow child cannot block writers.
func (v *vec[T]) collect(ch chan<- Sample) {
	v.mu.RLock()
	keys := make([]string, 0, len(v.children))
	for k := range v.children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	kids := make([]T, len(keys))
	for i, k := range keys {
		kids[i] = v.children[k]
	}
	v.mu.RUnlock()
	for _, c := range kids {
		c.Collect(ch)
	}
}

// CounterVec is a set of counters partitioned by labels.
type CounterVec struct{ v vec[*Counter] }

// NewCounterVec returns a CounterVec.
func NewCounterVec(name, help string, labels ...string) *CounterVec {
	d := MustNewDesc(name, help, CounterType, labels)
	return &CounterVec{v: vec[*Counter]{desc: d, children: map[string]*Counter{}, newChild: func(ls []LabelPair) *Counter {
		return &Counter{desc: d, labels: ls}
	}}}
}

// WithLabelValues returns the counter for vals, panicking on a bad arity.
func (cv *CounterVec) WithLabelValues(vals ...string) *Counter {
	c, err := cv.v.get(vals)
	if err != nil {
		panic(err)
	}
	return c
}

// Delete removes the counter for vals.
func (cv *CounterVec) Delete(vals ...string) bool { return cv.v.remove(vals) }

// Reset removes every counter.
func (cv *CounterVec) Reset() { cv.v.reset() }

// Describe implements Collector.
func (cv *CounterVec) Describe() []*Desc { return []*Desc{cv.v.desc} }

// Collect implements Collector.
func (cv *CounterVec) Collect(ch chan<- Sample) { cv.v.collect(ch) }

// GaugeVec is a set of gauges partitioned by labels.
type GaugeVec struct{ v vec[*Gauge] }

// NewGaugeVec returns a GaugeVec.
func NewGaugeVec(name, help string, labels ...string) *GaugeVec {
	d := MustNewDesc(name, help, GaugeType, labels)
	return &GaugeVec{v: vec[*Gauge]{desc: d, children: map[string]*Gauge{}, newChild: func(ls []LabelPair) *Gauge {
		return &Gauge{desc: d, labels: ls}
	}}}
}

// WithLabelValues returns the gauge for vals.
func (gv *GaugeVec) WithLabelValues(vals ...string) *Gauge {
	g, err := gv.v.get(vals)
	if err != nil {
		panic(err)
	}
	return g
}

// Describe implements Collector.
func (gv *GaugeVec) Describe() []*Desc { return []*Desc{gv.v.desc} }

// Collect implements Collector.
func (gv *GaugeVec) Collect(ch chan<- Sample) { gv.v.collect(ch) }

// HistogramVec is a set of histograms partitioned by labels.
type HistogramVec struct{ v vec[*Histogram] }

// NewHistogramVec returns a HistogramVec.
func NewHistogramVec(name, help string, buckets []float64, labels ...string) *HistogramVec {
	d := MustNewDesc(name, help, HistogramType, labels)
	return &HistogramVec{v: vec[*Histogram]{desc: d, children: map[string]*Histogram{}, newChild: func(ls []LabelPair) *Histogram {
		return newHistogram(d, ls, buckets)
	}}}
}

// WithLabelValues returns the histogram for vals.
func (hv *HistogramVec) WithLabelValues(vals ...string) *Histogram {
	h, err := hv.v.get(vals)
	if err != nil {
		panic(err)
	}
	return h
}

// Describe implements Collector.
func (hv *HistogramVec) Describe() []*Desc { return []*Desc{hv.v.desc} }

// Collect implements Collector.
func (hv *HistogramVec) Collect(ch chan<- Sample) { hv.v.collect(ch) }
