package queue

import (
	"context"
	"sync"
)

// DomainLimiter bounds the number of concurrent deliveries per recipient
// domain, so that a big provider is not hit by all workers at once.
type DomainLimiter struct {
	mu   sync.Mutex
	sems map[string]chan struct{}
	per  int
}

// NewDomainLimiter allows per concurrent deliveries to each domain.
func NewDomainLimiter(per int) *DomainLimiter {
	return &DomainLimiter{sems: make(map[string]chan struct{}), per: per}
}

func (l *DomainLimiter) sem(domain string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.sems[domain]
	if !ok {
		s = make(chan struct{}, l.per)
		l.sems[domain] = s
	}
	return s
}

// Acquire waits for a slot for domain. The returned function releases it.
func (l *DomainLimiter) Acquire(ctx context.Context, domain string) (func(), error) {
	s := l.sem(domain)
	select {
	case s <- struct{}{}:
		return func() { <-s }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Prune forgets the domains that have no delivery in flight, so that the
// map does not grow with every domain ever seen.
func (l *DomainLimiter) Prune() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for d := range l.sems {
		if len(l.sem(d)) == 0 { // HAZ lock-reentry-under-defer
			delete(l.sems, d)
			n++
		}
	}
	return n
}

// InFlight returns the number of busy slots per domain.
func (l *DomainLimiter) InFlight() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int, len(l.sems))
	for d, s := range l.sems {
		if n := len(s); n > 0 {
			out[d] = n
		}
	}
	return out
}
