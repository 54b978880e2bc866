// Package breaker implements a circuit breaker with a half-open state that
// admits a limited number of probe calls.
package breaker

import (
	"context"
	"errors"
	"sync"
	"time"
)

// State of the breaker.
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

var (
	ErrOpen          = errors.New("breaker: open")
	ErrTooManyProbes = errors.New("breaker: too many half-open probes")
	ErrTimeout       = errors.New("breaker: call timed out")
)

// Settings configure a Breaker.
type Settings struct {
	Threshold int           // consecutive failures that open the breaker
	Cooldown  time.Duration // time spent open before probing
	MaxProbes int           // concurrent calls admitted while half-open
	OnChange  func(from, to State)
}

// Breaker is safe for concurrent use.
type Breaker struct {
	mu        sync.Mutex
	state     State
	failures  int
	openUntil time.Time
	probes    int
	set       Settings
	now       func() time.Time
}

// New returns a closed breaker.
func New(s Settings) *Breaker {
	if s.Threshold <= 0 {
		s.Threshold = 5
	}
	if s.MaxProbes <= 0 {
		s.MaxProbes = 1
	}
	return &Breaker{set: s, now: time.Now}
}

// setStateLocked changes state and notifies; caller holds mu.
func (b *Breaker) setStateLocked(to State) {
	from := b.state
	if from == to {
		return
	}
	b.state = to
	b.probes = 0
	if to == Open {
		b.openUntil = b.now().Add(b.set.Cooldown)
	}
	if b.set.OnChange != nil {
		b.set.OnChange(from, to)
	}
}

// advanceLocked moves Open to HalfOpen once the cooldown has passed.
func (b *Breaker) advanceLocked() {
	if b.state == Open && !b.now().Before(b.openUntil) {
		b.setStateLocked(HalfOpen)
	}
}

// State reports the current state.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked()
	return b.state
}

// allow admits a call; probe is true when it is a half-open probe.
func (b *Breaker) allow() (probe bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked()
	switch b.state {
	case Open:
		return false, ErrOpen
	case HalfOpen:
		if b.probes >= b.set.MaxProbes {
			return false, ErrTooManyProbes
		}
		b.probes++
		return true, nil
	}
	return false, nil
}

// done records the outcome of an admitted call.
func (b *Breaker) done(probe bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe && b.probes > 0 {
		b.probes--
	}
	if err == nil {
		b.failures = 0
		if b.state == HalfOpen {
			b.setStateLocked(Closed)
		}
		return
	}
	b.failures++
	if b.state == HalfOpen || b.failures >= b.set.Threshold {
		b.setStateLocked(Open)
	}
}

// Do runs fn if the breaker admits it and records the result.
func (b *Breaker) Do(ctx context.Context, fn func(context.Context) error) (err error) {
	probe, err := b.allow()
	if err != nil {
		return err
	}
	defer func() { b.done(probe, err) }() // ok: reads the named result at exit
	return fn(ctx)
}

// Execute is Do for functions without a context.
func (b *Breaker) Execute(fn func() error) error {
	probe, err := b.allow()
	if err != nil {
		return err
	}
	defer b.done(probe, err) // HAZ defer-eager-evaluation
	err = fn()
	return err
}

// DoTimeout runs fn and counts it as failed if it takes longer than d.
func (b *Breaker) DoTimeout(d time.Duration, fn func() error) error {
	probe, err := b.allow()
	if err != nil {
		return err
	}
	res := make(chan error)
	go func() { // HAZ goroutine-blocked-send
		res <- fn()
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err = <-res:
	case <-t.C:
		err = ErrTimeout
	}
	b.done(probe, err)
	return err
}

// DoContext runs fn with ctx and gives up when ctx ends; fn's goroutine can
// always deliver its result.
func (b *Breaker) DoContext(ctx context.Context, fn func(context.Context) error) error {
	probe, err := b.allow()
	if err != nil {
		return err
	}
	res := make(chan error, 1)
	go func() {
		res <- fn(ctx) // ok: buffered
	}()
	select {
	case err = <-res:
	case <-ctx.Done():
		err = ctx.Err()
	}
	b.done(probe, err)
	return err
}

// holdProbe reserves a half-open probe slot and returns its release.
func (b *Breaker) holdProbe() func() {
	b.mu.Lock()
	b.probes++
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.probes > 0 {
			b.probes--
		}
	}
}

// Probe runs a health check while half-open and closes the breaker if it passes.
func (b *Breaker) Probe(ctx context.Context, check func(context.Context) error) error {
	if b.State() != HalfOpen {
		return nil
	}
	defer b.holdProbe() // HAZ defer-func-result-not-called
	if err := check(ctx); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures = 0
	b.setStateLocked(Closed)
	return nil
}

// ProbeOnce is Probe that releases its slot.
func (b *Breaker) ProbeOnce(ctx context.Context, check func(context.Context) error) error {
	if b.State() != HalfOpen {
		return nil
	}
	defer b.holdProbe()() // ok: the release func is what gets deferred
	err := check(ctx)
	b.done(false, err)
	return err
}

// Reset closes the breaker and clears its failure count.
func (b *Breaker) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures = 0
	if b.State() != Closed { // HAZ lock-reentry-under-defer
		b.setStateLocked(Closed)
	}
}

// Trip opens the breaker immediately.
func (b *Breaker) Trip() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.setStateLocked(Open) // ok: Locked helper; OnChange must not call back into b
}

// Failures reports the consecutive failure count.
func (b *Breaker) Failures() int {
	b.mu.Lock()
	defer b.mu.Lock() // HAZ defer-lock-mismatch
	return b.failures
}

// Counts reports state and failures consistently.
func (b *Breaker) Counts() (State, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked()
	return b.state, b.failures
}
