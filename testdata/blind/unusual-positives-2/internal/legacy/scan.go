//go:build go1.21

// Package legacy holds the port scanner carried over from the old agent.
// This file pins its language version to go1.21 (old loop semantics).
package legacy

import (
	"fmt"
	"sort"
	"sync"
)

// Target is one host to scan.
type Target struct {
	Host  string
	Ports []int
}

// Scanner probes ports.
type Scanner struct {
	probe func(host string, port int) bool
	mu    sync.Mutex
	open  map[string][]int
}

// NewScanner returns a scanner using probe.
func NewScanner(probe func(string, int) bool) *Scanner {
	return &Scanner{probe: probe, open: make(map[string][]int)}
}

func (s *Scanner) record(host string, port int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open[host] = append(s.open[host], port)
}

func (s *Scanner) scanTarget(t Target) {
	for _, p := range t.Ports {
		if s.probe(t.Host, p) {
			s.record(t.Host, p)
		}
	}
}

// ScanAll scans all targets concurrently.
func (s *Scanner) ScanAll(targets []Target) int {
	var wg sync.WaitGroup
	started := 0
	for _, t := range targets {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.scanTarget(t)
		}()
		started++
	}
	wg.Wait()
	return started
}

// ScanAllCopied shadows the loop variable before capturing it.
func (s *Scanner) ScanAllCopied(targets []Target) {
	var wg sync.WaitGroup
	for _, t := range targets {
		t := t
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.scanTarget(t)
		}()
	}
	wg.Wait()
}

// ScanAllArgs passes the loop variable as an argument.
func (s *Scanner) ScanAllArgs(targets []Target) {
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func(t Target) {
			defer wg.Done()
			s.scanTarget(t)
		}(t)
	}
	wg.Wait()
}

// SweepRange probes ports lo..hi of host concurrently.
func (s *Scanner) SweepRange(host string, lo, hi int) {
	var wg sync.WaitGroup
	for port := lo; port <= hi; port++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if s.probe(host, port) {
				s.record(host, port)
			}
		}()
		if port%1024 == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
}

// Report formats the open ports per host.
func (s *Scanner) Report() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.open))
	for host, ports := range s.open {
		sort.Ints(ports)
		out = append(out, fmt.Sprintf("%s %v", host, ports))
	}
	sort.Strings(out)
	return out
}
