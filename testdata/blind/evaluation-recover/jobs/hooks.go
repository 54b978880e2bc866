package jobs

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Hook is called on job lifecycle events.
type Hook func(event string, job Job)

// Plugin is third-party code loaded at startup.
type Plugin struct {
	Name string
	Init func(cfg map[string]string) error
}

// Event is a message on the internal bus.
type Event struct {
	Kind    string
	Payload []byte
	At      time.Time
}

// Bus fans events out to subscribers.
type Bus struct {
	subs      []func(Event)
	closing   chan struct{}
	log       *log.Logger
	delivered atomic.Int64
	failed    atomic.Int64
}

// NewBus returns a bus with the given subscribers.
func NewBus(l *log.Logger, subs ...func(Event)) *Bus {
	return &Bus{subs: subs, closing: make(chan struct{}), log: l}
}

// abortJob is panicked by deeply nested job steps to abort the whole job.
type abortJob struct{ reason string }

// InitPlugin initializes a plugin; a misbehaving plugin must not crash
// startup.
func (r *Runner) InitPlugin(p Plugin, cfg map[string]string) error {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	if err := p.Init(cfg); err != nil {
		return fmt.Errorf("plugin %s: %w", p.Name, err)
	}
	r.log.Printf("plugin %s ready", p.Name)
	return nil
}

// Safely evaluates fn for best-effort cache warmup.
func Safely[T any](fn func() T) (out T) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	out = fn()
	return out
}

// FireHook calls a single lifecycle hook.
func (r *Runner) FireHook(h Hook, event string, job Job) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			// hooks are best effort
		}
	}()
	h(event, job)
	r.metrics.Add("hooks.fired", 1)
}

// deliver hands ev to one subscriber.
func (b *Bus) deliver(sub func(Event), ev Event) {
	defer func() {
		if recover() != nil { // HAZ recover-swallows-panic
		}
	}()
	sub(ev)
	b.delivered.Add(1)
}

// quiet stops any panic; FlushCaches defers it directly.
func (r *Runner) quiet() {
	recover() // HAZ recover-swallows-panic
}

// FlushCaches calls every cache flush function.
func (r *Runner) FlushCaches(flushers []func()) {
	defer r.quiet()
	for _, f := range flushers {
		f()
	}
	r.log.Printf("flushed %d caches", len(flushers))
}

// NotifyAll calls every registered hook and returns how many completed.
func (r *Runner) NotifyAll(job Job, event string) int {
	n := 0
	for _, h := range r.hooks {
		func() {
			defer func() { recover() }() // HAZ recover-swallows-panic
			h(event, job)
			n++
		}()
	}
	return n
}

// RunTyped converts panics carrying an error into the named result.
// Panics with any other value (strings, ints) stop here unreported.
func (r *Runner) RunTyped(ctx context.Context, job Job) (err error) {
	defer func() {
		if perr, ok := recover().(error); ok { // HAZ recover-swallows-panic
			err = fmt.Errorf("job %s panicked: %w", job.ID, perr)
		}
	}()
	return job.Run(ctx)
}

// Replay re-delivers stored events in order.
func (b *Bus) Replay(events []Event) (replayed int) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			_ = p
		}
	}()
	for _, ev := range events {
		for _, sub := range b.subs {
			sub(ev)
		}
		replayed++
	}
	return replayed
}

// Publish delivers ev to every subscriber until the bus starts closing.
func (b *Bus) Publish(ev Event) int {
	delivered := 0
subs:
	for _, sub := range b.subs {
		select {
		case <-b.closing:
			break subs
		default:
		}
		func() {
			defer func() {
				if p := recover(); p != nil { // HAZ recover-swallows-panic
					// a broken subscriber must not stop the others
				}
			}()
			sub(ev)
			delivered++
		}()
	}
	return delivered
}

// ---- negatives -----------------------------------------------------------

// RunLogged logs a panic with its stack and counts it.
func (r *Runner) RunLogged(ctx context.Context, job Job) error {
	defer func() {
		if p := recover(); p != nil {
			r.metrics.Add("jobs.panics", 1)
			r.log.Printf("job %s panicked: %v\n%s", job.ID, p, debug.Stack()) // ok: logged
		}
	}()
	return job.Run(ctx)
}

// Try runs a job and reports a panic in the returned result.
func (r *Runner) Try(ctx context.Context, job Job) (res Result) {
	start := time.Now()
	res.JobID = job.ID
	defer func() {
		if p := recover(); p != nil {
			res.Panicked = true
			res.Err = fmt.Errorf("panic: %v", p) // ok: surfaced to the caller
		}
		res.Took = time.Since(start)
	}()
	res.Err = job.Run(ctx)
	return res
}

// RunTypedSafe handles error and non-error panic values alike; the empty
// nil case is the no-panic path.
func (r *Runner) RunTypedSafe(ctx context.Context, job Job) (err error) {
	defer func() {
		switch p := recover().(type) {
		case nil:
			// no panic
		case error:
			err = fmt.Errorf("job %s panicked: %w", job.ID, p)
		default:
			err = fmt.Errorf("job %s panicked: %v", job.ID, p)
		}
	}()
	return job.Run(ctx)
}

// RunWithCallback hands the panic to the configured callback with a stack.
func (r *Runner) RunWithCallback(ctx context.Context, job Job) error {
	defer func() {
		if p := recover(); p != nil {
			r.onPanic(job.ID, p, debug.Stack()) // ok: reported
		}
	}()
	return job.Run(ctx)
}

// NotifyAllLogged calls every hook; a panicking hook is logged and counted.
func (r *Runner) NotifyAllLogged(job Job, event string) int {
	n := 0
	for i, h := range r.hooks {
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.metrics.Add("hooks.panics", 1)
					r.log.Printf("hook %d on %s for job %s panicked: %v", i, event, job.ID, p)
				}
			}()
			h(event, job)
			n++
		}()
	}
	return n
}

// PublishCounted delivers ev to every subscriber; failures are counted and
// logged.
func (b *Bus) PublishCounted(ev Event) int {
	delivered := 0
	for i, sub := range b.subs {
		func() {
			defer func() {
				if p := recover(); p != nil {
					b.failed.Add(1)
					b.log.Printf("subscriber %d panicked on %s: %v", i, ev.Kind, p)
				}
			}()
			sub(ev)
			delivered++
		}()
	}
	return delivered
}

// RunAbortable lets deeply nested steps abort the job with a sentinel
// panic; anything else is re-panicked.
func (r *Runner) RunAbortable(ctx context.Context, job Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if a, ok := p.(abortJob); ok {
				err = fmt.Errorf("job %s aborted: %s", job.ID, a.reason)
				return
			}
			panic(p) // ok: unknown panics propagate
		}
	}()
	if job.Attempt > 5 {
		panic(abortJob{reason: "too many attempts"})
	}
	return job.Run(ctx)
}
