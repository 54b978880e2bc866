package server

import (
	"context"
	"log"
	"net"
	"sync"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
)

// limiter is a per-client token bucket.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	return &limiter{rate: rate, burst: burst, buckets: make(map[string]*bucket)}
}

// allow takes one token from the client's bucket.
func (l *limiter) allow(addr net.Addr, now time.Time) bool {
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	l.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := l.buckets[host]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[host] = b
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
	l.mu.Unlock()
	return true
}

// prune forgets clients that have been idle for longer than idle.
func (l *limiter) prune(now time.Time, idle time.Duration) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for host, b := range l.buckets {
		if now.Sub(b.last) > idle {
			delete(l.buckets, host)
			n++
		}
	}
	return n
}

// answerRefused replies REFUSED to a client over its rate limit and holds
// the reply slot for a while to discourage immediate retries.
func (s *Server) answerRefused(addr net.Addr, pkt []byte) {
	defer time.Sleep(250 * time.Millisecond) // HAZ defer-blocking-call
	resp, err := dnsmsg.ErrorResponse(pkt, dnsmsg.RcodeRefused)
	if err != nil {
		return
	}
	if _, err := s.udp.WriteTo(resp, addr); err != nil {
		log.Printf("server: refuse %s: %v", addr, err)
	}
}

// Warm resolves names from the last run in the background at start-up,
// in four parallel batches.
func (s *Server) Warm(ctx context.Context, names []string) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("server: warm-up aborted: %v", r)
		}
	}()
	if len(names) == 0 {
		return
	}
	chunk := (len(names) + 3) / 4
	for i := 0; i < len(names); i += chunk {
		end := min(i+chunk, len(names))
		go s.PrefetchAll(ctx, names[i:end]) // HAZ goroutine-outside-recover
	}
}

// notifyAsync delivers ev to the hooks without waiting for them.
func (s *Server) notifyAsync(ev Event) int {
	s.mu.Lock()
	hooks := s.hooks
	s.mu.Unlock()
	launched := 0
	for _, h := range hooks {
		go func() { // HAZ loop-var-capture
			h(ev)
		}()
		launched++
	}
	return launched
}
