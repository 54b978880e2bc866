// Package router maps function names to routes and runs invocations on
// leased sandboxes under the route's deadline.
package router

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/faas/internal/bundle"
	"example.com/faas/internal/metrics"
	"example.com/faas/internal/sandbox"
)

// ErrNoRoute is returned for unknown functions.
var ErrNoRoute = errors.New("router: no such function")

// Route is the deployed configuration of one function.
type Route struct {
	Function string        `json:"function"`
	Runtime  string        `json:"runtime"`
	Timeout  time.Duration `json:"timeout"`
	Pinned   bool          `json:"pinned"`
	Bundle   bundle.Ref    `json:"bundle"`
}

// Event announces a finished invocation.
type Event struct {
	Function string
	Err      error
	At       time.Time
}

// Router dispatches invocations.
type Router struct {
	mu         sync.RWMutex
	routes     map[string]Route
	defTimeout time.Duration
	maxTimeout time.Duration

	pool     *sandbox.Pool
	agg      *metrics.Aggregator
	meter    *metrics.Meter
	inflight atomic.Int64
	pins     sync.Map // fn -> *atomic.Int64
	hooks    map[string]func(fn string)
	events   chan Event
	replayMu sync.Mutex
}

// New returns a router over pool.
func New(pool *sandbox.Pool, agg *metrics.Aggregator, meter *metrics.Meter, defTimeout time.Duration) *Router {
	return &Router{
		routes:     make(map[string]Route),
		defTimeout: defTimeout,
		maxTimeout: 15 * time.Minute,
		pool:       pool,
		agg:        agg,
		meter:      meter,
		hooks:      make(map[string]func(string)),
		events:     make(chan Event),
	}
}

// Register adds or replaces a route.
func (r *Router) Register(rt Route) error {
	if rt.Function == "" {
		return errors.New("router: route without function")
	}
	if rt.Timeout < 0 {
		return fmt.Errorf("router: %s: negative timeout", rt.Function)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.routes[rt.Function] = rt
	return nil
}

// Remove deletes a route and reports whether it existed.
func (r *Router) Remove(fn string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.routes[fn]
	delete(r.routes, fn)
	return ok
}

// Lookup returns the route of fn.
func (r *Router) Lookup(fn string) (Route, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	rt, ok := r.routes[fn]
	return rt, ok
}

// Routes returns every route sorted by function name.
func (r *Router) Routes() []Route {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Route, 0, len(r.routes))
	for _, rt := range r.routes {
		out = append(out, rt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Function < out[j].Function })
	return out
}

// SetDefaultTimeout changes the timeout of routes that do not set one.
func (r *Router) SetDefaultTimeout(d time.Duration) error {
	if d <= 0 || d > r.maxTimeout {
		return fmt.Errorf("router: default timeout %s out of range", d)
	}
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	r.defTimeout = d
	return nil
}

// timeoutFor returns the deadline budget of rt.
func (r *Router) timeoutFor(rt Route) time.Duration {
	if rt.Timeout > 0 {
		return min(rt.Timeout, r.maxTimeout)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.defTimeout
}

// SetHook installs a function called after every invocation of a runtime.
// Hooks are installed at start-up, before the router serves traffic.
func (r *Router) SetHook(runtime string, h func(fn string)) {
	r.hooks[runtime] = h
}

// afterHook returns the hook of runtime, or a no-op.
func (r *Router) afterHook(runtime string) func(string) {
	if h, ok := r.hooks[runtime]; ok && h != nil {
		return h
	}
	return func(string) {}
}

// track counts an invocation as in flight until the returned func runs.
func (r *Router) track(fn string) func() {
	r.inflight.Add(1)
	r.agg.Inc("invocations."+fn, 1)
	return func() { r.inflight.Add(-1) }
}

// InFlight returns the number of running invocations.
func (r *Router) InFlight() int64 { return r.inflight.Load() }

// pin keeps at least one sandbox of fn warm while the returned func has
// not run.
func (r *Router) pin(fn string) func() {
	v, _ := r.pins.LoadOrStore(fn, new(atomic.Int64))
	n := v.(*atomic.Int64)
	n.Add(1)
	return func() { n.Add(-1) }
}

// Pinned reports whether fn currently has pinned invocations.
func (r *Router) Pinned(fn string) bool {
	v, ok := r.pins.Load(fn)
	return ok && v.(*atomic.Int64).Load() > 0
}

// Events returns the channel on which InvokeAndNotify announces results.
func (r *Router) Events() <-chan Event { return r.events }
