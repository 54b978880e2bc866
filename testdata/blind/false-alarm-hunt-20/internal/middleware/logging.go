package middleware

import (
	"log"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah20/internal/web"
)

// Logger logs one line per request after the handler returns, including
// requests that panicked further down the chain.
func Logger(logger *log.Logger) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rw := web.NewResponseWriter(w)
			defer func() {
				logger.Printf("%s %s %d %dB %s", r.Method, r.URL.RequestURI(), rw.Status(), rw.Size(),
					time.Since(start).Round(time.Microsecond))
			}()
			next.ServeHTTP(rw, r)
		})
	}
}

// RequestID sets X-Request-ID (keeping a client-supplied one) and logs the
// request boundaries under it.
func RequestID(logger *log.Logger, gen func() string) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get("X-Request-ID")
			if id == "" {
				id = gen()
				r.Header.Set("X-Request-ID", id)
			}
			w.Header().Set("X-Request-ID", id)
			logger.Printf("begin %s %s id=%s", r.Method, r.URL.Path, id)
			defer logger.Printf("end id=%s", id)
			next.ServeHTTP(w, r)
		})
	}
}

type routeStats struct {
	count  atomic.Int64
	errors atomic.Int64
	nanos  atomic.Int64
	max    atomic.Int64
}

// observe records one request that started at start. The start time is
// passed by value on purpose: it is the request's start, not its end.
func (rs *routeStats) observe(rw *web.ResponseWriter, start time.Time) {
	d := int64(time.Since(start))
	rs.count.Add(1)
	rs.nanos.Add(d)
	if rw.Status() >= http.StatusInternalServerError {
		rs.errors.Add(1)
	}
	for {
		old := rs.max.Load()
		if d <= old || rs.max.CompareAndSwap(old, d) {
			return
		}
	}
}

// Metrics keeps lock-free per-route request statistics.
type Metrics struct {
	routes   sync.Map // string -> *routeStats
	inflight atomic.Int64
}

// RouteSnapshot is a copy of one route's statistics.
type RouteSnapshot struct {
	Route  string
	Count  int64
	Errors int64
	Mean   time.Duration
	Max    time.Duration
}

func (m *Metrics) route(name string) *routeStats {
	v, _ := m.routes.LoadOrStore(name, new(routeStats))
	return v.(*routeStats)
}

// Middleware measures next under the given route name.
func (m *Metrics) Middleware(route string, next http.Handler) http.Handler {
	rs := m.route(route)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inflight.Add(1)
		defer m.inflight.Add(-1)
		rw := web.NewResponseWriter(w)
		defer rs.observe(rw, start)
		next.ServeHTTP(rw, r)
	})
}

// Timer measures one operation of a route from the moment it is created.
type Timer struct {
	rs    *routeStats
	start time.Time
}

// Timer starts timing an operation of route now.
func (m *Metrics) Timer(route string) *Timer {
	return &Timer{rs: m.route(route), start: time.Now()}
}

// ObserveDuration records the time since the timer was created.
func (t *Timer) ObserveDuration() time.Duration {
	d := time.Since(t.start)
	t.rs.count.Add(1)
	t.rs.nanos.Add(int64(d))
	return d
}

// Instrument times whole handler invocations: the timer is created when
// the handler starts and observed when it returns.
func (m *Metrics) Instrument(route string, fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer m.Timer(route).ObserveDuration()
		fn(w, r)
	}
}

// Snapshot copies the statistics of every route, sorted by name.
func (m *Metrics) Snapshot() []RouteSnapshot {
	var out []RouteSnapshot
	m.routes.Range(func(k, v any) bool {
		rs := v.(*routeStats)
		s := RouteSnapshot{Route: k.(string), Count: rs.count.Load(), Errors: rs.errors.Load(), Max: time.Duration(rs.max.Load())}
		if s.Count > 0 {
			s.Mean = time.Duration(rs.nanos.Load() / s.Count)
		}
		out = append(out, s)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Route < out[j].Route })
	return out
}

// InFlight is the number of requests being served.
func (m *Metrics) InFlight() int64 { return m.inflight.Load() }
