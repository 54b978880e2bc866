// Package breaker implements a three-state circuit breaker.
package breaker

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// State is the breaker state.
type State int

// Breaker states.
const (
	Closed State = iota
	HalfOpen
	Open
)

// String implements fmt.Stringer.
func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case HalfOpen:
		return "half-open"
	case Open:
		return "open"
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// ErrOpen is returned while the breaker rejects calls.
var ErrOpen = errors.New("breaker: open")

// ErrTooManyProbes is returned in half-open state when the probe budget is
// used up.
var ErrTooManyProbes = errors.New("breaker: too many half-open requests")

// Settings configure a Breaker. Hooks may be nil.
type Settings struct {
	Name          string
	MaxFailures   int
	OpenTimeout   time.Duration
	MaxProbes     int
	IsFailure     func(error) bool
	OnStateChange func(name string, from, to State)
}

// Counts tracks outcomes within one generation.
type Counts struct {
	Requests             int
	Successes            int
	Failures             int
	ConsecutiveFailures  int
	ConsecutiveSuccesses int
}

// Breaker guards calls to a flaky dependency.
type Breaker struct {
	mu      sync.Mutex
	s       Settings
	state   State
	gen     uint64
	counts  Counts
	expires time.Time
	now     func() time.Time
}

// New returns a closed breaker.
func New(s Settings) *Breaker {
	if s.MaxFailures <= 0 {
		s.MaxFailures = 5
	}
	if s.OpenTimeout <= 0 {
		s.OpenTimeout = 30 * time.Second
	}
	if s.MaxProbes <= 0 {
		s.MaxProbes = 1
	}
	if s.IsFailure == nil {
		s.IsFailure = func(err error) bool { return err != nil }
	}
	return &Breaker{s: s, now: time.Now}
}

// State returns the current state.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, _ := b.currentLocked(b.now())
	return st
}

// Counts returns the counters of the current generation.
func (b *Breaker) Counts() Counts {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.counts
}

// currentLocked moves an expired open breaker to half-open. b.mu must be
// held; any state-change hook is returned so the caller can run it after
// unlocking.
func (b *Breaker) currentLocked(now time.Time) (State, func()) {
	if b.state == Open && !now.Before(b.expires) {
		return b.state, b.setStateLocked(HalfOpen, now)
	}
	return b.state, nil
}

func (b *Breaker) setStateLocked(to State, now time.Time) func() {
	from := b.state
	if from == to {
		return nil
	}
	b.state = to
	b.gen++
	b.counts = Counts{}
	if to == Open {
		b.expires = now.Add(b.s.OpenTimeout)
	} else {
		b.expires = time.Time{}
	}
	if hook := b.s.OnStateChange; hook != nil {
		name := b.s.Name
		return func() { hook(name, from, to) }
	}
	return nil
}

// runHook calls fn if it is non-nil.
func runHook(fn func()) {
	if fn != nil {
		fn()
	}
}

// beforeRequest admits or rejects a call and returns its generation.
func (b *Breaker) beforeRequest() (uint64, error) {
	b.mu.Lock()
	st, hook := b.currentLocked(b.now())
	gen := b.gen
	var err error
	switch {
	case st == Open:
		err = ErrOpen
	case st == HalfOpen && b.counts.Requests >= b.s.MaxProbes:
		err = ErrTooManyProbes
	default:
		b.counts.Requests++
	}
	b.mu.Unlock()
	runHook(hook)
	return gen, err
}

// afterRequest records the outcome of a call from generation gen.
func (b *Breaker) afterRequest(gen uint64, ok bool) {
	b.mu.Lock()
	now := b.now()
	st, hook := b.currentLocked(now)
	var hook2 func()
	if gen == b.gen {
		if ok {
			hook2 = b.onSuccessLocked(st, now)
		} else {
			hook2 = b.onFailureLocked(st, now)
		}
	}
	b.mu.Unlock()
	runHook(hook)
	runHook(hook2)
}

func (b *Breaker) onSuccessLocked(st State, now time.Time) func() {
	b.counts.Successes++
	b.counts.ConsecutiveSuccesses++
	b.counts.ConsecutiveFailures = 0
	if st == HalfOpen && b.counts.ConsecutiveSuccesses >= b.s.MaxProbes {
		return b.setStateLocked(Closed, now)
	}
	return nil
}

func (b *Breaker) onFailureLocked(st State, now time.Time) func() {
	b.counts.Failures++
	b.counts.ConsecutiveFailures++
	b.counts.ConsecutiveSuccesses = 0
	if st == HalfOpen || b.counts.ConsecutiveFailures >= b.s.MaxFailures {
		return b.setStateLocked(Open, now)
	}
	return nil
}

// Execute runs fn if the breaker admits it. A panic in fn counts as a
// failure and is re-raised unchanged.
func (b *Breaker) Execute(fn func() error) error {
	gen, err := b.beforeRequest()
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			b.afterRequest(gen, false)
			panic(r)
		}
	}()
	err = fn()
	b.afterRequest(gen, !b.s.IsFailure(err))
	return err
}

// ExecuteValue is Execute for functions returning a value.
func ExecuteValue[T any](b *Breaker, fn func() (T, error)) (T, error) {
	var out T
	err := b.Execute(func() error {
		v, err := fn()
		out = v
		return err
	})
	return out, err
}

// Allow is the two-step form: it admits a call and returns the function
// that records its outcome, which the caller must call exactly once.
func (b *Breaker) Allow() (done func(success bool), err error) {
	gen, err := b.beforeRequest()
	if err != nil {
		return nil, err
	}
	return func(success bool) { b.afterRequest(gen, success) }, nil
}

// Trip forces the breaker open, for operators.
func (b *Breaker) Trip() {
	b.mu.Lock()
	hook := b.setStateLocked(Open, b.now())
	b.mu.Unlock()
	runHook(hook)
}

// Reset forces the breaker closed.
func (b *Breaker) Reset() {
	b.mu.Lock()
	hook := b.setStateLocked(Closed, b.now())
	b.mu.Unlock()
	runHook(hook)
}
