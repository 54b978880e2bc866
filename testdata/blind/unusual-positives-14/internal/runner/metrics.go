package runner

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Stats counts job outcomes without locks.
type Stats struct {
	ok, failed atomic.Int64
	busy       atomic.Int64 // nanoseconds
}

// Add records one finished job.
func (s *Stats) Add(d time.Duration, err error) {
	if err != nil {
		s.failed.Add(1)
	} else {
		s.ok.Add(1)
	}
	s.busy.Add(int64(d))
}

// Summary is a copy of the counters.
type Summary struct {
	OK, Failed int64
	Busy       time.Duration
}

// Snapshot copies the counters as they are now.
func (s *Stats) Snapshot() Summary {
	return Summary{OK: s.ok.Load(), Failed: s.failed.Load(), Busy: time.Duration(s.busy.Load())}
}

// Print writes a one-line summary.
func (s Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "jobs: %d ok, %d failed, busy %v\n", s.OK, s.Failed, s.Busy)
}

// Gauge counts how many things of kind T are in flight and remembers the
// last one to enter.
type Gauge[T comparable] struct {
	n    atomic.Int64
	last atomic.Value
}

// Enter counts key as in flight; the returned func marks it done.
func (g *Gauge[T]) Enter(key T) func() {
	g.n.Add(1)
	g.last.Store(key)
	return func() { g.n.Add(-1) }
}

// Value reports how many are in flight.
func (g *Gauge[T]) Value() int64 { return g.n.Load() }
