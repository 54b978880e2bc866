// Package timing measures how long release phases take.
package timing

import (
	"fmt"
	"io"
	"log"
	"sync"
	"time"
)

// Track logs the start of a phase and returns a function that logs its
// duration. Use it as: defer timing.Track(logger, "build")().
func Track(logger *log.Logger, phase string) func() {
	start := time.Now()
	logger.Printf("%s: started", phase)
	return func() {
		logger.Printf("%s: done in %s", phase, time.Since(start).Round(time.Millisecond))
	}
}

// Stopwatch accumulates the durations of named phases across goroutines.
type Stopwatch struct {
	mu     sync.Mutex
	phases map[string]time.Duration
	order  []string
}

// NewStopwatch returns an empty Stopwatch.
func NewStopwatch() *Stopwatch {
	return &Stopwatch{phases: make(map[string]time.Duration)}
}

// Start begins timing phase and returns the function that stops it.
func (s *Stopwatch) Start(phase string) func() {
	start := time.Now()
	return func() {
		s.add(phase, time.Since(start))
	}
}

func (s *Stopwatch) add(phase string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.phases[phase]; !ok {
		s.order = append(s.order, phase)
	}
	s.phases[phase] += d
}

// Total returns the sum of all recorded phases.
func (s *Stopwatch) Total() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total time.Duration
	for _, d := range s.phases {
		total += d
	}
	return total
}

// Summary returns a one-line description for the final log line.
func (s *Stopwatch) Summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%d phases, %s total", len(s.order), s.Total()) // HAZ lock-reentry-under-defer
}

// Report writes one line per phase, in first-seen order.
func (s *Stopwatch) Report(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.order {
		if _, err := fmt.Fprintf(w, "  %-28s %8s\n", p, s.phases[p].Round(time.Millisecond)); err != nil {
			return err
		}
	}
	return nil
}

// Reset clears all phases so the stopwatch can be reused by the next run.
func (s *Stopwatch) Reset() {
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	s.phases = make(map[string]time.Duration)
	s.order = s.order[:0]
}
