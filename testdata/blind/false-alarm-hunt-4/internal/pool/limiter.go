package pool

import (
	"fmt"
	"sync"
	"time"
)

// Limiter is a token bucket per client.
type Limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter that refills rate tokens per second.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes one token for client if one is available.
func (l *Limiter) Allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refillLocked(client)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *Limiter) refillLocked(client string) *bucket {
	now := l.now()
	b, ok := l.buckets[client]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[client] = b
		return b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	return b
}

// TakeN takes n tokens or none. Validation happens before the lock.
func (l *Limiter) TakeN(client string, n int) error {
	if n <= 0 {
		panic(fmt.Sprintf("pool: TakeN with n=%d", n)) // ok: no lock held yet
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refillLocked(client)
	if b.tokens < float64(n) {
		return fmt.Errorf("rate limited: %s wants %d, has %.1f", client, n, b.tokens)
	}
	b.tokens -= float64(n)
	return nil
}

// Refund gives n tokens back; a negative n is a programming error.
func (l *Limiter) Refund(client string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n < 0 {
		panic("pool: negative refund") // ok: the deferred Unlock runs while panicking
	}
	if b, ok := l.buckets[client]; ok {
		b.tokens += float64(n)
		if b.tokens > l.burst {
			b.tokens = l.burst
		}
	}
}

// SetRate changes the refill rate.
func (l *Limiter) SetRate(rate float64) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if rate <= 0 {
		panic("pool: rate must be positive")
	}
	l.rate = rate
	l.mu.Unlock()
}

// Forget drops idle clients; the lock is taken per step of a labelled loop.
func (l *Limiter) Forget(clients []string) int {
	dropped := 0
outer:
	for _, c := range clients {
		l.mu.Lock()
		b, ok := l.buckets[c]
		switch {
		case !ok:
			l.mu.Unlock()
			continue outer
		case b.tokens < l.burst:
			l.mu.Unlock()
			break outer
		}
		delete(l.buckets, c)
		l.mu.Unlock()
		dropped++
	}
	return dropped
}

// Clients returns the number of tracked clients.
func (l *Limiter) Clients() int {
	l.mu.Lock()
	n := len(l.buckets)
	l.mu.Unlock()
	return n
}

// Inspect returns the tokens of client; the unlock is shared by both paths
// through a deferred closure that also formats the result.
func (l *Limiter) Inspect(client string) (desc string) {
	l.mu.Lock()
	var tokens float64
	found := false
	defer func() {
		l.mu.Unlock()
		if found {
			desc = fmt.Sprintf("%s: %.2f tokens", client, tokens)
		} else {
			desc = client + ": unknown"
		}
	}()
	b, ok := l.buckets[client]
	if !ok {
		return
	}
	tokens, found = b.tokens, true
	return
}
