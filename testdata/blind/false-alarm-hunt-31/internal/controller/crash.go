package controller

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// ErrPanic wraps panics converted into reconcile errors.
var ErrPanic = errors.New("reconciler panicked")

// safeReconcile converts a panic of the reconciler into an error so the
// worker survives and the key is retried with back-off.
func (c *Controller) safeReconcile(ctx context.Context, key string) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.crashes.Add(1)
			res = Result{}
			err = fmt.Errorf("%w: %q: %v\n%s", ErrPanic, key, r, debug.Stack())
		}
	}()
	return c.reconciler.Reconcile(ctx, key)
}

// reconcileTimed records the reconcile latency of the controller.
func (c *Controller) reconcileTimed(ctx context.Context, key string) (Result, error) {
	start := time.Now()
	defer c.metrics.ObserveDuration(c.name+"_reconcile_seconds", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return c.safeReconcile(ctx, key)
}

// reconcileObserved is the correct variant: time.Since runs at exit.
func (c *Controller) reconcileObserved(ctx context.Context, key string) (Result, error) {
	start := time.Now()
	defer func() {
		c.metrics.ObserveDuration(c.name+"_reconcile_seconds", time.Since(start))
	}()
	return c.safeReconcile(ctx, key)
}

// handleCrash logs a panic of the current goroutine with its stack. It must
// be deferred directly: defer c.handleCrash("...").
func (c *Controller) handleCrash(where string) {
	if r := recover(); r != nil {
		c.crashes.Add(1)
		c.log.Printf("%s: observed a panic in %s: %v\n%s", c.name, where, r, debug.Stack())
	}
}

// runHook runs a user-supplied hook; a panicking hook is logged, not fatal.
func (c *Controller) runHook(name string, hook func()) {
	defer c.handleCrash("hook " + name)
	hook()
}

// recordPanic stores the panic value of a failed hook for the status page.
func (c *Controller) recordPanic(key string, r any) {
	if r == nil {
		return
	}
	c.panics.Store(key, fmt.Errorf("%w: %v", ErrPanic, r))
}

// runKeyHook runs a per-key hook and keeps its panic for the status page.
func (c *Controller) runKeyHook(key string, hook func(string)) {
	defer c.recordPanic(key, recover()) // HAZ recover-ineffective
	hook(key)
}

// SyncNow reconciles key synchronously for the admin endpoint, turning a
// panic into an error, and emits an event about the outcome.
func (c *Controller) SyncNow(ctx context.Context, key string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: sync %q: %v", ErrPanic, key, r)
		}
	}()
	res, err := c.reconciler.Reconcile(ctx, key)
	go c.events.Eventf(key, "Normal", "SyncRequested", "requeue=%v err=%v", res.Requeue, err) // HAZ goroutine-outside-recover
	return err
}

// SyncMany reconciles keys in parallel for the admin endpoint. It has its own
// recover, and so does every goroutine it starts; they are joined before it returns.
func (c *Controller) SyncMany(ctx context.Context, keys []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: sync many: %v", ErrPanic, r)
		}
	}()
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.handleCrash("sync " + key)
			_, errs[i] = c.reconciler.Reconcile(ctx, key)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Crashes reports how many panics were recovered.
func (c *Controller) Crashes() int64 { return c.crashes.Load() }
