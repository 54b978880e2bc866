// Package telemetry times operations and records spans for the request path.
package telemetry

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// StopFunc ends a span.
type StopFunc func()

// Tracer starts spans.
type Tracer interface {
	Start(name string) func()
}

// Profiler records the total time spent in tracked sections.
type Profiler struct {
	total atomic.Int64
	count atomic.Int64
}

// Handler embeds a profiler.
type Handler struct {
	*Profiler
	inflight atomic.Int64
}

// Timer measures one named operation.
type Timer struct {
	prefix string
}

// Service is the instrumented service.
type Service struct {
	timer  *Timer
	tracer Tracer
	active atomic.Int64
}

func trace(name string) func() {
	start := time.Now()
	log.Printf("-> %s", name)
	return func() { log.Printf("<- %s (%s)", name, time.Since(start)) }
}

// Start begins timing name and returns the function that stops it.
func (t *Timer) Start(name string) func() {
	start := time.Now()
	return func() { log.Printf("%s%s took %s", t.prefix, name, time.Since(start)) }
}

// Measure times a typed operation.
func Measure[T any](name string) func() {
	start := time.Now()
	return func() {
		var zero T
		log.Printf("%s(%T) took %s", name, zero, time.Since(start))
	}
}

// Begin opens a span in ctx.
func Begin(ctx context.Context, name string) StopFunc {
	start := time.Now()
	return func() {
		if ctx.Err() != nil {
			log.Printf("span %s cancelled after %s", name, time.Since(start))
		}
	}
}

func acquireLease(ctx context.Context, key string) func() error {
	log.Printf("lease %s acquired", key)
	return func() error {
		log.Printf("lease %s released", key)
		return ctx.Err()
	}
}

// Track records the duration of a section.
func (p *Profiler) Track(section string) func() {
	start := time.Now()
	return func() {
		p.total.Add(int64(time.Since(start)))
		if p.count.Add(1)%1000 == 0 {
			log.Printf("profiler: %s is call %d", section, p.count.Load())
		}
	}
}

func (s *Service) gauge() func() {
	s.active.Add(1)
	return func() { s.active.Add(-1) }
}

func (s *Service) doWork(ctx context.Context) error { return ctx.Err() }

// Sync synchronises the catalogue.
func (s *Service) Sync(ctx context.Context) error {
	defer trace("sync") // HAZ defer-func-result-not-called
	return s.doWork(ctx)
}

// Reindex rebuilds the search index.
func (s *Service) Reindex(ctx context.Context) error {
	defer s.timer.Start("reindex") // HAZ defer-func-result-not-called
	return s.doWork(ctx)
}

// Compact compacts typed storage.
func Compact[T any](ctx context.Context, items []T) int {
	defer Measure[T]("compact") // HAZ defer-func-result-not-called
	return len(items)
}

// Resolve resolves a name under a span.
func (s *Service) Resolve(ctx context.Context, name string) (string, error) {
	defer Begin(ctx, "resolve") // HAZ defer-func-result-not-called
	if err := s.doWork(ctx); err != nil {
		return "", err
	}
	return name + ".svc", nil
}

// Migrate holds the migration lease while it runs.
func (s *Service) Migrate(ctx context.Context) error {
	defer acquireLease(ctx, "migrations") // HAZ defer-func-result-not-called
	return s.doWork(ctx)
}

// Serve handles one request.
func (h *Handler) Serve(ctx context.Context) {
	h.inflight.Add(1)
	defer h.inflight.Add(-1)
	defer h.Track("serve") // HAZ defer-func-result-not-called
	_ = ctx
}

// Flush flushes pending spans.
func (s *Service) Flush(ctx context.Context) error {
	span := func(name string) func() {
		start := time.Now()
		return func() { log.Printf("flush %s: %s", name, time.Since(start)) }
	}
	defer span("all") // HAZ defer-func-result-not-called
	return s.doWork(ctx)
}

// Lookup resolves through the tracer interface.
func (s *Service) Lookup(ctx context.Context, key string) error {
	defer s.tracer.Start("lookup " + key) // HAZ defer-func-result-not-called
	return s.doWork(ctx)
}

// Gauge runs fn while counted as active.
func (s *Service) Gauge(ctx context.Context, fn func(context.Context) error) error {
	defer s.gauge() // HAZ defer-func-result-not-called
	return fn(ctx)
}

// ---- negatives ----

// SyncTraced uses the defer f()() idiom.
func (s *Service) SyncTraced(ctx context.Context) error {
	defer trace("sync")() // ok: the returned func is deferred
	return s.doWork(ctx)
}

// ReindexTimed keeps the stop func in a variable.
func (s *Service) ReindexTimed(ctx context.Context) error {
	stop := s.timer.Start("reindex")
	defer stop() // ok
	return s.doWork(ctx)
}

// CompactMeasured calls the generic result.
func CompactMeasured[T any](ctx context.Context, items []T) int {
	defer Measure[T]("compact")() // ok
	return len(items)
}

// ServeTracked defers the tracker's result and a plain counter update.
func (h *Handler) ServeTracked(ctx context.Context) {
	h.inflight.Add(1)
	defer h.inflight.Add(-1) // ok: returns int64, not a func
	defer h.Track("serve")() // ok
	_ = ctx
}

// MigrateLeased releases the lease and logs the error.
func (s *Service) MigrateLeased(ctx context.Context) error {
	release := acquireLease(ctx, "migrations")
	defer func() {
		if err := release(); err != nil {
			log.Printf("release lease: %v", err)
		}
	}()
	return s.doWork(ctx)
}

// WarmOnce runs the warmup only once per process.
var warmOnce = sync.OnceFunc(func() { log.Print("warm caches") })

// Warm runs the shared warmup at exit.
func (s *Service) Warm(ctx context.Context) error {
	defer warmOnce() // ok: warmOnce is the func itself, it returns nothing
	return s.doWork(ctx)
}

// LookupTraced calls the interface result.
func (s *Service) LookupTraced(ctx context.Context, key string) error {
	defer s.tracer.Start("lookup " + key)() // ok
	return s.doWork(ctx)
}

// GaugeCounted keeps the decrement in a variable.
func (s *Service) GaugeCounted(ctx context.Context, fn func(context.Context) error) error {
	done := s.gauge()
	defer done() // ok
	return fn(ctx)
}

// ResolveSpan stores the StopFunc and defers it.
func (s *Service) ResolveSpan(ctx context.Context, name string) (string, error) {
	end := Begin(ctx, "resolve")
	defer end() // ok
	return name + ".svc", s.doWork(ctx)
}

// Expire removes the session once the deferred cleanup runs.
func Expire(sessions *sync.Map, id string, fn func()) {
	defer sessions.Delete(id) // ok: Delete returns nothing
	fn()
}

// Swap replaces the stored value at exit; Swap returns values, not a func.
func Swap(sessions *sync.Map, id string, v any) {
	defer sessions.Swap(id, v) // ok: (any, bool) results are simply discarded
	log.Printf("swapping %s", id)
}
