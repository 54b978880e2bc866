// Package obsreport is the collector's own telemetry: counters of accepted,
// refused, dropped and exported items, operation timings, and recovered panics.
package obsreport

import (
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// slowOp is the duration above which an operation is logged.
const slowOp = 2 * time.Second

// Recorder counts what one component did. All methods are safe for
// concurrent use and never block.
type Recorder struct {
	component string
	logger    *log.Logger

	accepted   atomic.Int64
	refused    atomic.Int64
	dropped    atomic.Int64
	sent       atomic.Int64
	sendFailed atomic.Int64
	panics     atomic.Int64
	ops        atomic.Int64
	opNanos    atomic.Int64
}

// NewRecorder returns a Recorder for component; a nil logger discards logs.
func NewRecorder(component string, logger *log.Logger) *Recorder {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Recorder{component: component, logger: logger}
}

// Accepted counts n items taken in.
func (r *Recorder) Accepted(n int) { r.accepted.Add(int64(n)) }

// Refused counts n items refused under back pressure or for bad input.
func (r *Recorder) Refused(n int) { r.refused.Add(int64(n)) }

// Dropped counts n items dropped, e.g. by a full queue.
func (r *Recorder) Dropped(n int) { r.dropped.Add(int64(n)) }

// StartOp starts timing op and returns the func that stops the timer. Use it
// as `defer rec.StartOp("flush")()`.
func (r *Recorder) StartOp(op string) func() {
	start := time.Now()
	return func() {
		d := time.Since(start)
		r.ops.Add(1)
		r.opNanos.Add(int64(d))
		if d > slowOp {
			r.logger.Printf("%s: %s took %s", r.component, op, d)
		}
	}
}

// RecordOpDuration records a duration measured by the caller.
func (r *Recorder) RecordOpDuration(d time.Duration) {
	r.ops.Add(1)
	r.opNanos.Add(int64(d))
}

// ObserveOp records an operation that ran from start to end.
func (r *Recorder) ObserveOp(start, end time.Time) {
	r.RecordOpDuration(end.Sub(start))
}

// EndExport records the outcome of exporting n items.
func (r *Recorder) EndExport(n int, err error) {
	if err != nil {
		r.sendFailed.Add(int64(n))
		r.logger.Printf("%s: export of %d items failed: %v", r.component, n, err)
		return
	}
	r.sent.Add(int64(n))
}

// PanicAsError counts a recovered panic, logs it with the stack, and turns it
// into an error the caller can report.
func (r *Recorder) PanicAsError(where string, v any) error {
	r.panics.Add(1)
	r.logger.Printf("%s: recovered panic in %s: %v\n%s", r.component, where, v, debug.Stack())
	return fmt.Errorf("%s: panic in %s: %v", r.component, where, v)
}

// Snapshot is a point-in-time copy of the counters.
type Snapshot struct {
	Component  string
	Accepted   int64
	Refused    int64
	Dropped    int64
	Sent       int64
	SendFailed int64
	Panics     int64
	Ops        int64
	AvgOp      time.Duration
}

// Snapshot copies the counters.
func (r *Recorder) Snapshot() Snapshot {
	s := Snapshot{
		Component:  r.component,
		Accepted:   r.accepted.Load(),
		Refused:    r.refused.Load(),
		Dropped:    r.dropped.Load(),
		Sent:       r.sent.Load(),
		SendFailed: r.sendFailed.Load(),
		Panics:     r.panics.Load(),
		Ops:        r.ops.Load(),
	}
	if s.Ops > 0 {
		s.AvgOp = time.Duration(r.opNanos.Load() / s.Ops)
	}
	return s
}

// Log writes the snapshot as one line.
func (s Snapshot) Log(l *log.Logger) {
	l.Printf("%s: accepted=%d refused=%d dropped=%d sent=%d send_failed=%d panics=%d ops=%d avg_op=%s",
		s.Component, s.Accepted, s.Refused, s.Dropped, s.Sent, s.SendFailed, s.Panics, s.Ops, s.AvgOp)
}
