package legacy

import (
	"sync"
	"time"
)

// SweepModern is SweepRange in a go1.22 file: each iteration has its own port.
func (s *Scanner) SweepModern(host string, lo, hi int) {
	var wg sync.WaitGroup
	for port := lo; port <= hi; port++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.probe(host, port) {
				s.record(host, port)
			}
		}()
	}
	wg.Wait()
}

// SweepFrom probes from start upwards until limit, reusing one port variable.
func (s *Scanner) SweepFrom(host string, start, limit int) int {
	var wg sync.WaitGroup
	var port int
	for port = start; port < limit; port++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if s.probe(host, port) {
				s.record(host, port)
			}
		}()
	}
	wg.Wait()
	return port
}

// Retry probes host:port with growing pauses; the header assigns the named
// result, but no closure captures it.
func (s *Scanner) Retry(host string, port, max int) (attempt int, ok bool) {
	for attempt = 1; attempt <= max; attempt++ {
		if s.probe(host, port) {
			return attempt, true
		}
		time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
	}
	return attempt, false
}

// ScanEach scans targets, passing the shared variable as an argument.
func (s *Scanner) ScanEach(targets []Target) {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(targets); i++ {
		wg.Add(1)
		go func(t Target) {
			defer wg.Done()
			s.scanTarget(t)
		}(targets[i])
	}
	wg.Wait()
}

// ScanByIndex scans targets by index, one goroutine per index variable.
func (s *Scanner) ScanByIndex(targets []Target) {
	var wg sync.WaitGroup
	for i := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.scanTarget(targets[i])
		}()
	}
	wg.Wait()
}
