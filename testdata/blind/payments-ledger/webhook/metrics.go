package webhook

import (
	"sync/atomic"
	"time"
)

type failure struct {
	merchant string
	err      string
	at       time.Time
}

// metrics are lock-free counters, cheap enough to update from deferred calls.
type metrics struct {
	delivered   atomic.Int64
	failed      atomic.Int64
	lastFailure atomic.Pointer[failure]
}

func (m *metrics) observe(merchant string, err error) {
	if err == nil {
		m.delivered.Add(1)
		return
	}
	m.failed.Add(1)
	m.lastFailure.Store(&failure{merchant: merchant, err: err.Error(), at: time.Now()})
}

// Stats is a point-in-time copy of the delivery counters.
type Stats struct {
	Delivered       int64
	Failed          int64
	LastFailure     string
	LastFailureFrom string
	LastFailureAt   time.Time
}

// Stats returns the delivery counters.
func (d *Deliverer) Stats() Stats {
	s := Stats{Delivered: d.metrics.delivered.Load(), Failed: d.metrics.failed.Load()}
	if f := d.metrics.lastFailure.Load(); f != nil {
		s.LastFailure, s.LastFailureFrom, s.LastFailureAt = f.err, f.merchant, f.at
	}
	return s
}
