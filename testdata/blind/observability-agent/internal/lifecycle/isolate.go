package lifecycle

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
)

// isolate is deferred directly by component goroutines: a panic there is
// logged, counted and reported instead of killing the agent.
func (m *Manager) isolate(name string) {
	if r := recover(); r != nil {
		m.panics.Inc()
		log.Printf("lifecycle: %s panicked: %v\n%s", name, r, debug.Stack())
		m.report(fmt.Errorf("%s: panic: %v", name, r))
	}
}

// logPanic logs a recovered panic for name.
func logPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("lifecycle: %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

// Go runs fn in a goroutine tracked by the manager, isolating panics.
func (m *Manager) Go(ctx context.Context, name string, fn func(ctx context.Context) error) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer m.isolate(name) // ok: deferred directly
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			m.report(fmt.Errorf("%s: %w", name, err))
		}
	}()
}

// GoLogged is Go for fire-and-forget helpers whose panics are only logged.
func (m *Manager) GoLogged(name string, fn func()) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer func() {
			logPanic(name)
		}()
		fn()
	}()
}

// reportPanic records a recovered value, if any.
func (m *Manager) reportPanic(name string, r any) {
	if r == nil {
		return
	}
	m.panics.Inc()
	m.report(fmt.Errorf("%s: panic: %v", name, r))
}

// runHook calls a user shutdown hook.
func (m *Manager) runHook(name string, hook func()) {
	defer m.reportPanic(name, recover()) // HAZ recover-ineffective
	hook()
}

// runHookSafe calls a user shutdown hook, reporting its panic.
func (m *Manager) runHookSafe(name string, hook func()) {
	defer func() {
		m.reportPanic(name, recover()) // ok: recover called directly by the deferred func
	}()
	hook()
}

// RunHooks runs the hooks in order; a panicking hook does not stop the rest.
func (m *Manager) RunHooks(hooks map[string]func(), strict bool) {
	for name, h := range hooks {
		if strict {
			m.runHookSafe(name, h)
			continue
		}
		m.runHook(name, h)
	}
}

// tryShutdown calls c.Shutdown, ignoring a panicking implementation.
func tryShutdown(ctx context.Context, c Component) error {
	defer recover() // HAZ recover-ineffective
	return c.Shutdown(ctx)
}

// shutdownOne calls c.Shutdown; a panic is converted to an error.
func (m *Manager) shutdownOne(ctx context.Context, c Component) (err error) {
	defer func() {
		if r := recover(); r != nil {
			m.panics.Inc()
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Shutdown(ctx)
}

// ShutdownQuiet shuts c down for the tailcat tool, where nothing is
// reported.
func ShutdownQuiet(ctx context.Context, c Component) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	if err := c.Shutdown(ctx); err != nil {
		log.Printf("shutdown %s: %v", c.Name(), err)
	}
}

// ShutdownBestEffort shuts c down with tryShutdown.
func ShutdownBestEffort(ctx context.Context, c Component) error {
	return tryShutdown(ctx, c)
}
