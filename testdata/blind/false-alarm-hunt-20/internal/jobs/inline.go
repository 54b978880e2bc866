package jobs

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// OnDone registers a teardown hook for jobs named name; call before Start.
func (r *Runner) OnDone(name string, fn func()) { r.hooks[name] = fn }

// RunNamed runs job on the caller's goroutine, then its teardown hook.
func (r *Runner) RunNamed(ctx context.Context, job Job) error {
	defer r.hooks[job.Name]() // HAZ defer-nil-func
	return r.safeRun(ctx, job)
}

// RunHooked is RunNamed for callers that may pass jobs without a hook.
func (r *Runner) RunHooked(ctx context.Context, job Job) error {
	if h, ok := r.hooks[job.Name]; ok && h != nil {
		defer h()
	}
	return r.safeRun(ctx, job)
}

func (r *Runner) observe(name string, start, end time.Time) {
	if d := end.Sub(start); d > r.slow {
		r.logger.Printf("jobs: %s took %s", name, d)
	}
}

// RunInline runs job on the caller's goroutine and reports it when slow.
func (r *Runner) RunInline(ctx context.Context, job Job) error {
	start := time.Now()
	defer r.observe(job.Name, start, time.Now()) // HAZ defer-eager-evaluation
	return r.safeRun(ctx, job)
}

// RunTimed is RunInline with the end time taken when the job has returned.
func (r *Runner) RunTimed(ctx context.Context, job Job) error {
	start := time.Now()
	defer func() { r.observe(job.Name, start, time.Now()) }()
	return r.safeRun(ctx, job)
}

// RunAll runs jobs concurrently, logging panics, and waits for them.
func (r *Runner) RunAll(ctx context.Context, jobs []Job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer func() {
				if v := recover(); v != nil {
					r.stats.panicked.Add(1)
					r.logger.Printf("jobs: %s panicked: %v", j.Name, v)
				}
			}()
			if err := j.Run(ctx); err != nil {
				r.logger.Printf("jobs: %s: %v", j.Name, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// GoQuiet runs fn in the background for best-effort work whose panics must
// not take the process down.
func (r *Runner) GoQuiet(fn func()) {
	go func() {
		defer recover() // HAZ recover-ineffective
		fn()
	}()
}

// guard logs a panic of the current goroutine's job.
func (r *Runner) guard(name string) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		r.stats.panicked.Add(1)
		r.logger.Printf("jobs: %s panicked: %v", name, v)
	}
}

// GoGuarded runs fn on its own goroutine under guard and counts it for Stop.
func (r *Runner) GoGuarded(name string, fn func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.guard(name)
		fn()
	}()
}

// RunWithDeadline runs job but stops waiting for it at its timeout; a job
// that ignores its context finishes in the background.
func (r *Runner) RunWithDeadline(ctx context.Context, job Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			r.stats.panicked.Add(1)
			err = fmt.Errorf("job %s panicked: %v", job.Name, v)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, job.timeout())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- job.Run(ctx) }() // HAZ goroutine-outside-recover
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("job %s: %w", job.Name, ctx.Err())
	}
}

// RunWithDeadlineSafe is RunWithDeadline with the recover inside the
// goroutine that runs the job, where the panic would happen.
func (r *Runner) RunWithDeadlineSafe(ctx context.Context, job Job) error {
	ctx, cancel := context.WithTimeout(ctx, job.timeout())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.safeRun(ctx, job) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("job %s: %w", job.Name, ctx.Err())
	}
}
