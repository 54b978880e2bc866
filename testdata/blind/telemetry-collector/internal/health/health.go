// Package health runs liveness checks of the pipeline components and
// serves /healthz and /readyz.
package health

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Checker is one health check.
type Checker interface {
	Name() string
	Check(ctx context.Context) error
}

// Result is the outcome of one check.
type Result struct {
	OK       bool          `json:"ok"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	At       time.Time     `json:"at"`
}

// Registry holds the checks and their last results.
type Registry struct {
	timeout time.Duration
	ready   atomic.Bool

	mu     sync.RWMutex
	checks []Checker
	last   map[string]Result
}

// New returns a registry whose checks time out after timeout.
func New(timeout time.Duration) *Registry {
	return &Registry{timeout: timeout, last: make(map[string]Result)}
}

// Register adds a check.
func (r *Registry) Register(c Checker) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks = append(r.checks, c)
}

// SetReady flips readiness, e.g. once all pipelines started.
func (r *Registry) SetReady(ok bool) { r.ready.Store(ok) }

// runCheck runs c but gives up after ctx ends, since a check may hang on a
// dead backend.
func (r *Registry) runCheck(ctx context.Context, c Checker) error {
	res := make(chan error)
	go func() {
		res <- c.Check(ctx) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RunAll runs every check concurrently and records the results.
func (r *Registry) RunAll(ctx context.Context) map[string]Result {
	r.mu.RLock()
	checks := append([]Checker(nil), r.checks...)
	r.mu.RUnlock()

	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	type named struct {
		name string
		res  Result
	}
	out := make(chan named, len(checks))
	for _, c := range checks {
		go func(c Checker) {
			start := time.Now()
			err := r.runCheck(ctx, c)
			res := Result{OK: err == nil, Duration: time.Since(start), At: start}
			if err != nil {
				res.Error = err.Error()
			}
			out <- named{c.Name(), res}
		}(c)
	}
	results := make(map[string]Result, len(checks))
	for range checks {
		n := <-out
		results[n.name] = n.res
	}
	r.mu.Lock()
	for k, v := range results {
		r.last[k] = v
	}
	r.mu.Unlock()
	return results
}

// Last returns the most recent result of every check.
func (r *Registry) Last() map[string]Result {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]Result, len(r.last))
	for k, v := range r.last {
		out[k] = v
	}
	return out
}

// ServeHTTP serves /healthz: 200 when every check passes.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	results := r.RunAll(req.Context())
	status := http.StatusOK
	for _, res := range results {
		if !res.OK {
			status = http.StatusServiceUnavailable
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(results)
}

// Ready serves /readyz.
func (r *Registry) Ready(w http.ResponseWriter, _ *http.Request) {
	if !r.ready.Load() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// QuickCheck runs one check with its own deadline; the result channel is
// buffered so the check's goroutine can always finish.
func QuickCheck(c Checker, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res := make(chan error, 1)
	go func() { res <- c.Check(ctx) }()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Unregister removes the check with the given name.
func (r *Registry) Unregister(name string) bool {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	for i, c := range r.checks {
		if c.Name() == name {
			r.checks = append(r.checks[:i], r.checks[i+1:]...)
			delete(r.last, name)
			return true
		}
	}
	return false
}

// Loop refreshes the results every interval so that /readyz reflects the
// components' health; it runs for the life of the process.
func (r *Registry) Loop(every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), 2*r.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		healthy := true
		for _, res := range r.RunAll(ctx) {
			healthy = healthy && res.OK
		}
		r.SetReady(healthy)
	}
}

// LoopUntil is Loop with an end: each round's context is released before
// the next round starts.
func (r *Registry) LoopUntil(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		func() {
			rctx, cancel := context.WithTimeout(ctx, 2*r.timeout)
			defer cancel()
			healthy := true
			for _, res := range r.RunAll(rctx) {
				healthy = healthy && res.OK
			}
			r.SetReady(healthy)
		}()
	}
}

func (r *Registry) snapshotChecks() []Checker {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]Checker(nil), r.checks...)
}

// FirstFailure runs the checks concurrently and returns the first error.
func (r *Registry) FirstFailure(ctx context.Context) error {
	checks := r.snapshotChecks()
	errc := make(chan error)
	for _, c := range checks {
		go func(c Checker) {
			errc <- c.Check(ctx) // HAZ goroutine-blocked-send
		}(c)
	}
	for range checks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// RunSequential runs the checks one at a time, each with its own timeout;
// for checks that share a backend which dislikes concurrent probes.
func (r *Registry) RunSequential(ctx context.Context) map[string]Result {
	out := make(map[string]Result)
	for _, c := range r.snapshotChecks() {
		cctx, cancel := context.WithTimeout(ctx, r.timeout)
		defer cancel() // HAZ defer-in-loop
		start := time.Now()
		err := c.Check(cctx)
		res := Result{OK: err == nil, Duration: time.Since(start), At: start}
		if err != nil {
			res.Error = err.Error()
		}
		out[c.Name()] = res
	}
	return out
}
