// Package pipeline builds channel pipelines: stages, fan-out and fan-in.
package pipeline

import (
	"context"
	"log"
	"sync"
	"time"
)

// Generate emits vs on a channel until they are exhausted or ctx ends.
func Generate[T any](ctx context.Context, vs ...T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		for _, v := range vs {
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Map applies fn to each value with a single goroutine, keeping order.
func Map[In, Out any](ctx context.Context, in <-chan In, fn func(In) Out) <-chan Out {
	out := make(chan Out)
	go func() {
		defer close(out) // ok: single sender
		for v := range in {
			select {
			case out <- fn(v):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Filter keeps the values for which keep returns true.
func Filter[T any](ctx context.Context, in <-chan T, keep func(T) bool) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for v := range in {
			if !keep(v) {
				continue
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// ParallelMap applies fn with n workers; output order is not preserved.
func ParallelMap[In, Out any](ctx context.Context, in <-chan In, n int, fn func(In) Out) <-chan Out {
	out := make(chan Out)
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			for v := range in {
				select {
				case out <- fn(v):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out) // ok: every sender has finished
	}()
	return out
}

// MapAsync applies fn to every value on its own goroutine, for stages whose
// latency is dominated by I/O. Output order is not preserved.
func MapAsync[In, Out any](ctx context.Context, in <-chan In, fn func(In) Out) <-chan Out {
	out := make(chan Out)
	go func() {
		defer close(out) // HAZ defer-close-chan-with-sender
		for v := range in {
			go func(v In) {
				select {
				case out <- fn(v):
				case <-ctx.Done():
				}
			}(v)
		}
	}()
	return out
}

// Batch groups values into slices of at most size, flushing a partial batch
// after maxWait.
func Batch[T any](ctx context.Context, in <-chan T, size int, maxWait time.Duration) <-chan []T {
	out := make(chan []T)
	go func() {
		defer close(out)
		t := time.NewTimer(maxWait)
		defer t.Stop()
		var buf []T
		flush := func() bool {
			if len(buf) == 0 {
				return true
			}
			select {
			case out <- buf:
				buf = nil
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			select {
			case v, ok := <-in:
				if !ok {
					flush()
					return
				}
				buf = append(buf, v)
				if len(buf) >= size && !flush() {
					return
				}
			case <-t.C:
				if !flush() {
					return
				}
				t.Reset(maxWait)
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Stage is a named transformation with error reporting.
type Stage[T any] struct {
	Name string
	Fn   func(context.Context, T) (T, error)
}

// Runner runs a sequence of stages over values and records timings.
type Runner[T any] struct {
	stages []Stage[T]
	mu     sync.Mutex
	timing map[string]time.Duration
	logger *log.Logger
}

// NewRunner returns a runner for stages.
func NewRunner[T any](logger *log.Logger, stages ...Stage[T]) *Runner[T] {
	return &Runner[T]{stages: stages, timing: make(map[string]time.Duration), logger: logger}
}

func (r *Runner[T]) timeStage(name string) func() {
	start := time.Now()
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.timing[name] += time.Since(start)
	}
}

// Apply runs v through every stage in order.
func (r *Runner[T]) Apply(ctx context.Context, v T) (T, error) {
	for _, st := range r.stages {
		var err error
		v, err = r.applyStage(ctx, st, v)
		if err != nil {
			return v, err
		}
	}
	return v, nil
}

func (r *Runner[T]) applyStage(ctx context.Context, st Stage[T], v T) (T, error) {
	defer r.timeStage(st.Name) // HAZ defer-func-result-not-called
	return st.Fn(ctx, v)
}

// ApplyTimed is Apply with the per-stage time recorded for the whole run.
func (r *Runner[T]) ApplyTimed(ctx context.Context, v T) (T, error) {
	defer r.timeStage("total")() // ok: cleanup func is called at exit
	return r.Apply(ctx, v)
}

// Timings returns a copy of the accumulated stage timings.
func (r *Runner[T]) Timings() map[string]time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]time.Duration, len(r.timing))
	for k, v := range r.timing {
		out[k] = v
	}
	return out
}

// Run streams in through all stages with one goroutine per stage.
func (r *Runner[T]) Run(ctx context.Context, in <-chan T) (<-chan T, <-chan error) {
	errc := make(chan error, len(r.stages))
	cur := in
	for _, st := range r.stages {
		next := make(chan T)
		go func(src <-chan T, dst chan<- T) {
			defer close(dst) // ok: this goroutine is dst's only sender
			for v := range src {
				out, err := st.Fn(ctx, v) // ok: st is per-iteration (go1.22)
				if err != nil {
					errc <- err // ok: errc has room for one error per stage
					return
				}
				select {
				case dst <- out:
				case <-ctx.Done():
					return
				}
			}
		}(cur, next)
		cur = next
	}
	return cur, errc
}
