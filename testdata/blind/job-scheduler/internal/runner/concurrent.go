package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/jobscheduler/internal/job"
)

// RunAll runs the jobs concurrently and returns their results in order.
func (r *Runner) RunAll(ctx context.Context, jobs []*job.Job) []job.Result {
	results := make([]job.Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { results[i] = r.Attempt(ctx, j, 1) })
	}
	wg.Wait()
	return results
}

// Batch runs the jobs concurrently; a panic is turned into an error rather
// than crashing the scheduler.
func (r *Runner) Batch(ctx context.Context, jobs []*job.Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("runner: batch panicked: %v", v)
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = j.Run(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Supervise is Batch with a recover in every goroutine: each job's panic
// becomes that job's failed result.
func (r *Runner) Supervise(ctx context.Context, jobs []*job.Job) (results []job.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("runner: supervise panicked: %v", v)
		}
	}()
	results = make([]job.Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		results[i] = job.Result{JobID: j.ID, Attempt: 1, Started: time.Now()}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.guard(j, &results[i])
			if err := j.Run(ctx); err != nil {
				results[i].Err = err.Error()
			}
		}()
	}
	wg.Wait()
	return results, nil
}

// Collect runs the jobs concurrently and gathers the results that arrive
// before ctx ends.
func (r *Runner) Collect(ctx context.Context, jobs []*job.Job) []job.Result {
	ch := make(chan job.Result, len(jobs))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, j := range jobs {
		go func() { ch <- r.Attempt(ctx, j, 1) }()
	}
	out := make([]job.Result, 0, len(jobs))
	for range len(jobs) {
		select {
		case res := <-ch:
			out = append(out, res)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Gather is Collect with the channel left open: it is buffered for every
// sender, so late results are simply dropped with the channel.
func (r *Runner) Gather(ctx context.Context, jobs []*job.Job) []job.Result {
	ch := make(chan job.Result, len(jobs))
	for _, j := range jobs {
		go func() { ch <- r.Attempt(ctx, j, 1) }()
	}
	out := make([]job.Result, 0, len(jobs))
	for range len(jobs) {
		select {
		case res := <-ch:
			out = append(out, res)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Stream runs the jobs concurrently and streams their results. The channel
// is closed after the last sender has finished.
func (r *Runner) Stream(ctx context.Context, jobs []*job.Job) <-chan job.Result {
	out := make(chan job.Result)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, j := range jobs {
			wg.Go(func() {
				res := r.Attempt(ctx, j, 1)
				select {
				case out <- res:
				case <-ctx.Done():
				}
			})
		}
		wg.Wait()
	}()
	return out
}

// RunDeadline runs j and waits at most d for it; the job keeps running in
// the background when the wait times out.
func (r *Runner) RunDeadline(ctx context.Context, j *job.Job, d time.Duration) error {
	done := make(chan error)
	go func() {
		done <- r.Run(ctx, j) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("job %s: %w after %s", j.ID, ErrDeadline, d)
	}
}

// RunWithin is RunDeadline with room for the late result.
func (r *Runner) RunWithin(ctx context.Context, j *job.Job, d time.Duration) error {
	done := make(chan error, 1)
	go func() {
		done <- r.Run(ctx, j)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("job %s: %w after %s", j.ID, ErrDeadline, d)
	}
}

// Preflight runs every job's dry-run check concurrently and returns the
// first failure.
func (r *Runner) Preflight(ctx context.Context, jobs []*job.Job, check func(context.Context, *job.Job) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(ctx, j); err != nil {
				errs <- fmt.Errorf("preflight %s: %w", j.ID, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// Start runs j in the background and remembers how to cancel it.
func (r *Runner) Start(ctx context.Context, j *job.Job) {
	ctx, cancel := context.WithCancel(ctx)
	r.mu.Lock()
	if prev, ok := r.running[j.ID]; ok {
		prev()
	}
	r.running[j.ID] = cancel
	r.mu.Unlock()
	go func() {
		defer r.log.Debug("job goroutine done", "job", j.ID, "attempt", 1)
		defer r.forget(j.ID)
		defer cancel()
		r.rep.Report(r.Attempt(ctx, j, 1))
	}()
}

func (r *Runner) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.running, id)
}

// Cancel stops a running job; it reports whether the job was running.
func (r *Runner) Cancel(id string) bool {
	r.mu.Lock()
	cancel, ok := r.running[id]
	r.mu.Unlock()
	if ok {
		cancel()
	}
	return ok
}
