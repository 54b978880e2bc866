package retry

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrOpen is returned while the breaker rejects calls.
var ErrOpen = errors.New("retry: circuit open")

// State is a breaker state.
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
	return fmt.Sprintf("State(%d)", int(s))
}

// Breaker is a consecutive-failure circuit breaker.
type Breaker struct {
	mu        sync.Mutex
	state     State
	failures  int
	probing   bool
	openedAt  time.Time
	threshold int
	cooldown  time.Duration
	now       func() time.Time
	onChange  func(from, to State) // called with no lock held
}

// BreakerOption configures a Breaker.
type BreakerOption func(*Breaker)

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) BreakerOption {
	return func(b *Breaker) { b.now = now }
}

// OnStateChange registers a callback for state transitions.
func OnStateChange(fn func(from, to State)) BreakerOption {
	return func(b *Breaker) { b.onChange = fn }
}

// NewBreaker opens after threshold consecutive failures and probes again
// after cooldown.
func NewBreaker(threshold int, cooldown time.Duration, opts ...BreakerOption) *Breaker {
	b := &Breaker{threshold: max(threshold, 1), cooldown: cooldown, now: time.Now}
	for _, o := range opts {
		o(b)
	}
	return b
}

// transition runs step under the lock and reports the state change. step
// must not lock b.mu.
func (b *Breaker) transition(step func() error) (from, to State, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	from = b.state
	err = step()
	return from, b.state, err
}

// notify calls the state-change callback after the lock has been released.
func (b *Breaker) notify(from, to State) {
	if from != to && b.onChange != nil {
		b.onChange(from, to)
	}
}

// Allow reports whether a call may proceed.
func (b *Breaker) Allow() error {
	from, to, err := b.transition(b.allowLocked)
	b.notify(from, to)
	return err
}

func (b *Breaker) allowLocked() error {
	switch b.state {
	case Open:
		if b.now().Sub(b.openedAt) < b.cooldown {
			return ErrOpen
		}
		b.state = HalfOpen
		b.probing = true
		return nil
	case HalfOpen:
		if b.probing {
			return ErrOpen
		}
		b.probing = true
	}
	return nil
}

// Record feeds the outcome of an allowed call back into the breaker.
func (b *Breaker) Record(err error) {
	from, to, _ := b.transition(func() error {
		b.recordLocked(err)
		return nil
	})
	b.notify(from, to)
}

func (b *Breaker) recordLocked(err error) {
	b.probing = false
	if err == nil {
		b.state, b.failures = Closed, 0
		return
	}
	b.failures++
	if b.state == HalfOpen || b.failures >= b.threshold {
		b.state, b.openedAt = Open, b.now()
	}
}

// State returns the current state.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// Execute runs op if the breaker allows it and records the outcome.
func (b *Breaker) Execute(ctx context.Context, op func(context.Context) error) (err error) {
	if err := b.Allow(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("breaker: %w", err)
		}
	}()
	err = op(ctx)
	b.Record(err)
	return err
}
