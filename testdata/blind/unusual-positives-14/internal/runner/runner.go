// Package runner runs jobs with leases, timing and bookkeeping.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"time"
)

// Job is a named unit of work.
type Job interface {
	Name() string
	Run(ctx context.Context) error
}

// Runner runs jobs and keeps statistics about them.
type Runner struct {
	log      *log.Logger
	stats    Stats
	inflight Gauge[string]
	leases   Leases
	cleanups map[string]func()
}

// New returns a runner whose leases expire after leaseTTL.
func New(logger *log.Logger, leaseTTL time.Duration) *Runner {
	r := &Runner{log: logger, cleanups: make(map[string]func())}
	r.leases.ttl = leaseTTL
	return r
}

// OnDone registers fn to run after every run of the job named name. It must
// be called before the runner is used concurrently.
func (r *Runner) OnDone(name string, fn func()) {
	r.cleanups[name] = fn
}

func (r *Runner) timer(name string) func() {
	start := time.Now()
	return func() { r.log.Printf("runner: %s took %v", name, time.Since(start)) }
}

func (r *Runner) report(name string, err error) {
	if err != nil {
		r.log.Printf("runner: %s failed: %v", name, err)
		return
	}
	r.log.Printf("runner: %s ok", name)
}

// RunAll runs jobs in order and prints a summary to w when done.
func (r *Runner) RunAll(ctx context.Context, w io.Writer, jobs []Job) error {
	defer r.stats.Snapshot().Print(w) // HAZ defer-call-chain
	var errs []error
	for _, j := range jobs {
		start := time.Now()
		err := j.Run(ctx)
		r.stats.Add(time.Since(start), err)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", j.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// Drain runs jobs from queue until it is closed or ctx ends, and prints a
// summary to w when done.
func (r *Runner) Drain(ctx context.Context, w io.Writer, queue <-chan Job) error {
	defer func() { r.stats.Snapshot().Print(w) }()
	defer r.log.Printf("runner: drain of queue with capacity %d stopped", cap(queue))
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j, ok := <-queue:
			if !ok {
				return nil
			}
			start := time.Now()
			err := j.Run(ctx)
			r.stats.Add(time.Since(start), err)
		}
	}
}

// RunBatch runs jobs in order, counting the batch as in flight meanwhile, and
// returns how many failed.
func (r *Runner) RunBatch(ctx context.Context, jobs []Job) (failed int) {
	defer r.inflight.Enter("batch") // HAZ defer-func-result-not-called
	for _, j := range jobs {
		if err := j.Run(ctx); err != nil {
			r.log.Printf("runner: batch: %s: %v", j.Name(), err)
			failed++
		}
	}
	return failed
}

// RunOne runs j, counting it as in flight and logging how long it took.
func (r *Runner) RunOne(ctx context.Context, j Job) error {
	defer r.inflight.Enter(j.Name())()
	defer r.timer(j.Name())()
	return j.Run(ctx)
}

func (r *Runner) observe(name string, start, end time.Time) {
	r.log.Printf("runner: %s finished in %v", name, end.Sub(start))
}

// RunTimed runs j and logs its duration.
func (r *Runner) RunTimed(ctx context.Context, j Job) error {
	start := time.Now()
	defer r.observe(j.Name(), start, time.Now()) // HAZ defer-eager-evaluation
	return j.Run(ctx)
}

// Run runs j under its lease and logs the outcome.
func Run[J Job](ctx context.Context, r *Runner, j J) error {
	var err error
	defer r.report(j.Name(), err) // HAZ defer-eager-evaluation
	lease, err := r.leases.Acquire(j.Name())
	if err != nil {
		return err
	}
	defer lease.Release()
	err = j.Run(ctx)
	return err
}

// RunExclusive runs j under its lease, logs the outcome and reports a lease
// that was held too long.
func (r *Runner) RunExclusive(ctx context.Context, j Job) (err error) {
	lease, err := r.leases.Acquire(j.Name())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, lease.Release()) }()
	defer func() { r.report(j.Name(), err) }()
	return j.Run(ctx)
}

// WithLease runs fn while holding the lease on name.
func (r *Runner) WithLease(ctx context.Context, name string, fn func(context.Context) error) error {
	lease, err := r.leases.Acquire(name)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lease.Release(); rerr != nil {
			err = fmt.Errorf("runner: %s: %w", name, rerr)
		}
	}()
	err = fn(ctx)
	return err
}

// RunWithHook runs j and then the cleanup registered for it with OnDone.
func (r *Runner) RunWithHook(ctx context.Context, j Job) error {
	cleanup := r.cleanups[j.Name()]
	defer cleanup() // HAZ defer-nil-func
	return j.Run(ctx)
}

// RunRegistered runs j and then its cleanup, if one was registered.
func (r *Runner) RunRegistered(ctx context.Context, j Job) error {
	if cleanup, ok := r.cleanups[j.Name()]; ok && cleanup != nil {
		defer cleanup()
	}
	return j.Run(ctx)
}
