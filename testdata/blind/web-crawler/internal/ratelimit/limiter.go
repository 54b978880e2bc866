// Package ratelimit enforces a minimum delay between two requests to the same
// host. Each host gets its own ticker; workers that want to fetch from a host
// wait for its next tick.
package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

type hostState struct {
	ticker      *time.Ticker
	delay       time.Duration
	lastUsed    time.Time
	pausedUntil time.Time
}

// Limiter hands out per-host fetch slots.
type Limiter struct {
	mu        sync.Mutex
	hosts     map[string]*hostState
	defDelay  time.Duration
	overrides map[string]time.Duration
}

// New returns a Limiter that allows one request per host every delay.
func New(delay time.Duration) *Limiter {
	if delay <= 0 {
		delay = time.Second
	}
	return &Limiter{
		hosts:     make(map[string]*hostState),
		defDelay:  delay,
		overrides: make(map[string]time.Duration),
	}
}

// SetDelay records a crawl-delay for host (from its robots.txt). Delays below
// the default are raised to it.
func (l *Limiter) SetDelay(host string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d < l.defDelay {
		d = l.defDelay
	}
	l.overrides[host] = d
	if st, ok := l.hosts[host]; ok && st.delay != d {
		// drop the running ticker; the next Wait recreates it with the new delay
		l.Forget(host) // HAZ lock-reentry-under-defer
	}
}

// stateLocked returns the state of host, creating it on first use. l.mu must be held.
func (l *Limiter) stateLocked(host string) *hostState {
	st, ok := l.hosts[host]
	if !ok {
		d := l.defDelay
		if o, ok := l.overrides[host]; ok {
			d = o
		}
		st = &hostState{ticker: time.NewTicker(d), delay: d}
		l.hosts[host] = st
	}
	st.lastUsed = time.Now()
	return st
}

// slot returns the tick channel of host and the end of a pause, if any.
func (l *Limiter) slot(host string) (<-chan time.Time, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.stateLocked(host)
	return st.ticker.C, st.pausedUntil
}

// Wait blocks until host may be fetched again or ctx is done.
func (l *Limiter) Wait(ctx context.Context, host string) error {
	tick, until := l.slot(host)
	if d := time.Until(until); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case <-tick:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Pause stops fetching from host for d, e.g. after a 429 or a 503 with
// Retry-After.
func (l *Limiter) Pause(host string, d time.Duration) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if d <= 0 {
		panic(fmt.Sprintf("ratelimit: Pause(%q, %s): duration must be positive", host, d))
	}
	st := l.stateLocked(host)
	if until := time.Now().Add(d); until.After(st.pausedUntil) {
		st.pausedUntil = until
	}
	l.mu.Unlock()
}

// Forget drops the state of host and stops its ticker.
func (l *Limiter) Forget(host string) bool {
	l.mu.Lock()
	st, ok := l.hosts[host]
	if !ok {
		l.mu.Unlock()
		return false
	}
	delete(l.hosts, host)
	l.mu.Unlock()
	st.ticker.Stop()
	return true
}

// ExpireIdle stops the tickers of hosts that have not been used for idle and
// returns how many were dropped.
func (l *Limiter) ExpireIdle(idle time.Duration) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for host, st := range l.hosts {
		if time.Since(st.lastUsed) > idle {
			st.ticker.Stop()
			delete(l.hosts, host)
			n++
		}
	}
	return n
}

// RunJanitor expires idle hosts every interval until ctx is cancelled.
func (l *Limiter) RunJanitor(ctx context.Context, every, idle time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.ExpireIdle(idle)
		}
	}
}

// Stop releases every ticker. The Limiter can still be used afterwards.
func (l *Limiter) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for host, st := range l.hosts {
		st.ticker.Stop()
		delete(l.hosts, host)
	}
}
