package cache

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts cache traffic. The embedded lock guards the counters; the
// latency total is updated atomically so that it can be recorded on hot
// paths.
type Stats struct {
	sync.RWMutex
	Hits    int64
	Misses  int64
	latency atomic.Int64
}

func (s *Stats) hit() {
	s.Lock()
	s.Hits++
	s.Unlock()
}

func (s *Stats) miss() {
	s.Lock()
	s.Misses++
	s.Unlock()
}

// observe adds the duration between start and end to the latency total.
func (s *Stats) observe(start, end time.Time) {
	s.latency.Add(int64(end.Sub(start)))
}

// Latency is the total time spent serving fetches.
func (s *Stats) Latency() time.Duration { return time.Duration(s.latency.Load()) }

// Ratio is the hit ratio, or 0 with no traffic.
func (s *Stats) Ratio() float64 {
	s.RLock()
	defer s.RUnlock()
	total := s.Hits + s.Misses
	if total == 0 {
		return 0
	}
	return float64(s.Hits) / float64(total)
}

// Counts returns hits and misses.
func (s *Stats) Counts() (hits, misses int64) {
	s.RLock()
	defer s.RUnlock()
	return s.Hits, s.Misses
}

// Reset zeroes the counters.
func (s *Stats) Reset() {
	s.Lock()
	defer s.RUnlock() // HAZ defer-lock-mismatch
	s.Hits, s.Misses = 0, 0
	s.latency.Store(0)
}

// Merge adds o's counters into s.
func (s *Stats) Merge(o *Stats) error {
	if o == nil {
		return nil
	}
	s.Lock() // HAZ lock-leaked-on-return
	if o == s {
		return errors.New("cache: cannot merge stats into themselves")
	}
	o.RLock()
	s.Hits += o.Hits
	s.Misses += o.Misses
	s.latency.Add(o.latency.Load())
	o.RUnlock()
	s.Unlock()
	return nil
}
