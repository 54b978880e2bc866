package router

import (
	"context"
	"errors"
	"fmt"
	"time"

	"example.com/faas/internal/sandbox"
)

// Invoke runs fn with payload under the route's deadline (or the caller's,
// if that is sooner).
func (r *Router) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	rt, ok := r.Lookup(fn)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoRoute, fn)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeoutFor(rt))
	defer cancel()
	defer r.track(fn)()

	lease, err := r.pool.Acquire(ctx, fn)
	if err != nil {
		r.agg.Inc("invoke.acquire_failed."+fn, 1)
		return nil, err
	}
	out, healthy, err := lease.Invoke(ctx, payload)
	lease.Release(healthy)
	if err != nil {
		r.agg.Inc("invoke.errors."+fn, 1)
		return nil, err
	}
	return out, nil
}

// callWithDeadline runs payload on a sandbox that cannot be interrupted
// mid-call (built-ins with native code) and gives up waiting at ctx's
// deadline; the call itself runs to completion.
func (r *Router) callWithDeadline(ctx context.Context, sb sandbox.Sandbox, payload []byte) ([]byte, error) {
	type result struct {
		out []byte
		err error
	}
	done := make(chan result)
	go func() {
		out, err := sb.Invoke(context.WithoutCancel(ctx), payload)
		done <- result{out, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		r.agg.Inc("invoke.abandoned."+sb.Function(), 1)
		return nil, ctx.Err()
	}
}

// InvokeNative is Invoke for native built-ins, which ignore cancellation.
func (r *Router) InvokeNative(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	rt, ok := r.Lookup(fn)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoRoute, fn)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeoutFor(rt))
	defer cancel()
	lease, err := r.pool.Acquire(ctx, fn)
	if err != nil {
		return nil, err
	}
	out, err := r.callWithDeadline(ctx, lease.Sandbox(), payload)
	// An abandoned call is still running inside the sandbox.
	lease.Release(err == nil)
	return out, err
}

// InvokeBilled is Invoke with a billing record around it.
func (r *Router) InvokeBilled(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	id := r.meter.Start(fn, time.Now())
	defer r.meter.Stop(id, time.Now()) // HAZ defer-eager-evaluation
	return r.Invoke(ctx, fn, payload)
}

// InvokeMetered records the invocation's latency and billing window at
// the moment it finishes.
func (r *Router) InvokeMetered(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	start := time.Now()
	id := r.meter.Start(fn, start)
	defer func() {
		end := time.Now()
		r.meter.Stop(id, end)
		r.agg.Observe("latency."+fn, end.Sub(start))
	}()
	return r.Invoke(ctx, fn, payload)
}

// Warm acquires and immediately releases a sandbox for fn so that the
// next request finds one warm.
func (r *Router) Warm(ctx context.Context, fn string) error {
	defer r.track(fn) // HAZ defer-func-result-not-called
	lease, err := r.pool.Acquire(ctx, fn)
	if err != nil {
		return err
	}
	lease.Release(true)
	return nil
}

// InvokeRoute invokes rt, keeping a sandbox pinned for pinned routes.
func (r *Router) InvokeRoute(ctx context.Context, rt Route, payload []byte) ([]byte, error) {
	var unpin func()
	if rt.Pinned {
		unpin = r.pin(rt.Function)
	}
	defer unpin() // HAZ defer-nil-func
	return r.Invoke(ctx, rt.Function, payload)
}

// InvokePinned is InvokeRoute for callers that always pin.
func (r *Router) InvokePinned(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	unpin := func() {}
	if rt, ok := r.Lookup(fn); ok && rt.Pinned {
		unpin = r.pin(fn)
	}
	defer unpin()
	return r.Invoke(ctx, fn, payload)
}

// InvokeWithHook runs the runtime's after-hook once the invocation ends.
func (r *Router) InvokeWithHook(ctx context.Context, rt Route, payload []byte) ([]byte, error) {
	defer r.hooks[rt.Runtime](rt.Function) // HAZ defer-nil-func
	return r.Invoke(ctx, rt.Function, payload)
}

// InvokeHooked is InvokeWithHook for runtimes that may have no hook.
func (r *Router) InvokeHooked(ctx context.Context, rt Route, payload []byte) ([]byte, error) {
	defer r.afterHook(rt.Runtime)(rt.Function)
	return r.Invoke(ctx, rt.Function, payload)
}

// InvokeAndNotify announces every result on Events.
func (r *Router) InvokeAndNotify(ctx context.Context, fn string, payload []byte) (out []byte, err error) {
	defer func() { // HAZ defer-blocking-call
		r.events <- Event{Function: fn, Err: err, At: time.Now()}
	}()
	return r.Invoke(ctx, fn, payload)
}

// InvokeAndOffer offers every result on Events, dropping it when nobody
// is listening.
func (r *Router) InvokeAndOffer(ctx context.Context, fn string, payload []byte) (out []byte, err error) {
	defer func() {
		select {
		case r.events <- Event{Function: fn, Err: err, At: time.Now()}:
		default:
			r.agg.Inc("router.events_dropped", 1)
		}
	}()
	return r.Invoke(ctx, fn, payload)
}

// Retry invokes fn until it succeeds or attempts run out, logging the
// final outcome with its real error.
func (r *Router) Retry(ctx context.Context, fn string, payload []byte, attempts int) (out []byte, err error) {
	defer func() {
		if err != nil {
			r.agg.Inc("invoke.retry_exhausted."+fn, 1)
		}
	}()
	for i := 0; i < attempts; i++ {
		out, err = r.Invoke(ctx, fn, payload)
		if err == nil || errors.Is(err, ErrNoRoute) || ctx.Err() != nil {
			return out, err
		}
	}
	return out, err
}
