// Package lifecycle starts and stops the agent's components in order,
// isolating panics per component.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"sync"
	"time"

	"example.com/obsagent/internal/telemetry"
)

// Component is anything with a start and a bounded shutdown.
type Component interface {
	Name() string
	Start(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

// Runner is a component with a blocking main loop.
type Runner interface {
	Component
	Run(ctx context.Context) error
}

// Manager owns the components.
type Manager struct {
	PIDFile  string
	StatsOut io.Writer

	mu         sync.Mutex
	components []Component
	started    []Component
	stoppers   map[string]context.CancelFunc

	wg   sync.WaitGroup
	errs chan error
	reg  *telemetry.Registry

	panics *telemetry.Counter
}

// New returns an empty manager.
func New(reg *telemetry.Registry) *Manager {
	return &Manager{
		StatsOut: os.Stderr,
		stoppers: make(map[string]context.CancelFunc),
		errs:     make(chan error, 16),
		reg:      reg,
		panics:   reg.Counter("lifecycle_panics"),
	}
}

// Add registers components in start order.
func (m *Manager) Add(cs ...Component) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.components = append(m.components, cs...)
}

// Errors reports asynchronous component failures.
func (m *Manager) Errors() <-chan error { return m.errs }

func (m *Manager) report(err error) {
	select {
	case m.errs <- err:
	default:
		log.Printf("lifecycle: dropped error: %v", err)
	}
}

func (m *Manager) snapshot() []Component {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Component(nil), m.components...)
}

func acquirePIDFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: pid file: %w", err)
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// Run starts everything, waits for ctx, and shuts down within grace.
func (m *Manager) Run(ctx context.Context, grace time.Duration) error {
	var release func()
	if m.PIDFile != "" {
		r, err := acquirePIDFile(m.PIDFile)
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	if err := m.StartAll(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return m.Shutdown(sctx)
}

// RunChecked is Run with the release func always set.
func (m *Manager) RunChecked(ctx context.Context, grace time.Duration) error {
	release := func() {}
	if m.PIDFile != "" {
		r, err := acquirePIDFile(m.PIDFile)
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // ok: never nil, not reassigned afterwards
	if err := m.StartAll(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return m.Shutdown(sctx)
}

// StartAll starts components in order; on failure the already started
// ones are shut down again.
func (m *Manager) StartAll(ctx context.Context) error {
	for _, c := range m.snapshot() {
		if err := m.startOne(ctx, c); err != nil {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			serr := m.Shutdown(sctx)
			cancel()
			return errors.Join(err, serr)
		}
	}
	return nil
}

// startOne starts c with its panics turned into errors, and launches its
// Run loop when it has one.
func (m *Manager) startOne(ctx context.Context, c Component) (err error) {
	defer m.recoverStart(c.Name(), &err)
	cctx, cancel := context.WithCancel(ctx)
	if err := c.Start(cctx); err != nil {
		cancel()
		return fmt.Errorf("%s: start: %w", c.Name(), err)
	}
	m.mu.Lock()
	m.started = append(m.started, c)
	m.stoppers[c.Name()] = cancel
	m.mu.Unlock()
	if r, ok := c.(Runner); ok {
		m.wg.Add(1)
		go m.runLoop(cctx, r) // ok: runLoop defers its own recover
	}
	return nil
}

// recoverStart is deferred directly by startOne.
func (m *Manager) recoverStart(name string, err *error) {
	if r := recover(); r != nil {
		m.panics.Inc()
		*err = fmt.Errorf("%s: start panicked: %v", name, r)
	}
}

func (m *Manager) runLoop(ctx context.Context, r Runner) {
	defer m.wg.Done()
	defer m.isolate(r.Name())
	if err := r.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		m.report(fmt.Errorf("%s: %w", r.Name(), err))
	}
}

// Watch starts c and a watchdog that restarts nothing but reports when
// c's Run loop ends early.
func (m *Manager) Watch(ctx context.Context, c Runner) (err error) {
	defer func() {
		if r := recover(); r != nil {
			m.panics.Inc()
			err = fmt.Errorf("%s: watch: %v", c.Name(), r)
		}
	}()
	if err := c.Start(ctx); err != nil {
		return err
	}
	go m.watchdog(ctx, c) // HAZ goroutine-outside-recover
	return nil
}

func (m *Manager) watchdog(ctx context.Context, c Runner) {
	err := c.Run(ctx)
	if ctx.Err() == nil {
		m.report(fmt.Errorf("%s: run loop ended early: %v", c.Name(), err))
	}
}

// RunAll runs every Runner's loop until ctx ends.
func (m *Manager) RunAll(ctx context.Context) {
	for _, c := range m.snapshot() {
		r, ok := c.(Runner)
		if !ok {
			continue
		}
		m.wg.Add(1)
		go func() {
			if err := r.Start(ctx); err != nil {
				m.report(fmt.Errorf("%s: %w", r.Name(), err))
				return
			}
			if err := r.Run(ctx); err != nil && ctx.Err() == nil {
				m.report(fmt.Errorf("%s: %w", r.Name(), err))
			}
			m.wg.Done() // HAZ waitgroup-done-path
		}()
	}
}

// Supervise runs r, restarting it up to maxRestarts times when it fails.
func (m *Manager) Supervise(ctx context.Context, r Runner, maxRestarts int) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer m.isolate(r.Name())
		for i := 0; ; i++ {
			err := r.Run(ctx)
			if ctx.Err() != nil {
				return
			}
			if i >= maxRestarts {
				m.report(fmt.Errorf("%s: giving up after %d restarts: %v", r.Name(), i, err))
				m.wg.Done() // HAZ waitgroup-done-path
				return
			}
			log.Printf("lifecycle: %s failed (%v), restarting", r.Name(), err)
			select {
			case <-time.After(time.Duration(i+1) * time.Second):
			case <-ctx.Done():
				return
			}
		}
	}()
}

// Stop cancels one component's context.
func (m *Manager) Stop(name string) bool {
	m.mu.Lock()
	cancel, ok := m.stoppers[name]
	delete(m.stoppers, name)
	m.mu.Unlock()
	if !ok {
		return false
	}
	cancel()
	return true
}

// Shutdown stops started components in reverse order, then waits for the
// run loops, all bounded by ctx.
func (m *Manager) Shutdown(ctx context.Context) error {
	defer m.reg.Snapshot().WriteTo(m.StatsOut) // HAZ defer-call-chain
	return m.shutdownAll(ctx)
}

// ShutdownWithStats is Shutdown printing the statistics after everything
// has stopped.
func (m *Manager) ShutdownWithStats(ctx context.Context) error {
	defer func() {
		if _, err := m.reg.Snapshot().WriteTo(m.StatsOut); err != nil { // ok: snapshot taken at exit
			log.Printf("lifecycle: stats: %v", err)
		}
	}()
	return m.shutdownAll(ctx)
}

func (m *Manager) shutdownAll(ctx context.Context) error {
	m.mu.Lock()
	started := m.started
	m.started = nil
	stoppers := m.stoppers
	m.stoppers = make(map[string]context.CancelFunc)
	m.mu.Unlock()

	var errs []error
	for i := len(started) - 1; i >= 0; i-- {
		c := started[i]
		if err := m.shutdownOne(ctx, c); err != nil {
			errs = append(errs, fmt.Errorf("%s: shutdown: %w", c.Name(), err))
		}
		if cancel := stoppers[c.Name()]; cancel != nil {
			cancel()
		}
	}
	done := make(chan struct{})
	go func() {
		m.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("lifecycle: run loops still busy: %w", ctx.Err()))
	}
	return errors.Join(errs...)
}
