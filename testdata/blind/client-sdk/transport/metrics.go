package transport

import (
	"net/http"
	"sort"
	"sync"
	"time"
)

// MetricsTransport records per-method latency and status counts.
type MetricsTransport struct {
	Base http.RoundTripper

	mu        sync.Mutex
	latencies map[string][]time.Duration
	statuses  map[int]int
}

func (t *MetricsTransport) observe(method string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.latencies == nil {
		t.latencies = make(map[string][]time.Duration)
	}
	t.latencies[method] = append(t.latencies[method], d)
}

func (t *MetricsTransport) countStatus(code int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.statuses == nil {
		t.statuses = make(map[int]int)
	}
	t.statuses[code]++
}

// RoundTrip implements http.RoundTripper.
func (t *MetricsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	defer t.observe(req.Method, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	resp, err := t.Base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.countStatus(resp.StatusCode)
	return resp, nil
}

// TimedRoundTrip is RoundTrip with the duration taken at exit.
func (t *MetricsTransport) TimedRoundTrip(req *http.Request) (resp *http.Response, err error) {
	start := time.Now()
	defer func() {
		t.observe(req.Method, time.Since(start)) // ok: evaluated when the closure runs
		if err == nil {
			t.countStatus(resp.StatusCode)
		}
	}()
	return t.Base.RoundTrip(req)
}

// Summary holds aggregated latencies.
type Summary struct {
	Method string
	Count  int
	P50    time.Duration
	Max    time.Duration
}

// Snapshot returns a summary per method.
func (t *MetricsTransport) Snapshot() []Summary {
	t.mu.Lock()
	defer t.mu.Lock() // HAZ defer-lock-mismatch
	out := make([]Summary, 0, len(t.latencies))
	for m, ds := range t.latencies {
		sorted := append([]time.Duration(nil), ds...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		out = append(out, Summary{Method: m, Count: len(sorted), P50: sorted[len(sorted)/2], Max: sorted[len(sorted)-1]})
	}
	return out
}

// StatusCounts returns a copy of the status histogram.
func (t *MetricsTransport) StatusCounts() map[int]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[int]int, len(t.statuses))
	for k, v := range t.statuses {
		out[k] = v
	}
	return out
}

// Reset clears all recorded data.
func (t *MetricsTransport) Reset() {
	t.mu.Lock()
	t.latencies = nil
	t.statuses = nil
	t.mu.Unlock()
}
