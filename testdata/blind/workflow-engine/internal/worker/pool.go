package worker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Pool runs several task loops of one Worker in parallel.
type Pool struct {
	w      *Worker
	size   int
	tasks  chan *Task
	wg     sync.WaitGroup
	cancel context.CancelFunc
}

// NewPool returns a pool of size loops fed through Submit.
func NewPool(w *Worker, size int) *Pool {
	return &Pool{w: w, size: size, tasks: make(chan *Task)}
}

// Start launches the loops.
func (p *Pool) Start(ctx context.Context) {
	ctx, p.cancel = context.WithCancel(ctx)
	for range p.size {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.loop(ctx)
		}()
	}
}

func (p *Pool) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-p.tasks:
			p.w.handle(ctx, t)
		}
	}
}

// Submit hands t to a free loop, waiting until one is free or ctx ends.
func (p *Pool) Submit(ctx context.Context, t *Task) error {
	select {
	case p.tasks <- t:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop cancels the loops and waits for in-flight tasks to be reported.
func (p *Pool) Stop() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}

// RunBatch runs every task once, concurrently, and returns the results in
// input order together with the joined errors.
func (p *Pool) RunBatch(ctx context.Context, tasks []*Task) ([]Result, error) {
	results := make([]Result, len(tasks))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for i, t := range tasks {
		wg.Add(1)
		go func() {
			start := time.Now()
			out, err := p.w.runAttempt(ctx, t)
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("task %s: %w", t.ID, err))
				mu.Unlock()
				return
			}
			results[i] = Result{TaskID: t.ID, Output: out, Attempts: 1, Duration: time.Since(start)}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return results, errors.Join(errs...)
}

// Hedge runs the same task on several replicas and returns the first
// successful result ("hedged requests" for tail latency).
func (p *Pool) Hedge(ctx context.Context, t *Task, replicas int) (Result, error) {
	results := make(chan Result, replicas)
	defer close(results) // HAZ defer-close-chan-with-sender
	for range replicas {
		go func() {
			out, err := p.w.runAttempt(ctx, t)
			results <- Result{TaskID: t.ID, Output: out, Err: err, Attempts: 1}
		}()
	}
	var lastErr error
	for range replicas {
		select {
		case r := <-results:
			if r.Err == nil {
				return r, nil
			}
			lastErr = r.Err
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}
	return Result{}, lastErr
}

// Stream runs tasks concurrently and delivers results as they finish. The
// channel is closed after the last result.
func (p *Pool) Stream(ctx context.Context, tasks []*Task) <-chan Result {
	out := make(chan Result, len(tasks))
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := p.w.runAttempt(ctx, t)
			out <- Result{TaskID: t.ID, Output: o, Err: err, Attempts: 1}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Warm runs the given loaders (cache fills, connection pools) in parallel
// before the pool starts taking tasks.
func (p *Pool) Warm(ctx context.Context, loaders map[string]func(context.Context) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(loaders))
	for name, load := range loaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := load(ctx); err != nil {
				errc <- fmt.Errorf("warm %s: %w", name, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			p.w.log.Printf("worker: warmed %s", name)
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Drain collects up to n results from ch, stopping early when ctx ends.
func Drain(ctx context.Context, ch <-chan Result, n int) []Result {
	var out []Result
	for len(out) < n {
		select {
		case r, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
	return out
}
