// Package plugin loads forge's build-step plugins. Plugins are third-party
// code compiled into forge; a panic in one of them must fail the step, not
// crash the build.
package plugin

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sort"
	"sync"
)

// Input is what a step gets to work on.
type Input struct {
	Root    string
	Targets []string
}

// Result summarises a finished build for DoneHook plugins.
type Result struct {
	Targets int
	Failed  int
	Err     error
}

// Step is one build step provided by a plugin.
type Step interface {
	Name() string
	Run(ctx context.Context, in Input) error
}

// Configurer is implemented by steps that take configuration.
type Configurer interface {
	Configure(cfg map[string]string) error
}

// DoneHook is implemented by steps that want to hear about finished builds.
type DoneHook interface {
	Done(ctx context.Context, res Result)
}

// Factory creates a step from its configuration.
type Factory func(cfg map[string]string) (Step, error)

// Loader holds the registered factories and the loaded steps. Fields below
// mu are guarded by mu.
type Loader struct {
	log *log.Logger

	mu        sync.Mutex
	factories map[string]Factory
	loaded    map[string]Step
}

// NewLoader returns an empty loader that logs to logger.
func NewLoader(logger *log.Logger) *Loader {
	return &Loader{log: logger, factories: make(map[string]Factory), loaded: make(map[string]Step)}
}

// Register makes a factory available under name.
func (l *Loader) Register(name string, f Factory) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, dup := l.factories[name]; dup {
		return fmt.Errorf("plugin %q registered twice", name)
	}
	l.factories[name] = f
	return nil
}

// factory looks up a registered factory.
func (l *Loader) factory(name string) (Factory, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.factories[name]
	if !ok {
		return nil, fmt.Errorf("plugin %q is not registered", name)
	}
	return f, nil
}

// recoverTo converts a panic into an error stored in *errp. It calls
// recover itself, so it must be deferred directly: defer recoverTo(&err, ...).
func recoverTo(errp *error, what string) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("plugin: %s panicked: %v\n%s", what, r, debug.Stack())
	}
}

// Load instantiates the named plugin and keeps it for RunAll. A panic in
// the plugin's factory is returned as an error.
func (l *Loader) Load(name string, cfg map[string]string) (s Step, err error) {
	f, err := l.factory(name)
	if err != nil {
		return nil, err
	}
	defer recoverTo(&err, "load "+name)
	s, err = f(cfg)
	if err != nil {
		return nil, fmt.Errorf("plugin %q: %w", name, err)
	}
	l.mu.Lock()
	l.loaded[name] = s
	l.mu.Unlock()
	return s, nil
}

// capturePanic records a recovered panic in *errp.
func capturePanic(errp *error) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		*errp = fmt.Errorf("plugin panicked: %v", r)
	}
}

// Configure calls the step's optional Configure hook and logs failures.
func (l *Loader) Configure(s Step, cfg map[string]string) (err error) {
	c, ok := s.(Configurer)
	if !ok {
		return nil
	}
	defer func() {
		capturePanic(&err)
		if err != nil {
			l.log.Printf("plugin %s: configure: %v", s.Name(), err)
		}
	}()
	return c.Configure(cfg)
}

// snapshot returns the loaded steps in name order.
func (l *Loader) snapshot() []Step {
	l.mu.Lock()
	defer l.mu.Unlock()
	names := make([]string, 0, len(l.loaded))
	for n := range l.loaded {
		names = append(names, n)
	}
	sort.Strings(names)
	steps := make([]Step, len(names))
	for i, n := range names {
		steps[i] = l.loaded[n]
	}
	return steps
}

// RunAll runs every loaded step concurrently. A panicking step is meant to
// fail the build instead of crashing forge.
func (l *Loader) RunAll(ctx context.Context, in Input) (err error) {
	defer recoverTo(&err, "run")
	steps := l.snapshot()
	errs := make(chan error, len(steps))
	for _, s := range steps {
		go func() { errs <- s.Run(ctx, in) }() // HAZ goroutine-outside-recover
	}
	for range steps {
		err = errors.Join(err, <-errs)
	}
	return err
}

// Warmup runs every loaded step once against an empty input so that
// plugins can fill their own caches. Each goroutine recovers its own panic.
func (l *Loader) Warmup(ctx context.Context) (err error) {
	defer recoverTo(&err, "warmup")
	steps := l.snapshot()
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, s := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recoverTo(&errs[i], fmt.Sprintf("warmup of step %d", i))
			errs[i] = s.Run(ctx, Input{})
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// NotifyDone tells every loaded DoneHook plugin that the build finished.
// Hooks are best-effort and must not fail the build.
func (l *Loader) NotifyDone(ctx context.Context, res Result) {
	for _, s := range l.snapshot() {
		h, ok := s.(DoneHook)
		if !ok {
			continue
		}
		func() {
			defer func() {
				_ = recover() // HAZ recover-swallows-panic
			}()
			h.Done(ctx, res)
		}()
	}
}

// describe renders a step for log lines. Plugin Name methods are third-party
// code, and a panic in one must not take the build down.
func describe(s Step) string {
	defer recover() // HAZ recover-ineffective
	return fmt.Sprintf("%s (%T)", s.Name(), s)
}

// Unload forgets the named plugins, calling their Close hook when present.
// A panicking Close is logged and the remaining plugins are still unloaded.
func (l *Loader) Unload(names ...string) {
	for _, name := range names {
		l.mu.Lock()
		s, ok := l.loaded[name]
		delete(l.loaded, name)
		l.mu.Unlock()
		c, isCloser := s.(interface{ Close() error })
		if !ok || !isCloser {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					l.log.Printf("plugin %s: close panicked: %v", describe(s), r)
				}
			}()
			if err := c.Close(); err != nil {
				l.log.Printf("plugin %s: close: %v", name, err)
			}
		}()
	}
}
