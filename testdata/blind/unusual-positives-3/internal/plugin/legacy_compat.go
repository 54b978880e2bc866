//go:build go1.21

package plugin

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// This file keeps the fan-out helpers that predate the host rewrite. It is
// built with the go1.21 language version (see the build line) so that it
// still compiles with the older toolchains used by some plugin authors.

// InitAll initialises ps concurrently with the same configuration.
func InitAll(ctx context.Context, ps []Plugin, cfg Config) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(ps))
	started := 0
	for _, p := range ps {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := p.Init(ctx, cfg); err != nil {
				errs <- fmt.Errorf("init %s: %w", p.Name(), err)
			}
		}()
		started++
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	if len(all) > 0 {
		return fmt.Errorf("%d of %d plugins failed: %w", len(all), started, errors.Join(all...))
	}
	return nil
}

// CloseAll closes ps concurrently.
func CloseAll(ps []Plugin) error {
	var wg sync.WaitGroup
	errs := make([]error, len(ps))
	for i, p := range ps {
		wg.Add(1)
		go func(i int, p Plugin) {
			defer wg.Done()
			errs[i] = p.Close()
		}(i, p)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// HandleAll sends req to every plugin concurrently.
func HandleAll(ctx context.Context, ps []Plugin, req Request) []Result {
	var wg sync.WaitGroup
	out := make([]Result, len(ps))
	for i, p := range ps {
		i, p := i, p
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := p.Handle(ctx, req)
			out[i] = Result{Name: p.Name(), Resp: resp, Err: err}
		}()
	}
	wg.Wait()
	return out
}

// StartPollers starts up to n pollers, each calling poll with its index, and
// returns the group to wait on.
func StartPollers(ctx context.Context, n int, poll func(ctx context.Context, idx int)) *sync.WaitGroup {
	wg := &sync.WaitGroup{}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			poll(ctx, i)
		}()
		if ctx.Err() != nil {
			break
		}
	}
	return wg
}

// PingAll sends a ping to every plugin concurrently and returns the names of
// those that failed.
func PingAll(ctx context.Context, byName map[string]Plugin) []string {
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed []string
	)
	for name, p := range byName {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := p.Handle(ctx, Request{Op: "ping"}); err != nil {
				mu.Lock()
				failed = append(failed, name)
				mu.Unlock()
			}
		}()
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	return failed
}
