package jobs

import (
	"context"
	"sync"
)

// Result is the outcome of one job run by Fanout.
type Result struct {
	Name string
	Err  error
}

// Fanout runs jobs concurrently and streams their results. The channel is
// closed once every job has finished or given up on ctx.
func (r *Runner) Fanout(ctx context.Context, jobs []Job) <-chan Result {
	out := make(chan Result)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := Result{Name: j.Name, Err: r.safeRun(ctx, j)}
			select {
			case out <- res:
			case <-ctx.Done():
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// RunBatch applies fn to every item with at most parallel calls in flight
// and returns the errors in input order.
func RunBatch[T any](ctx context.Context, items []T, parallel int, fn func(context.Context, T) error) []error {
	errs := make([]error, len(items))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, item := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			errs[i] = ctx.Err()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = fn(ctx, item)
		}()
	}
	wg.Wait()
	return errs
}

// FirstError runs the checks concurrently and returns the first failure,
// after every check has reported.
func FirstError(ctx context.Context, checks []func(context.Context) error) error {
	errc := make(chan error)
	defer close(errc)
	for _, check := range checks {
		go func() { errc <- check(ctx) }()
	}
	var first error
	for range checks {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}
