//go:build go1.22

package loops

import (
	"context"
	"log"
	"sync"
)

// TraceSteps defers a logging closure per step inside a per-iteration
// literal; the closure reads the loop variable and the literal's named
// result. The file is built with go1.22 semantics (build tag and go.mod).
func TraceSteps(steps []func() error, logger *log.Logger) error {
	for i := 0; i < len(steps); i++ {
		err := func() (err error) {
			defer func() { logger.Printf("step %d finished: err=%v", i, err) }()
			return steps[i]()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// RetryEach retries every item concurrently; goroutines capture the
// per-iteration range variable.
func RetryEach(ctx context.Context, items []string, attempts int, fn func(context.Context, string) error) map[string]error {
	var mu sync.Mutex
	out := make(map[string]error, len(items))
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			for a := 0; a < attempts; a++ {
				if err = fn(ctx, item); err == nil || ctx.Err() != nil {
					break
				}
			}
			mu.Lock()
			out[item] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
