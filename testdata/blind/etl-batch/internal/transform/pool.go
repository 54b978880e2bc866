package transform

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"example.com/etl/internal/record"
)

// Pool applies Step with a fixed number of worker goroutines.
type Pool struct {
	Workers int
	Step    Step
}

// Failure is a record that Step rejected.
type Failure struct {
	Rec record.Record
	Err error
}

func (p *Pool) workers() int {
	if p.Workers < 1 {
		return runtime.GOMAXPROCS(0)
	}
	return p.Workers
}

// Run applies p.Step to every record received from in. Both result
// channels are closed once every worker has finished; the caller drains
// both or cancels ctx.
func (p *Pool) Run(ctx context.Context, in <-chan record.Record) (<-chan record.Record, <-chan Failure) {
	out := make(chan record.Record)
	fails := make(chan Failure)
	var wg sync.WaitGroup
	for w := 0; w < p.workers(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work(ctx, in, out, fails)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
		close(fails)
	}()
	return out, fails
}

func (p *Pool) work(ctx context.Context, in <-chan record.Record, out chan<- record.Record, fails chan<- Failure) {
	for rec := range in {
		res, err := p.Step(rec)
		if err != nil {
			select {
			case fails <- Failure{Rec: rec, Err: err}:
			case <-ctx.Done():
				return
			}
			continue
		}
		if res == nil {
			continue
		}
		select {
		case out <- res:
		case <-ctx.Done():
			return
		}
	}
}

// RunStrict transforms recs in place order and stops at the first error.
func (p *Pool) RunStrict(recs []record.Record) ([]record.Record, error) {
	jobs := make(chan int)
	errs := make(chan error, p.workers())
	results := make([]record.Record, len(recs))
	var wg sync.WaitGroup
	for w := 0; w < p.workers(); w++ {
		wg.Add(1)
		go func() {
			for i := range jobs {
				res, err := p.Step(recs[i])
				if err != nil {
					errs <- fmt.Errorf("record %d: %w", i, err)
					return
				}
				results[i] = res
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	var firstErr error
feed:
	for i := range recs {
		select {
		case jobs <- i:
		case firstErr = <-errs:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		select {
		case firstErr = <-errs:
		default:
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return compact(results), nil
}

// compact removes dropped (nil) records while keeping order.
func compact(recs []record.Record) []record.Record {
	out := recs[:0]
	for _, r := range recs {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}

// Each calls fn for every record concurrently and joins the errors.
// Records not yet started when ctx is cancelled are skipped.
func Each(ctx context.Context, recs []record.Record, fn func(context.Context, record.Record) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, rec := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ctx.Err() != nil {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := fn(ctx, rec); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ForEachLimit calls fn for every record with at most n calls in flight.
func ForEachLimit(ctx context.Context, recs []record.Record, n int, fn func(context.Context, record.Record) error) error {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, rec := range recs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return errors.Join(append(errs, ctx.Err())...)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, rec); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// SafeEach applies step to every record concurrently. A panicking step
// fails its record instead of the process.
func SafeEach(recs []record.Record, step Step) (out []record.Record, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("transform: SafeEach: %v", r)
		}
	}()
	out = make([]record.Record, len(recs))
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	for i, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("record %d: step panicked: %v", i, p)
				}
			}()
			out[i], errs[i] = step(r)
		}()
	}
	wg.Wait()
	return compact(out), errors.Join(errs...)
}

// tryStep applies step to r, treating a panicking step like a filter.
func tryStep(step Step, r record.Record) (out record.Record, err error) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return step(r)
}

// Lenient wraps step so that records which make it panic are dropped.
func Lenient(step Step) Step {
	return func(r record.Record) (record.Record, error) {
		return tryStep(step, r)
	}
}

// TryEach applies step to every record concurrently and reports panicking
// steps as errors of their record.
func TryEach(recs []record.Record, step Step) ([]record.Record, error) {
	out := make([]record.Record, len(recs))
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	for i, r := range recs {
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("record %d: step panicked: %v", i, p)
				}
			}()
			out[i], errs[i] = step(r)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return compact(out), errors.Join(errs...)
}
