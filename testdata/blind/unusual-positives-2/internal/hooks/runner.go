// Package hooks runs named jobs with optional lifecycle hooks.
package hooks

import (
	"fmt"
	"sync"
)

// Hooks are optional callbacks around a job.
type Hooks struct {
	OnStart func(name string)
	OnStop  func()
}

// Option configures a Runner.
type Option func(*Runner)

// WithHooks installs lifecycle hooks.
func WithHooks(h Hooks) Option { return func(r *Runner) { r.hooks = h } }

// WithPhaseHook registers fn to run after phase.
func WithPhaseHook(phase string, fn func()) Option {
	return func(r *Runner) { r.after[phase] = fn }
}

// Runner runs jobs and phases.
type Runner struct {
	hooks Hooks
	after map[string]func()
	steps map[string]func() error
	done  []string
}

// NewRunner returns a runner; without options no hooks are installed.
func NewRunner(opts ...Option) *Runner {
	r := &Runner{after: make(map[string]func()), steps: make(map[string]func() error)}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Run runs fn as the job name.
func (r *Runner) Run(name string, fn func() error) error {
	if r.hooks.OnStart != nil {
		r.hooks.OnStart(name)
	}
	defer r.hooks.OnStop() // HAZ defer-nil-func
	return fn()
}

// RunChecked runs fn and calls OnStop only when it is installed.
func (r *Runner) RunChecked(name string, fn func() error) error {
	if r.hooks.OnStart != nil {
		r.hooks.OnStart(name)
	}
	if stop := r.hooks.OnStop; stop != nil {
		defer stop()
	}
	return fn()
}

// Phase runs the steps of phase and then its after-hook.
func (r *Runner) Phase(phase string) error {
	defer r.after[phase]() // HAZ defer-nil-func
	step, ok := r.steps[phase]
	if !ok {
		return fmt.Errorf("hooks: unknown phase %q", phase)
	}
	if err := step(); err != nil {
		return err
	}
	r.done = append(r.done, phase)
	return nil
}

// PhaseWithHook runs phase; the after-hook lookup falls back to a no-op.
func (r *Runner) PhaseWithHook(phase string) error {
	after, ok := r.after[phase]
	if !ok {
		after = func() {}
	}
	defer after()
	step, ok := r.steps[phase]
	if !ok {
		return fmt.Errorf("hooks: unknown phase %q", phase)
	}
	return step()
}

// AddStep registers the step for phase.
func (r *Runner) AddStep(phase string, fn func() error) { r.steps[phase] = fn }

// Mode selects how a key is locked.
type Mode int

// Lock modes.
const (
	None Mode = iota
	Shared
	Exclusive
)

// KeyLocks hands out per-key reader/writer locks.
type KeyLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.RWMutex
}

// NewKeyLocks returns an empty lock table.
func NewKeyLocks() *KeyLocks { return &KeyLocks{locks: make(map[string]*sync.RWMutex)} }

func (k *KeyLocks) get(key string) *sync.RWMutex {
	k.mu.Lock()
	defer k.mu.Unlock()
	l, ok := k.locks[key]
	if !ok {
		l = &sync.RWMutex{}
		k.locks[key] = l
	}
	return l
}

func (k *KeyLocks) acquire(key string) func() {
	l := k.get(key)
	l.Lock()
	return l.Unlock
}

func (k *KeyLocks) acquireShared(key string) func() {
	l := k.get(key)
	l.RLock()
	return l.RUnlock
}

// With runs fn holding key in the given mode.
func (k *KeyLocks) With(key string, mode Mode, fn func() error) error {
	var release func()
	switch mode {
	case Shared:
		release = k.acquireShared(key)
	case Exclusive:
		release = k.acquire(key)
	}
	defer release() // HAZ defer-nil-func
	return fn()
}

// WithMode is With that rejects unknown modes before deferring.
func (k *KeyLocks) WithMode(key string, mode Mode, fn func() error) error {
	var release func()
	switch mode {
	case None:
		release = func() {}
	case Shared:
		release = k.acquireShared(key)
	case Exclusive:
		release = k.acquire(key)
	default:
		return fmt.Errorf("hooks: bad lock mode %d", mode)
	}
	defer release()
	return fn()
}

// WithExclusive runs fn holding key exclusively.
func (k *KeyLocks) WithExclusive(key string, fn func() error) error {
	defer k.acquire(key)()
	return fn()
}
