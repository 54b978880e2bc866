package jobs

import (
	"context"
	"fmt"
	"sync"
)

// RunBatch runs jobs with at most parallel in flight and returns one error
// slot per job.
func RunBatch(ctx context.Context, jobs []Job, parallel int) []error {
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			sem <- struct{}{}
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			errs[i] = j.Run(ctx)
			<-sem
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// RunAll runs jobs with at most parallel in flight and cancels the rest on
// the first failure, which it returns.
func RunAll(ctx context.Context, jobs []Job, parallel int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if err := RunOnce(ctx, j); err != nil {
				cancel(fmt.Errorf("job %s: %w", j.ID, err))
			}
			<-sem
		}()
	}
	wg.Wait()
	return context.Cause(ctx)
}

// FirstError returns the first non-nil error of a RunBatch result, naming
// the job it belongs to.
func FirstError(jobs []Job, errs []error) error {
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("job %s: %w", jobs[i].ID, err)
		}
	}
	return nil
}
