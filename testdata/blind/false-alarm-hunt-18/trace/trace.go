// Package trace records coarse timing regions for the debug endpoint, in
// the spirit of golang.org/x/net/trace.
package trace

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// A Stat summarizes the completed instances of one region.
type Stat struct {
	Name  string
	Count int
	Total time.Duration
	Max   time.Duration
}

var (
	active atomic.Int64

	mu    sync.Mutex
	stats = make(map[string]*Stat)
)

// Region starts timing a region and returns the function that ends it.
// The usual form is
//
//	defer trace.Region("name")()
func Region(name string) (end func()) {
	start := time.Now()
	active.Add(1)
	return func() {
		active.Add(-1)
		record(name, time.Since(start))
	}
}

// record adds one completed region.
func record(name string, d time.Duration) {
	mu.Lock()
	defer mu.Unlock()
	st := stats[name]
	if st == nil {
		st = &Stat{Name: name}
		stats[name] = st
	}
	st.Count++
	st.Total += d
	st.Max = max(st.Max, d)
}

// Active reports the number of regions started but not yet ended.
func Active() int64 { return active.Load() }

// Snapshot returns the statistics for every region, sorted by name.
func Snapshot() []Stat {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Stat, 0, len(stats))
	for _, st := range stats {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
