// Package httpmw contains the gateway's HTTP middleware. Every middleware has
// the shape func(http.Handler) http.Handler so that they compose with Chain.
package httpmw

import (
	"context"
	"log"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain wraps h so that mws[0] is the outermost middleware.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// statusRecorder remembers the status code and body size written by the
// wrapped handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(p)
	s.bytes += n
	return n, err
}

// AccessLog logs one line per request once the handler has finished.
func AccessLog(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			defer func() {
				logger.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, rec.status, rec.bytes, time.Since(start))
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// LatencyHistogram is a lock-free latency histogram with fixed bucket bounds.
type LatencyHistogram struct {
	bounds []time.Duration
	counts []atomic.Int64
	total  atomic.Int64
}

// NewLatencyHistogram returns a histogram with the given upper bounds; one
// extra bucket collects everything above the last bound.
func NewLatencyHistogram(bounds ...time.Duration) *LatencyHistogram {
	return &LatencyHistogram{bounds: bounds, counts: make([]atomic.Int64, len(bounds)+1)}
}

// Observe records one duration.
func (h *LatencyHistogram) Observe(d time.Duration) {
	i := 0
	for i < len(h.bounds) && d > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	h.total.Add(int64(d))
}

// ObserveSpan records the time between start and end.
func (h *LatencyHistogram) ObserveSpan(start, end time.Time) {
	h.Observe(end.Sub(start))
}

// Count returns the number of observations in bucket i.
func (h *LatencyHistogram) Count(i int) int64 { return h.counts[i].Load() }

// Mean returns the mean observed latency.
func (h *LatencyHistogram) Mean() time.Duration {
	var n int64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	if n == 0 {
		return 0
	}
	return time.Duration(h.total.Load() / n)
}

// Timing records the latency of every request in h.
func Timing(h *LatencyHistogram) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			defer h.ObserveSpan(start, time.Now()) // HAZ defer-eager-evaluation
			next.ServeHTTP(w, r)
		})
	}
}

type requestIDKey struct{}

// RequestIDFrom returns the request id stored by RequestID.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

var debugRequests atomic.Bool

// SetDebug turns per-request debug lines on or off.
func SetDebug(on bool) { debugRequests.Store(on) }

func debugf(format string, args ...any) {
	if debugRequests.Load() {
		log.Printf(format, args...)
	}
}

// RequestID makes sure every request carries an X-Request-ID.
func RequestID(next http.Handler) http.Handler {
	var seq atomic.Uint64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if id == "" {
			id = strconv.FormatUint(seq.Add(1), 36)
		}
		// id is final here: the deferred line logs exactly this value.
		defer debugf("request %s done", id)
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}
