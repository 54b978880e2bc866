//go:build go1.21

package testrunner

import (
	"context"
	"sync"
)

// This file keeps the pre-1.22 loop semantics: it is still built by the
// release branch toolchain.

// RunSerialFallback runs packages concurrently, one goroutine each.
func (r *Runner) RunSerialFallback(ctx context.Context, pkgs []string) []Result {
	results := make([]Result, len(pkgs))
	var wg sync.WaitGroup
	for i, pkg := range pkgs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results[i], _ = r.RunPackage(ctx, pkg)
		}()
		r.logf("started %s", pkg)
	}
	wg.Wait()
	return results
}

// RunWithArgs passes the loop variables as arguments.
func (r *Runner) RunWithArgs(ctx context.Context, pkgs []string) []Result {
	results := make([]Result, len(pkgs))
	var wg sync.WaitGroup
	for i, pkg := range pkgs {
		wg.Add(1)
		go func(i int, pkg string) {
			defer wg.Done()
			results[i], _ = r.RunPackage(ctx, pkg)
		}(i, pkg)
		r.logf("started %s", pkg)
	}
	wg.Wait()
	return results
}

// RunWithCopies shadows the loop variables with per-iteration copies.
func (r *Runner) RunWithCopies(ctx context.Context, pkgs []string) []Result {
	results := make([]Result, len(pkgs))
	var wg sync.WaitGroup
	for i, pkg := range pkgs {
		i, pkg := i, pkg
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = r.RunPackage(ctx, pkg)
		}()
		r.logf("started %s", pkg)
	}
	wg.Wait()
	return results
}
