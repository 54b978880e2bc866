package testrunner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"example.com/clidevtools/internal/procutil"
)

// RunAll runs packages with at most r.Parallel concurrent `go test`s.
func (r *Runner) RunAll(ctx context.Context, pkgs []string) ([]Result, error) {
	results := make([]Result, len(pkgs))
	errs := make([]error, len(pkgs))
	sem := make(chan struct{}, max(1, r.Parallel))
	var wg sync.WaitGroup
	for i, pkg := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = r.RunPackage(ctx, pkg)
		}()
	}
	wg.Wait()
	return results, errors.Join(errs...)
}

// Prebuild compiles packages concurrently to warm the build cache.
func (r *Runner) Prebuild(ctx context.Context, pkgs []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(pkgs))
	for _, p := range pkgs {
		wg.Add(1)
		go func() {
			out, err := procutil.New("go", "build", "-o", os.DevNull, p).InDir(r.Dir).Output(ctx)
			if err != nil {
				errs <- fmt.Errorf("%s: %w (%s)", p, err, out)
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

// Warm is Prebuild with Done deferred.
func (r *Runner) Warm(ctx context.Context, pkgs []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(pkgs))
	for _, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := procutil.New("go", "build", "-o", os.DevNull, p).InDir(r.Dir).Output(ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", p, err)
			}
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

// VetAll runs go vet per package concurrently.
func (r *Runner) VetAll(ctx context.Context, pkgs []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := procutil.New("go", "vet", p).InDir(r.Dir).Output(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// VetEach runs go vet per package; the mutex is released by defer inside a
// helper closure.
func (r *Runner) VetEach(ctx context.Context, pkgs []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	record := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}
	for _, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := procutil.New("go", "vet", p).InDir(r.Dir).Output(ctx); err != nil {
				record(err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunRepeated runs one package n times concurrently to shake out flakes.
func (r *Runner) RunRepeated(ctx context.Context, pkg string, n int) []Result {
	results := make([]Result, n)
	var wg sync.WaitGroup
	var i int
	for i = 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			res, _ := r.RunPackage(ctx, pkg)
			results[i] = res
		}()
	}
	wg.Wait()
	return results
}

// RunRepeatedArg is RunRepeated with the index passed as an argument.
func (r *Runner) RunRepeatedArg(ctx context.Context, pkg string, n int) []Result {
	results := make([]Result, n)
	var wg sync.WaitGroup
	var i int
	for i = 0; i < n; i++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			res, _ := r.RunPackage(ctx, pkg)
			results[k] = res
		}(i)
	}
	wg.Wait()
	return results
}

// FirstFailure runs packages concurrently and returns the first failing
// result; every worker sends exactly once and every send is received.
func (r *Runner) FirstFailure(ctx context.Context, pkgs []string) (Result, bool) {
	ch := make(chan Result)
	for _, p := range pkgs {
		go func() {
			res, _ := r.RunPackage(ctx, p)
			ch <- res
		}()
	}
	var first Result
	found := false
	for range pkgs {
		res := <-ch
		if !found && !res.OK() {
			first, found = res, true
		}
	}
	return first, found
}
