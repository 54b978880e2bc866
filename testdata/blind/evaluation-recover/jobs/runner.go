// Package jobs runs background jobs with panic isolation.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"example.com/blindb/platform"
	"example.com/blindb/safe"
)

// Job is a unit of background work.
type Job struct {
	ID      string
	Attempt int
	Run     func(ctx context.Context) error
}

// Result is the outcome of a job run.
type Result struct {
	JobID    string
	Err      error
	Panicked bool
	Took     time.Duration
}

// Runner executes jobs.
type Runner struct {
	log     *log.Logger
	metrics *platform.Counters
	once    sync.Once
	hooks   []Hook
	onPanic func(jobID string, value any, stack []byte)

	mu      sync.Mutex
	results map[string]Result
}

// NewRunner returns a runner.
func NewRunner(l *log.Logger) *Runner {
	return &Runner{
		log:     l,
		metrics: platform.NewCounters(),
		results: make(map[string]Result),
		onPanic: func(id string, v any, stack []byte) {
			l.Printf("job %s panicked: %v\n%s", id, v, stack)
		},
	}
}

func (r *Runner) store(res Result) {
	r.mu.Lock()
	r.results[res.JobID] = res
	r.mu.Unlock()
}

// recoverJob stops a panic of job id and logs it. It is always deferred
// directly: `defer r.recoverJob(id)`.
func (r *Runner) recoverJob(id string) {
	if p := recover(); p != nil {
		r.metrics.Add("jobs.panics", 1)
		r.log.Printf("job %s panicked: %v\n%s", id, p, debug.Stack())
	}
}

// logPanic logs a panic value that was obtained elsewhere.
func (r *Runner) logPanic(id string, p any) {
	if p != nil {
		r.metrics.Add("jobs.panics", 1)
		r.log.Printf("job %s panicked: %v", id, p)
	}
}

// reportPanic records a panic value and its stack.
func (r *Runner) reportPanic(id string, p any) {
	if p == nil {
		return
	}
	r.metrics.Add("jobs.panics", 1)
	r.onPanic(id, p, debug.Stack())
}

func logPanicValue(where string, p any) {
	if p != nil {
		log.Printf("%s: panic: %v", where, p)
	}
}

// RunDetached executes a job whose failure must not take the worker down.
func (r *Runner) RunDetached(ctx context.Context, job Job) {
	defer recover() // HAZ recover-ineffective
	if err := job.Run(ctx); err != nil {
		r.log.Printf("job %s: %v", job.ID, err)
	}
	r.metrics.Add("jobs.detached", 1)
}

// RunLabeled runs a job and logs a panic with the job id.
func (r *Runner) RunLabeled(ctx context.Context, job Job) error {
	defer r.logPanic(job.ID, recover()) // HAZ recover-ineffective
	start := time.Now()
	err := job.Run(ctx)
	r.store(Result{JobID: job.ID, Err: err, Took: time.Since(start)})
	return err
}

// RunFirstBoot runs the one-time bootstrap job; the panic handler is meant
// to run at most once per process.
func (r *Runner) RunFirstBoot(ctx context.Context, job Job) error {
	defer func() {
		r.once.Do(func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				r.log.Printf("first boot job %s panicked: %v", job.ID, p)
			}
		})
	}()
	err := job.Run(ctx)
	r.store(Result{JobID: job.ID, Err: err})
	return err
}

// handlePanic is meant to be the panic handler of RunWithMetrics, but it is
// only ever called from a deferred closure, never deferred itself.
func (r *Runner) handlePanic(id string) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		r.metrics.Add("jobs.panics", 1)
		r.log.Printf("job %s panicked: %v", id, p)
	}
}

// RunWithMetrics runs a job and counts it.
func (r *Runner) RunWithMetrics(ctx context.Context, job Job) error {
	defer func() {
		r.handlePanic(job.ID)
		r.metrics.Add("jobs.finished", 1)
	}()
	return job.Run(ctx)
}

// process runs one attempt of a job and turns a panic into an error.
func (r *Runner) process(ctx context.Context, job Job) error {
	if p := recover(); p != nil { // HAZ recover-ineffective
		return fmt.Errorf("job %s panicked: %v", job.ID, p)
	}
	return job.Run(ctx)
}

// RunWithRetries retries a job up to max attempts.
func (r *Runner) RunWithRetries(ctx context.Context, job Job, max int) error {
	var err error
	for attempt := 1; attempt <= max; attempt++ {
		job.Attempt = attempt
		if err = r.process(ctx, job); err == nil {
			return nil
		}
		r.log.Printf("job %s attempt %d: %v", job.ID, attempt, err)
	}
	return err
}

// GuardedCall runs fn and converts a panic into an error.
func GuardedCall(name string, fn func()) (err error) {
	fn()
	if p := recover(); p != nil { // HAZ recover-ineffective
		err = fmt.Errorf("%s panicked: %v", name, p)
	}
	return err
}

// CollectAll runs every task and collects the results.
func CollectAll[T any](name string, tasks []func() T) []T {
	defer logPanicValue(name, recover()) // HAZ recover-ineffective
	out := make([]T, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, t())
	}
	return out
}

// capturePanic is called by shutdown, not deferred by anyone.
func (r *Runner) capturePanic() {
	if p := recover(); p != nil { // HAZ recover-ineffective
		r.log.Printf("runner panicked: %v\n%s", p, debug.Stack())
	}
}

// shutdown is deferred by Serve.
func (r *Runner) shutdown() {
	r.capturePanic()
	r.log.Printf("runner stopped after %d results", len(r.results))
}

// Serve runs the jobs one after the other.
func (r *Runner) Serve(ctx context.Context, jobs []Job) error {
	defer r.shutdown()
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := j.Run(ctx)
		r.store(Result{JobID: j.ID, Err: err})
	}
	return nil
}

// ---- negatives -----------------------------------------------------------

// RunSupervised defers the recover helper directly.
func (r *Runner) RunSupervised(ctx context.Context, job Job) error {
	defer r.recoverJob(job.ID) // ok: recoverJob calls recover directly
	err := job.Run(ctx)
	r.store(Result{JobID: job.ID, Err: err})
	return err
}

// RunCron defers the shared helper from package safe directly.
func (r *Runner) RunCron(ctx context.Context, spec string, job Job) error {
	defer safe.Recover(r.log, "cron "+spec) // ok: helper deferred directly
	if spec == "" {
		return errors.New("empty cron spec")
	}
	return job.Run(ctx)
}

// RunWithHandler stores its panic handler in a variable and defers it.
func (r *Runner) RunWithHandler(ctx context.Context, job Job) (res Result) {
	onPanic := func() {
		if p := recover(); p != nil { // ok: onPanic is the deferred function
			res = Result{JobID: job.ID, Panicked: true, Err: fmt.Errorf("panic: %v", p)}
			r.log.Printf("job %s panicked: %v", job.ID, p)
		}
	}
	defer onPanic()
	res = Result{JobID: job.ID, Err: job.Run(ctx)}
	return res
}

// RunReported calls recover inside the deferred closure and passes the
// value on; recover is evaluated at exit, directly by the deferred function.
func (r *Runner) RunReported(ctx context.Context, job Job) error {
	defer func() { r.reportPanic(job.ID, recover()) }() // ok: recover called by the deferred closure
	start := time.Now()
	err := job.Run(ctx)
	r.store(Result{JobID: job.ID, Err: err, Took: time.Since(start)})
	return err
}

// RunWithDeadline converts a panic into the named error result.
func (r *Runner) RunWithDeadline(ctx context.Context, job Job, d time.Duration) (err error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", job.ID, p) // ok: named result
		}
	}()
	err = job.Run(ctx)
	r.store(Result{JobID: job.ID, Err: err})
	return err
}

// RunMigration converts a panic into an error with the safe helper.
func (r *Runner) RunMigration(ctx context.Context, job Job) (err error) {
	defer safe.RecoverInto(&err, "migration "+job.ID) // ok: deferred directly, named result
	err = job.Run(ctx)
	r.store(Result{JobID: job.ID, Err: err})
	return err
}

// catchInto is a generic recover helper; it is deferred directly.
func catchInto[T any](out *T, fallback T, errp *error) {
	if p := recover(); p != nil {
		*out = fallback
		*errp = fmt.Errorf("recovered: %v", p)
	}
}

// ComputeOr runs compute and falls back to fallback when it panics.
func ComputeOr[T any](compute func() T, fallback T) (out T, err error) {
	defer catchInto(&out, fallback, &err) // ok: generic helper deferred directly
	out = compute()
	return out, nil
}

// guard is a value-receiver recover helper.
type guard struct {
	name string
	l    *log.Logger
}

func (g guard) catchPanic() {
	if p := recover(); p != nil {
		g.l.Printf("%s: panic: %v", g.name, p)
	}
}

// RunGuarded defers a method value of a small guard struct.
func (r *Runner) RunGuarded(ctx context.Context, job Job) error {
	g := guard{name: "job " + job.ID, l: r.log}
	defer g.catchPanic() // ok: method that calls recover directly
	return job.Run(ctx)
}

// RunBatch runs the jobs in order and reports the runner counters when the
// batch is done.
func (r *Runner) RunBatch(ctx context.Context, batch []Job) int {
	defer r.metrics.Snapshot().Report(r.log) // HAZ defer-call-chain
	ok := 0
	for _, j := range batch {
		if err := j.Run(ctx); err != nil {
			r.metrics.Add("jobs.failed", 1)
			continue
		}
		r.metrics.Add("jobs.ok", 1)
		ok++
	}
	return ok
}
