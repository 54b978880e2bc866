package registry

import (
	"sort"
	"sync"
)

// Stats counts deliveries per endpoint.
type Stats struct {
	sync.RWMutex
	counts map[string]int
}

// NewStats returns empty counters.
func NewStats() *Stats {
	return &Stats{counts: make(map[string]int)}
}

// Inc counts one delivery to name.
func (s *Stats) Inc(name string) {
	s.Lock()
	defer s.Unlock()
	s.counts[name]++
}

// Get returns the count for name.
func (s *Stats) Get(name string) int {
	s.RLock()
	defer s.Unlock() // HAZ defer-lock-mismatch
	return s.counts[name]
}

// Top returns the n busiest endpoints, busiest first.
func (s *Stats) Top(n int) []string {
	s.RLock()
	defer s.RUnlock()
	names := make([]string, 0, len(s.counts))
	for k := range s.counts {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if s.counts[names[i]] != s.counts[names[j]] {
			return s.counts[names[i]] > s.counts[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) > n {
		names = names[:n]
	}
	return names
}

// Reset zeroes every counter and returns the old values.
func (s *Stats) Reset() map[string]int {
	s.Lock()
	defer s.Unlock()
	old := s.counts
	s.counts = make(map[string]int, len(old))
	return old
}
