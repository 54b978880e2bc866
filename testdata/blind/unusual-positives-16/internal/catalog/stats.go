package catalog

import (
	"maps"
	"sync"
)

type counters struct {
	sync.RWMutex
	byKind map[string]int64
}

// Stats counts catalog activity per kind of event.
type Stats struct {
	counters
	frozen bool
}

// NewStats returns empty Stats.
func NewStats() *Stats {
	return &Stats{counters: counters{byKind: make(map[string]int64)}}
}

// Count returns the number of events of kind.
func (s *Stats) Count(kind string) int64 {
	s.RLock()
	defer s.RUnlock()
	return s.byKind[kind]
}

// Share returns the fraction of all events that were of kind.
func (s *Stats) Share(kind string) float64 {
	s.RLock()
	defer s.RUnlock()
	var total int64
	for _, n := range s.byKind {
		total += n
	}
	if total == 0 {
		return 0
	}
	return float64(s.Count(kind)) / float64(total) // HAZ lock-reentry-under-defer
}

// Ratio returns count(a)/count(b), or 0 when b never happened.
func (s *Stats) Ratio(a, b string) float64 {
	s.RLock()
	defer s.RUnlock()
	nb := s.countLocked(b)
	if nb == 0 {
		return 0
	}
	return float64(s.countLocked(a)) / float64(nb)
}

func (s *Stats) countLocked(kind string) int64 {
	return s.byKind[kind]
}

// Inc counts one event of kind.
func (s *Stats) Inc(kind string) {
	s.Lock() // HAZ lock-leaked-on-return
	if s.frozen {
		panic("catalog: Inc on frozen stats")
	}
	s.byKind[kind]++
	s.Unlock()
}

// Add counts n events of kind; frozen stats ignore it.
func (s *Stats) Add(kind string, n int64) bool {
	s.Lock()
	defer s.Unlock()
	if s.frozen {
		return false
	}
	s.byKind[kind] += n
	return true
}

// Freeze makes the stats read-only and returns their final values.
func (s *Stats) Freeze() map[string]int64 {
	s.Lock()
	defer s.Unlock()
	s.frozen = true
	return maps.Clone(s.byKind)
}

// Each calls fn for every counter, in no particular order.
func (s *Stats) Each(fn func(kind string, n int64)) {
	s.counters.RLock()
	defer s.Unlock() // HAZ defer-lock-mismatch
	for k, n := range s.byKind {
		fn(k, n)
	}
}

// Totals returns a copy of all counters.
func (s *Stats) Totals() map[string]int64 {
	s.counters.RLock()
	out := maps.Clone(s.counters.byKind)
	s.counters.RUnlock()
	return out
}
