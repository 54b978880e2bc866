//go:build go1.21

// This file is kept buildable by the go1.21 toolchain of the old fleet
// image; the build constraint also sets its language version to go1.21.

package registry

import (
	"context"
	"sync"
)

// ProbeAll checks every instance concurrently and returns the errors by id.
func ProbeAll(ctx context.Context, insts []Instance, probe func(context.Context, Instance) error) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(map[string]error, len(insts))
	for _, inst := range insts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			err := probe(ctx, inst)
			mu.Lock()
			errs[inst.ID] = err
			mu.Unlock()
		}()
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	return errs
}

// ProbeHealthy returns the instances whose probe succeeded. The loop
// variable is copied before the goroutine captures it.
func ProbeHealthy(ctx context.Context, insts []Instance, probe func(context.Context, Instance) error) []Instance {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var healthy []Instance
	for _, inst := range insts {
		inst := inst
		wg.Add(1)
		go func() {
			defer wg.Done()
			if probe(ctx, inst) == nil {
				mu.Lock()
				healthy = append(healthy, inst)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return healthy
}

// ProbeEach probes instances in parallel, passing each one as an argument.
func ProbeEach(ctx context.Context, insts []Instance, probe func(context.Context, Instance) error) []error {
	errs := make([]error, len(insts))
	var wg sync.WaitGroup
	for i, inst := range insts {
		wg.Add(1)
		go func(i int, inst Instance) {
			defer wg.Done()
			errs[i] = probe(ctx, inst)
		}(i, inst)
	}
	wg.Wait()
	return errs
}
