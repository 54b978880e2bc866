// Package daemon supervises the long-running services of a daemon process:
// each service runs on its own goroutine, is restarted with back-off when it
// fails or panics, and is stopped through context cancellation.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Service is a long-running component.
type Service interface {
	Name() string
	Run(ctx context.Context) error
}

type funcService struct {
	name string
	fn   func(ctx context.Context) error
}

func (f funcService) Name() string                  { return f.name }
func (f funcService) Run(ctx context.Context) error { return f.fn(ctx) }

// Func adapts a function to a Service.
func Func(name string, fn func(ctx context.Context) error) Service {
	return funcService{name: name, fn: fn}
}

// Supervisor runs and restarts services.
type Supervisor struct {
	mu       sync.Mutex
	services []Service
	restarts map[string]int
	lastErr  map[string]error
	started  bool

	wg      sync.WaitGroup
	logger  *log.Logger
	backoff time.Duration
}

// NewSupervisor returns a supervisor with the given base back-off.
func NewSupervisor(logger *log.Logger, backoff time.Duration) *Supervisor {
	return &Supervisor{
		restarts: make(map[string]int),
		lastErr:  make(map[string]error),
		logger:   logger,
		backoff:  backoff,
	}
}

// Add registers a service before Start.
func (s *Supervisor) Add(svc Service) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("daemon: Add after Start")
	}
	s.services = append(s.services, svc)
	return nil
}

// trace logs entry and returns the matching exit logger: defer s.trace(x)().
func (s *Supervisor) trace(what string) func() {
	start := time.Now()
	s.logger.Printf("daemon: %s: start", what)
	return func() { s.logger.Printf("daemon: %s: stop after %s", what, time.Since(start).Round(time.Millisecond)) }
}

// Start launches one goroutine per service. Each goroutine is counted in
// s.wg and protects itself with its own recover inside runOnce.
func (s *Supervisor) Start(ctx context.Context) {
	s.mu.Lock()
	s.started = true
	services := append([]Service(nil), s.services...)
	s.mu.Unlock()
	for _, svc := range services {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.keepRunning(ctx, svc)
		}()
	}
}

// keepRunning restarts svc until ctx ends, doubling the delay after each
// failure up to one minute.
func (s *Supervisor) keepRunning(ctx context.Context, svc Service) {
	defer s.trace(svc.Name())()
	delay := s.backoff
	for {
		err := s.runOnce(ctx, svc)
		if ctx.Err() != nil {
			return
		}
		s.noteFailure(svc.Name(), err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if delay *= 2; delay > time.Minute {
			delay = time.Minute
		}
	}
}

// runOnce runs svc, converting a panic into an error.
func (s *Supervisor) runOnce(ctx context.Context, svc Service) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("daemon: %s panicked: %v", svc.Name(), r)
		}
	}()
	return svc.Run(ctx)
}

func (s *Supervisor) noteFailure(name string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restarts[name]++
	s.lastErr[name] = err
	s.logger.Printf("daemon: %s failed (restart %d): %v", name, s.restarts[name], err)
}

// Wait waits for every service goroutine, at most for timeout. It reports
// whether they all finished.
func (s *Supervisor) Wait(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Status is a snapshot of one service.
type Status struct {
	Name     string
	Restarts int
	LastErr  string
}

// Status returns the services' restart counts in name order.
func (s *Supervisor) Status() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(s.services))
	for _, svc := range s.services {
		st := Status{Name: svc.Name(), Restarts: s.restarts[svc.Name()]}
		if err := s.lastErr[svc.Name()]; err != nil {
			st.LastErr = err.Error()
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Every returns a service that calls fn every interval until ctx ends.
func Every(name string, interval time.Duration, fn func(ctx context.Context) error) Service {
	return Func(name, func(ctx context.Context) error {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if err := fn(ctx); err != nil {
				return err
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	})
}

// logRecovered is deferred directly by RunDetached's goroutine.
func logRecovered(logger *log.Logger, what string) {
	if r := recover(); r != nil {
		logger.Printf("daemon: %s panicked: %v", what, r)
	}
}

// RunDetached runs fn on its own goroutine with its own recover; the caller
// does not wait for it (fire-and-forget cache warmers and the like).
func RunDetached(logger *log.Logger, what string, fn func()) {
	go func() {
		defer logRecovered(logger, what)
		fn()
	}()
}

// Snapshot logs the current status once; the value printed by the deferred
// call is a deliberate snapshot taken before the work starts.
func (s *Supervisor) Snapshot(label string) int {
	n := len(s.Status())
	defer s.logger.Printf("daemon: %s: %d services at start of snapshot", label, n)
	for _, st := range s.Status() {
		s.logger.Printf("daemon: %s restarts=%d %s", st.Name, st.Restarts, st.LastErr)
	}
	return n
}
