package pool

import (
	"context"
	"errors"
	"time"
)

// Probe is a named health check.
type Probe struct {
	Name  string
	Check func(ctx context.Context) error
}

// Result is the outcome of one probe.
type Result struct {
	Name string
	Err  error
	Took time.Duration
}

// Fanout runs a fixed set of probes concurrently. Its result channel is
// buffered to the number of probes, so every probe can deliver its result
// even after Run has stopped listening.
type Fanout struct {
	probes  []Probe
	results chan Result
}

// NewFanout prepares a fan-out over probes.
func NewFanout(probes []Probe) *Fanout {
	return &Fanout{probes: probes, results: make(chan Result, len(probes))}
}

// Run starts every probe and collects results until all are in or ctx ends.
// Run must be called at most once per Fanout.
func (f *Fanout) Run(ctx context.Context) ([]Result, error) {
	for _, p := range f.probes {
		go func() {
			start := time.Now()
			err := p.Check(ctx)
			f.results <- Result{Name: p.Name, Err: err, Took: time.Since(start)}
		}()
	}

	out := make([]Result, 0, len(f.probes))
	for range f.probes {
		select {
		case r := <-f.results:
			out = append(out, r)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// Gather runs fns concurrently and returns their values in order. The first
// error wins.
func Gather(ctx context.Context, fns []func(context.Context) (string, error)) ([]string, error) {
	type item struct {
		idx int
		val string
		err error
	}
	ch := make(chan item)
	for i, fn := range fns {
		go func() {
			v, err := fn(ctx)
			ch <- item{idx: i, val: v, err: err} // HAZ goroutine-blocked-send
		}()
	}

	out := make([]string, len(fns))
	for range fns {
		select {
		case it := <-ch:
			if it.err != nil {
				return nil, it.err
			}
			out[it.idx] = it.val
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// FirstOf returns the first successful value of fns and cancels the rest.
func FirstOf(ctx context.Context, fns ...func(context.Context) (string, error)) (string, error) {
	if len(fns) == 0 {
		return "", errors.New("pool: FirstOf needs at least one function")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type item struct {
		val string
		err error
	}
	ch := make(chan item, len(fns))
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			ch <- item{val: v, err: err}
		}()
	}

	var errs []error
	for range fns {
		select {
		case it := <-ch:
			if it.err == nil {
				return it.val, nil
			}
			errs = append(errs, it.err)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", errors.Join(errs...)
}
