// Package lifecycle runs build steps with their setup and teardown hooks.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sync"
	"time"
)

// Config controls a build run.
type Config struct {
	UseTempDir bool
	LockMode   string
	Timeout    time.Duration
	Profile    bool
}

// Step is one reversible build step.
type Step struct {
	Name  string
	Apply func() (undo func())
}

// Job is a unit of work with an optional completion hook.
type Job struct {
	Name   string
	onDone func()
}

// Task is a unit of work whose hook is always set by NewTask.
type Task struct {
	name   string
	onDone func()
}

// Runner executes builds.
type Runner struct {
	mu         sync.Mutex
	finalizers map[string]func()
	hooks      map[string]func()
	readLock   sync.RWMutex
	writeLock  sync.Mutex
}

func noop() {}

func makeTempDir() (string, func(), error) {
	dir, err := os.MkdirTemp("", "build-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.Remove(dir) }, nil
}

func (r *Runner) lockShared() func() {
	r.readLock.RLock()
	return r.readLock.RUnlock
}

func (r *Runner) lockExclusive() func() {
	r.writeLock.Lock()
	return r.writeLock.Unlock
}

func (r *Runner) build(ctx context.Context, dir string) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	default:
	}
	if dir == "" {
		return errors.New("no work dir")
	}
	return nil
}

// Build runs one build, in a temp dir when configured.
func (r *Runner) Build(ctx context.Context, cfg Config) error {
	var cleanup func()
	dir := "."
	if cfg.UseTempDir {
		var err error
		dir, cleanup, err = makeTempDir()
		if err != nil {
			return err
		}
	}
	defer cleanup() // HAZ defer-nil-func
	return r.build(ctx, dir)
}

// Finalize runs the finalizer registered for kind.
func (r *Runner) Finalize(kind string, work func() error) error {
	defer r.finalizers[kind]() // HAZ defer-nil-func
	return work()
}

// RunJob runs a job and its completion hook.
func RunJob(j *Job, work func() error) error {
	defer j.onDone() // HAZ defer-nil-func
	if err := work(); err != nil {
		return fmt.Errorf("job %s: %w", j.Name, err)
	}
	return nil
}

// WithLock runs fn under the lock selected by mode.
func (r *Runner) WithLock(mode string, fn func() error) error {
	var release func()
	switch mode {
	case "shared":
		release = r.lockShared()
	case "exclusive":
		release = r.lockExclusive()
	}
	defer release() // HAZ defer-nil-func
	return fn()
}

// BuildWithDeadline bounds the build when a timeout is configured.
func (r *Runner) BuildWithDeadline(ctx context.Context, cfg Config) error {
	var stop context.CancelFunc
	if cfg.Timeout > 0 {
		ctx, stop = context.WithTimeout(ctx, cfg.Timeout)
	}
	defer stop() // HAZ defer-nil-func
	return r.build(ctx, ".")
}

// RunHook runs the hook named name after work.
func (r *Runner) RunHook(name string, work func()) {
	hook := r.hooks[name]
	defer hook() // HAZ defer-nil-func
	work()
}

// ApplySteps applies every step and undoes the last one at exit.
func ApplySteps(steps []Step) {
	var undo func()
	for _, s := range steps {
		log.Printf("applying %s", s.Name)
		undo = s.Apply()
	}
	defer undo() // HAZ defer-nil-func
	log.Printf("applied %d steps", len(steps))
}

// AwaitReady marks the runner ready only when the signal already arrived.
func (r *Runner) AwaitReady(ready <-chan struct{}, work func()) {
	var done func()
	select {
	case <-ready:
		done = func() { log.Print("ready work finished") }
	default:
	}
	defer done() // HAZ defer-nil-func
	work()
}

// ---- negatives ----

// BuildDefaulted starts from a no-op cleanup.
func (r *Runner) BuildDefaulted(ctx context.Context, cfg Config) error {
	cleanup := noop
	dir := "."
	if cfg.UseTempDir {
		d, c, err := makeTempDir()
		if err != nil {
			return err
		}
		dir, cleanup = d, c
	}
	defer cleanup() // ok: never nil
	return r.build(ctx, dir)
}

// BuildGuarded only defers a non-nil cleanup.
func (r *Runner) BuildGuarded(ctx context.Context, cfg Config) error {
	var cleanup func()
	dir := "."
	if cfg.UseTempDir {
		var err error
		if dir, cleanup, err = makeTempDir(); err != nil {
			return err
		}
	}
	if cleanup != nil {
		defer cleanup() // ok: guarded
	}
	return r.build(ctx, dir)
}

// FinalizeChecked checks the map lookup.
func (r *Runner) FinalizeChecked(kind string, work func() error) error {
	if fin, ok := r.finalizers[kind]; ok && fin != nil {
		defer fin() // ok: checked lookup
	}
	return work()
}

// WithLockDefault assigns release on every path.
func (r *Runner) WithLockDefault(mode string, fn func() error) error {
	var release func()
	switch mode {
	case "shared":
		release = r.lockShared()
	case "exclusive":
		release = r.lockExclusive()
	default:
		return fmt.Errorf("unknown lock mode %q", mode)
	}
	defer release() // ok: every reaching path assigned it
	return fn()
}

// RunHookSafe calls the hook from a closure that checks it at exit.
func (r *Runner) RunHookSafe(name string, work func()) {
	hook := r.hooks[name]
	defer func() {
		if hook != nil {
			hook()
		}
	}() // ok: the closure itself is never nil
	work()
}

// NewTask always installs a completion hook.
func NewTask(name string, onDone func()) *Task {
	if onDone == nil {
		onDone = noop
	}
	return &Task{name: name, onDone: onDone}
}

// Run executes the task; onDone is set by NewTask.
func (t *Task) Run(work func() error) error {
	defer t.onDone() // ok: the constructor never leaves it nil
	return work()
}

// BuildWithCancel always has a cancel func.
func (r *Runner) BuildWithCancel(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ok
	return r.build(ctx, ".")
}

// BuildWithOptionalDeadline assigns stop on both branches.
func (r *Runner) BuildWithOptionalDeadline(ctx context.Context, cfg Config) error {
	var stop context.CancelFunc
	if cfg.Timeout > 0 {
		ctx, stop = context.WithTimeout(ctx, cfg.Timeout)
	} else {
		ctx, stop = context.WithCancel(ctx)
	}
	defer stop() // ok: set on both branches
	return r.build(ctx, ".")
}

// Exclusive takes the write lock after validating, then defers its release.
func (r *Runner) Exclusive(name string, fn func() error) error {
	var unlock func()
	if name == "" {
		return errors.New("empty name")
	}
	unlock = r.lockExclusive()
	defer unlock() // ok: assigned on the only path that reaches the defer
	return fn()
}

// ApplyStepsReverse undoes every applied step, skipping steps without undo.
func ApplyStepsReverse(steps []Step) {
	undos := make([]func(), 0, len(steps))
	defer func() {
		for i := len(undos) - 1; i >= 0; i-- {
			undos[i]()
		}
	}()
	for _, s := range steps {
		if u := s.Apply(); u != nil {
			undos = append(undos, u)
		}
	}
}
