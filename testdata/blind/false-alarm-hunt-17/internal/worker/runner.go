package worker

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Task is a unit of periodic background work.
type Task interface {
	Name() string
	Run(ctx context.Context) error
}

// Runner runs tasks once or periodically, isolating their panics.
type Runner struct {
	logger   *slog.Logger
	failures atomic.Int64
	wg       sync.WaitGroup
	mu       sync.Mutex
	cleanups map[string]func()
}

// NewRunner returns a runner that logs to logger.
func NewRunner(logger *slog.Logger) *Runner {
	return &Runner{logger: logger}
}

// runTask runs t and logs how it went; a panicking task is logged and
// counted instead of crashing the process.
func (r *Runner) runTask(ctx context.Context, t Task) {
	start := time.Now()
	defer func() {
		attrs := func() []any {
			a := []any{"task", t.Name(), "took", time.Since(start)}
			if v := recover(); v != nil { // HAZ recover-ineffective
				r.failures.Add(1)
				a = append(a, "panic", v)
			}
			return a
		}()
		r.logger.Info("task finished", attrs...)
	}()
	if err := t.Run(ctx); err != nil {
		r.failures.Add(1)
		r.logger.Warn("task failed", "task", t.Name(), "err", err)
	}
}

// RunOnce runs every task once, in order.
func (r *Runner) RunOnce(ctx context.Context, tasks ...Task) {
	for _, t := range tasks {
		r.runTask(ctx, t)
	}
}

// execute runs t and converts a panic into an error.
func (r *Runner) execute(ctx context.Context, t Task) (err error) {
	defer r.recoverTask(t.Name(), &err)
	return t.Run(ctx)
}

// recoverTask is deferred by execute.
func (r *Runner) recoverTask(name string, errp *error) {
	if v := recover(); v != nil {
		r.failures.Add(1)
		r.logger.Error("task panicked", "task", name, "panic", v, "stack", string(debug.Stack()))
		*errp = fmt.Errorf("task %s panicked: %v", name, v)
	}
}

// Start runs every task each interval until the returned stop function is
// called. stop waits for running tasks and may be called more than once.
func (r *Runner) Start(ctx context.Context, interval time.Duration, tasks ...Task) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	for _, t := range tasks {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for {
				if err := r.execute(ctx, t); err != nil {
					r.logger.Warn("task failed", "task", t.Name(), "err", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
			}
		}()
	}
	return sync.OnceFunc(func() {
		cancel()
		r.wg.Wait()
	})
}

// OnCleanup registers fn to run after each run of the task called name.
func (r *Runner) OnCleanup(name string, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cleanups == nil {
		r.cleanups = make(map[string]func())
	}
	r.cleanups[name] = fn
}

func (r *Runner) cleanupFor(name string) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cleanups[name]
}

// RunWithCleanup runs t once, then the cleanup registered for it.
func (r *Runner) RunWithCleanup(ctx context.Context, t Task) error {
	cleanup := r.cleanupFor(t.Name())
	defer cleanup() // HAZ defer-nil-func
	return r.execute(ctx, t)
}

// RunGuarded runs t once, then its cleanup if one is registered.
func (r *Runner) RunGuarded(ctx context.Context, t Task) error {
	if cleanup := r.cleanupFor(t.Name()); cleanup != nil {
		defer cleanup()
	}
	return r.execute(ctx, t)
}

// Failures returns the number of failed or panicked task runs.
func (r *Runner) Failures() int64 {
	return r.failures.Load()
}
