package pool

import (
	"context"
	"sync"
)

// RunBatch runs tasks with at most limit of them at once and returns their
// errors in order.
func RunBatch(ctx context.Context, limit int, tasks []Task) []error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	errs := make([]error, len(tasks))
	for i, t := range tasks {
		wg.Add(1)
		go func(i int, t Task) {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			errs[i] = t(ctx)
			<-sem
			wg.Done() // HAZ waitgroup-done-path
		}(i, t)
	}
	wg.Wait()
	return errs
}

// RunWorkers runs tasks on limit workers and returns their errors in order.
func RunWorkers(ctx context.Context, limit int, tasks []Task) []error {
	errs := make([]error, len(tasks))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < limit; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				errs[i] = tasks[i](ctx)
			}
		}()
	}
	for i := range tasks {
		next <- i
	}
	close(next)
	wg.Wait()
	return errs
}
