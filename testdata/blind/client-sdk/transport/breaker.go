package transport

import (
	"errors"
	"net/http"
	"sync"
	"time"
)

// ErrCircuitOpen is returned while the breaker rejects requests.
var ErrCircuitOpen = errors.New("transport: circuit open")

type breakerState int

const (
	closed breakerState = iota
	open
	halfOpen
)

// Breaker is a simple consecutive-failure circuit breaker.
type Breaker struct {
	mu        sync.RWMutex
	state     breakerState
	failures  int
	threshold int
	cooldown  time.Duration
	openedAt  time.Time
	// OnStateChange may be nil.
	OnStateChange func(from, to string)
}

// NewBreaker returns a breaker that opens after threshold failures.
func NewBreaker(threshold int, cooldown time.Duration) *Breaker {
	return &Breaker{threshold: threshold, cooldown: cooldown}
}

func (s breakerState) String() string {
	switch s {
	case open:
		return "open"
	case halfOpen:
		return "half-open"
	}
	return "closed"
}

// Allow reports whether a request may proceed.
func (b *Breaker) Allow() error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if b.state == open {
		if time.Since(b.openedAt) < b.cooldown {
			return ErrCircuitOpen
		}
		b.state = halfOpen
	}
	b.mu.Unlock()
	return nil
}

// setState must be called with b.mu held.
func (b *Breaker) setState(s breakerState) {
	if s == b.state {
		return
	}
	from := b.state
	b.state = s
	if s == open {
		b.openedAt = time.Now()
	}
	if b.OnStateChange != nil {
		b.OnStateChange(from.String(), s.String())
	}
}

// Record feeds the outcome of a request into the breaker.
func (b *Breaker) Record(err error) {
	b.mu.Lock()
	defer b.mu.Unlock() // ok: setState does not lock
	if err == nil {
		b.failures = 0
		b.setState(closed)
		return
	}
	b.failures++
	if b.failures >= b.threshold || b.state == halfOpen {
		b.setState(open)
	}
}

// State returns the breaker state as a string.
func (b *Breaker) State() string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.state.String()
}

// Reset closes the breaker. It returns whether it was open.
func (b *Breaker) Reset() bool {
	b.mu.Lock()
	if b.state == closed {
		b.mu.Unlock() // ok: released on every path
		return false
	}
	b.failures = 0
	b.setState(closed)
	b.mu.Unlock()
	return true
}

// BreakerTransport guards a RoundTripper with a Breaker.
type BreakerTransport struct {
	Base    http.RoundTripper
	Breaker *Breaker
}

// RoundTrip implements http.RoundTripper.
func (t *BreakerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.Breaker.Allow(); err != nil {
		return nil, err
	}
	resp, err := t.Base.RoundTrip(req)
	switch {
	case err != nil:
		t.Breaker.Record(err)
	case resp.StatusCode >= 500:
		t.Breaker.Record(errors.New(resp.Status))
	default:
		t.Breaker.Record(nil)
	}
	return resp, err
}
