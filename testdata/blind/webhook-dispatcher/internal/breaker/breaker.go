// Package breaker implements per-endpoint circuit breakers so a dead
// receiver does not eat the retry budget of every worker.
package breaker

import (
	"sync"
	"time"
)

// State is the breaker position.
type State int

const (
	Closed State = iota
	Open
	HalfOpen
)

func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return "unknown"
}

// Breaker opens after threshold consecutive failures and lets a single probe
// through once cooldown has passed.
type Breaker struct {
	mu        sync.Mutex
	state     State
	failures  int
	threshold int
	cooldown  time.Duration
	openedAt  time.Time
	probing   bool
	now       func() time.Time
}

// New returns a closed breaker.
func New(threshold int, cooldown time.Duration) *Breaker {
	if threshold < 1 {
		threshold = 1
	}
	return &Breaker{threshold: threshold, cooldown: cooldown, now: time.Now}
}

// Allow reports whether a request may be sent now. In the half-open state
// only one caller gets true until the probe reports back.
func (b *Breaker) Allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked()
	switch b.state {
	case Closed:
		return true
	case HalfOpen:
		if b.probing {
			return false
		}
		b.probing = true
		return true
	}
	return false
}

// advanceLocked moves an open breaker to half-open after the cooldown.
// The caller holds b.mu.
func (b *Breaker) advanceLocked() {
	if b.state == Open && b.now().Sub(b.openedAt) >= b.cooldown {
		b.state = HalfOpen
		b.probing = false
	}
}

// Success records a successful request.
func (b *Breaker) Success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state = Closed
	b.failures = 0
	b.probing = false
}

// Failure records a failed request and opens the breaker when needed.
func (b *Breaker) Failure() {
	b.mu.Lock()
	b.failures++
	if b.state == HalfOpen || b.failures >= b.threshold {
		b.state = Open
		b.openedAt = b.now()
		b.probing = false
	}
	b.mu.Unlock()
}

// State returns the current position, applying the cooldown first.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked()
	return b.state
}

// Trip opens the breaker by hand ("stop sending to this endpoint").
func (b *Breaker) Trip() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.State() == Open { // HAZ lock-reentry-under-defer
		return
	}
	b.state = Open
	b.openedAt = b.now()
	b.probing = false
}

// Reset forces the breaker closed (operator override).
func (b *Breaker) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state = Closed
	b.failures = 0
	b.probing = false
	b.openedAt = time.Time{}
}
