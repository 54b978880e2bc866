package router

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"example.com/faas/internal/sandbox"
)

// InvokeSequence runs a pipeline: each function's output is the next
// one's input.
func (r *Router) InvokeSequence(ctx context.Context, fns []string, payload []byte) ([]byte, error) {
	data := payload
	for _, fn := range fns {
		lease, err := r.pool.Acquire(ctx, fn)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
		defer lease.Release(true) // HAZ defer-in-loop
		out, _, err := lease.Invoke(ctx, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
		data = out
	}
	return data, nil
}

// InvokeChain is InvokeSequence that gives each sandbox back before
// moving to the next step.
func (r *Router) InvokeChain(ctx context.Context, fns []string, payload []byte) ([]byte, error) {
	data := payload
	for _, fn := range fns {
		out, err := r.Invoke(ctx, fn, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
		data = out
	}
	return data, nil
}

// RetryEach invokes fn with a fresh per-attempt deadline until it works.
func (r *Router) RetryEach(ctx context.Context, fn string, payload []byte, attempts int, per time.Duration) ([]byte, error) {
	var errs []error
	for i := 0; i < attempts; i++ {
		actx, cancel := context.WithTimeout(ctx, per)
		defer cancel() // HAZ defer-in-loop
		out, err := r.Invoke(actx, fn, payload)
		if err == nil {
			return out, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// InvokeLeased runs payload on a lease held for the whole call, so that
// the sandbox's warm state is reused by the caller's follow-up calls.
func (r *Router) InvokeLeased(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	lease, err := r.pool.Acquire(ctx, fn)
	defer lease.Release(true) // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	out, _, err := lease.Invoke(ctx, payload)
	return out, err
}

// InvokeWithFailover retries once on a fresh sandbox when the first one
// turns out to be dead.
func (r *Router) InvokeWithFailover(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	lease, err := r.pool.Acquire(ctx, fn)
	if err != nil {
		return nil, err
	}
	defer lease.Release(true) // HAZ defer-eager-evaluation
	out, healthy, err := lease.Invoke(ctx, payload)
	if err != nil && !healthy {
		lease, err = r.pool.Acquire(ctx, fn)
		if err != nil {
			return nil, err
		}
		out, _, err = lease.Invoke(ctx, payload)
	}
	return out, err
}

// InvokeFailover is InvokeWithFailover with each lease released where it
// ends.
func (r *Router) InvokeFailover(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	for attempt := 0; attempt < 2; attempt++ {
		lease, err := r.pool.Acquire(ctx, fn)
		if err != nil {
			return nil, err
		}
		out, healthy, err := lease.Invoke(ctx, payload)
		lease.Release(healthy)
		if err == nil || healthy {
			return out, err
		}
	}
	return nil, fmt.Errorf("%s: %w", fn, sandbox.ErrDead)
}

// InvokeAsync runs fn in the background and hands the result to done.
// A panic while setting up is reported through done as well.
func (r *Router) InvokeAsync(ctx context.Context, fn string, payload []byte, done func([]byte, error)) {
	defer func() {
		if v := recover(); v != nil {
			done(nil, fmt.Errorf("router: async %s: %v", fn, v))
		}
	}()
	rt, ok := r.Lookup(fn)
	if !ok {
		done(nil, fmt.Errorf("%w: %s", ErrNoRoute, fn))
		return
	}
	go func() { // HAZ goroutine-outside-recover
		out, err := r.InvokeRoute(ctx, rt, payload)
		done(out, err)
	}()
}

// callHook runs a runtime hook, which comes from a plugin.
func (r *Router) callHook(h func(string), fn string) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	h(fn)
}

// callHookLogged runs a runtime hook and logs a panic from it.
func (r *Router) callHookLogged(h func(string), fn string) {
	defer func() {
		if v := recover(); v != nil {
			r.agg.Inc("router.hook_panics", 1)
			log.Printf("router: hook for %s panicked: %v", fn, v)
		}
	}()
	h(fn)
}

// RunHooks calls every installed hook for fn.
func (r *Router) RunHooks(fn string, logged bool) {
	for _, h := range r.hooks {
		if logged {
			r.callHookLogged(h, fn)
		} else {
			r.callHook(h, fn)
		}
	}
}
