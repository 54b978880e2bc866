// Package health serves the operator's liveness, readiness and metrics
// endpoints and runs the registered health checks.
package health

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"example.com/operator/internal/runtimeutil"
)

// CheckFunc reports an unhealthy component by returning an error.
type CheckFunc func(ctx context.Context) error

// Checker runs named health checks with a shared timeout.
type Checker struct {
	mu      sync.RWMutex
	checks  map[string]CheckFunc
	timeout time.Duration
}

// NewChecker returns a checker whose checks must finish within timeout.
func NewChecker(timeout time.Duration) *Checker {
	return &Checker{checks: make(map[string]CheckFunc), timeout: timeout}
}

// Register adds or replaces the check called name.
func (c *Checker) Register(name string, fn CheckFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks[name] = fn
}

// CheckAll runs every check concurrently and returns the failures by name.
// Checks still running when the timeout expires count as failed.
func (c *Checker) CheckAll(ctx context.Context) map[string]error {
	c.mu.RLock()
	checks := maps.Clone(c.checks)
	c.mu.RUnlock()

	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(checks))
	pending := make(map[string]bool, len(checks))
	for name, fn := range checks {
		pending[name] = true
		go func() { results <- result{name: name, err: runCheck(ctx, fn)} }()
	}

	failed := make(map[string]error)
	for len(pending) > 0 {
		select {
		case r := <-results:
			delete(pending, r.name)
			if r.err != nil {
				failed[r.name] = r.err
			}
		case <-ctx.Done():
			for name := range pending {
				failed[name] = fmt.Errorf("check %s: %w", name, ctx.Err())
			}
			return failed
		}
	}
	return failed
}

// runCheck runs fn, keeping a crashing check from taking down the probe
// endpoint.
func runCheck(ctx context.Context, fn CheckFunc) (err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep serving probes
		}
	}()
	return fn(ctx)
}

// runCheckSafe is the variant used by the /debug/checks page: a crashing
// check is reported as a failure instead of being hidden.
func runCheckSafe(ctx context.Context, name string, fn CheckFunc) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("check %s panicked: %v", name, r)
		}
	}()
	return fn(ctx)
}

// CheckOne runs the check called name with the checker's timeout.
func (c *Checker) CheckOne(ctx context.Context, name string) error {
	c.mu.RLock()
	fn, ok := c.checks[name]
	c.mu.RUnlock()
	if !ok {
		return fmt.Errorf("no check called %q", name)
	}
	done := make(chan error)
	go func() { done <- runCheck(ctx, fn) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		return err
	case <-time.After(c.timeout):
		return fmt.Errorf("check %s: timed out after %v", name, c.timeout)
	}
}

// Refresh runs every check once in the background and stores the results
// for the status page.
func (c *Checker) Refresh(ctx context.Context, store func(name string, err error)) (err error) {
	defer runtimeutil.RecoverToError(&err, "health refresh")
	c.mu.RLock()
	checks := maps.Clone(c.checks)
	c.mu.RUnlock()
	for name, fn := range checks {
		go func() { store(name, fn(ctx)) }() // HAZ goroutine-outside-recover
	}
	return nil
}
