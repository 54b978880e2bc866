package ctxutil

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
)

// Gauge counts operations in flight.
type Gauge struct {
	n atomic.Int64
}

// Enter counts one operation and returns the func that ends it.
func (g *Gauge) Enter() func() {
	g.n.Add(1)
	return sync.OnceFunc(func() { g.n.Add(-1) })
}

// Value returns the number in flight.
func (g *Gauge) Value() int64 { return g.n.Load() }

// Runner runs named jobs with in-flight gauges and teardown hooks.
type Runner struct {
	all      *Gauge
	perJob   *Gauge // nil when per-job metrics are off
	teardown map[string]func()
	log      *slog.Logger
	once     func() // closes shared resources the first time it is called
}

// NewRunner builds a runner.
func NewRunner(log *slog.Logger, perJob bool, closeShared func()) *Runner {
	r := &Runner{all: new(Gauge), teardown: make(map[string]func()), log: log}
	if perJob {
		r.perJob = new(Gauge)
	}
	r.once = sync.OnceFunc(closeShared)
	return r
}

// OnTeardown registers fn to run after the job called name.
func (r *Runner) OnTeardown(name string, fn func()) { r.teardown[name] = fn }

// Do runs job, counted as in flight.
func (r *Runner) Do(ctx context.Context, job Stage) error {
	defer r.all.Enter() // HAZ defer-func-result-not-called
	return job(ctx)
}

// DoCounted runs job, counted as in flight until it returns.
func (r *Runner) DoCounted(ctx context.Context, job Stage) error {
	defer r.all.Enter()() // ok: enter now, leave at exit
	return job(ctx)
}

// Tracked runs job under the optional per-job gauge.
func (r *Runner) Tracked(ctx context.Context, job Stage) error {
	var leave func()
	if r.perJob != nil {
		leave = r.perJob.Enter()
	}
	defer leave() // HAZ defer-nil-func
	return job(ctx)
}

// TrackedSafe runs job under the optional per-job gauge; leave is never nil.
func (r *Runner) TrackedSafe(ctx context.Context, job Stage) error {
	leave := func() {}
	if r.perJob != nil {
		leave = r.perJob.Enter()
	}
	defer leave() // ok: starts as a no-op and is not reassigned after the defer
	return job(ctx)
}

// Named runs job and then its teardown hook.
func (r *Runner) Named(ctx context.Context, name string, job Stage) error {
	defer r.teardown[name]() // HAZ defer-nil-func
	return job(ctx)
}

// NamedSafe runs job and then its teardown hook, if one is registered.
func (r *Runner) NamedSafe(ctx context.Context, name string, job Stage) error {
	if fn, ok := r.teardown[name]; ok {
		defer fn() // ok: only deferred when present
	}
	if err := job(ctx); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Shutdown closes the shared resources; safe to call many times.
func (r *Runner) Shutdown() {
	defer r.once() // ok: set in NewRunner, never nil
	r.log.Info("runner shutting down")
}

// settings is loaded once on first use.
var settings = sync.OnceValue(func() map[string]string {
	return map[string]string{"mode": "default"}
})

// Mode returns the configured mode.
func Mode() string { return settings()["mode"] }
