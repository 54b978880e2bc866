// Package lifecycle runs jobs with optional scratch space, profiling and
// shutdown hooks. Many cleanup functions here are optional func values.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// RunConfig configures a Runner.
type RunConfig struct {
	Scratch bool
}

// Runner runs jobs.
type Runner struct {
	cfg RunConfig
	log *log.Logger
}

// NewRunner builds a runner.
func NewRunner(cfg RunConfig, logger *log.Logger) *Runner { return &Runner{cfg: cfg, log: logger} }

// RunOnce creates a scratch directory only when configured to; otherwise
// cleanup stays nil and the deferred call panics when RunOnce returns.
func (r *Runner) RunOnce(ctx context.Context, job func(ctx context.Context, dir string) error) error {
	var cleanup func()
	dir := os.TempDir()
	if r.cfg.Scratch {
		d, err := os.MkdirTemp("", "job-*")
		if err != nil {
			return err
		}
		dir = d
		cleanup = func() {
			if err := os.Remove(d); err != nil {
				r.log.Printf("scratch %s: %v", d, err)
			}
		}
	}
	defer cleanup() // HAZ defer-nil-func
	return job(ctx, dir)
}

// RunOnceNoop starts from a no-op cleanup.
func (r *Runner) RunOnceNoop(ctx context.Context, job func(ctx context.Context, dir string) error) error {
	cleanup := func() {}
	dir := os.TempDir()
	if r.cfg.Scratch {
		d, err := os.MkdirTemp("", "job-*")
		if err != nil {
			return err
		}
		dir = d
		cleanup = func() {
			if err := os.Remove(d); err != nil {
				r.log.Printf("scratch %s: %v", d, err)
			}
		}
	}
	defer cleanup() // ok: never nil
	return job(ctx, dir)
}

// RunOnceGuarded defers only when a cleanup exists.
func (r *Runner) RunOnceGuarded(ctx context.Context, job func(ctx context.Context, dir string) error) error {
	var cleanup func()
	dir := os.TempDir()
	if r.cfg.Scratch {
		d, err := os.MkdirTemp("", "job-*")
		if err != nil {
			return err
		}
		dir = d
		cleanup = func() {
			if err := os.Remove(d); err != nil {
				r.log.Printf("scratch %s: %v", d, err)
			}
		}
	}
	if cleanup != nil {
		defer cleanup() // ok: guarded
	}
	return job(ctx, dir)
}

func flushCache()   { log.Printf("cache flushed") }
func flushMetrics() { log.Printf("metrics flushed") }

// shutdownHooks maps component names to flush functions. Only two
// components have one.
var shutdownHooks = map[string]func(){
	"cache":   flushCache,
	"metrics": flushMetrics,
}

func (r *Runner) stop(name string) error {
	r.log.Printf("stopping %s", name)
	return nil
}

// StopComponent defers the hook straight from the map: for any other
// component the lookup yields nil and StopComponent panics on return.
func (r *Runner) StopComponent(name string) error {
	defer shutdownHooks[name]() // HAZ defer-nil-func
	return r.stop(name)
}

// StopComponentSafe checks the lookup first.
func (r *Runner) StopComponentSafe(name string) error {
	if hook, ok := shutdownHooks[name]; ok {
		defer hook() // ok: present in a map of non-nil funcs
	}
	return r.stop(name)
}

// stage is a named step; onDone is reserved for a completion callback but
// nothing in this package ever sets it.
type stage struct {
	name   string
	run    func(context.Context) error
	onDone func()
}

// RunStage defers a field that is never set.
func (r *Runner) RunStage(ctx context.Context, name string, fn func(context.Context) error) error {
	st := &stage{name: name, run: fn}
	defer st.onDone() // HAZ defer-nil-func
	r.log.Printf("stage %s", st.name)
	return st.run(ctx)
}

// RunStageTimed sets the callback in the literal before deferring it.
func (r *Runner) RunStageTimed(ctx context.Context, name string, fn func(context.Context) error) error {
	start := time.Now()
	st := &stage{name: name, run: fn, onDone: func() {
		r.log.Printf("stage %s took %s", name, time.Since(start))
	}}
	defer st.onDone() // ok: set in the composite literal
	return st.run(ctx)
}

// Measure installs a measurement for known modes only; an unknown mode
// leaves stop nil.
func (r *Runner) Measure(mode, name string, fn func() error) error {
	var stop func()
	switch mode {
	case "timing":
		start := time.Now()
		stop = func() { r.log.Printf("%s took %s", name, time.Since(start)) }
	case "alloc":
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop = func() {
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			r.log.Printf("%s allocated %d bytes", name, after.TotalAlloc-before.TotalAlloc)
		}
	}
	defer stop() // HAZ defer-nil-func
	return fn()
}

// MeasureDefault has a default branch, so every path assigns stop.
func (r *Runner) MeasureDefault(mode, name string, fn func() error) error {
	var stop func()
	switch mode {
	case "timing":
		start := time.Now()
		stop = func() { r.log.Printf("%s took %s", name, time.Since(start)) }
	case "alloc":
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop = func() {
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			r.log.Printf("%s allocated %d bytes", name, after.TotalAlloc-before.TotalAlloc)
		}
	default:
		stop = func() {}
	}
	defer stop() // ok: assigned on all paths
	return fn()
}

// MeasureIfElse assigns in both branches of an if/else.
func (r *Runner) MeasureIfElse(verbose bool, name string, fn func() error) error {
	var done func()
	if verbose {
		start := time.Now()
		done = func() { r.log.Printf("%s took %s", name, time.Since(start)) }
	} else {
		done = func() {}
	}
	defer done() // ok
	return fn()
}

// startHeartbeat returns nil when heartbeats are disabled.
func startHeartbeat(interval time.Duration, logf func(string, ...any)) func() {
	if interval <= 0 {
		return nil
	}
	t := time.NewTicker(interval)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				logf("alive")
			case <-done:
				return
			}
		}
	}()
	return func() {
		t.Stop()
		close(done)
	}
}

// Serve defers the heartbeat stopper, which is nil for interval <= 0.
func (r *Runner) Serve(ctx context.Context, interval time.Duration) error {
	stop := startHeartbeat(interval, r.log.Printf)
	defer stop() // HAZ defer-nil-func
	<-ctx.Done()
	return ctx.Err()
}

// ServeGuarded checks the stopper.
func (r *Runner) ServeGuarded(ctx context.Context, interval time.Duration) error {
	if stop := startHeartbeat(interval, r.log.Printf); stop != nil {
		defer stop() // ok: guarded
	}
	<-ctx.Done()
	return ctx.Err()
}

// RunWithDeadline defers the cancel func of a derived context; it is never
// nil.
func (r *Runner) RunWithDeadline(parent context.Context, d time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, d)
	defer cancel() // ok: context cancel funcs are never nil
	return fn(ctx)
}

type cleanupKey struct{}

// WithCleanup stores a cleanup func in a context.
func WithCleanup(ctx context.Context, fn func()) context.Context {
	return context.WithValue(ctx, cleanupKey{}, fn)
}

// RunWithContextCleanup uses a comma-ok type assertion: when the context
// carries no cleanup, cleanup is nil.
func (r *Runner) RunWithContextCleanup(ctx context.Context, fn func() error) error {
	cleanup, _ := ctx.Value(cleanupKey{}).(func())
	defer cleanup() // HAZ defer-nil-func
	return fn()
}

// RunWithContextCleanupChecked uses the ok result.
func (r *Runner) RunWithContextCleanupChecked(ctx context.Context, fn func() error) error {
	if cleanup, ok := ctx.Value(cleanupKey{}).(func()); ok && cleanup != nil {
		defer cleanup() // ok: checked
	}
	return fn()
}

// ServerConfig configures a Server.
type ServerConfig struct {
	Metrics bool
}

// Server has an optional metrics flusher.
type Server struct {
	flushMetrics func()
	closers      []func() error
}

// NewServer only sets flushMetrics when metrics are enabled.
func NewServer(cfg ServerConfig) *Server {
	s := &Server{}
	if cfg.Metrics {
		s.flushMetrics = flushMetrics
	}
	return s
}

func (s *Server) closeListeners() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// Shutdown defers the optional flusher unconditionally.
func (s *Server) Shutdown() error {
	defer s.flushMetrics() // HAZ defer-nil-func
	return s.closeListeners()
}

// ShutdownSafe checks the field when the deferred closure runs.
func (s *Server) ShutdownSafe() error {
	defer func() {
		if s.flushMetrics != nil {
			s.flushMetrics()
		}
	}() // ok: nil-checked at exit
	return s.closeListeners()
}

// RunWithHook is generic over the hook key; a missing key yields nil.
func RunWithHook[K comparable](hooks map[K]func(), key K, body func() error) error {
	h := hooks[key]
	defer h() // HAZ defer-nil-func
	return body()
}

// RunWithHookSafe checks the looked-up value.
func RunWithHookSafe[K comparable](hooks map[K]func(), key K, body func() error) error {
	if h := hooks[key]; h != nil {
		defer h() // ok: guarded
	}
	return body()
}

// Gate admits work unless the context is already done.
type Gate struct {
	inflight atomic.Int64
	rejected atomic.Int64
}

// Enter registers the leave func only on the admitted path, but defers it on
// both paths.
func (g *Gate) Enter(ctx context.Context, work func() error) error {
	var leave func()
	select {
	case <-ctx.Done():
		g.rejected.Add(1)
	default:
		g.inflight.Add(1)
		leave = func() { g.inflight.Add(-1) }
	}
	defer leave() // HAZ defer-nil-func
	return work()
}

// EnterChecked returns on the rejected path before the defer.
func (g *Gate) EnterChecked(ctx context.Context, work func() error) error {
	var leave func()
	select {
	case <-ctx.Done():
		g.rejected.Add(1)
		return fmt.Errorf("gate: %w", ctx.Err())
	default:
		g.inflight.Add(1)
		leave = func() { g.inflight.Add(-1) }
	}
	defer leave() // ok: the only path reaching here assigned leave
	return work()
}

// pooledConn is a fake pooled connection.
type pooledConn struct {
	id int
}

func (c *pooledConn) ping(ctx context.Context) error { return ctx.Err() }

// ConnPool hands out connections together with a release func.
type ConnPool struct {
	idle chan *pooledConn
	next atomic.Int64
}

func (p *ConnPool) put(c *pooledConn) {
	select {
	case p.idle <- c:
	default:
	}
}

// acquire returns a non-nil release func whenever err is nil.
func (p *ConnPool) acquire(ctx context.Context) (*pooledConn, func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var c *pooledConn
	select {
	case c = <-p.idle:
	default:
		c = &pooledConn{id: int(p.next.Add(1))}
	}
	return c, func() { p.put(c) }, nil
}

// Ping checks err before deferring the release func.
func (p *ConnPool) Ping(ctx context.Context) error {
	c, release, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer release() // ok: non-nil whenever err == nil
	return c.ping(ctx)
}

// jobHooks are optional callbacks around a job. Nothing in this package
// ever assigns after.
type jobHooks struct {
	before func()
	after  func()
}

// RunHooked sets only the before hook and defers the after hook.
func (r *Runner) RunHooked(name string, fn func() error) error {
	var hooks jobHooks
	hooks.before = func() { r.log.Printf("starting %s", name) }
	hooks.before()
	defer hooks.after() // HAZ defer-nil-func
	return fn()
}
