package scraper

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Stats counts scrape outcomes per target.
type Stats struct {
	mu       sync.Mutex
	ok       map[string]int
	failures map[string]int
	retries  map[string]int
	since    time.Time
}

func NewStats() *Stats {
	return &Stats{ok: map[string]int{}, failures: map[string]int{}, retries: map[string]int{}, since: time.Now()}
}

func (st *Stats) succeeded(target string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.ok[target]++
}

func (st *Stats) failed(target string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.failures[target]++
}

func (st *Stats) retried(target string, attempt int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if attempt > st.retries[target] {
		st.retries[target] = attempt
	}
}

// StatsSnapshot is a point-in-time copy of Stats.
type StatsSnapshot struct {
	Taken    time.Time
	OK       map[string]int
	Failures map[string]int
	Retries  map[string]int
}

func (st *Stats) Snapshot() StatsSnapshot {
	st.mu.Lock()
	defer st.mu.Unlock()
	cp := func(m map[string]int) map[string]int {
		out := make(map[string]int, len(m))
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	return StatsSnapshot{Taken: time.Now(), OK: cp(st.ok), Failures: cp(st.failures), Retries: cp(st.retries)}
}

// Publish writes the snapshot in text exposition format.
func (ss StatsSnapshot) Publish(w io.Writer) error {
	names := make([]string, 0, len(ss.OK)+len(ss.Failures))
	seen := map[string]bool{}
	for _, m := range []map[string]int{ss.OK, ss.Failures} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "scrape_ok_total{target=%q} %d\nscrape_failures_total{target=%q} %d\nscrape_max_retries{target=%q} %d\n",
			n, ss.OK[n], n, ss.Failures[n], n, ss.Retries[n]); err != nil {
			return err
		}
	}
	return nil
}
