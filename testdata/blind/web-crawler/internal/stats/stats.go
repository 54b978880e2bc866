// Package stats keeps crawl counters and latency summaries and serves them
// over HTTP.
package stats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

type latency struct {
	count int64
	total time.Duration
	max   time.Duration
}

// Stats is safe for concurrent use.
type Stats struct {
	mu       sync.RWMutex
	started  time.Time
	counters map[string]int64
	hosts    map[string]*latency
	stages   map[string]*latency
}

// LatencySummary is the exported form of a latency histogram.
type LatencySummary struct {
	Count int64         `json:"count"`
	Mean  time.Duration `json:"mean"`
	Max   time.Duration `json:"max"`
}

// Snapshot is a consistent copy of the statistics.
type Snapshot struct {
	Uptime   time.Duration             `json:"uptime"`
	Counters map[string]int64          `json:"counters"`
	Hosts    map[string]LatencySummary `json:"hosts"`
	Stages   map[string]LatencySummary `json:"stages"`
}

// New returns empty statistics.
func New() *Stats {
	return &Stats{
		started:  time.Now(),
		counters: make(map[string]int64),
		hosts:    make(map[string]*latency),
		stages:   make(map[string]*latency),
	}
}

// Inc adds delta to the counter name.
func (s *Stats) Inc(name string, delta int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters[name] += delta
}

// Set sets the counter name to v.
func (s *Stats) Set(name string, v int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters[name] = v
}

// ObserveFetch records the duration of a fetch from host.
func (s *Stats) ObserveFetch(host string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	observe(s.hosts, host, d)
}

// ObserveStage records the duration of one run of a pipeline stage.
func (s *Stats) ObserveStage(stage string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	observe(s.stages, stage, d)
}

func observe(m map[string]*latency, key string, d time.Duration) {
	l := m[key]
	if l == nil {
		l = &latency{}
		m[key] = l
	}
	l.count++
	l.total += d
	if d > l.max {
		l.max = d
	}
}

// Track starts timing stage; call the returned func when the stage ends:
//
//	defer st.Track("parse")()
func (s *Stats) Track(stage string) func() {
	start := time.Now()
	return func() { s.ObserveStage(stage, time.Since(start)) }
}

// Counter returns the value of one counter.
func (s *Stats) Counter(name string) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.counters[name]
}

// Snapshot copies the statistics.
func (s *Stats) Snapshot() Snapshot {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	counters := make(map[string]int64, len(s.counters))
	for k, v := range s.counters {
		counters[k] = v
	}
	return Snapshot{
		Uptime:   time.Since(s.started),
		Counters: counters,
		Hosts:    summarize(s.hosts),
		Stages:   summarize(s.stages),
	}
}

func summarize(m map[string]*latency) map[string]LatencySummary {
	out := make(map[string]LatencySummary, len(m))
	for k, l := range m {
		sum := LatencySummary{Count: l.count, Max: l.max}
		if l.count > 0 {
			sum.Mean = l.total / time.Duration(l.count)
		}
		out[k] = sum
	}
	return out
}

// ResetCounters zeroes the named counters and returns their old values.
func (s *Stats) ResetCounters(names ...string) map[string]int64 {
	old := make(map[string]int64, len(names))
	for _, n := range names {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		old[n] = s.counters[n]
		delete(s.counters, n)
	}
	return old
}

// WriteText writes the snapshot in a line-oriented "name value" format.
func (sn Snapshot) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	fmt.Fprintf(bw, "uptime_seconds %.0f\n", sn.Uptime.Seconds())
	for _, k := range sortedKeys(sn.Counters) {
		fmt.Fprintf(bw, "%s %d\n", k, sn.Counters[k])
	}
	for _, k := range sortedKeys(sn.Stages) {
		l := sn.Stages[k]
		fmt.Fprintf(bw, "stage{%q} count=%d mean=%s max=%s\n", k, l.Count, l.Mean, l.Max)
	}
	for _, k := range sortedKeys(sn.Hosts) {
		l := sn.Hosts[k]
		fmt.Fprintf(bw, "host{%q} count=%d mean=%s max=%s\n", k, l.Count, l.Mean, l.Max)
	}
	return nil
}

// WriteJSON writes the snapshot as indented JSON.
func (sn Snapshot) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sn)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
