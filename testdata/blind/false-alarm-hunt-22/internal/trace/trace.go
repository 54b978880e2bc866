// Package trace records request and job latencies with lock-free counters.
package trace

import (
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type series struct {
	count atomic.Int64
	total atomic.Int64
	max   atomic.Int64
}

// Recorder aggregates named latency series. The zero value is not usable;
// call NewRecorder.
type Recorder struct {
	series sync.Map // name -> *series
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{}
}

// Start begins timing a region and returns the function that ends it:
//
//	defer rec.Start("db.query")()
func (r *Recorder) Start(name string) func() {
	start := time.Now()
	return func() {
		r.Observe(name, time.Since(start))
	}
}

// Observe adds one sample to the named series.
func (r *Recorder) Observe(name string, d time.Duration) {
	s := r.get(name)
	s.count.Add(1)
	s.total.Add(int64(d))
	for {
		cur := s.max.Load()
		if int64(d) <= cur || s.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

func (r *Recorder) get(name string) *series {
	if v, ok := r.series.Load(name); ok {
		return v.(*series)
	}
	v, _ := r.series.LoadOrStore(name, new(series))
	return v.(*series)
}

// Stat is a point-in-time view of one series.
type Stat struct {
	Name  string        `json:"name"`
	Count int64         `json:"count"`
	Mean  time.Duration `json:"mean"`
	Max   time.Duration `json:"max"`
}

// Snapshot is a point-in-time copy of all series, sorted by name.
type Snapshot []Stat

// Snapshot copies the current counters.
func (r *Recorder) Snapshot() Snapshot {
	var out Snapshot
	r.series.Range(func(k, v any) bool {
		s := v.(*series)
		n := s.count.Load()
		st := Stat{Name: k.(string), Count: n, Max: time.Duration(s.max.Load())}
		if n > 0 {
			st.Mean = time.Duration(s.total.Load() / n)
		}
		out = append(out, st)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Publish writes the snapshot to lg, one line per series.
func (s Snapshot) Publish(lg *log.Logger) {
	if len(s) == 0 {
		lg.Printf("stats: no samples")
		return
	}
	for _, st := range s {
		lg.Printf("stats: %s count=%d mean=%s max=%s", st.Name, st.Count, st.Mean, st.Max)
	}
}

// Delta returns, per series, how many samples were added since prev.
func (s Snapshot) Delta(prev Snapshot) map[string]int64 {
	before := make(map[string]int64, len(prev))
	for _, st := range prev {
		before[st.Name] = st.Count
	}
	out := make(map[string]int64, len(s))
	for _, st := range s {
		if d := st.Count - before[st.Name]; d > 0 {
			out[st.Name] = d
		}
	}
	return out
}
