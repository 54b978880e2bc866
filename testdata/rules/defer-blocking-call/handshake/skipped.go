// A stop signal that an early return skips: the deferred wait is reached with the goroutines
// never told to stop. The same shapes with a signal on every path, or workers that end with
// the context, are not reported.
package handshake

import (
	"context"
	"errors"
	"sync"
)

func upload(ctx context.Context, name string) error { return ctx.Err() }

// The return on ctx.Done leaves before close(jobs): the workers stay in their range over jobs
// and the deferred wait never ends.
func burst(ctx context.Context, names []string, n int) error {
	jobs := make(chan string)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait() // want `deferred wg\.Wait\(\) blocks .*the return on line 35 leaves before close\(jobs\) \(line 38\) tells them to stop`
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				_ = upload(ctx, name)
			}
		}()
	}
	for _, name := range names {
		select {
		case jobs <- name:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	close(jobs)
	return nil
}

// Workers that also select on ctx.Done end when the context does: the early return is fine.
func burstSelecting(ctx context.Context, names []string, n int) error {
	jobs := make(chan string)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case name, ok := <-jobs:
					if !ok {
						return
					}
					_ = upload(ctx, name)
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	for _, name := range names {
		select {
		case jobs <- name:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	close(jobs)
	return nil
}

// The early return comes before any goroutine starts: the wait has nothing to wait for.
func burstValidated(ctx context.Context, names []string, n int) error {
	jobs := make(chan string)
	var wg sync.WaitGroup
	defer wg.Wait()
	if n <= 0 {
		return errors.New("no workers")
	}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				_ = upload(ctx, name)
			}
		}()
	}
	for _, name := range names {
		jobs <- name
	}
	close(jobs)
	return nil
}

// The signal is deferred after the wait, so it runs first on every path.
func burstDeferredClose(ctx context.Context, names []string, n int) error {
	jobs := make(chan string)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(jobs)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				_ = upload(ctx, name)
			}
		}()
	}
	for _, name := range names {
		select {
		case jobs <- name:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
