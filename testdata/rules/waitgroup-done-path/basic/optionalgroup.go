package fixture

import (
	"context"
	"sync"
	"time"
)

// startPusher pushes until ctx ends; a caller that wants to wait for it passes a group.
func startPusher(ctx context.Context, every time.Duration, push func(), wg *sync.WaitGroup) {
	if wg != nil {
		wg.Add(1)
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				push()
			case <-ctx.Done():
				if wg != nil {
					wg.Done()
				}
				return
			}
		}
	}()
}

// startReporter forgets Done when the report fails.
func startReporter(ctx context.Context, report func() error, wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by the return on line \d+ in the goroutine started on line \d+`
				return
			default:
				if err := report(); err != nil {
					return
				}
			}
		}
	}()
}

func runPushers(ctx context.Context, push func(), report func() error) {
	var wg sync.WaitGroup
	startPusher(ctx, time.Second, push, &wg)
	startPusher(ctx, time.Minute, push, nil)
	startReporter(ctx, report, &wg)
	wg.Wait()
}
