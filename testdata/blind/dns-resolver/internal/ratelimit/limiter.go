// Package ratelimit implements per-client response rate limiting with token
// buckets keyed by client address (or /24 and /56 networks).
package ratelimit

import (
	"context"
	"net/netip"
	"sync"
	"time"
)

type bucket struct {
	tokens float64
	last   time.Time
}

// Limiter is a set of token buckets, one per client network.
type Limiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu      sync.RWMutex
	buckets map[netip.Prefix]*bucket

	exemptMu sync.RWMutex
	exempt   []netip.Prefix
}

// New returns a limiter that allows rate responses per second per client
// network, with bursts of up to burst.
func New(rate, burst float64) *Limiter {
	return &Limiter{
		rate:    rate,
		burst:   burst,
		now:     time.Now,
		buckets: make(map[netip.Prefix]*bucket),
	}
}

// clientNet groups IPv4 clients by /24 and IPv6 clients by /56, as RRL does.
func clientNet(addr netip.Addr) netip.Prefix {
	addr = addr.Unmap()
	bits := 56
	if addr.Is4() {
		bits = 24
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return netip.PrefixFrom(addr, addr.BitLen())
	}
	return p
}

// Exempt excludes a network (monitoring, secondaries) from limiting.
func (l *Limiter) Exempt(p netip.Prefix) {
	l.exemptMu.Lock()
	defer l.exemptMu.Unlock()
	l.exempt = append(l.exempt, p.Masked())
}

func (l *Limiter) isExempt(addr netip.Addr) bool {
	l.exemptMu.RLock()
	defer l.exemptMu.RUnlock()
	for _, p := range l.exempt {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Allow takes one token from addr's bucket and reports whether there was one.
func (l *Limiter) Allow(addr netip.Addr) bool {
	if l.isExempt(addr) {
		return true
	}
	key := clientNet(addr)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Tokens reports the tokens currently left for addr, for the admin API.
func (l *Limiter) Tokens(addr netip.Addr) float64 {
	key := clientNet(addr)
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	b, ok := l.buckets[key]
	if !ok {
		return l.burst
	}
	return min(l.burst, b.tokens+l.now().Sub(b.last).Seconds()*l.rate)
}

// Len returns the number of tracked client networks.
func (l *Limiter) Len() int {
	l.mu.RLock()
	n := len(l.buckets)
	l.mu.RUnlock()
	return n
}

// Sweep forgets buckets idle for longer than idle; a full bucket carries no
// state worth keeping.
func (l *Limiter) Sweep(idle time.Duration) int {
	cutoff := l.now().Add(-idle)
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for k, b := range l.buckets {
		if b.last.Before(cutoff) {
			delete(l.buckets, k)
			n++
		}
	}
	return n
}

// RunSweeper sweeps every interval until ctx is done.
func (l *Limiter) RunSweeper(ctx context.Context, interval, idle time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Sweep(idle)
		}
	}
}
