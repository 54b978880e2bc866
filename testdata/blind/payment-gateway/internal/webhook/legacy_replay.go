//go:build go1.21

// This file is still built by the release branch toolchain; keep it
// compatible with Go 1.21.

package webhook

import (
	"context"
	"sync"
)

// ReplayBatch re-delivers evt to eps after an outage and reports how many
// deliveries were launched.
func (d *Dispatcher) ReplayBatch(ctx context.Context, eps []Endpoint, evt Event) int {
	var wg sync.WaitGroup
	launched := 0
	for _, ep := range eps {
		if ep.Disabled {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := d.Deliver(ctx, ep, evt); err != nil {
				d.logger.Printf("replay %s to %s: %v", evt.ID, ep.ID, err)
			}
		}()
		launched++
	}
	wg.Wait()
	return launched
}

// ReplayEvents re-delivers several events to one endpoint; the loop value is
// passed as an argument, so every goroutine gets its own copy.
func (d *Dispatcher) ReplayEvents(ctx context.Context, ep Endpoint, events []Event) {
	var wg sync.WaitGroup
	for _, evt := range events {
		wg.Add(1)
		go func(evt Event) {
			defer wg.Done()
			if err := d.Deliver(ctx, ep, evt); err != nil {
				d.logger.Printf("replay %s to %s: %v", evt.ID, ep.ID, err)
			}
		}(evt)
	}
	wg.Wait()
}
