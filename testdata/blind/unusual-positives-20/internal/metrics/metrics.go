// Package metrics keeps in-process latency samples for the tidepool tools.
package metrics

import (
	"sort"
	"sync"
	"time"
)

// Recorder collects duration samples by name. The zero value is not usable;
// call NewRecorder.
type Recorder struct {
	mu      sync.Mutex
	samples map[string][]time.Duration
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{samples: make(map[string][]time.Duration)}
}

// Observe adds one sample.
func (r *Recorder) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.samples[name] = append(r.samples[name], d)
}

// Timer starts timing name; call the returned func when the work is done:
//
//	defer rec.Timer("compact")()
func (r *Recorder) Timer(name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start)) }
}

// Summary returns the sample count, median and maximum for name.
func (r *Recorder) Summary(name string) (n int, p50, maxD time.Duration) {
	r.mu.Lock()
	s := append([]time.Duration(nil), r.samples[name]...)
	r.mu.Unlock()
	if len(s) == 0 {
		return 0, 0, 0
	}
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return len(s), s[len(s)/2], s[len(s)-1]
}

// Names returns the names that have samples, sorted.
func (r *Recorder) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.samples))
	for n := range r.samples {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *Recorder) lock() *sync.Mutex { return &r.mu }

// P50 returns the median of name, if it has samples.
func (r *Recorder) P50(name string) (time.Duration, bool) {
	r.lock().Lock()
	s := append([]time.Duration(nil), r.samples[name]...)
	r.lock().Unlock()
	if len(s) == 0 {
		return 0, false
	}
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], true
}

// MustP50 is P50 for names that are known to exist, such as the fixed
// panels of the status page. It panics on an unknown name.
func (r *Recorder) MustP50(name string) time.Duration {
	r.lock().Lock() // HAZ lock-leaked-on-return
	s, ok := r.samples[name]
	if !ok {
		panic("metrics: no samples for " + name)
	}
	c := append([]time.Duration(nil), s...)
	r.lock().Unlock()
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	return c[len(c)/2]
}
