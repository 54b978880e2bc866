package middleware

import (
	"net"
	"net/http"
	"sync"
	"time"
)

type bucket struct {
	tokens float64
	last   time.Time
}

// Limiter is a token bucket per key.
type Limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

// NewLimiter returns a limiter allowing rate requests per second per key.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), buckets: make(map[string]*bucket), now: time.Now}
}

// Allow takes one token for key.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Remaining reports the tokens left for key.
func (l *Limiter) Remaining(key string) int {
	l.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := l.buckets[key]
	if !ok {
		return int(l.burst)
	}
	n := int(b.tokens)
	l.mu.Unlock()
	return n
}

// Sweep drops buckets idle for longer than idle; it unlocks on every path.
func (l *Limiter) Sweep(idle time.Duration) int {
	l.mu.Lock()
	if len(l.buckets) == 0 {
		l.mu.Unlock() // ok: released before the early return
		return 0
	}
	cutoff := l.now().Add(-idle)
	n := 0
	for k, b := range l.buckets {
		if b.last.Before(cutoff) {
			delete(l.buckets, k)
			n++
		}
	}
	l.mu.Unlock()
	return n
}

// StartSweeper runs Sweep every interval until stop is closed.
func (l *Limiter) StartSweeper(interval, idle time.Duration, stop <-chan struct{}) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop() // ok: registered once, before the loop
		for {
			select {
			case <-t.C:
				l.Sweep(idle)
			case <-stop:
				return
			}
		}
	}()
}

// ClientIP is the default rate-limit key.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// RateLimit answers 429 once key has exhausted its bucket.
func RateLimit(l *Limiter, key func(*http.Request) string) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !l.Allow(key(r)) {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "too many requests", http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Tarpit delays the response to requests that failed authentication.
func Tarpit(delay time.Duration) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := newRecorder(w)
			defer func() { // HAZ defer-blocking-call
				if rec.status == http.StatusUnauthorized {
					time.Sleep(delay)
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}
