// Package supervisor keeps workers running, restarting them with backoff
// when they return an error or panic.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"
)

// Policy decides when a worker is restarted.
type Policy int

const (
	Permanent Policy = iota // always restart
	Transient               // restart only after a failure
	Temporary               // never restart
)

// Spec describes a supervised worker.
type Spec struct {
	Name        string
	Run         func(ctx context.Context) error
	Restart     Policy
	MaxRestarts int
	Backoff     time.Duration
}

// Event is reported for every worker exit.
type Event struct {
	Worker   string
	Err      error
	Restarts int
	At       time.Time
}

// PanicError wraps a recovered panic.
type PanicError struct {
	Worker string
	Value  any
	Stack  []byte
}

func (p *PanicError) Error() string { return fmt.Sprintf("%s panicked: %v", p.Worker, p.Value) }

// Supervisor runs a set of workers.
type Supervisor struct {
	specs  []Spec
	logger *log.Logger

	mu       sync.Mutex
	restarts map[string]int
	onEvent  []func(Event)

	events chan Event
	wg     sync.WaitGroup
	once   sync.Once
	cancel context.CancelFunc
}

// New returns a supervisor for specs.
func New(logger *log.Logger, specs ...Spec) *Supervisor {
	if logger == nil {
		logger = log.Default()
	}
	return &Supervisor{
		specs:    specs,
		logger:   logger,
		restarts: make(map[string]int),
		events:   make(chan Event, 64),
	}
}

// OnEvent registers a listener called for every worker exit.
func (s *Supervisor) OnEvent(fn func(Event)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onEvent = append(s.onEvent, fn)
}

// runOnce runs sp once, turning a panic into a *PanicError.
func (s *Supervisor) runOnce(ctx context.Context, sp Spec) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Worker: sp.Name, Value: r, Stack: debug.Stack()}
		}
	}()
	return sp.Run(ctx)
}

// runGuarded is runOnce for call sites that do not need the stack.
func (s *Supervisor) runGuarded(ctx context.Context, sp Spec) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			s.logger.Printf("supervisor: %s panicked: %v", sp.Name, r)
			err = fmt.Errorf("%s: panic: %v", sp.Name, r)
		}
	}()
	err = sp.Run(ctx)
	return err
}

// RunOnce runs the named worker a single time outside supervision.
func (s *Supervisor) RunOnce(ctx context.Context, name string) error {
	for _, sp := range s.specs {
		if sp.Name == name {
			return s.runGuarded(ctx, sp)
		}
	}
	return fmt.Errorf("supervisor: no worker %q", name)
}

func (s *Supervisor) noteRestart(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restarts[name]++
	return s.restarts[name]
}

// Restarts reports how often name has been restarted.
func (s *Supervisor) Restarts(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts[name]
}

func (s *Supervisor) supervise(ctx context.Context, sp Spec) {
	defer s.wg.Done()
	backoff := sp.Backoff
	if backoff <= 0 {
		backoff = 100 * time.Millisecond
	}
	for {
		err := s.runOnce(ctx, sp)
		if ctx.Err() != nil {
			return
		}
		n := s.Restarts(sp.Name)
		select {
		case s.events <- Event{Worker: sp.Name, Err: err, Restarts: n, At: time.Now()}:
		default:
			s.logger.Printf("supervisor: event queue full, dropping exit of %s", sp.Name)
		}
		switch {
		case sp.Restart == Temporary,
			sp.Restart == Transient && err == nil,
			sp.MaxRestarts > 0 && n >= sp.MaxRestarts:
			return
		}
		s.noteRestart(sp.Name)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}

func (s *Supervisor) listeners() []func(Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]func(Event), len(s.onEvent))
	copy(out, s.onEvent)
	return out
}

// notify calls one listener; a broken listener must not stop event delivery.
func notify(fn func(Event), ev Event) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	fn(ev)
}

func (s *Supervisor) reportLoop(ctx context.Context) {
	for {
		select {
		case ev := <-s.events:
			for _, fn := range s.listeners() {
				fn(ev)
			}
		case <-ctx.Done():
			return
		}
	}
}

func (s *Supervisor) reportLoopSafe(ctx context.Context) {
	defer s.recoverWorker("reporter")
	for {
		select {
		case ev := <-s.events:
			for _, fn := range s.listeners() {
				notify(fn, ev)
			}
		case <-ctx.Done():
			return
		}
	}
}

// recoverWorker is deferred directly by supervisor goroutines.
func (s *Supervisor) recoverWorker(name string) {
	if r := recover(); r != nil {
		s.logger.Printf("supervisor: %s crashed: %v\n%s", name, r, debug.Stack())
	}
}

// logPanic reports a recovered panic with its stack.
func logPanic(logger *log.Logger, name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("supervisor: %s crashed: %v\n%s", name, r, debug.Stack())
	}
}

func (s *Supervisor) startWorkers(ctx context.Context) {
	for _, sp := range s.specs {
		s.wg.Add(1)
		go s.supervise(ctx, sp) // ok: sp is passed as an argument
	}
}

// Start launches every worker and the event reporter.
func (s *Supervisor) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.startWorkers(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.reportLoopSafe(ctx)
	}()
}

// Run starts the workers and blocks until ctx ends. A panic inside the
// supervisor itself is returned as an error.
func (s *Supervisor) Run(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Worker: "supervisor", Value: r, Stack: debug.Stack()}
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.startWorkers(ctx)
	go s.reportLoop(ctx) // HAZ goroutine-outside-recover
	<-ctx.Done()
	s.wg.Wait()
	return nil
}

// Go starts an ad-hoc helper goroutine that logs a crash instead of killing
// the process.
func (s *Supervisor) Go(name string, fn func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.recoverWorker(name) // ok: recoverWorker calls recover directly
		fn()
	}()
}

// GoLogged is Go that reports the crash through logPanic.
func (s *Supervisor) GoLogged(name string, fn func()) {
	s.wg.Add(1)
	go func() {
		defer func() {
			logPanic(s.logger, name)
			s.wg.Done()
		}()
		fn()
	}()
}

// Stop cancels all workers and waits for them.
func (s *Supervisor) Stop() {
	s.once.Do(func() {
		if s.cancel != nil {
			s.cancel()
		}
	})
	s.wg.Wait()
}

// StopReport stops the supervisor and logs any panic raised while stopping.
func (s *Supervisor) StopReport() {
	defer func() {
		s.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.logger.Printf("supervisor: panic during stop: %v", r)
			}
		})
	}()
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

// Forever keeps fn running, restarting it after a panic.
func Forever(logger *log.Logger, fn func()) {
	for {
		defer func() { // HAZ defer-in-infinite-loop
			if r := recover(); r != nil {
				logger.Printf("supervisor: restarting after panic: %v", r)
			}
		}()
		fn()
	}
}

// ForeverSafe is Forever with the recover scoped to each run.
func ForeverSafe(ctx context.Context, logger *log.Logger, fn func()) {
	for ctx.Err() == nil {
		func() {
			defer func() { // ok: one deferred recover per call of the literal
				if r := recover(); r != nil {
					logger.Printf("supervisor: restarting after panic: %v", r)
				}
			}()
			fn()
		}()
	}
}

// ErrGaveUp is returned by Retry after the last attempt.
var ErrGaveUp = errors.New("supervisor: gave up")

// Retry runs fn until it succeeds, waiting backoff between attempts.
func Retry(ctx context.Context, attempts int, backoff time.Duration, fn func(context.Context) error) error {
	var last error
	for i := 0; i < attempts; i++ {
		if last = fn(ctx); last == nil {
			return nil
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	return errors.Join(ErrGaveUp, last)
}
