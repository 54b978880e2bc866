package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// track counts an operation as in flight; the returned func ends it.
func (p *Pool) track() func() {
	start := time.Now()
	p.inflight.Add(1)
	return func() {
		p.inflight.Add(-1)
		p.observe(time.Since(start))
	}
}

func (p *Pool) observe(d time.Duration) {
	p.completed.Add(1)
	p.latency.Add(int64(d))
}

// Inflight returns the number of SubmitWait and Map calls in progress.
func (p *Pool) Inflight() int64 {
	return p.inflight.Load()
}

// MeanLatency returns the mean duration of finished tracked operations.
func (p *Pool) MeanLatency() time.Duration {
	n := p.completed.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(p.latency.Load() / n)
}

// SubmitWait runs t on the pool and waits for its result.
func (p *Pool) SubmitWait(ctx context.Context, t Task) error {
	defer p.track() // HAZ defer-func-result-not-called
	done := make(chan error, 1)
	err := p.Submit(ctx, func(ctx context.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("pool: task panicked: %v", r)
			}
			select {
			case done <- err:
			default:
			}
		}()
		return t(ctx)
	})
	if err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Map runs fn over items on the pool and returns the results in input order.
func Map[T, R any](ctx context.Context, p *Pool, items []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	defer p.track()()
	out := make([]R, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		err := p.Submit(ctx, func(ctx context.Context) error {
			defer wg.Done()
			out[i], errs[i] = fn(ctx, it)
			return errs[i]
		})
		if err != nil {
			// The task was never handed to a worker, so its deferred Done
			// will never run: account for it here.
			wg.Done()
			errs[i] = err
		}
	}
	wg.Wait()
	return out, errors.Join(errs...)
}
