package httpmw

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"
)

// Sample is one finished request as seen by the metrics exporter.
type Sample struct {
	Path string
	Dur  time.Duration
}

// InflightTracker counts active requests and streams per-request samples to
// an exporter goroutine.
type InflightTracker struct {
	samples chan Sample
	active  atomic.Int64
	dropped atomic.Int64
}

// NewInflightTracker returns a tracker whose samples are read by Export.
func NewInflightTracker() *InflightTracker {
	return &InflightTracker{samples: make(chan Sample)}
}

// Active returns the number of requests currently being served.
func (t *InflightTracker) Active() int64 { return t.active.Load() }

// Dropped returns how many samples SampledMiddleware had to drop.
func (t *InflightTracker) Dropped() int64 { return t.dropped.Load() }

// begin marks a request active and returns the function that ends it and
// hands its sample to the exporter.
func (t *InflightTracker) begin(path string) func() {
	start := time.Now()
	t.active.Add(1)
	return func() {
		t.active.Add(-1)
		t.samples <- Sample{Path: path, Dur: time.Since(start)}
	}
}

// beginSampled is begin for callers that must never wait for the exporter.
func (t *InflightTracker) beginSampled(path string) func() {
	start := time.Now()
	t.active.Add(1)
	return func() {
		t.active.Add(-1)
		select {
		case t.samples <- Sample{Path: path, Dur: time.Since(start)}:
		default:
			t.dropped.Add(1)
		}
	}
}

// Middleware tracks every request.
func (t *InflightTracker) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer t.begin(r.URL.Path)() // HAZ defer-blocking-call
		next.ServeHTTP(w, r)
	})
}

// SampledMiddleware tracks every request and drops samples when the
// exporter is behind.
func (t *InflightTracker) SampledMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer t.beginSampled(r.URL.Path)()
		next.ServeHTTP(w, r)
	})
}

// Export hands samples to fn until ctx is done.
func (t *InflightTracker) Export(ctx context.Context, fn func(Sample)) {
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-t.samples:
			fn(s)
		}
	}
}
