package controller

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Summary is the controller's state for the status page.
type Summary struct {
	Name     string
	Inflight []string
	Errors   map[string]string
}

// errorString formats the last error of key.
func (c *Controller) errorString(key string) string {
	if err := c.LastError(key); err != nil {
		return err.Error()
	}
	return ""
}

// Summarize collects in-flight keys and their errors.
func (c *Controller) Summarize() Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Summary{Name: c.name, Errors: make(map[string]string)}
	for k := range c.inflight {
		s.Inflight = append(s.Inflight, k)
		if msg := c.errorString(k); msg != "" { // HAZ lock-reentry-under-defer
			s.Errors[k] = msg
		}
	}
	sort.Strings(s.Inflight)
	return s
}

// SummarizeLocked reads the maps directly while holding the lock.
func (c *Controller) SummarizeLocked() Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Summary{Name: c.name, Errors: make(map[string]string, len(c.lastErr))}
	for k := range c.inflight {
		s.Inflight = append(s.Inflight, k)
	}
	for k, err := range c.lastErr {
		s.Errors[k] = err.Error()
	}
	sort.Strings(s.Inflight)
	return s
}

// String implements fmt.Stringer from a summary taken first.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d in flight", s.Name, len(s.Inflight))
	for _, k := range s.Inflight {
		if msg := s.Errors[k]; msg != "" {
			fmt.Fprintf(&b, "\n  %s: %s", k, msg)
		}
	}
	return b.String()
}

// retryReconcile retries a key up to attempts times, each attempt with its
// own deadline.
func (c *Controller) retryReconcile(ctx context.Context, key string, attempts int, perTry time.Duration) error {
	var errs []error
	for i := 0; i < attempts; i++ {
		tryCtx, cancel := context.WithTimeout(ctx, perTry)
		defer cancel() // HAZ defer-in-loop
		_, err := c.safeReconcile(tryCtx, key)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// retryEach is retryReconcile with the deadline scoped to one attempt.
func (c *Controller) retryEach(ctx context.Context, key string, attempts int, perTry time.Duration) error {
	var errs []error
	for i := 0; i < attempts; i++ {
		err := c.attempt(ctx, key, perTry)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (c *Controller) attempt(ctx context.Context, key string, perTry time.Duration) error {
	tryCtx, cancel := context.WithTimeout(ctx, perTry)
	defer cancel()
	_, err := c.safeReconcile(tryCtx, key)
	return err
}

// reconcileBatch reconciles keys concurrently and waits for all of them.
func (c *Controller) reconcileBatch(ctx context.Context, keys []string) []error {
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := c.informer.Store().Get(key); !ok {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			_, errs[i] = c.safeReconcile(ctx, key)
		}()
	}
	wg.Wait()
	return errs
}

// reconcileExisting is reconcileBatch with the single deferred Done.
func (c *Controller) reconcileExisting(ctx context.Context, keys []string) []error {
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := c.informer.Store().Get(key); !ok {
				return
			}
			_, errs[i] = c.safeReconcile(ctx, key)
		}()
	}
	wg.Wait()
	return errs
}

// logPanic reports a recovered hook panic with the key it concerned.
func (c *Controller) logPanic(key string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		c.crashes.Add(1)
		c.log.Printf("%s: hook for %s panicked: %v", c.name, key, r)
	}
}

// runCleanupHook runs a hook and then logs any panic.
func (c *Controller) runCleanupHook(key string, hook func(string)) {
	defer func() {
		c.logPanic(key)
	}()
	hook(key)
}

// runHookAsync runs hooks on their own goroutines, each protected by its
// own deferred handleCrash; the function joins them before returning.
func (c *Controller) runHookAsync(keys []string, hook func(string)) {
	defer c.handleCrash("hook fan-out")
	var wg sync.WaitGroup
	for _, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.handleCrash("hook " + key)
			hook(key)
		}()
	}
	wg.Wait()
}

// notifyHooks runs notification hooks in the background after the caller's
// own recover is set up.
func (c *Controller) notifyHooks(keys []string, hook func(string)) {
	defer c.handleCrash("notify fan-out")
	for _, key := range keys {
		go hook(key) // HAZ goroutine-outside-recover
	}
}
