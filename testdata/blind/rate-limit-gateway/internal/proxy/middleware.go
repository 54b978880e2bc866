package proxy

import (
	"log"
	"math"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"example.com/ratelimitgw/internal/limiter"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws so that the first one is the outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// tenantOf identifies the tenant of a request: the configured header, or the
// client address when the header is missing.
func tenantOf(r *http.Request, header string) string {
	if header != "" {
		if v := r.Header.Get(header); v != "" {
			return v
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// RateLimit rejects requests of tenants over their limit.
type RateLimit struct {
	reg    *limiter.Registry
	header string
	tarpit time.Duration
	next   http.Handler
}

// NewRateLimit returns the limiting middleware. A positive tarpit delays the
// 429 answers of abusive clients.
func NewRateLimit(reg *limiter.Registry, header string, tarpit time.Duration, next http.Handler) *RateLimit {
	return &RateLimit{reg: reg, header: header, tarpit: tarpit, next: next}
}

func (m *RateLimit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tenant := tenantOf(r, m.header)
	d := m.reg.Check(tenant)
	if !d.Allowed {
		if m.tarpit > 0 {
			// Slow abusive clients down before they can retry.
			defer time.Sleep(m.tarpit) // HAZ defer-blocking-call
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.RetryAfter.Seconds()))))
		http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
		return
	}
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(d.Remaining))
	m.next.ServeHTTP(w, r)
}

// Recoverer turns a panicking handler into a 500 answer.
func Recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Printf("panic serving %s: %v\n%s", r.URL.Path, v, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
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
	s.bytes += int64(n)
	return n, err
}

// AccessLog logs one line per request, including requests that panicked.
func AccessLog(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &statusRecorder{ResponseWriter: w}
			start := time.Now()
			defer func() {
				logPanic(logger, r)
				logger.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, rec.status, rec.bytes, time.Since(start))
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// logPanic logs a panic of the request being served.
func logPanic(logger *log.Logger, r *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		logger.Printf("panic in %s %s: %v", r.Method, r.URL.Path, v)
	}
}

// MaxBody limits request bodies to n bytes.
func MaxBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}
