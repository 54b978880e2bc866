// Package router is an HTTP request router with middleware, route groups,
// access logging, panic recovery and an upstream health proxy.
package router

import (
	"fmt"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Router maps exact paths and prefixes to handlers.
type Router struct {
	mu       sync.RWMutex
	routes   map[string]http.Handler
	prefixes []string
	mws      []Middleware
	notFound http.Handler
	logger   *log.Logger
	tracer   *Tracer
	metrics  *Metrics
	client   *http.Client
	auditURL string
	upstream string
	parent   *Router
	prefix   string
	inflight atomic.Int64
}

// New returns an empty router.
func New(logger *log.Logger) *Router {
	if logger == nil {
		logger = log.Default()
	}
	return &Router{
		routes:   make(map[string]http.Handler),
		notFound: http.NotFoundHandler(),
		logger:   logger,
		metrics:  &Metrics{},
		client:   &http.Client{Timeout: 5 * time.Second},
	}
}

// lookup returns the handler for path, trying exact routes then prefixes.
func (r *Router) lookup(path string) http.Handler {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.lookupLocked(path)
}

func (r *Router) lookupLocked(path string) http.Handler {
	if h, ok := r.routes[path]; ok {
		return h
	}
	for _, p := range r.prefixes {
		if strings.HasPrefix(path, p) {
			return r.routes[p]
		}
	}
	return nil
}

// Routes returns the registered patterns, sorted.
func (r *Router) Routes() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.routes))
	for p := range r.routes {
		out = append(out, r.prefix+p)
	}
	sort.Strings(out)
	return out
}

// Use appends middleware applied to routes registered afterwards.
func (r *Router) Use(mw ...Middleware) {
	r.mu.Lock()
	r.mws = append(r.mws, mw...)
	r.mu.Unlock()
}

func (r *Router) wrapLocked(h http.Handler) http.Handler {
	for i := len(r.mws) - 1; i >= 0; i-- {
		h = r.mws[i](h)
	}
	return h
}

// statusRecorder remembers the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Metrics counts requests per status class with atomics only.
type Metrics struct {
	requests [6]atomic.Int64
	nanos    atomic.Int64
}

func (m *Metrics) record(route string, start, end time.Time, status int) {
	if status < 100 || status > 599 {
		status = 500
	}
	m.requests[status/100].Add(1)
	m.nanos.Add(int64(end.Sub(start)))
}

// timer starts timing a route and returns the func that stops it.
func (m *Metrics) timer(route string) func() {
	start := time.Now()
	return func() { m.record(route, start, time.Now(), 200) }
}

// Snapshot is a point-in-time copy of the counters.
type Snapshot struct {
	Requests [6]int64
	Nanos    int64
}

// Snapshot copies the counters.
func (m *Metrics) Snapshot() Snapshot {
	var s Snapshot
	for i := range m.requests {
		s.Requests[i] = m.requests[i].Load()
	}
	s.Nanos = m.nanos.Load()
	return s
}

// Report logs the counters.
func (s Snapshot) Report(l *log.Logger) {
	l.Printf("router: 2xx=%d 4xx=%d 5xx=%d total=%s", s.Requests[2], s.Requests[4], s.Requests[5], time.Duration(s.Nanos))
}

// Tracer creates spans; a nil *Tracer disables tracing.
type Tracer struct {
	name   string
	logger *log.Logger
}

func (t *Tracer) start(op string) func() {
	begin := time.Now()
	return func() { t.logger.Printf("trace %s/%s %s", t.name, op, time.Since(begin)) }
}

func httpError(w http.ResponseWriter, code int, format string, args ...any) {
	http.Error(w, fmt.Sprintf(format, args...), code)
}
