package middleware

import (
	"log"
	"net/http"
	"sort"
	"sync"
	"time"
)

// statusRecorder remembers the status code and byte count of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(p)
	s.bytes += int64(n)
	return n, err
}

// Flush lets server-sent event handlers stream through the recorder.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Logging writes one access line per request after the handler returns,
// including requests whose handler panicked.
func Logging(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			defer func() {
				logger.Printf("%s %s %s status=%d bytes=%d dur=%s id=%s",
					r.RemoteAddr, r.Method, r.URL.RequestURI(), rec.status, rec.bytes,
					time.Since(start), RequestIDFrom(r.Context()))
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// LatencyObserver keeps a per-route latency histogram for the admin API.
type LatencyObserver struct {
	mu      sync.Mutex
	bounds  []time.Duration
	buckets map[string][]int64
}

// NewLatencyObserver returns an observer with the given upper bounds.
func NewLatencyObserver(bounds ...time.Duration) *LatencyObserver {
	sort.Slice(bounds, func(i, j int) bool { return bounds[i] < bounds[j] })
	return &LatencyObserver{bounds: bounds, buckets: make(map[string][]int64)}
}

// Observe counts one request on route that took d.
func (o *LatencyObserver) Observe(route string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	counts, ok := o.buckets[route]
	if !ok {
		counts = make([]int64, len(o.bounds)+1)
		o.buckets[route] = counts
	}
	i := sort.Search(len(o.bounds), func(i int) bool { return d <= o.bounds[i] })
	counts[i]++
}

// Wrap measures next under the name route.
func (o *LatencyObserver) Wrap(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer o.Observe(route, time.Now().Sub(start)) // HAZ defer-eager-evaluation
		next.ServeHTTP(w, r)
	})
}

// Snapshot copies the histogram counts.
func (o *LatencyObserver) Snapshot() map[string][]int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string][]int64, len(o.buckets))
	for route, counts := range o.buckets {
		out[route] = append([]int64(nil), counts...)
	}
	return out
}
