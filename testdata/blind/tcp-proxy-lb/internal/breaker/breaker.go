// Package breaker implements a per-backend circuit breaker with the usual
// closed -> open -> half-open cycle.
package breaker

import (
	"errors"
	"log"
	"sync"
	"time"
)

// ErrOpen is returned by Do when the breaker rejects the call.
var ErrOpen = errors.New("breaker: circuit open")

// State is the breaker state.
type State int

// Breaker states.
const (
	StateClosed State = iota
	StateOpen
	StateHalfOpen
)

func (s State) String() string {
	switch s {
	case StateClosed:
		return "closed"
	case StateOpen:
		return "open"
	case StateHalfOpen:
		return "half-open"
	default:
		return "unknown"
	}
}

// ChangeFunc is called on every state transition.
type ChangeFunc func(name string, to State, reason string)

// Settings configure a Breaker.
type Settings struct {
	Name             string
	FailureThreshold int
	OpenTimeout      time.Duration
	HalfOpenProbes   int
	OnChange         ChangeFunc
}

// Breaker trips after FailureThreshold consecutive failures.
type Breaker struct {
	mu        sync.Mutex
	name      string
	threshold int
	timeout   time.Duration
	maxProbes int
	onChange  ChangeFunc
	now       func() time.Time

	state    State
	failures int
	probes   int
	openedAt time.Time
}

// New returns a closed breaker.
func New(s Settings) *Breaker {
	if s.FailureThreshold <= 0 {
		s.FailureThreshold = 5
	}
	if s.OpenTimeout <= 0 {
		s.OpenTimeout = 10 * time.Second
	}
	if s.HalfOpenProbes <= 0 {
		s.HalfOpenProbes = 1
	}
	return &Breaker{
		name:      s.Name,
		threshold: s.FailureThreshold,
		timeout:   s.OpenTimeout,
		maxProbes: s.HalfOpenProbes,
		onChange:  s.OnChange,
		now:       time.Now,
	}
}

// State reports the current state.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.currentLocked()
}

// currentLocked advances open -> half-open once the timeout has elapsed.
// The caller holds b.mu.
func (b *Breaker) currentLocked() State {
	if b.state == StateOpen && b.now().Sub(b.openedAt) >= b.timeout {
		b.state = StateHalfOpen
		b.probes = 0
	}
	return b.state
}

// Allow reports whether a call may proceed and reserves a half-open probe.
func (b *Breaker) Allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.currentLocked() {
	case StateClosed:
		return true
	case StateHalfOpen:
		if b.probes < b.maxProbes {
			b.probes++
			return true
		}
		return false
	default:
		return false
	}
}

// Record reports the outcome of a call that Allow admitted.
func (b *Breaker) Record(err error) {
	b.mu.Lock()
	var changed bool
	var to State
	var reason string
	if err == nil {
		if b.state != StateClosed {
			changed, to, reason = true, StateClosed, "probe succeeded"
		}
		b.state = StateClosed
		b.failures = 0
	} else {
		b.failures++
		if b.state == StateHalfOpen || b.failures >= b.threshold {
			changed, to, reason = b.state != StateOpen, StateOpen, err.Error()
			b.state = StateOpen
			b.openedAt = b.now()
		}
	}
	b.mu.Unlock()
	if changed {
		b.notify(to, reason)
	}
}

// Trip forces the breaker open, e.g. from the admin API.
func (b *Breaker) Trip(reason string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state = StateOpen
	b.failures = 0
	b.openedAt = b.now()
	b.logTransition(reason) // HAZ lock-reentry-under-defer
}

// Reset closes the breaker without notifying.
func (b *Breaker) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state = StateClosed
	b.failures = 0
	b.probes = 0
}

// logTransition reports the state the breaker is now in.
func (b *Breaker) logTransition(reason string) {
	log.Printf("breaker %s: now %s (%s)", b.name, b.State(), reason)
	b.notify(b.State(), reason)
}

// notify runs the user hook. A broken hook must never take the breaker down.
func (b *Breaker) notify(to State, reason string) {
	if b.onChange == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	b.onChange(b.name, to, reason)
}

// Counts is a snapshot for the admin API.
type Counts struct {
	Name     string    `json:"name"`
	State    string    `json:"state"`
	Failures int       `json:"failures"`
	OpenedAt time.Time `json:"opened_at,omitempty"`
}

// Counts returns a snapshot of the breaker.
func (b *Breaker) Counts() Counts {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Counts{
		Name:     b.name,
		State:    b.currentLocked().String(),
		Failures: b.failures,
		OpenedAt: b.openedAt,
	}
}

// Do runs fn if the breaker allows it and records the result.
func (b *Breaker) Do(fn func() error) error {
	if !b.Allow() {
		return ErrOpen
	}
	err := fn()
	b.Record(err)
	return err
}
