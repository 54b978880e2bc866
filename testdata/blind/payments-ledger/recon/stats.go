package recon

import (
	"log"
	"sync/atomic"
	"time"
)

// Stats counts what a reconciliation job did. It is safe for concurrent use
// and must not be copied.
type Stats struct {
	started    time.Time
	checked    atomic.Int64
	mismatched atomic.Int64
	failed     atomic.Int64
}

// NewStats starts the clock of a job.
func NewStats() *Stats { return &Stats{started: time.Now()} }

func (s *Stats) add(checked, mismatched, failed int64) {
	s.checked.Add(checked)
	s.mismatched.Add(mismatched)
	s.failed.Add(failed)
}

// StatsSnapshot is a copy of the counters at one moment.
type StatsSnapshot struct {
	Checked    int64
	Mismatched int64
	Failed     int64
	Elapsed    time.Duration
}

// Snapshot copies the counters.
func (s *Stats) Snapshot() StatsSnapshot {
	return StatsSnapshot{
		Checked:    s.checked.Load(),
		Mismatched: s.mismatched.Load(),
		Failed:     s.failed.Load(),
		Elapsed:    time.Since(s.started),
	}
}

// Log writes the snapshot as one line.
func (s StatsSnapshot) Log(l *log.Logger) {
	l.Printf("recon: checked=%d mismatched=%d failed=%d elapsed=%s",
		s.Checked, s.Mismatched, s.Failed, s.Elapsed.Round(time.Millisecond))
}
