package sender

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Limiter hands out per-domain send tokens. Each domain has a token bucket
// refilled by its own ticker goroutine, so large providers can be given a
// higher rate than small self-hosted MXs.
type Limiter struct {
	mu        sync.Mutex
	domains   map[string]*domainLimit
	overrides map[string]int
	perSecond int
	burst     int
	wg        sync.WaitGroup
}

type domainLimit struct {
	tokens chan struct{}
	ticker *time.Ticker
	done   chan struct{}
}

var errInvalidRate = errors.New("sender: rate must be positive")

// NewLimiter returns a limiter with a default rate and per-domain overrides.
func NewLimiter(perSecond, burst int, overrides map[string]int) *Limiter {
	o := make(map[string]int, len(overrides))
	for d, r := range overrides {
		o[d] = r
	}
	return &Limiter{
		domains:   make(map[string]*domainLimit),
		overrides: o,
		perSecond: perSecond,
		burst:     burst,
	}
}

func interval(perSecond int) time.Duration {
	return time.Second / time.Duration(perSecond)
}

// get returns the bucket for domain, creating it and its refill goroutine on
// first use.
func (l *Limiter) get(domain string) *domainLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d, ok := l.domains[domain]; ok {
		return d
	}
	rate := l.perSecond
	if r, ok := l.overrides[domain]; ok {
		rate = r
	}
	d := &domainLimit{
		tokens: make(chan struct{}, l.burst),
		ticker: time.NewTicker(interval(rate)),
		done:   make(chan struct{}),
	}
	for i := 0; i < l.burst; i++ {
		d.tokens <- struct{}{}
	}
	l.domains[domain] = d
	l.wg.Add(1)
	go l.refill(d)
	return d
}

// refill adds one token per tick, dropping it when the bucket is full.
func (l *Limiter) refill(d *domainLimit) {
	defer l.wg.Done()
	defer d.ticker.Stop()
	for {
		select {
		case <-d.done:
			return
		case <-d.ticker.C:
			select {
			case d.tokens <- struct{}{}:
			default:
			}
		}
	}
}

// Wait blocks until domain has a token or ctx is done.
func (l *Limiter) Wait(ctx context.Context, domain string) error {
	d := l.get(domain)
	select {
	case <-d.tokens:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetRate changes the rate of a domain that is already being sent to.
func (l *Limiter) SetRate(domain string, perSecond int) error {
	if perSecond <= 0 {
		return errInvalidRate
	}
	l.mu.Lock() // HAZ lock-leaked-on-return
	d, ok := l.domains[domain]
	if !ok {
		return fmt.Errorf("sender: no active bucket for %q", domain)
	}
	d.ticker.Reset(interval(perSecond))
	l.overrides[domain] = perSecond
	l.mu.Unlock()
	return nil
}

// Throttle lowers a domain's rate after a 421 "too many connections" reply.
// The lock is released on both paths.
func (l *Limiter) Throttle(domain string) (newRate int) {
	l.mu.Lock()
	rate, ok := l.overrides[domain]
	if !ok {
		rate = l.perSecond
	}
	if rate <= 1 {
		l.mu.Unlock()
		return 1
	}
	newRate = rate / 2
	l.overrides[domain] = newRate
	if d, ok := l.domains[domain]; ok {
		d.ticker.Reset(interval(newRate))
	}
	l.mu.Unlock()
	return newRate
}

// Rates returns the configured per-domain overrides.
func (l *Limiter) Rates() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int, len(l.overrides))
	for d, r := range l.overrides {
		out[d] = r
	}
	return out
}

// Stop ends every refill goroutine and waits for them.
func (l *Limiter) Stop() {
	l.mu.Lock()
	for name, d := range l.domains {
		close(d.done)
		delete(l.domains, name)
	}
	l.mu.Unlock()
	l.wg.Wait()
}
