// Package tasks runs build pipelines: ordered steps with optional undo
// functions, cleanups and hooks registered by name.
package tasks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up8/internal/fsutil"
	"example.com/up8/internal/spawn"
	"example.com/up8/internal/trace"
)

// Step is one unit of work.
type Step struct {
	Name string
	Run  func(ctx context.Context) error
	// Undo, when set, compensates a completed Run.
	Undo func(ctx context.Context) error
}

// Locker serialises pipeline runs, possibly across processes.
type Locker interface {
	Acquire(ctx context.Context) (release func(), err error)
}

// Pipeline is an ordered list of steps. mu guards steps, done and failed;
// cleanups and hooks are filled during setup and only read afterwards.
type Pipeline struct {
	Name string

	mu     sync.Mutex
	steps  []Step
	done   []string
	failed []string

	cleanups map[string]func()
	hooks    map[string]func()
	lock     Locker
	tracer   trace.Tracer
	logger   *log.Logger
	inflight atomic.Int64
}

// New returns an empty pipeline.
func New(name string, lock Locker, tracer trace.Tracer, logger *log.Logger) *Pipeline {
	return &Pipeline{
		Name:     name,
		cleanups: make(map[string]func()),
		hooks:    make(map[string]func()),
		lock:     lock,
		tracer:   tracer,
		logger:   logger,
	}
}

// Add appends a step.
func (p *Pipeline) Add(s Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.steps = append(p.steps, s)
}

// Steps returns a copy of the step list.
func (p *Pipeline) Steps() []Step {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.steps)
}

func (p *Pipeline) step(name string) (Step, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.steps {
		if s.Name == name {
			return s, true
		}
	}
	return Step{}, false
}

// OnCleanup registers fn to run after the step called name.
func (p *Pipeline) OnCleanup(name string, fn func()) {
	p.cleanups[name] = fn
}

// Hook registers fn for the named event ("before:<step>", "after:<step>").
// A misbehaving hook must never bring the pipeline down.
func (p *Pipeline) Hook(event string, fn func()) {
	p.hooks[event] = func() {
		defer func() { recover() }() // HAZ recover-swallows-panic
		fn()
	}
}

// fire runs the hook registered for event, if any.
func (p *Pipeline) fire(event string) {
	if h, ok := p.hooks[event]; ok {
		h()
	}
}

// fireLogged runs the hook for event and logs a panic instead of propagating
// it. Used for user-supplied notification hooks.
func (p *Pipeline) fireLogged(event string) {
	defer func() {
		if r := recover(); r != nil {
			p.logger.Printf("pipeline %s: hook %s panicked: %v", p.Name, event, r)
		}
	}()
	p.fire(event)
}

func (p *Pipeline) markDone(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = append(p.done, name)
}

func (p *Pipeline) markFailed(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failed = append(p.failed, name)
}

// State is a snapshot of a pipeline's progress.
type State struct {
	Pipeline string    `json:"pipeline"`
	Done     []string  `json:"done"`
	Failed   []string  `json:"failed,omitempty"`
	Saved    time.Time `json:"saved"`
}

// State returns a snapshot of the pipeline's progress.
func (p *Pipeline) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return State{
		Pipeline: p.Name,
		Done:     slices.Clone(p.done),
		Failed:   slices.Clone(p.failed),
		Saved:    time.Now().UTC(),
	}
}

// Save writes s as JSON to path atomically.
func (s State) Save(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteAtomic(path, append(data, '\n'))
}

// runStep runs s with its registered cleanup and hooks.
func (p *Pipeline) runStep(ctx context.Context, s Step) error {
	p.inflight.Add(1)
	defer p.inflight.Add(-1)
	if cleanup, ok := p.cleanups[s.Name]; ok {
		defer cleanup()
	}
	p.fireLogged("before:" + s.Name)
	if err := s.Run(ctx); err != nil {
		p.markFailed(s.Name)
		return fmt.Errorf("step %s: %w", s.Name, err)
	}
	p.markDone(s.Name)
	p.fireLogged("after:" + s.Name)
	return nil
}

// RunStep runs the single named step, then its registered cleanup.
func (p *Pipeline) RunStep(ctx context.Context, name string) error {
	s, ok := p.step(name)
	if !ok {
		return fmt.Errorf("pipeline %s: no step %q", p.Name, name)
	}
	cleanup := p.cleanups[name]
	defer cleanup() // HAZ defer-nil-func
	return s.Run(ctx)
}

// Run runs every step in order under the pipeline lock.
func (p *Pipeline) Run(ctx context.Context) (err error) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if p.lock != nil {
		if release, err = p.lock.Acquire(ctx); err != nil {
			return fmt.Errorf("pipeline %s: lock: %w", p.Name, err)
		}
	}
	defer p.tracer.Start("pipeline " + p.Name)()
	for _, s := range p.Steps() {
		if err = p.runStep(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// Retry runs the pipeline up to attempts times under the pipeline lock,
// stopping at the first success.
func (p *Pipeline) Retry(ctx context.Context, attempts int) (err error) {
	release := func() {}
	defer func() { release() }()
	if p.lock != nil {
		if release, err = p.lock.Acquire(ctx); err != nil {
			return fmt.Errorf("pipeline %s: lock: %w", p.Name, err)
		}
	}
	for attempt := 1; attempt <= attempts; attempt++ {
		err = nil
		for _, s := range p.Steps() {
			if err = p.runStep(ctx, s); err != nil {
				break
			}
		}
		if err == nil {
			return nil
		}
		p.logger.Printf("pipeline %s: attempt %d/%d: %v", p.Name, attempt, attempts, err)
	}
	return err
}

// RunTransactional runs the steps in order. When one fails, the Undo of every
// step that completed runs, in reverse order, on the way out.
func (p *Pipeline) RunTransactional(ctx context.Context) (err error) {
	steps := p.Steps()
	var i int
	for i = 0; i < len(steps); i++ {
		if err = steps[i].Run(ctx); err != nil {
			break
		}
		defer func() { // HAZ defer-in-loop loop-var-capture
			if err != nil && steps[i].Undo != nil {
				if uerr := steps[i].Undo(ctx); uerr != nil {
					p.logger.Printf("pipeline %s: undo %s: %v", p.Name, steps[i].Name, uerr)
				}
			}
		}()
	}
	if err != nil {
		return fmt.Errorf("pipeline %s: step %d (%s): %w", p.Name, i, steps[i].Name, err)
	}
	return nil
}

// RunWithCompensation is RunTransactional built on an explicit undo stack.
func (p *Pipeline) RunWithCompensation(ctx context.Context) (err error) {
	var undo []func()
	defer func() {
		if err == nil {
			return
		}
		for j := len(undo) - 1; j >= 0; j-- {
			undo[j]()
		}
	}()
	steps := p.Steps()
	var i int
	for i = 0; i < len(steps); i++ {
		s := steps[i]
		if err = s.Run(ctx); err != nil {
			return fmt.Errorf("pipeline %s: step %d (%s): %w", p.Name, i, s.Name, err)
		}
		if s.Undo != nil {
			undo = append(undo, func() {
				if uerr := s.Undo(ctx); uerr != nil {
					p.logger.Printf("pipeline %s: undo %s: %v", p.Name, s.Name, uerr)
				}
			})
		}
	}
	p.logger.Printf("pipeline %s: %d steps done", p.Name, i)
	return nil
}

// RunAndRecord runs the pipeline and saves its final state to statePath for
// the dashboard.
func (p *Pipeline) RunAndRecord(ctx context.Context, statePath string) error {
	defer p.State().Save(statePath) // HAZ defer-call-chain
	return p.Run(ctx)
}

// RunAndSave runs the pipeline and saves its final state to statePath, also
// when the run fails.
func (p *Pipeline) RunAndSave(ctx context.Context, statePath string) (err error) {
	defer func() {
		err = errors.Join(err, p.State().Save(statePath))
	}()
	return p.Run(ctx)
}

// createLockFile creates path exclusively and writes our pid into it.
func createLockFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	return errors.Join(werr, f.Close())
}

// Checkpoint saves the pipeline state into dir, guarded by a lock file so that
// two processes never write the same checkpoint.
func (p *Pipeline) Checkpoint(dir string) error {
	lockPath := filepath.Join(dir, p.Name+".lock")
	err := createLockFile(lockPath)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", p.Name, err)
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := os.Remove(lockPath); rerr != nil {
			err = fmt.Errorf("checkpoint %s: release lock: %w", p.Name, rerr)
		}
	}()
	err = p.State().Save(filepath.Join(dir, p.Name+".state.json"))
	return err
}

// Restore reads the state saved by Checkpoint, under the same lock file.
func (p *Pipeline) Restore(dir string) (st State, err error) {
	lockPath := filepath.Join(dir, p.Name+".lock")
	if err = createLockFile(lockPath); err != nil {
		return st, fmt.Errorf("restore %s: %w", p.Name, err)
	}
	defer func() {
		if rerr := os.Remove(lockPath); rerr != nil && err == nil {
			err = fmt.Errorf("restore %s: release lock: %w", p.Name, rerr)
		}
	}()
	data, err := os.ReadFile(filepath.Join(dir, p.Name+".state.json"))
	if err != nil {
		return st, err
	}
	err = json.Unmarshal(data, &st)
	return st, err
}

// waitIdle returns once no step is running.
func (p *Pipeline) waitIdle() {
	for p.inflight.Load() > 0 {
		time.Sleep(10 * time.Millisecond)
	}
}

// Replace swaps in a new step list; it returns once the runs still using the
// old list have drained.
func (p *Pipeline) Replace(steps []Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.waitIdle() // HAZ defer-blocking-call
	p.steps = slices.Clone(steps)
}

// Drain waits, up to timeout, for running steps to finish.
func (p *Pipeline) Drain(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for p.inflight.Load() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// RunParallel runs the named, independent steps concurrently and returns
// their joined errors. Steps not yet started when ctx ends are skipped.
func (p *Pipeline) RunParallel(ctx context.Context, names []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, name := range names {
		s, ok := p.step(name)
		if !ok {
			mu.Lock()
			errs = append(errs, fmt.Errorf("pipeline %s: no step %q", p.Name, name))
			mu.Unlock()
			continue
		}
		wg.Add(1)
		spawn.Go(func() {
			defer wg.Done()
			if ctx.Err() != nil {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := p.runStep(ctx, s); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunGroup is RunParallel on a spawn.Group, which owns the WaitGroup.
func (p *Pipeline) RunGroup(ctx context.Context, names []string) error {
	var (
		g    spawn.Group
		mu   sync.Mutex
		errs []error
	)
	for _, name := range names {
		s, ok := p.step(name)
		if !ok {
			return fmt.Errorf("pipeline %s: no step %q", p.Name, name)
		}
		g.Go(func() {
			if ctx.Err() != nil {
				return
			}
			if err := p.runStep(ctx, s); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	g.Wait()
	return errors.Join(errs...)
}

// Start runs the pipeline in the background and returns at once. A panic
// while preparing the run is returned as an error.
func (p *Pipeline) Start(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline %s: start: %v", p.Name, r)
		}
	}()
	if len(p.Steps()) == 0 {
		return fmt.Errorf("pipeline %s: no steps", p.Name)
	}
	p.fire("start")
	go func() { // HAZ goroutine-outside-recover
		if err := p.Run(ctx); err != nil {
			p.logger.Printf("pipeline %s: %v", p.Name, err)
		}
	}()
	return nil
}

// StartGuarded is Start with the background run guarded as well.
func (p *Pipeline) StartGuarded(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline %s: start: %v", p.Name, r)
		}
	}()
	p.fire("start")
	spawn.Safe(p.logger, "pipeline "+p.Name, func() {
		if err := p.Run(ctx); err != nil {
			p.logger.Printf("pipeline %s: %v", p.Name, err)
		}
	})
	return nil
}

// FirstError runs the named steps concurrently and returns the first error
// in name order.
func (p *Pipeline) FirstError(ctx context.Context, names []string) error {
	errc := make(chan error, len(names))
	defer close(errc) // HAZ defer-close-chan-with-sender
	var g spawn.Group
	for _, name := range names {
		s, ok := p.step(name)
		if !ok {
			return fmt.Errorf("pipeline %s: no step %q", p.Name, name)
		}
		g.Go(func() { errc <- p.runStep(ctx, s) })
	}
	g.Wait()
	for range names {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// AllErrors runs the named steps concurrently and returns all their errors.
func (p *Pipeline) AllErrors(ctx context.Context, names []string) error {
	steps := make([]Step, 0, len(names))
	for _, name := range names {
		s, ok := p.step(name)
		if !ok {
			return fmt.Errorf("pipeline %s: no step %q", p.Name, name)
		}
		steps = append(steps, s)
	}
	errc := make(chan error, len(steps))
	defer close(errc)
	var g spawn.Group
	for _, s := range steps {
		g.Go(func() { errc <- p.runStep(ctx, s) })
	}
	g.Wait()
	var errs []error
	for range steps {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}
