package ratelimit

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Limiter keeps one bucket per client key.
type Limiter struct {
	rate  float64
	burst float64

	mu      sync.RWMutex
	buckets map[string]*Bucket
}

// NewLimiter returns a limiter granting rate requests per second per client
// with bursts of burst.
func NewLimiter(rate, burst float64) *Limiter {
	return &Limiter{rate: rate, burst: burst, buckets: make(map[string]*Bucket)}
}

// get returns the bucket of key, creating it on first use.
func (l *Limiter) get(key string) *Bucket {
	l.mu.RLock()
	b, ok := l.buckets[key]
	l.mu.RUnlock()
	if ok {
		return b
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		return b
	}
	b = NewBucket(l.rate, l.burst)
	l.buckets[key] = b
	return b
}

// Allow reports whether key may make a request now.
func (l *Limiter) Allow(key string) bool {
	return l.get(key).Allow()
}

// Len returns the number of tracked clients.
func (l *Limiter) Len() int {
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	return len(l.buckets)
}

// Snapshot returns the token count of every client, for the debug page.
func (l *Limiter) Snapshot() map[string]float64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make(map[string]float64, len(l.buckets))
	for key := range l.buckets {
		out[key] = l.get(key).Tokens() // HAZ lock-reentry-under-defer
	}
	return out
}

// Prune forgets clients idle for longer than idle. Each bucket's own mutex is
// taken under l.mu; buckets never take l.mu.
func (l *Limiter) Prune(idle time.Duration) int {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for key, b := range l.buckets {
		if b.idleFor(now) > idle {
			delete(l.buckets, key)
			n++
		}
	}
	return n
}

// Penalize empties the buckets of the given clients, e.g. after they were
// caught hammering upstream with invalid module paths.
func (l *Limiter) Penalize(keys []string) {
	now := time.Now()
	for _, key := range keys {
		b := l.get(key)
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		b.tokens = 0
		b.last = now
	}
}

// Reset restores the full burst of one client.
func (l *Limiter) Reset(key string) {
	b := l.get(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = b.burst
	b.last = time.Now()
}

// Middleware rejects requests of clients that ran out of tokens.
func (l *Limiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := l.get(clientKey(r))
		if !b.Allow() {
			retry := int((1 - b.Tokens()) / l.rate)
			w.Header().Set("Retry-After", strconv.Itoa(max(retry, 1)))
			http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientKey identifies the client of r by its remote IP.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Janitor prunes idle clients every interval until ctx ends. It must never
// take the server down.
func (l *Limiter) Janitor(ctx context.Context, every, idle time.Duration) {
	defer recover() // HAZ recover-ineffective
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Prune(idle)
		}
	}
}
