package nilfunc

import (
	"context"
	"log"
	"time"
)

// startHeartbeat returns nil when heartbeats are off.
func startHeartbeat(interval time.Duration) func() {
	if interval <= 0 {
		return nil
	}
	t := time.NewTicker(interval)
	return t.Stop
}

// The helper's nil result deferred unguarded.
func serveWithHeartbeat(ctx context.Context, interval time.Duration) {
	stop := startHeartbeat(interval)
	defer stop() // want `stop is nil when startHeartbeat takes its \x60return nil\x60 on line \d+, and a nil func value deferred here panics with a nil pointer dereference when the deferred calls run as serveWithHeartbeat returns`
	<-ctx.Done()
}

// Guarded: no finding.
func serveWithHeartbeatGuarded(ctx context.Context, interval time.Duration) {
	if stop := startHeartbeat(interval); stop != nil {
		defer stop()
	}
	<-ctx.Done()
}

// A helper that never returns nil: no finding.
func startTimer() func() {
	start := time.Now()
	return func() { log.Println(time.Since(start)) }
}

func timed() {
	done := startTimer()
	defer done()
}

type cleanupKey struct{}

// The ok result of the assertion thrown away: nil when the context holds no cleanup.
func runWithContextCleanup(ctx context.Context, fn func() error) error {
	cleanup, _ := ctx.Value(cleanupKey{}).(func())
	defer cleanup() // want `cleanup is nil when the type assertion ctx\.Value\(cleanupKey\{\}\)\.\(func\(\)\) on line \d+ fails \(its ok result is discarded\)`
	return fn()
}

// The ok result kept and checked: no finding.
func runWithContextCleanupChecked(ctx context.Context, fn func() error) error {
	if cleanup, ok := ctx.Value(cleanupKey{}).(func()); ok && cleanup != nil {
		defer cleanup()
	}
	return fn()
}

type stage struct {
	name   string
	run    func(context.Context) error
	onDone func()
}

// A local built without its func field: the field is nil at the defer.
func runStage(ctx context.Context, name string, fn func(context.Context) error) error {
	st := &stage{name: name, run: fn}
	defer st.onDone() // want `st is built on line \d+ by a composite literal that leaves its func field onDone out, and nothing sets st\.onDone before this defer`
	log.Printf("stage %s", st.name)
	return st.run(ctx)
}

// Set in the literal: no finding.
func runStageTimed(ctx context.Context, name string, fn func(context.Context) error) error {
	start := time.Now()
	st := &stage{name: name, run: fn, onDone: func() { log.Println(time.Since(start)) }}
	defer st.onDone()
	return st.run(ctx)
}

// Set after the literal, before the defer: no finding.
func runStageSetLater(ctx context.Context, name string, fn func(context.Context) error) error {
	st := &stage{name: name, run: fn}
	st.onDone = func() { log.Println("done", name) }
	defer st.onDone()
	return st.run(ctx)
}

// Handed to a method that may set it: no finding.
func (s *stage) arm() { s.onDone = func() {} }

func runStageArmed(ctx context.Context, name string, fn func(context.Context) error) error {
	st := &stage{name: name, run: fn}
	st.arm()
	defer st.onDone()
	return st.run(ctx)
}

type step struct {
	name  string
	apply func() func()
}

// No steps, no undo: the loop that assigns it runs no iteration.
func applySteps(steps []step) {
	var undo func()
	for _, s := range steps {
		log.Printf("applying %s", s.name)
		undo = s.apply()
	}
	defer undo() // want `undo is nil on a path from its declaration on line \d+ when a loop that assigns it runs no iteration`
	log.Printf("applied %d steps", len(steps))
}

// The miss is logged, and the nil func deferred anyway.
func runHook(name string, hooks map[string]func(), work func() error) error {
	after, ok := hooks[name]
	if !ok {
		log.Printf("no hook %q", name)
	}
	defer after() // want `after is nil when the map lookup hooks\[name\] on line \d+ misses`
	return work()
}

// The miss returns early: no finding.
func runHookChecked(name string, hooks map[string]func(), work func() error) error {
	after, ok := hooks[name]
	if !ok {
		return work()
	}
	defer after()
	return work()
}

// startExporter exits the process where it would hand back nothing: the `return nil` after
// log.Fatalf is never taken.
func startExporter(addr string) func() {
	if addr == "" {
		log.Fatalf("no exporter address")
		return nil
	}
	t := time.NewTicker(time.Second)
	return t.Stop
}

func serveWithExporter(ctx context.Context, addr string) {
	stop := startExporter(addr)
	defer stop()
	<-ctx.Done()
}
