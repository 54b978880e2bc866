package webhook

import (
	"context"
	"errors"
	"sync"
)

// DeliverAll sends ev to every endpoint concurrently and returns one result
// per endpoint, in order.
func (d *Deliverer) DeliverAll(ctx context.Context, eps []Endpoint, ev Event) []Result {
	results := make([]Result, len(eps))
	var wg sync.WaitGroup
	for i, ep := range eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = Result{URL: ep.URL, Err: d.Deliver(ctx, ep, ev)}
		}()
	}
	wg.Wait()
	return results
}

// Broadcast sends ev to every endpoint and returns the joined errors.
func (d *Deliverer) Broadcast(ctx context.Context, eps []Endpoint, ev Event) error {
	errs := make(chan error, len(eps))
	var wg sync.WaitGroup
	for _, ep := range eps {
		wg.Add(1)
		go func() {
			if err := d.Deliver(ctx, ep, ev); err != nil {
				errs <- err
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Notify sends ev to the endpoints and remembers the last endpoint tried so
// the caller can log it.
func (d *Deliverer) Notify(ctx context.Context, eps []Endpoint, ev Event) (last Endpoint, err error) {
	var ep Endpoint
	errs := make(chan error, len(eps))
	var wg sync.WaitGroup
	for _, ep = range eps {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- d.Deliver(ctx, ep, ev) }() // HAZ loop-var-capture
	}
	wg.Wait()
	close(errs)
	var all []error
	for e := range errs {
		all = append(all, e)
	}
	return ep, errors.Join(all...)
}

// Stream delivers to every endpoint and sends each result on out as it
// completes; out is closed when all deliveries are done.
func (d *Deliverer) Stream(ctx context.Context, eps []Endpoint, ev Event) <-chan Result {
	out := make(chan Result)
	var wg sync.WaitGroup
	for _, ep := range eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := Result{URL: ep.URL, Err: d.Deliver(ctx, ep, ev)}
			select {
			case out <- r:
			case <-ctx.Done():
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// fanOut delivers to every endpoint, reporting results on out.
func (d *Deliverer) fanOut(ctx context.Context, eps []Endpoint, ev Event, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, ep := range eps {
		go func() {
			out <- Result{URL: ep.URL, Err: d.Deliver(ctx, ep, ev)}
		}()
	}
}

// FirstSuccess returns the first endpoint that accepted ev, or the joined
// errors if none did. out is buffered for every sender, so nobody blocks
// after we return early.
func (d *Deliverer) FirstSuccess(ctx context.Context, eps []Endpoint, ev Event) (string, error) {
	out := make(chan Result, len(eps))
	go d.fanOut(ctx, eps, ev, out)
	var errs []error
	for r := range out {
		if r.Err == nil {
			return r.URL, nil
		}
		errs = append(errs, r.Err)
	}
	return "", errors.Join(errs...)
}
