package webhook

import (
	"context"
	"sync"
	"time"
)

// FanOut delivers evt to every enabled endpoint concurrently.
func (d *Dispatcher) FanOut(ctx context.Context, eps []Endpoint, evt Event) []Result {
	var wg sync.WaitGroup
	results := make([]Result, len(eps))
	for i, ep := range eps {
		wg.Add(1)
		go func() {
			if ep.Disabled {
				results[i] = Result{EndpointID: ep.ID}
				return
			}
			err := d.Deliver(ctx, ep, evt)
			results[i] = Result{EndpointID: ep.ID, Err: err}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return results
}

// BroadcastAll delivers to all endpoints and waits for every goroutine
// before closing the results channel.
func (d *Dispatcher) BroadcastAll(ctx context.Context, eps []Endpoint, evt Event) []Result {
	results := make(chan Result, len(eps))
	var wg sync.WaitGroup
	for _, ep := range eps {
		if ep.Disabled {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- Result{EndpointID: ep.ID, Err: d.Deliver(ctx, ep, evt)}
		}()
	}
	wg.Wait()
	close(results)
	out := make([]Result, 0, len(eps))
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Broadcast delivers to all endpoints but returns whatever has arrived by
// the deadline.
func (d *Dispatcher) Broadcast(ctx context.Context, eps []Endpoint, evt Event, deadline time.Duration) []Result {
	results := make(chan Result, len(eps))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, ep := range eps {
		go func() {
			results <- Result{EndpointID: ep.ID, Err: d.Deliver(ctx, ep, evt)}
		}()
	}
	timeout := time.After(deadline)
	out := make([]Result, 0, len(eps))
	for range eps {
		select {
		case r := <-results:
			out = append(out, r)
		case <-timeout:
			return out
		}
	}
	return out
}

// Stream delivers to all endpoints and streams results; the channel is
// closed by a goroutine once every sender is done.
func (d *Dispatcher) Stream(ctx context.Context, eps []Endpoint, evt Event) <-chan Result {
	out := make(chan Result, len(eps))
	var wg sync.WaitGroup
	for _, ep := range eps {
		wg.Add(1)
		go func(ep Endpoint) {
			defer wg.Done()
			out <- Result{EndpointID: ep.ID, Err: d.Deliver(ctx, ep, evt)}
		}(ep)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
