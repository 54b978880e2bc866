// Package workqueue contains the bounded-concurrency helpers shared by the
// replication and compaction code: worker pools, pipeline stages, fan-out.
package workqueue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Job is one unit of work for Process.
type Job struct {
	ID      int
	Key     string
	Payload []byte
}

// Result is the outcome of one Job.
type Result struct {
	JobID int
	Out   []byte
	Err   error
}

// Process runs fn over jobs on workers goroutines. The result channel has a
// slot for every job, so workers never block on it, and it is closed only
// after all workers have returned.
func Process(ctx context.Context, jobs []Job, workers int, fn func(context.Context, Job) ([]byte, error)) []Result {
	jobCh := make(chan Job)
	results := make(chan Result, len(jobs))

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobCh {
				out, err := fn(ctx, j)
				results <- Result{JobID: j.ID, Out: out, Err: err}
			}
		}()
	}

feed:
	for _, j := range jobs {
		select {
		case jobCh <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobCh)
	wg.Wait()
	close(results)

	out := make([]Result, 0, len(jobs))
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Map applies fn to every element of in with up to workers goroutines and
// returns the results in input order. The first error cancels the rest.
func Map[T, R any](ctx context.Context, in []T, workers int, fn func(context.Context, T) (R, error)) ([]R, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	out := make([]R, len(in))
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	idx := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				r, err := fn(ctx, in[i])
				if err != nil {
					once.Do(func() {
						firstErr = err
						cancel()
					})
					continue
				}
				out[i] = r
			}
		}()
	}

send:
	for i := range in {
		select {
		case idx <- i:
		case <-ctx.Done():
			break send
		}
	}
	close(idx)
	wg.Wait()

	if firstErr != nil {
		return nil, firstErr
	}
	return out, ctx.Err()
}

// Each runs fn for every item concurrently and returns the failures joined.
func Each[T any](ctx context.Context, items []T, fn func(context.Context, T) error) error {
	errs := make(chan error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx, it); err != nil {
				errs <- fmt.Errorf("item %d: %w", i, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	close(errs)

	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Retry calls fn up to attempts times with exponential backoff. The backoff
// timer is stopped on the cancellation path; on the other path it has fired.
func Retry(ctx context.Context, attempts int, backoff time.Duration, fn func(context.Context) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = fn(ctx); err == nil {
			return nil
		}
		if i == attempts-1 {
			break
		}
		t := time.NewTimer(backoff << i)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}
