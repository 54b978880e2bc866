package pipeline

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Pool runs a fixed number of workers.
type Pool struct {
	n    int
	wg   sync.WaitGroup
	logf func(string, ...any)
}

// NewPool returns a pool of n workers.
func NewPool(n int, logf func(string, ...any)) *Pool {
	if n < 1 {
		n = 1
	}
	return &Pool{n: n, logf: logf}
}

// Process runs fn on every job from jobs with the pool's workers and
// returns the number of failed jobs. It returns when jobs is closed.
func (p *Pool) Process(ctx context.Context, jobs <-chan string, fn func(context.Context, string) error) int64 {
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := 0; i < p.n; i++ {
		wg.Add(1)
		go func() {
			for job := range jobs {
				if ctx.Err() != nil {
					return
				}
				if err := fn(ctx, job); err != nil {
					failed.Add(1)
					p.logf("pool: job %s: %v", job, err)
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return failed.Load()
}

// ProcessAll is Process for a fixed list of jobs; each worker takes every
// n-th job.
func (p *Pool) ProcessAll(ctx context.Context, jobs []string, fn func(context.Context, string) error) int64 {
	var wg sync.WaitGroup
	var failed atomic.Int64
	for w := 0; w < p.n; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(jobs); i += p.n {
				if ctx.Err() != nil {
					return
				}
				if err := fn(ctx, jobs[i]); err != nil {
					failed.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	return failed.Load()
}

// Spawn starts one long-running goroutine per name (for example one
// follower per log file) and returns; Wait waits for all of them.
func (p *Pool) Spawn(ctx context.Context, names []string, fn func(context.Context, string)) {
	for _, name := range names {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			fn(ctx, name)
		}()
		p.logf("pool: started worker for %s", name)
	}
}

// SpawnEach is Spawn with the name passed as an argument.
func (p *Pool) SpawnEach(ctx context.Context, names []string, fn func(context.Context, string)) {
	for _, name := range names {
		p.wg.Add(1)
		go func(name string) {
			defer p.wg.Done()
			fn(ctx, name)
		}(name)
		p.logf("pool: started worker for %s", name)
	}
}

// SpawnCopy is Spawn with a per-iteration copy of the loop variable.
func (p *Pool) SpawnCopy(ctx context.Context, names []string, fn func(context.Context, string)) {
	for _, name := range names {
		name := name
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			fn(ctx, name)
		}()
		p.logf("pool: started worker for %s", name)
	}
}

// Wait blocks until every spawned goroutine has returned.
func (p *Pool) Wait() { p.wg.Wait() }

// Scatter runs fn for every key concurrently and returns the first error.
func Scatter(ctx context.Context, keys []string, fn func(context.Context, string) error) error {
	errc := make(chan error, len(keys))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, k := range keys {
		go func(k string) { errc <- fn(ctx, k) }(k)
	}
	for range keys {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Gather runs fn for every key concurrently, waits for all of them and
// returns every error.
func Gather(ctx context.Context, keys []string, fn func(context.Context, string) error) error {
	errc := make(chan error, len(keys))
	defer close(errc)
	for _, k := range keys {
		go func(k string) { errc <- fn(ctx, k) }(k)
	}
	var errs []error
	for range keys {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FanIn merges several record channels into one, closing it when all
// inputs are drained.
func FanIn[T any](ctx context.Context, ins ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(ins))
	for _, in := range ins {
		go func(in <-chan T) {
			defer wg.Done()
			for v := range in {
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}(in)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
