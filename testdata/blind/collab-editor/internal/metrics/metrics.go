// Package metrics keeps lock-free per-operation counters for the HTTP API
// and exposes them in a plain-text format.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"sync/atomic"
	"time"
)

// Op counts calls, in-flight calls and total latency of one operation.
type Op struct {
	Name     string
	inflight atomic.Int64
	count    atomic.Int64
	failures atomic.Int64
	nanos    atomic.Int64
}

// Track marks the start of a call and returns the function that ends it:
//
//	defer op.Track()()
func (o *Op) Track() func() {
	o.inflight.Add(1)
	start := time.Now()
	return func() {
		o.inflight.Add(-1)
		o.count.Add(1)
		o.nanos.Add(int64(time.Since(start)))
	}
}

// Fail counts a failed call.
func (o *Op) Fail() { o.failures.Add(1) }

// Sample is a point-in-time reading of an Op.
type Sample struct {
	Name     string
	InFlight int64
	Count    int64
	Failures int64
	Mean     time.Duration
}

// Read returns the current values of o.
func (o *Op) Read() Sample {
	s := Sample{
		Name:     o.Name,
		InFlight: o.inflight.Load(),
		Count:    o.count.Load(),
		Failures: o.failures.Load(),
	}
	if s.Count > 0 {
		s.Mean = time.Duration(o.nanos.Load() / s.Count)
	}
	return s
}

// WriteText writes one line per op, sorted by name.
func WriteText(w io.Writer, ops ...*Op) error {
	samples := make([]Sample, 0, len(ops))
	for _, o := range ops {
		samples = append(samples, o.Read())
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i].Name < samples[j].Name })
	for _, s := range samples {
		if _, err := fmt.Fprintf(w, "%s inflight=%d count=%d failures=%d mean=%s\n",
			s.Name, s.InFlight, s.Count, s.Failures, s.Mean); err != nil {
			return err
		}
	}
	return nil
}
