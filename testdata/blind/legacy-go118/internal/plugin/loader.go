package plugin

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"
)

// Loader initialises and runs the plugins of a registry.
type Loader struct {
	reg     *Registry
	cfg     map[string]map[string]string
	running int
	errs    chan error
}

// NewLoader returns a loader for reg with per-plugin configuration.
func NewLoader(reg *Registry, cfg map[string]map[string]string) *Loader {
	return &Loader{reg: reg, cfg: cfg, errs: make(chan error, 16)}
}

// Errors returns the channel that receives plugin run errors.
func (l *Loader) Errors() <-chan error { return l.errs }

// handlePanic logs a panic raised in a plugin and keeps the process alive.
// It must be deferred directly.
func handlePanic() {
	if r := recover(); r != nil {
		log.Printf("plugin: recovered panic: %v", r)
	}
}

// logPanic is the named variant used from the per-plugin cleanup closures.
func logPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("plugin %s: recovered panic: %v", name, r)
	}
}

// safeInit calls p.Init and converts a panic into an error.
func (l *Loader) safeInit(p Plugin) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin %s: init panicked: %v", p.Name(), r)
		}
	}()
	return p.Init(l.cfg[p.Name()])
}

// closeQuietly closes p, logging panics from badly written plugins.
func closeQuietly(p Plugin) {
	defer handlePanic() // ok: handlePanic calls recover directly
	if err := p.Close(); err != nil {
		log.Printf("plugin %s: close: %v", p.Name(), err)
	}
}

// stop closes p and logs its panic through logPanic.
func stop(p Plugin) {
	defer func() {
		logPanic(p.Name())
	}()
	if err := p.Close(); err != nil {
		log.Printf("plugin %s: close: %v", p.Name(), err)
	}
}

// StopAll closes every registered plugin.
func (l *Loader) StopAll() {
	for _, p := range l.reg.snapshot() {
		stop(p)
	}
}

// runHook calls a plugin-provided hook and ignores its failure.
func runHook(fn func()) {
	defer recover() // HAZ recover-ineffective
	fn()
}

// tryHook calls a plugin-provided hook and reports whether it panicked.
func tryHook(fn func()) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("plugin hook panicked: %v", r)
			panicked = true
		}
	}()
	fn()
	return false
}

// Probe calls every plugin's Name to make sure it is usable at all.
func (l *Loader) Probe() {
	for _, p := range l.reg.snapshot() {
		func() {
			defer func() { recover() }() // HAZ recover-swallows-panic
			_ = p.Name()
		}()
	}
}

// InitAll initialises every plugin, reporting the failures.
func (l *Loader) InitAll() []error {
	var errs []error
	for _, p := range l.reg.snapshot() {
		if err := l.safeInit(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// InitParallel initialises the plugins concurrently.
func (l *Loader) InitParallel() []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, p := range l.reg.snapshot() {
		wg.Add(1)
		go func(p Plugin) {
			defer wg.Done()
			if err := l.safeInit(p); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			log.Printf("plugin %s: initialised", p.Name())
		}(p)
	}
	wg.Wait()
	return errs
}

// InitParallelOK initialises the plugins concurrently, one Done per goroutine.
func (l *Loader) InitParallelOK() []error {
	var wg sync.WaitGroup
	plugins := l.reg.snapshot()
	errs := make([]error, len(plugins))
	for i, p := range plugins {
		wg.Add(1)
		go func(i int, p Plugin) {
			defer wg.Done()
			errs[i] = l.safeInit(p)
		}(i, p)
	}
	wg.Wait()
	return compact(errs)
}

func compact(errs []error) []error {
	out := errs[:0]
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// RunAll starts every plugin's Run loop.
func (l *Loader) RunAll(ctx context.Context) {
	for _, p := range l.reg.snapshot() {
		go func() { // HAZ loop-var-capture
			if err := p.Run(ctx); err != nil {
				l.errs <- fmt.Errorf("%s: %w", p.Name(), err)
			}
		}()
		l.running++
	}
}

// RunAllSafe starts every plugin's Run loop with its own copy of p and its
// own panic guard.
func (l *Loader) RunAllSafe(ctx context.Context) {
	for _, p := range l.reg.snapshot() {
		p := p
		go func() {
			defer handlePanic()
			if err := p.Run(ctx); err != nil {
				select {
				case l.errs <- fmt.Errorf("%s: %w", p.Name(), err):
				case <-ctx.Done():
				}
			}
		}()
		l.running++
	}
}

// Start initialises all plugins behind a panic guard and begins watching
// their health.
func (l *Loader) Start(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin start: %v", r)
		}
	}()
	for _, p := range l.reg.snapshot() {
		if err := p.Init(l.cfg[p.Name()]); err != nil {
			return err
		}
	}
	go l.watch(ctx) // HAZ goroutine-outside-recover
	return nil
}

// StartGuarded is Start whose watcher carries its own recover.
func (l *Loader) StartGuarded(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin start: %v", r)
		}
	}()
	for _, p := range l.reg.snapshot() {
		if err := p.Init(l.cfg[p.Name()]); err != nil {
			return err
		}
	}
	go func() {
		defer handlePanic()
		l.watch(ctx)
	}()
	return nil
}

// watch periodically logs the registered plugin names until ctx ends.
func (l *Loader) watch(ctx context.Context) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			log.Printf("plugins: %v", l.reg.Names())
		}
	}
}
