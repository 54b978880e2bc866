package testrunner

import (
	"context"
	"fmt"
	"time"

	"example.com/clidevtools/internal/spinner"
)

// RegisterFixture installs setup and teardown hooks for a fixture name.
func (r *Runner) RegisterFixture(name string, setup, teardown func()) {
	r.Setup[name] = setup
	if teardown != nil {
		r.Teardown[name] = teardown
	}
}

// RunWithFixture runs pkg between the fixture's setup and teardown.
func (r *Runner) RunWithFixture(ctx context.Context, pkg, fixture string) (Result, error) {
	setup, ok := r.Setup[fixture]
	if !ok {
		return Result{}, fmt.Errorf("testrunner: unknown fixture %q", fixture)
	}
	teardown := r.Teardown[fixture]
	setup()
	defer teardown() // HAZ defer-nil-func
	return r.RunPackage(ctx, pkg)
}

// RunFixture only defers a teardown that exists.
func (r *Runner) RunFixture(ctx context.Context, pkg, fixture string) (Result, error) {
	setup, ok := r.Setup[fixture]
	if !ok {
		return Result{}, fmt.Errorf("testrunner: unknown fixture %q", fixture)
	}
	setup()
	if teardown, ok := r.Teardown[fixture]; ok {
		defer teardown()
	}
	return r.RunPackage(ctx, pkg)
}

// RunTracked shows a spinner while pkg runs.
func (r *Runner) RunTracked(ctx context.Context, pkg string) (Result, error) {
	defer spinner.Track(r.Out, "testing "+pkg)()
	return r.RunPackage(ctx, pkg)
}

// RunWithSpinner shows a spinner while pkg runs, stopping it explicitly on
// every path via defer.
func (r *Runner) RunWithSpinner(ctx context.Context, pkg string) (Result, error) {
	sp := spinner.New(r.Out, "testing "+pkg)
	sp.Start()
	defer sp.Stop()
	res, err := r.RunPackage(ctx, pkg)
	spinner.Step(r.Out, pkg, res.Elapsed, err)
	return res, err
}

// Retry reruns a failing package up to attempts times with backoff.
func (r *Runner) Retry(ctx context.Context, pkg string, attempts int) (Result, error) {
	var res Result
	var err error
	backoff := time.Second
	for attempt := 1; attempt <= attempts; attempt++ {
		res, err = r.RunPackage(ctx, pkg)
		if err == nil && res.OK() {
			return res, nil
		}
		r.logf("%s: attempt %d failed", pkg, attempt)
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return res, err
}

// RunNotify runs pkg and tells an optional listener that it finished,
// without ever blocking when nobody listens.
func (r *Runner) RunNotify(ctx context.Context, pkg string, done chan<- string) (Result, error) {
	defer func() {
		select {
		case done <- pkg:
		default:
		}
	}()
	return r.RunPackage(ctx, pkg)
}
