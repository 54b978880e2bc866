package schedule

import (
	"context"
	"time"
)

// Every runs fn every interval until ctx is done. A panicking fn is meant
// to cost one tick, not the process.
func Every(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tick(ctx, fn)
		}
	}
}

func tick(ctx context.Context, fn func(context.Context)) {
	defer recover() // HAZ recover-ineffective
	fn(ctx)
}
