package closechan

import (
	"context"
	"sync"
)

// groupDone returns a channel closed once every member of wg is done.
func groupDone(wg *sync.WaitGroup) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// Every sender is done before the deferred close: the receive waits for groupDone's channel.
func squareAll(nums []int, out chan<- int) {
	defer close(out)
	var wg sync.WaitGroup
	for _, n := range nums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- n * n
		}()
	}
	<-groupDone(&wg)
}

// Leaving on cancellation closes out while senders may still be sending.
func squareAllCtx(ctx context.Context, nums []int, out chan<- int) error {
	defer close(out) // want `defer close\(out\) in squareAllCtx closes out when squareAllCtx returns, but the goroutine started on line \d+ can still send on it`
	var wg sync.WaitGroup
	for _, n := range nums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- n * n
		}()
	}
	select {
	case <-groupDone(&wg):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
