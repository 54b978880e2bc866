package runner

import (
	"context"
	"fmt"
	"sync"
)

type dryRunKey struct{}

// withDryRun marks ctx so that jobs only report what they would do.
func withDryRun(ctx context.Context) context.Context {
	return context.WithValue(ctx, dryRunKey{}, true)
}

// IsDryRun reports whether a job runs as a dry run.
func IsDryRun(ctx context.Context) bool {
	v, _ := ctx.Value(dryRunKey{}).(bool)
	return v
}

// RunBatch runs jobs concurrently within the runner's limit and returns one
// error per job. Jobs not yet started when ctx is cancelled are skipped.
func (r *Runner) RunBatch(ctx context.Context, jobs []Job) []error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			errs[i] = r.RunJob(ctx, j)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// DryRun runs j as a dry run outside the target lock; a panic becomes an error.
func (r *Runner) DryRun(ctx context.Context, j Job) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if p := recover(); p != nil {
			err = fmt.Errorf("dry run of %s panicked: %v", j.Name, p)
			r.log.Print(err)
		}
	}()
	err = j.Run(withDryRun(ctx))
	return err
}

// RunWorkers feeds jobs to n workers and waits for all of them. The workers
// only receive from the job channel, which is closed once every job is queued.
func (r *Runner) RunWorkers(ctx context.Context, jobs []Job, n int) []error {
	queue := make(chan int)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range queue {
				errs[i] = r.RunJob(ctx, jobs[i])
			}
		}()
	}
	for i := range jobs {
		queue <- i
	}
	close(queue)
	wg.Wait()
	return errs
}
