// Package runner executes job attempts, turning panics into results so that
// one broken job cannot take the scheduler down.
package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"example.com/jobscheduler/internal/job"
)

// ErrDeadline is returned when a synchronous run exceeds its wait budget.
var ErrDeadline = errors.New("runner: deadline exceeded")

// Reporter receives every finished attempt.
type Reporter interface {
	Report(job.Result)
}

// Hook runs around jobs of a given name.
type Hook struct {
	Before func()
	After  func()
}

// Runner executes jobs.
type Runner struct {
	log   *slog.Logger
	rep   Reporter
	hooks map[string]Hook

	mu      sync.Mutex
	running map[string]context.CancelFunc
}

// New returns a runner that reports to rep.
func New(log *slog.Logger, rep Reporter) *Runner {
	return &Runner{log: log, rep: rep, hooks: make(map[string]Hook), running: make(map[string]context.CancelFunc)}
}

// SetHook installs h for jobs named name.
func (r *Runner) SetHook(name string, h Hook) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks[name] = h
}

func (r *Runner) hook(name string) (Hook, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.hooks[name]
	return h, ok
}

// Run executes one attempt of j and converts a panic into a *job.PanicError.
func (r *Runner) Run(ctx context.Context, j *job.Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &job.PanicError{JobID: j.ID, Value: v, Stack: debug.Stack()}
		}
	}()
	if j.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, j.Timeout)
		defer cancel()
	}
	return j.Run(ctx)
}

// guard is deferred directly by attempts: it finishes res and records a
// panic as a failed result.
func (r *Runner) guard(j *job.Job, res *job.Result) {
	v := recover()
	res.Finished = time.Now()
	if v == nil {
		return
	}
	res.Panicked = true
	res.Err = fmt.Sprint(v)
	r.log.Error("job panicked", "job", j.ID, "panic", v, "stack", string(debug.Stack()))
}

// Attempt runs j once and returns its result; it never panics.
func (r *Runner) Attempt(ctx context.Context, j *job.Job, n int) (res job.Result) {
	res = job.Result{JobID: j.ID, Attempt: n, Started: time.Now()}
	defer r.guard(j, &res)
	if err := j.Run(ctx); err != nil {
		res.Err = err.Error()
	}
	return res
}

// runQuiet runs housekeeping jobs (history pruning, lease expiry) whose
// failure must never stop the dispatcher.
func (r *Runner) runQuiet(ctx context.Context, j *job.Job) (err error) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	return j.Run(ctx)
}

// Housekeeping runs the internal jobs and reports each as a result.
func (r *Runner) Housekeeping(ctx context.Context, jobs []*job.Job) {
	for _, j := range jobs {
		res := job.Result{JobID: j.ID, Attempt: 1, Started: time.Now()}
		if err := r.runQuiet(ctx, j); err != nil {
			res.Err = err.Error()
		}
		res.Finished = time.Now()
		r.rep.Report(res)
	}
}

// logPanic logs a recovered job panic.
func (r *Runner) logPanic(j *job.Job) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		r.log.Error("job panicked", "job", j.ID, "panic", v)
	}
}

// RunLogged runs j and logs, rather than returns, a panic.
func (r *Runner) RunLogged(ctx context.Context, j *job.Job) error {
	defer func() {
		r.logPanic(j)
	}()
	return j.Run(ctx)
}

// Timed runs j and records how long it took.
func (r *Runner) Timed(ctx context.Context, j *job.Job) error {
	start := time.Now()
	defer r.observe(j.ID, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return r.Run(ctx, j)
}

// TimedRun is Timed with the duration computed when the deferred closure runs.
func (r *Runner) TimedRun(ctx context.Context, j *job.Job) error {
	start := time.Now()
	defer func() { r.observe(j.ID, time.Since(start)) }()
	return r.Run(ctx, j)
}

func (r *Runner) observe(id string, d time.Duration) {
	r.log.Debug("job duration", "job", id, "elapsed", d)
}

// RunHooked runs the Before and After hooks registered for the job's name.
func (r *Runner) RunHooked(ctx context.Context, j *job.Job) error {
	var after func()
	if h, ok := r.hook(j.Name); ok {
		if h.Before != nil {
			h.Before()
		}
		after = h.After
	}
	defer after() // HAZ defer-nil-func
	return r.Run(ctx, j)
}

// RunWithHooks is RunHooked with nil hooks skipped.
func (r *Runner) RunWithHooks(ctx context.Context, j *job.Job) error {
	h, _ := r.hook(j.Name)
	if h.Before != nil {
		h.Before()
	}
	if h.After != nil {
		defer h.After()
	}
	return r.Run(ctx, j)
}
