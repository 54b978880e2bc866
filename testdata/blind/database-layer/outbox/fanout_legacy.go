//go:build go1.21

// This file was vendored from the notification service, which still builds
// with go1.21 language semantics; the build line keeps it that way here too.

package outbox

import (
	"context"
	"errors"
	"sync"
)

// FanOut publishes m to every publisher concurrently.
func FanOut(ctx context.Context, pubs []Publisher, m Message) error {
	var wg sync.WaitGroup
	errs := make([]error, len(pubs))
	started := 0
	for i, p := range pubs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = p.Publish(ctx, m)
		}()
		started++
	}
	wg.Wait()
	if started == 0 {
		return errors.New("outbox: no publishers")
	}
	return errors.Join(errs...)
}

// FanOutArgs passes the loop variables to the goroutine as arguments.
func FanOutArgs(ctx context.Context, pubs []Publisher, m Message) error {
	var wg sync.WaitGroup
	errs := make([]error, len(pubs))
	for i, p := range pubs {
		wg.Add(1)
		go func(i int, p Publisher) {
			defer wg.Done()
			errs[i] = p.Publish(ctx, m)
		}(i, p)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FanOutCopy shadows the loop variables with per-iteration copies.
func FanOutCopy(ctx context.Context, pubs []Publisher, m Message) error {
	var wg sync.WaitGroup
	errs := make([]error, len(pubs))
	for i, p := range pubs {
		i, p := i, p
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.Publish(ctx, m)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
