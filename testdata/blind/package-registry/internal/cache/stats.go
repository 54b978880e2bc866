package cache

import (
	"sync"
	"time"
)

// Stats tracks in-flight upstream fetches per path for the status page.
type Stats struct {
	mu       sync.Mutex
	inflight map[string]int
	total    int
	slowest  time.Duration
}

// NewStats returns an empty Stats.
func NewStats() *Stats {
	return &Stats{inflight: make(map[string]int)}
}

// Begin records the start of a fetch of path and returns the function that
// records its end.
func (s *Stats) Begin(path string) func() {
	start := time.Now()
	s.mu.Lock()
	s.inflight[path]++
	s.total++
	s.mu.Unlock()
	return func() {
		d := time.Since(start)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.inflight[path]--; s.inflight[path] <= 0 {
			delete(s.inflight, path)
		}
		s.slowest = max(s.slowest, d)
	}
}

// Inflight returns the number of fetches running now.
func (s *Stats) Inflight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.inflight {
		n += c
	}
	return n
}
