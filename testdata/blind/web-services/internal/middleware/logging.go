package middleware

import (
	"log"
	"net/http"
	"sync/atomic"
	"time"
)

// Logging writes one access-log line per request.
func Logging(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := newRecorder(w)
			defer func() {
				// ok: time.Since is evaluated when the closure runs, at exit
				logger.Printf("%s %s %d %dB %v", r.Method, r.URL.Path, rec.status, rec.bytes, time.Since(start))
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// SlowRequests logs requests that take longer than threshold.
func SlowRequests(logger *log.Logger, threshold time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			defer logIfSlow(logger, r.URL.Path, threshold, start, time.Now()) // HAZ defer-eager-evaluation
			next.ServeHTTP(w, r)
		})
	}
}

func logIfSlow(logger *log.Logger, path string, threshold time.Duration, start, end time.Time) {
	if d := end.Sub(start); d > threshold {
		logger.Printf("slow request %s took %v", path, d)
	}
}

// RequestID sets X-Request-ID on the response, reusing the caller's if present.
func RequestID(next http.Handler) http.Handler {
	var seq atomic.Uint64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if id == "" {
			id = time.Now().UTC().Format("20060102T150405") + "-" + itoa(seq.Add(1))
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r)
	})
}

func itoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Metrics counts in-flight requests and accumulates latency per route.
type Metrics struct {
	inflight atomic.Int64
	count    atomic.Int64
	nanos    atomic.Int64
}

// Track marks the start of a request; call the returned func when it ends.
func (m *Metrics) Track(route string) func() {
	_ = route
	m.inflight.Add(1)
	start := time.Now()
	return func() {
		m.inflight.Add(-1)
		m.count.Add(1)
		m.nanos.Add(int64(time.Since(start)))
	}
}

// Inflight reports the number of requests currently being served.
func (m *Metrics) Inflight() int64 { return m.inflight.Load() }

// Mean reports the mean latency so far.
func (m *Metrics) Mean() time.Duration {
	n := m.count.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(m.nanos.Load() / n)
}

// Instrument wraps next with Track.
func (m *Metrics) Instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer m.Track(route)() // ok: the returned func is what gets deferred
		next.ServeHTTP(w, r)
	})
}
