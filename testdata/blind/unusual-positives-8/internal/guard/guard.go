// Package guard turns panics in background work into log lines.
//
// A Guard's Catch method must be deferred directly (defer g.Catch(), or as a
// method value: c := g.Catch; defer c()), because recover only stops a panic
// when it is called by the deferred function itself.
package guard

import (
	"context"
	"errors"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up8/internal/spawn"
)

// ErrPanicked is returned by ServeLogged when fn panicked.
var ErrPanicked = errors.New("guard: recovered panic")

// Guard recovers panics and logs them.
type Guard struct {
	Name    string
	Logger  *log.Logger
	OnPanic func(v any)
	panics  atomic.Int64

	mu   sync.Mutex
	last any
}

// New returns a guard that logs to logger.
func New(name string, logger *log.Logger) *Guard {
	return &Guard{Name: name, Logger: logger}
}

// Panics returns how many panics the guard has recovered.
func (g *Guard) Panics() int64 {
	return g.panics.Load()
}

// Catch recovers a panic and logs it with the stack. Defer it directly.
func (g *Guard) Catch() {
	if r := recover(); r != nil {
		g.panics.Add(1)
		g.Logger.Printf("%s: recovered: %v\n%s", g.Name, r, debug.Stack())
		if g.OnPanic != nil {
			g.OnPanic(r)
		}
	}
}

// Run runs fn and turns a panic into a log line.
func (g *Guard) Run(fn func()) {
	catch := g.Catch
	defer catch()
	fn()
}

// Wrap returns fn guarded by g, for handing to code that runs it later.
func (g *Guard) Wrap(fn func()) func() {
	return func() {
		defer g.Catch()
		fn()
	}
}

// absorb logs a panic in the operation op.
func (g *Guard) absorb(op string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		g.panics.Add(1)
		g.Logger.Printf("%s: %s failed: %v", g.Name, op, r)
	}
}

// Do runs fn, tagging a panic with the operation name op.
func (g *Guard) Do(op string, fn func()) {
	defer func() { g.absorb(op) }()
	fn()
}

// report logs v when it is a recovered panic value.
func (g *Guard) report(v any) {
	if v == nil {
		return
	}
	g.panics.Add(1)
	g.Logger.Printf("%s: recovered: %v", g.Name, v)
}

// Serve runs fn, logging instead of crashing when it panics.
func (g *Guard) Serve(fn func() error) error {
	defer g.report(recover()) // HAZ recover-ineffective
	return fn()
}

// ServeLogged runs fn, logging instead of crashing when it panics.
func (g *Guard) ServeLogged(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			g.report(r)
			err = ErrPanicked
		}
	}()
	return fn()
}

// heartbeat calls beat every second until ctx ends.
func (g *Guard) heartbeat(ctx context.Context, beat func()) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			beat()
		}
	}
}

// Supervise runs fn under the guard while beat is called every second in the
// background, until fn returns.
func (g *Guard) Supervise(ctx context.Context, fn func(context.Context) error, beat func()) error {
	defer g.Catch()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go g.heartbeat(ctx, beat) // HAZ goroutine-outside-recover
	return fn(ctx)
}

// SuperviseSafe is Supervise with the heartbeat goroutine guarded as well.
func (g *Guard) SuperviseSafe(ctx context.Context, fn func(context.Context) error, beat func()) error {
	defer g.Catch()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer g.Catch()
		g.heartbeat(ctx, beat)
	}()
	return fn(ctx)
}

// locked runs fn holding g.mu.
func (g *Guard) locked(fn func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fn()
}

// Last returns the most recent panic value recorded by Track.
func (g *Guard) Last() any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.last
}

// Track runs fn and remembers its panic value for the debug page.
func (g *Guard) Track(fn func()) {
	defer func() {
		g.locked(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				g.last = r
			}
		})
	}()
	fn()
}

// TrackLogged runs fn, remembers its panic value for the debug page and logs
// it.
func (g *Guard) TrackLogged(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			g.locked(func() { g.last = r })
			g.report(r)
		}
	}()
	fn()
}

// Quietly runs optional work whose failure must not matter.
func (g *Guard) Quietly(fn func()) {
	defer recover() // HAZ recover-ineffective
	fn()
}

// Try runs fn for best-effort work: a panic in fn stops fn, not the caller.
func (g *Guard) Try(fn func()) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	fn()
}

// TryLogged runs fn and reports whether it returned normally; a panic is
// logged.
func (g *Guard) TryLogged(fn func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			g.report(r)
			ok = false
		}
	}()
	fn()
	return true
}

// Fanout runs every fn concurrently under the guard and waits for them.
func (g *Guard) Fanout(fns ...func()) {
	defer g.Catch()
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		spawn.Go(func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			fn()
		})
	}
	wg.Wait()
}

// FanoutSafe is Fanout with every goroutine guarded.
func (g *Guard) FanoutSafe(fns ...func()) {
	defer g.Catch()
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		spawn.Go(func() {
			defer wg.Done()
			defer g.Catch()
			fn()
		})
	}
	wg.Wait()
}
