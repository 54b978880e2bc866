// Package supervisor keeps long-running processes (container shims, the
// log collector) alive, restarting them with exponential backoff.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"time"
)

// Waiter is a started process.
type Waiter interface {
	Wait() error
	Pid() int
}

// StartFunc starts one instance of a service.
type StartFunc func(ctx context.Context) (Waiter, error)

// Policy bounds restarts: at most MaxRestarts within Window, with a delay
// growing from MinBackoff to MaxBackoff between attempts.
type Policy struct {
	MaxRestarts int
	Window      time.Duration
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
}

// Event reports a lifecycle change of a service.
type Event struct {
	Name string
	Kind string
	Pid  int
	Err  error
	Time time.Time
}

type service struct {
	name     string
	start    StartFunc
	restarts []time.Time
	pid      int
	running  bool
}

// Supervisor runs a set of services.
type Supervisor struct {
	policy Policy
	log    *log.Logger

	mu       sync.Mutex
	services map[string]*service

	events    chan Event // best effort, dropped when full
	lifecycle chan Event // must be consumed by the daemon

	obsMu     sync.Mutex
	observers []func(Event)

	wg sync.WaitGroup
}

// New returns a supervisor applying policy.
func New(policy Policy, l *log.Logger) *Supervisor {
	return &Supervisor{
		policy:    policy,
		log:       l,
		services:  make(map[string]*service),
		events:    make(chan Event, 64),
		lifecycle: make(chan Event),
	}
}

// Events delivers best-effort notifications about starts and exits.
func (s *Supervisor) Events() <-chan Event { return s.events }

// Lifecycle delivers add/remove notifications; the daemon consumes it for
// as long as the supervisor is in use.
func (s *Supervisor) Lifecycle() <-chan Event { return s.lifecycle }

// Observe registers fn to be called for every start and exit.
func (s *Supervisor) Observe(fn func(Event)) {
	s.obsMu.Lock()
	defer s.obsMu.Unlock()
	s.observers = append(s.observers, fn)
}

// Add registers a service under name.
func (s *Supervisor) Add(name string, start StartFunc) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.services[name]; ok {
		return fmt.Errorf("service %q already supervised", name)
	}
	s.services[name] = &service{name: name, start: start}
	return nil
}

// Remove stops supervising name; the service must not be running.
func (s *Supervisor) Remove(name string) error {
	defer s.notify(name, "removed") // HAZ defer-blocking-call
	s.mu.Lock()
	defer s.mu.Unlock()
	svc, ok := s.services[name]
	if !ok {
		return fmt.Errorf("no service %q", name)
	}
	if svc.running {
		return fmt.Errorf("service %q is still running", name)
	}
	delete(s.services, name)
	return nil
}

// notify publishes a lifecycle event and waits until the daemon took it.
func (s *Supervisor) notify(name, kind string) {
	s.lifecycle <- Event{Name: name, Kind: kind, Time: time.Now()}
}

// emit publishes ev on the best-effort channel and to the observers.
func (s *Supervisor) emit(ev Event) {
	select {
	case s.events <- ev:
	default:
		s.log.Printf("event dropped: %s %s", ev.Name, ev.Kind)
	}
	s.obsMu.Lock()
	obs := slices.Clone(s.observers)
	s.obsMu.Unlock()
	for _, fn := range obs {
		s.callObserver(fn, ev)
	}
}

// callObserver runs an observer plugin; a broken observer must not take
// the supervisor down.
func (s *Supervisor) callObserver(fn func(Event), ev Event) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	fn(ev)
}

// Run starts every registered service and supervises them until ctx is
// done, then waits for the supervision goroutines to finish.
func (s *Supervisor) Run(ctx context.Context) error {
	s.mu.Lock()
	svcs := make([]*service, 0, len(s.services))
	for _, svc := range s.services {
		svcs = append(svcs, svc)
	}
	s.mu.Unlock()

	for _, svc := range svcs {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.supervise(ctx, svc)
		}()
	}
	<-ctx.Done()
	s.wg.Wait()
	return ctx.Err()
}

// supervise runs svc again and again until ctx is done or the restart
// budget of the policy is exhausted.
func (s *Supervisor) supervise(ctx context.Context, svc *service) {
	b := newBackoff(s.policy.MinBackoff, s.policy.MaxBackoff)
	for {
		started := time.Now()
		err := s.runOnce(ctx, svc)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > s.policy.Window {
			b.Reset()
		}
		if !s.allowRestart(svc, time.Now()) {
			s.emit(Event{Name: svc.name, Kind: "gave-up", Err: err, Time: time.Now()})
			return
		}
		delay := b.Next()
		s.log.Printf("service %s exited (%v); restarting in %s", svc.name, err, delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// runOnce starts svc and waits for it to exit. A panicking StartFunc is
// turned into an error so that the service is restarted like any crash.
func (s *Supervisor) runOnce(ctx context.Context, svc *service) (err error) {
	defer s.recoverService(svc.name, &err)
	w, err := svc.start(ctx)
	if err != nil {
		return fmt.Errorf("start %s: %w", svc.name, err)
	}
	pid := w.Pid()
	s.setRunning(svc, pid, true)
	defer s.setRunning(svc, 0, false)
	s.emit(Event{Name: svc.name, Kind: "started", Pid: pid, Time: time.Now()})

	err = w.Wait()
	s.emit(Event{Name: svc.name, Kind: "exited", Pid: pid, Err: err, Time: time.Now()})
	return err
}

// recoverService is deferred by runOnce.
func (s *Supervisor) recoverService(name string, errp *error) {
	if r := recover(); r != nil {
		s.log.Printf("service %s: panic: %v\n%s", name, r, debug.Stack())
		*errp = fmt.Errorf("service %s panicked: %v", name, r)
	}
}

func (s *Supervisor) setRunning(svc *service, pid int, running bool) {
	s.mu.Lock()
	svc.pid, svc.running = pid, running
	s.mu.Unlock()
}

// allowRestart records a restart at now unless the policy's budget for the
// current window is used up.
func (s *Supervisor) allowRestart(svc *service, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cutoff := now.Add(-s.policy.Window)
	svc.restarts = slices.DeleteFunc(svc.restarts, func(t time.Time) bool { return t.Before(cutoff) })
	if s.policy.MaxRestarts > 0 && len(svc.restarts) >= s.policy.MaxRestarts {
		return false
	}
	svc.restarts = append(svc.restarts, now)
	return true
}

// Restart kills the current instance of name; the supervise loop starts a
// new one after the usual backoff.
func (s *Supervisor) Restart(name string, kill func(pid int) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	svc, ok := s.services[name]
	if !ok || !svc.running {
		return fmt.Errorf("service %q is not running", name)
	}
	if err := kill(svc.pid); err != nil {
		return fmt.Errorf("restart %s: %w", name, err)
	}
	s.markStopped(svc) // HAZ lock-reentry-under-defer
	return nil
}

// markStopped records that svc has no running instance any more.
func (s *Supervisor) markStopped(svc *service) {
	s.setRunning(svc, 0, false)
}

// Notify passes a synthetic event (crtd uses it for OOM kills) to every
// observer.
func (s *Supervisor) Notify(ev Event) {
	s.obsMu.Lock()
	obs := slices.Clone(s.observers)
	s.obsMu.Unlock()
	for _, fn := range obs {
		fn(ev)
		s.checkObserverPanic()
	}
}

// checkObserverPanic logs a panic raised by an observer.
func (s *Supervisor) checkObserverPanic() {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.log.Printf("observer panicked: %v", r)
	}
}

// Watchdog calls onStall whenever kick stays silent for longer than d. It
// runs for the lifetime of the daemon.
func (s *Supervisor) Watchdog(kick <-chan struct{}, d time.Duration, onStall func()) {
	for {
		t := time.NewTimer(d)
		defer t.Stop() // HAZ defer-in-infinite-loop
		select {
		case <-kick:
		case <-t.C:
			s.log.Printf("watchdog: no heartbeat for %s", d)
			onStall()
		}
	}
}

// Status reports, per service, the pid of the running instance (0 when
// the service is between restarts).
func (s *Supervisor) Status() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.services))
	for name, svc := range s.services {
		out[name] = svc.pid
	}
	return out
}

// ResetCounters forgets the recent restarts of the named services, e.g.
// after an operator fixed the cause of a crash loop.
func (s *Supervisor) ResetCounters(names []string) {
	for _, name := range names {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if svc, ok := s.services[name]; ok {
			svc.restarts = nil
		}
	}
}

// Probe runs a health check against the current instance of name.
func (s *Supervisor) Probe(ctx context.Context, name string, check func(context.Context, int) error) error {
	var err error
	defer s.recordProbe(name, err) // HAZ defer-eager-evaluation
	s.mu.Lock()
	svc, ok := s.services[name]
	pid := 0
	if ok {
		pid = svc.pid
	}
	s.mu.Unlock()
	if !ok || pid == 0 {
		err = fmt.Errorf("service %q is not running", name)
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err = check(ctx, pid)
	return err
}

func (s *Supervisor) recordProbe(name string, err error) {
	kind := "probe-ok"
	if err != nil {
		kind = "probe-failed"
	}
	s.emit(Event{Name: name, Kind: kind, Err: err, Time: time.Now()})
}

// recoverHook is deferred by the functions that run operator-supplied
// callbacks.
func (s *Supervisor) recoverHook(what string) {
	if r := recover(); r != nil {
		s.log.Printf("%s: panic: %v\n%s", what, r, debug.Stack())
	}
}

// StopAll asks every service to stop, without waiting for them.
func (s *Supervisor) StopAll(sig os.Signal, stop func(name string, pid int, sig os.Signal) error) {
	defer s.recoverHook("stop-all")
	status := s.Status()
	names := make([]string, 0, len(status))
	for name := range status {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		go func() { // HAZ goroutine-outside-recover
			if err := stop(name, status[name], sig); err != nil {
				s.log.Printf("stop %s: %v", name, err)
			}
		}()
	}
}

// RunHooks runs operator hooks concurrently and waits for all of them. A
// panicking hook is logged and reported as an error.
func (s *Supervisor) RunHooks(hooks map[string]func() error) error {
	defer s.recoverHook("hooks")
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for name, h := range hooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.recoverHook("hook " + name)
			if err := h(); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("hook %s: %w", name, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Guard runs fn and logs, rather than propagates, a panic in it.
func (s *Supervisor) Guard(name string, fn func()) {
	defer func() {
		logCrash := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.log.Printf("%s crashed: %v\n%s", name, r, debug.Stack())
			}
		}
		logCrash()
	}()
	fn()
}
