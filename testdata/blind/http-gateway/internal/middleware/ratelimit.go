package middleware

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// bucket is one client's token bucket. It is guarded by RateLimiter.mu.
type bucket struct {
	tokens float64
	last   time.Time
}

// RateLimiter is a keyed token-bucket limiter.
type RateLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	rate    float64 // tokens per second
	burst   float64
	now     func() time.Time
}

// NewRateLimiter returns a limiter refilling rate tokens per second up to burst.
func NewRateLimiter(rate, burst float64) *RateLimiter {
	return &RateLimiter{
		buckets: make(map[string]*bucket),
		rate:    rate,
		burst:   burst,
		now:     time.Now,
	}
}

// refill tops b up for the time elapsed since its last refill. Caller holds rl.mu.
func (rl *RateLimiter) refill(b *bucket, now time.Time) {
	elapsed := now.Sub(b.last).Seconds()
	if elapsed <= 0 {
		return
	}
	b.tokens = math.Min(rl.burst, b.tokens+elapsed*rl.rate)
	b.last = now
}

// bucketFor returns key's bucket, creating a full one. Caller holds rl.mu.
func (rl *RateLimiter) bucketFor(key string, now time.Time) *bucket {
	b, ok := rl.buckets[key]
	if !ok {
		b = &bucket{tokens: rl.burst, last: now}
		rl.buckets[key] = b
	}
	return b
}

// Allow takes one token from key's bucket if one is available.
func (rl *RateLimiter) Allow(key string) bool {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	now := rl.now()
	b := rl.bucketFor(key, now)
	rl.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Reserve takes n tokens now, going into debt if needed, and returns how long
// the caller must wait before acting. It fails when n exceeds the burst.
func (rl *RateLimiter) Reserve(key string, n float64) (time.Duration, bool) {
	rl.mu.Lock() // HAZ lock-leaked-on-return
	if n > rl.burst {
		return 0, false
	}
	now := rl.now()
	b := rl.bucketFor(key, now)
	rl.refill(b, now)
	b.tokens -= n
	var wait time.Duration
	if b.tokens < 0 {
		wait = time.Duration(-b.tokens / rl.rate * float64(time.Second))
	}
	rl.mu.Unlock()
	return wait, true
}

// Remaining reports the tokens currently available to key.
func (rl *RateLimiter) Remaining(key string) float64 {
	rl.mu.Lock()
	b, ok := rl.buckets[key]
	if !ok {
		rl.mu.Unlock()
		return rl.burst
	}
	rl.refill(b, rl.now())
	t := b.tokens
	rl.mu.Unlock()
	return t
}

// SetRate changes the refill rate and burst for every bucket.
func (rl *RateLimiter) SetRate(rate, burst float64) error {
	if rate <= 0 || burst < 1 {
		return errors.New("ratelimit: rate must be positive and burst at least 1")
	}
	rl.mu.Lock()
	defer rl.mu.Unlock()
	rl.rate, rl.burst = rate, burst
	for _, b := range rl.buckets {
		b.tokens = math.Min(b.tokens, burst)
	}
	return nil
}

// Sweep drops buckets idle for longer than idle and reports how many went.
func (rl *RateLimiter) Sweep(idle time.Duration) int {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	cutoff := rl.now().Add(-idle)
	n := 0
	for key, b := range rl.buckets {
		if b.last.Before(cutoff) {
			delete(rl.buckets, key)
			n++
		}
	}
	return n
}

// RunSweeper calls Sweep every interval until ctx is done.
func (rl *RateLimiter) RunSweeper(ctx context.Context, every, idle time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rl.Sweep(idle)
		}
	}
}

// Middleware rejects requests whose key has no tokens left with 429.
func (rl *RateLimiter) Middleware(keyFn func(*http.Request) string) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !rl.Allow(keyFn(r)) {
				rl.mu.Lock()
				retry := math.Ceil(1 / rl.rate)
				rl.mu.Unlock()
				w.Header().Set("Retry-After", strconv.Itoa(int(retry)))
				http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// ClientIP is the default rate-limit key: the first X-Forwarded-For hop set by
// our own load balancer, else the peer address.
func ClientIP(r *http.Request) string {
	if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
		first, _, _ := strings.Cut(xff, ",")
		return strings.TrimSpace(first)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ServeBuckets answers the admin listing of the busiest rate-limit keys.
func (rl *RateLimiter) ServeBuckets(w http.ResponseWriter, r *http.Request) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	out := make(map[string]float64, len(rl.buckets))
	for key := range rl.buckets {
		out[key] = rl.Remaining(key) // HAZ lock-reentry-under-defer
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
