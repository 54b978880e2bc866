// Package pipeline builds fan-out/fan-in numeric pipelines over channels.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrTimeout is returned when a bounded computation does not finish in time.
var ErrTimeout = errors.New("pipeline: computation timed out")

// Stage transforms one value.
type Stage func(float64) (float64, error)

// Item carries a value with its sequence number and any error from earlier stages.
type Item struct {
	Seq int
	Val float64
	Err error
}

// Source emits xs on a new channel, closing it when done or when ctx is cancelled.
func Source(ctx context.Context, xs []float64) <-chan Item {
	out := make(chan Item)
	go func() {
		defer close(out)
		for i, x := range xs {
			select {
			case out <- Item{Seq: i, Val: x}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Range emits lo, lo+step, ... below hi.
func Range(lo, hi, step float64) <-chan float64 {
	ch := make(chan float64)
	defer close(ch) // HAZ defer-close-chan-with-sender
	go func() {
		for x := lo; x < hi; x += step {
			ch <- x
		}
	}()
	return ch
}

// Map applies st to every item with n concurrent workers. Output order is not preserved;
// the returned channel is closed once every worker has finished.
func Map(ctx context.Context, in <-chan Item, n int, st Stage) <-chan Item {
	out := make(chan Item)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range in {
				if it.Err == nil {
					it.Val, it.Err = st(it.Val)
				}
				select {
				case out <- it:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Merge fans several channels into one that is closed when all inputs are drained.
func Merge(ins ...<-chan Item) <-chan Item {
	out := make(chan Item)
	var wg sync.WaitGroup
	wg.Add(len(ins))
	for _, in := range ins {
		go func() {
			defer wg.Done()
			for it := range in {
				out <- it
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// MergeBuffered fans inputs into one buffered channel.
func MergeBuffered(ins ...<-chan Item) <-chan Item {
	out := make(chan Item, len(ins))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, in := range ins {
		go func() {
			for it := range in {
				out <- it
			}
		}()
	}
	return out
}

// ComputeInto evaluates st over xs with n workers and sends every result on res.
// res is closed before ComputeInto returns, after all workers have finished.
func ComputeInto(xs []float64, n int, st Stage, res chan<- Item) {
	defer close(res)
	idx := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				v, err := st(xs[i])
				res <- Item{Seq: i, Val: v, Err: err}
			}
		}()
	}
	for i := range xs {
		idx <- i
	}
	close(idx)
	wg.Wait()
}

// Collect drains in into a slice ordered by sequence number. It stops at the first error
// after cancelling the upstream stages through cancel.
func Collect(in <-chan Item, n int, cancel context.CancelFunc) ([]float64, error) {
	out := make([]float64, n)
	var firstErr error
	for it := range in {
		if it.Err != nil && firstErr == nil {
			firstErr = fmt.Errorf("item %d: %w", it.Seq, it.Err)
			cancel()
			continue
		}
		if it.Seq < n {
			out[it.Seq] = it.Val
		}
	}
	return out, firstErr
}

// Reduce folds every value of in into acc.
func Reduce(in <-chan Item, acc float64, f func(acc, x float64) float64) (float64, error) {
	for it := range in {
		if it.Err != nil {
			return acc, fmt.Errorf("reduce at item %d: %w", it.Seq, it.Err)
		}
		acc = f(acc, it.Val)
	}
	return acc, nil
}

type solveResult struct {
	x   []float64
	err error
}

// SolveWithin runs solve in the background and gives up after limit or when ctx ends.
func SolveWithin(ctx context.Context, limit time.Duration, solve func() ([]float64, error)) ([]float64, error) {
	ch := make(chan solveResult)
	go func() {
		x, err := solve()
		ch <- solveResult{x, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.x, r.err
	case <-time.After(limit):
		return nil, ErrTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// SolveBounded is SolveWithin with a result channel that the solver can always send on.
func SolveBounded(ctx context.Context, limit time.Duration, solve func() ([]float64, error)) ([]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	ch := make(chan solveResult, 1)
	go func() {
		x, err := solve()
		ch <- solveResult{x, err}
	}()
	select {
	case r := <-ch:
		return r.x, r.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrTimeout
		}
		return nil, ctx.Err()
	}
}

// FirstOf runs every candidate concurrently and returns the first successful answer.
// The result channel has room for every candidate, so the losers never block.
func FirstOf(ctx context.Context, candidates ...func(context.Context) (float64, error)) (float64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		v   float64
		err error
	}
	ch := make(chan answer, len(candidates))
	for _, c := range candidates {
		go func() {
			v, err := c(ctx)
			ch <- answer{v, err}
		}()
	}
	var errs []error
	for range candidates {
		select {
		case a := <-ch:
			if a.err == nil {
				return a.v, nil
			}
			errs = append(errs, a.err)
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return 0, errors.Join(errs...)
}

// Tee duplicates every item of in onto two outputs, closing both when in is drained.
func Tee(ctx context.Context, in <-chan Item) (<-chan Item, <-chan Item) {
	a, b := make(chan Item), make(chan Item)
	go func() {
		defer close(a)
		defer close(b)
		for it := range in {
			for _, out := range []chan Item{a, b} {
				select {
				case out <- it:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return a, b
}
