// Package pipe holds the generic fan-out, fan-in and worker stages of the
// up11 relay.
package pipe

import (
	"context"
	"fmt"
	"sync"
)

// Target is one destination of a scatter, dispatched through its func field.
type Target[Req, Resp any] struct {
	Name string
	Call func(context.Context, Req) (Resp, error)
}

type reply[Resp any] struct {
	name string
	val  Resp
	err  error
}

// Scatter sends req to every target and gathers the replies; the first
// failure aborts the gather.
func Scatter[Req, Resp any](ctx context.Context, req Req, targets []Target[Req, Resp]) ([]Resp, error) {
	replies := make(chan reply[Resp], len(targets))
	defer close(replies) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go func() {
			v, err := t.Call(ctx, req)
			replies <- reply[Resp]{name: t.Name, val: v, err: err}
		}()
	}
	out := make([]Resp, 0, len(targets))
	for range targets {
		select {
		case r := <-replies:
			if r.err != nil {
				return out, fmt.Errorf("scatter: %s: %w", r.name, r.err)
			}
			out = append(out, r.val)
		case <-ctx.Done():
			return out, fmt.Errorf("scatter: %w", ctx.Err())
		}
	}
	return out, nil
}

// ScatterAll is Scatter that always drains every reply before returning, so
// the deferred close happens after the last send.
func ScatterAll[Req, Resp any](ctx context.Context, req Req, targets []Target[Req, Resp]) ([]Resp, error) {
	replies := make(chan reply[Resp], len(targets))
	defer close(replies)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := t.Call(ctx, req)
			replies <- reply[Resp]{name: t.Name, val: v, err: err}
		}()
	}
	wg.Wait()
	out := make([]Resp, 0, len(targets))
	var first error
	for range targets {
		r := <-replies
		if r.err != nil && first == nil {
			first = fmt.Errorf("scatter: %s: %w", r.name, r.err)
		}
		out = append(out, r.val)
	}
	return out, first
}

// Gather merges the results of srcs into one channel, closed by a
// goroutine once every source has finished.
func Gather[T any](ctx context.Context, srcs []func(context.Context) (T, error)) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	for _, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := src(ctx)
			if err != nil {
				return
			}
			select {
			case out <- v:
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

// Balance forwards every item of in to whichever of left and right is
// ready first. It is the only sender on both, so closing them at return is
// safe.
func Balance[T any](ctx context.Context, in <-chan T, left, right chan<- T) error {
	defer close(left)
	defer close(right)
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return nil
			}
			select {
			case left <- v:
			case right <- v:
			case <-ctx.Done():
				return ctx.Err()
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Endpoint is a health-checked dependency.
type Endpoint struct {
	Name  string
	Check func(context.Context) error
}

// Probe checks every endpoint and returns the first failure, or nil when
// all are up.
func Probe(ctx context.Context, endpoints []Endpoint) error {
	up := make(chan string)
	down := make(chan error)
	for _, ep := range endpoints {
		go func() { // HAZ goroutine-blocked-send
			err := ep.Check(ctx)
			okc, errc := up, down
			if err != nil {
				okc = nil
			} else {
				errc = nil
			}
			select {
			case okc <- ep.Name:
			case errc <- fmt.Errorf("probe %s: %w", ep.Name, err):
			}
		}()
	}
	for range endpoints {
		select {
		case <-up:
		case err := <-down:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// ProbeAll is Probe whose senders also give up when the probe's own
// context is cancelled at return.
func ProbeAll(parent context.Context, endpoints []Endpoint) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	down := make(chan error)
	up := make(chan string)
	for _, ep := range endpoints {
		go func() {
			if err := ep.Check(ctx); err != nil {
				select {
				case down <- fmt.Errorf("probe %s: %w", ep.Name, err):
				case <-ctx.Done():
				}
				return
			}
			select {
			case up <- ep.Name:
			case <-ctx.Done():
			}
		}()
	}
	for range endpoints {
		select {
		case <-up:
		case err := <-down:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
