package blockedsend

import (
	"context"
	"sync"
	"time"

	"example.com/blockedsend/conc"
)

// spawn runs fn on its own goroutine.
func spawn(fn func()) {
	go fn()
}

type runner struct{ started int }

// launch runs fn on its own goroutine.
func (r *runner) launch(fn func()) {
	go fn()
}

func compute(ctx context.Context) int { return 42 }

// The goroutine spawn starts sends on an unbuffered channel nobody reads after the timeout.
func computeWithTimeout(ctx context.Context, d time.Duration) (int, error) {
	done := make(chan int) // want `computeWithTimeout makes done unbuffered, and the goroutine started on line \d+ sends its result on it`
	spawn(func() {
		done <- compute(ctx)
	})
	select {
	case v := <-done:
		return v, nil
	case <-time.After(d):
		return 0, context.DeadlineExceeded
	}
}

// The same through a method and through another package's helper.
func (r *runner) computeLaunched(ctx context.Context) (int, error) {
	done := make(chan int) // want `runner\.computeLaunched makes done unbuffered, and the goroutine started on line \d+ sends its result on it`
	r.launch(func() { done <- compute(ctx) })
	select {
	case v := <-done:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func computeConc(ctx context.Context) (int, error) {
	done := make(chan int) // want `computeConc makes done unbuffered, and the goroutine started on line \d+ sends its result on it`
	conc.Go(func() { done <- compute(ctx) })
	select {
	case v := <-done:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Buffered for its one sender: no finding.
func computeBuffered(ctx context.Context) (int, error) {
	done := make(chan int, 1)
	spawn(func() { done <- compute(ctx) })
	select {
	case v := <-done:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

type tracker struct {
	inflight sync.WaitGroup
}

// async runs fn in the background, counted so that shutdown can wait for it.
func (t *tracker) async(fn func()) {
	t.inflight.Add(1)
	go func() {
		defer t.inflight.Done()
		fn()
	}()
}

// The goroutine async starts blocks on its send once the caller has given up.
func (t *tracker) describe(ctx context.Context) (int, error) {
	reply := make(chan int) // want `tracker\.describe makes reply unbuffered, and the goroutine started on line \d+ sends its result on it`
	t.async(func() { reply <- compute(ctx) })
	select {
	case v := <-reply:
		return v, nil
	case <-time.After(time.Second):
		return 0, context.DeadlineExceeded
	}
}
