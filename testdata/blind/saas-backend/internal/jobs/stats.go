package jobs

import (
	"log"
	"sync"
)

// Stats is a point-in-time copy of pool counters.
type Stats struct {
	Succeeded, Failed int
}

// Log writes the counters to logger.
func (s Stats) Log(logger *log.Logger) {
	logger.Printf("jobs: %d succeeded, %d failed", s.Succeeded, s.Failed)
}

type poolStats struct {
	mu sync.Mutex
	s  Stats
}

func (ps *poolStats) record(ok bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ok {
		ps.s.Succeeded++
	} else {
		ps.s.Failed++
	}
}

// Snapshot returns a copy of the counters.
func (ps *poolStats) Snapshot() Stats {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.s
}

// Stats returns the pool's counters so far.
func (p *Pool) Stats() Stats { return p.stats.Snapshot() }
