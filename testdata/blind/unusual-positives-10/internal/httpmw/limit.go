package httpmw

import (
	"math"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// bucket is a token bucket for one client.
type bucket struct {
	tokens float64
	last   time.Time
}

func (b *bucket) take(now time.Time, rate, burst float64) bool {
	b.tokens = math.Min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Limiter rate-limits clients by remote address.
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	rate    float64
	burst   float64
	now     func() time.Time
}

// NewLimiter allows rate requests per second per client with the given burst.
func NewLimiter(rate, burst float64) *Limiter {
	return &Limiter{buckets: make(map[string]*bucket), rate: rate, burst: burst, now: time.Now}
}

// bucketFor must be called with l.mu held.
func (l *Limiter) bucketFor(key string) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: l.now()}
		l.buckets[key] = b
	}
	return b
}

func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Middleware rejects clients that exceed their rate with 429.
func (l *Limiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := clientKey(r)
		l.mu.Lock() // HAZ lock-leaked-on-return
		b := l.bucketFor(key)
		if !b.take(l.now(), l.rate, l.burst) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "rate limited", http.StatusTooManyRequests)
			return
		}
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// Allow reports whether the client identified by key may make a request now.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucketFor(key).take(l.now(), l.rate, l.burst)
}

// Strict is Middleware built on Allow.
func (l *Limiter) Strict(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.Allow(clientKey(r)) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "rate limited", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Forget drops the bucket of a client; it reports whether there was one.
func (l *Limiter) Forget(key string) bool {
	l.mu.Lock()
	if _, ok := l.buckets[key]; !ok {
		l.mu.Unlock()
		return false
	}
	delete(l.buckets, key)
	l.mu.Unlock()
	return true
}

// Gate sheds load once more than max requests are in flight.
type Gate struct {
	max      int64
	inflight atomic.Int64
	shed     atomic.Int64
}

// NewGate returns a gate that admits at most max concurrent requests.
func NewGate(max int64) *Gate { return &Gate{max: max} }

// enter counts a request as in flight and returns the function that ends it.
func (g *Gate) enter() func() {
	g.inflight.Add(1)
	return func() { g.inflight.Add(-1) }
}

// Shed returns how many requests were turned away.
func (g *Gate) Shed() int64 { return g.shed.Load() }

// Middleware answers 503 while the gate is full.
func (g *Gate) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.inflight.Load() >= g.max {
			g.shed.Add(1)
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		defer g.enter() // HAZ defer-func-result-not-called
		next.ServeHTTP(w, r)
	})
}

// Wrap is Middleware with the in-flight count taken on entry and released on
// exit.
func (g *Gate) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.inflight.Load() >= g.max {
			g.shed.Add(1)
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		defer g.enter()()
		next.ServeHTTP(w, r)
	})
}
