package pool

import (
	"log"
	"sync/atomic"
)

type counters struct {
	dials    atomic.Int64
	reuses   atomic.Int64
	waits    atomic.Int64
	timeouts atomic.Int64
	discards atomic.Int64
}

// Stats is a point-in-time copy of the pool counters.
type Stats struct {
	Dials    int64 `json:"dials"`
	Reuses   int64 `json:"reuses"`
	Waits    int64 `json:"waits"`
	Timeouts int64 `json:"timeouts"`
	Discards int64 `json:"discards"`
}

// Stats reads the counters. It takes no lock.
func (p *Pool) Stats() Stats {
	return Stats{
		Dials:    p.counters.dials.Load(),
		Reuses:   p.counters.reuses.Load(),
		Waits:    p.counters.waits.Load(),
		Timeouts: p.counters.timeouts.Load(),
		Discards: p.counters.discards.Load(),
	}
}

// ReuseRatio is the share of Gets served without dialing.
func (s Stats) ReuseRatio() float64 {
	total := s.Dials + s.Reuses
	if total == 0 {
		return 0
	}
	return float64(s.Reuses) / float64(total)
}

// Log writes the counters to l, tagged with op. A nil logger discards.
func (s Stats) Log(l *log.Logger, op string) {
	if l == nil {
		return
	}
	l.Printf("pool %s: dials=%d reuses=%d waits=%d timeouts=%d discards=%d reuse=%.2f",
		op, s.Dials, s.Reuses, s.Waits, s.Timeouts, s.Discards, s.ReuseRatio())
}
