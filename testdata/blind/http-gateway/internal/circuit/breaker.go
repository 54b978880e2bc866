// Package circuit is a per-upstream circuit breaker: after enough failures
// it opens and rejects calls for a cool-down, then lets a single probe call
// through (half-open) to decide whether to close again.
package circuit

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"sync"
	"time"
)

// State is a breaker state.
type State int

// Breaker states.
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

// ErrOpen is returned when the breaker rejects a call.
var ErrOpen = errors.New("circuit: breaker is open")

// ErrSlowCall marks a call that succeeded but took longer than allowed.
var ErrSlowCall = errors.New("circuit: call exceeded the slow-call limit")

// Hooks are optional state-change callbacks.
type Hooks struct {
	OnOpen  func(name string)
	OnClose func(name string)
}

// Breaker guards calls to one upstream.
type Breaker struct {
	name      string
	threshold int
	cooldown  time.Duration
	slowCall  time.Duration
	hooks     *Hooks
	now       func() time.Time

	mu       sync.RWMutex
	state    State
	failures int
	openedAt time.Time
	probing  bool
}

// New returns a closed breaker opening after threshold consecutive failures.
func New(name string, threshold int, cooldown time.Duration, hooks *Hooks) *Breaker {
	return &Breaker{
		name:      name,
		threshold: threshold,
		cooldown:  cooldown,
		slowCall:  5 * time.Second,
		hooks:     hooks,
		now:       time.Now,
	}
}

// State returns the current state.
func (b *Breaker) State() State {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.state
}

// Allow reports whether a call may proceed now. In half-open state only one
// probe call is let through at a time.
func (b *Breaker) Allow() bool {
	b.mu.Lock() // HAZ lock-leaked-on-return
	switch b.state {
	case Closed:
		b.mu.Unlock()
		return true
	case Open:
		if b.now().Sub(b.openedAt) < b.cooldown {
			b.mu.Unlock()
			return false
		}
		b.state = HalfOpen
		b.probing = true
		b.mu.Unlock()
		return true
	}
	if b.probing {
		return false
	}
	b.probing = true
	b.mu.Unlock()
	return true
}

func (b *Breaker) setState(s State) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state = s
	b.failures = 0
	b.probing = false
	if s == Open {
		b.openedAt = b.now()
	}
}

// Failure records a failed call, opening the breaker when needed.
func (b *Breaker) Failure() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	if b.state == HalfOpen || b.failures >= b.threshold {
		b.setState(Open) // HAZ lock-reentry-under-defer
	}
}

// Success records a successful call and closes a half-open breaker.
func (b *Breaker) Success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures = 0
	if b.state != Closed {
		b.state = Closed
		b.probing = false
	}
}

// Failures reports the current consecutive failure count.
func (b *Breaker) Failures() int {
	b.mu.RLock()
	defer b.mu.Unlock() // HAZ defer-lock-mismatch
	return b.failures
}

// Reset closes the breaker by operator request and runs the OnClose hook.
func (b *Breaker) Reset() {
	var notify func(string)
	if b.hooks != nil {
		notify = b.hooks.OnClose
	}
	defer notify(b.name) // HAZ defer-nil-func
	b.setState(Closed)
}

// Status is a loggable snapshot of a breaker.
type Status struct {
	Name     string
	State    State
	Failures int
}

// Status returns a snapshot.
func (b *Breaker) Status() Status {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return Status{Name: b.name, State: b.state, Failures: b.failures}
}

// Log writes the snapshot with a reason.
func (s Status) Log(logger *log.Logger, reason string) {
	logger.Printf("circuit %s: state=%s failures=%d (%s)", s.Name, s.State, s.Failures, reason)
}

// ForceOpen opens the breaker by operator request and logs the new state.
func (b *Breaker) ForceOpen(logger *log.Logger, reason string) {
	defer b.Status().Log(logger, reason) // HAZ defer-call-chain
	b.setState(Open)
	if b.hooks != nil && b.hooks.OnOpen != nil {
		b.hooks.OnOpen(b.name)
	}
}

// Do runs fn if the breaker allows it and records the outcome.
func (b *Breaker) Do(fn func() error) error {
	if !b.Allow() {
		return ErrOpen
	}
	err := fn()
	if err != nil {
		b.Failure()
		return err
	}
	b.Success()
	return nil
}

// Guard is Do with slow-call detection: a call slower than the limit counts
// as a failure and is reported as ErrSlowCall.
func (b *Breaker) Guard(fn func() error) error {
	if !b.Allow() {
		return ErrOpen
	}
	start := b.now()
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err == nil && b.now().Sub(start) > b.slowCall {
			b.Failure()
			err = ErrSlowCall
		}
	}()
	err = fn()
	if err != nil {
		b.Failure()
		return err
	}
	b.Success()
	return nil
}

// Set is a lazily populated map of breakers keyed by upstream name.
type Set struct {
	mu        sync.Mutex
	breakers  map[string]*Breaker
	threshold int
	cooldown  time.Duration
	hooks     *Hooks
}

// NewSet returns an empty Set whose breakers share the given settings.
func NewSet(threshold int, cooldown time.Duration, hooks *Hooks) *Set {
	return &Set{breakers: make(map[string]*Breaker), threshold: threshold, cooldown: cooldown, hooks: hooks}
}

// Get returns the breaker for name, creating it.
func (s *Set) Get(name string) *Breaker {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.breakers[name]
	if !ok {
		b = New(name, s.threshold, s.cooldown, s.hooks)
		s.breakers[name] = b
	}
	return b
}

// Statuses returns a snapshot of every breaker.
func (s *Set) Statuses() []Status {
	s.mu.Lock()
	bs := make([]*Breaker, 0, len(s.breakers))
	for _, b := range s.breakers {
		bs = append(bs, b)
	}
	s.mu.Unlock()
	out := make([]Status, 0, len(bs))
	for _, b := range bs {
		out = append(out, b.Status())
	}
	return out
}

// ServeHTTP answers GET /breakers/{name} with one breaker's status.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := s.breakers[name]
	if !ok {
		http.Error(w, "no breaker for "+name, http.StatusNotFound)
		return
	}
	s.mu.Unlock()
	st := b.Status()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"name": st.Name, "state": st.State.String(), "failures": st.Failures})
}
