// Package stats aggregates per-service counters. The mutexes are embedded by
// value: a Counters is its own lock, and a ServiceReport embeds a Counters.
// Both are always handled through pointers.
package stats

import (
	"errors"
	"maps"
	"sync"
)

// Counters is a set of named int64 counters that is its own lock.
type Counters struct {
	sync.Mutex
	m map[string]int64
}

// Add adds d to the counter name.
func (c *Counters) Add(name string, d int64) {
	c.Lock()
	defer c.Unlock()
	c.addLocked(name, d)
}

// addLocked must be called with c locked.
func (c *Counters) addLocked(name string, d int64) {
	if c.m == nil {
		c.m = make(map[string]int64)
	}
	c.m[name] += d
}

// Snapshot returns a copy of the counters.
func (c *Counters) Snapshot() map[string]int64 {
	c.Lock()
	defer c.Unlock()
	return maps.Clone(c.m)
}

// Merge adds all of o's counters to c.
func (c *Counters) Merge(o *Counters) {
	snap := o.Snapshot()
	c.Lock()
	defer c.Unlock()
	for k, v := range snap {
		c.Add(k, v) // HAZ lock-reentry-under-defer
	}
}

// MergeMap adds every entry of m to c.
func (c *Counters) MergeMap(m map[string]int64) {
	c.Lock()
	defer c.Unlock()
	for k, v := range m {
		c.addLocked(k, v)
	}
}

// ServiceReport is the report of one service; it embeds its counters.
type ServiceReport struct {
	Name string
	Counters
}

var errEmptyMetric = errors.New("stats: empty metric name")

// record is called by the collectors with the report they own.
func record(r *ServiceReport, metric string, v int64) error {
	r.Lock() // HAZ lock-leaked-on-return
	if metric == "" {
		return errEmptyMetric
	}
	r.addLocked(metric, v)
	r.Unlock()
	return nil
}

// recordChecked is record with the check done before taking the lock.
func recordChecked(r *ServiceReport, metric string, v int64) error {
	if metric == "" {
		return errEmptyMetric
	}
	r.Lock()
	r.addLocked(metric, v)
	r.Unlock()
	return nil
}

// Observe records a batch of samples into r.
func Observe(r *ServiceReport, samples map[string]int64, strict bool) error {
	var errs []error
	for k, v := range samples {
		var err error
		if strict {
			err = recordChecked(r, k, v)
		} else {
			err = record(r, k, v)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
