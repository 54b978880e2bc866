package plugin

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"
)

type instance struct {
	m Manifest
	p Plugin
}

// Loader owns the running plugins.
type Loader struct {
	logger   *log.Logger
	stateDir string
	timeout  time.Duration
	hooks    *HookBus

	mu      sync.Mutex
	specs   map[string]Manifest
	running map[string]*instance
	order   []string
}

// NewLoader returns a loader for the given manifests.
func NewLoader(ms []Manifest, stateDir string, logger *log.Logger) *Loader {
	l := &Loader{logger: logger, stateDir: stateDir, timeout: 10 * time.Second,
		specs: map[string]Manifest{}, running: map[string]*instance{}, hooks: NewHookBus(logger)}
	for _, m := range ms {
		l.specs[m.Name] = m
	}
	return l
}

// Hooks returns the loader's event bus.
func (l *Loader) Hooks() *HookBus { return l.hooks }

func (l *Loader) manifests() []Manifest {
	l.mu.Lock()
	defer l.mu.Unlock()
	ms := make([]Manifest, 0, len(l.specs))
	for _, m := range l.specs {
		ms = append(ms, m)
	}
	return ms
}

// instantiate builds a plugin, converting a factory panic into an error.
func instantiate(m Manifest) (p Plugin, err error) {
	f, ok := lookupFactory(m.Factory)
	if !ok {
		return nil, fmt.Errorf("plugin %s: unknown factory %q", m.Name, m.Factory)
	}
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("plugin %s: factory panicked: %v\n%s", m.Name, r, debug.Stack())
		}
	}()
	return f(m.Name, m.Config)
}

// safeStart starts p with a timeout; a panic becomes an error.
func (l *Loader) safeStart(ctx context.Context, p Plugin) (err error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin %s: Start panicked: %v", p.Name(), r)
		}
	}()
	return p.Start(ctx)
}

// safeStop stops p with a fresh timeout; a panic becomes an error.
func (l *Loader) safeStop(p Plugin) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin %s: Stop panicked: %v", p.Name(), r)
		}
	}()
	return p.Stop(ctx)
}

// StartAll starts every plugin in dependency order. If one fails, the
// deferred closure stops the ones already started, newest first, and the
// failure reaches the caller through the named result.
func (l *Loader) StartAll(ctx context.Context) (err error) {
	order, err := resolveOrder(l.manifests())
	if err != nil {
		return err
	}
	var started []*instance
	defer func() {
		if err == nil {
			return
		}
		for i := len(started) - 1; i >= 0; i-- {
			if serr := l.safeStop(started[i].p); serr != nil {
				l.logger.Printf("plugin: rollback of %s: %v", started[i].m.Name, serr)
			}
		}
	}()
	for _, name := range order {
		m := l.specs[name]
		p, err := instantiate(m)
		if err != nil {
			return err
		}
		if err := l.safeStart(ctx, p); err != nil {
			return err
		}
		started = append(started, &instance{m: m, p: p})
	}
	l.mu.Lock()
	for _, in := range started {
		l.running[in.m.Name] = in
	}
	l.order = order
	l.mu.Unlock()
	l.fire(Event{Name: "started", Detail: fmt.Sprint(len(started))})
	return nil
}

// StopAll stops running plugins in reverse start order and joins errors.
func (l *Loader) StopAll() error {
	l.mu.Lock()
	order := l.order
	running := l.running
	l.order, l.running = nil, map[string]*instance{}
	l.mu.Unlock()

	var errs []error
	for i := len(order) - 1; i >= 0; i-- {
		in, ok := running[order[i]]
		if !ok {
			continue
		}
		if err := l.safeStop(in.p); err != nil {
			errs = append(errs, err)
		}
		if td, ok := in.p.(Teardowner); ok {
			td.Teardown()
		}
	}
	l.fire(Event{Name: "stopped"})
	return errors.Join(errs...)
}

// Probe starts and stops a plugin once to validate its configuration.
func (l *Loader) Probe(ctx context.Context, m Manifest) error {
	p, err := instantiate(m)
	if err != nil {
		return err
	}
	var teardown func()
	if td, ok := p.(Teardowner); ok {
		teardown = td.Teardown
	}
	defer teardown() // HAZ defer-nil-func
	if err := l.safeStart(ctx, p); err != nil {
		return err
	}
	return l.safeStop(p)
}

// ProbeAll is Probe for many manifests; here the teardown is deferred only
// when the plugin has one, inside a per-manifest function literal.
func (l *Loader) ProbeAll(ctx context.Context, ms []Manifest) map[string]error {
	out := make(map[string]error, len(ms))
	for _, m := range ms {
		out[m.Name] = func() error {
			p, err := instantiate(m)
			if err != nil {
				return err
			}
			if td, ok := p.(Teardowner); ok {
				defer td.Teardown()
			}
			if err := l.safeStart(ctx, p); err != nil {
				return err
			}
			return l.safeStop(p)
		}()
	}
	return out
}

// writeStamp records when a plugin was last (re)started.
func writeStamp(dir, name string, t time.Time) error {
	if dir == "" {
		return nil
	}
	return os.WriteFile(filepath.Join(dir, name+".stamp"), []byte(t.UTC().Format(time.RFC3339)), 0o644)
}

// Reload restarts one plugin with its current manifest.
func (l *Loader) Reload(ctx context.Context, name string) error {
	l.mu.Lock()
	in, ok := l.running[name]
	l.mu.Unlock()
	if !ok {
		return fmt.Errorf("plugin: %s is not running", name)
	}
	var err error
	defer func() { // HAZ defer-ineffective-return
		if serr := writeStamp(l.stateDir, name, time.Now()); serr != nil {
			err = fmt.Errorf("plugin: reloaded %s but could not record it: %w", name, serr)
		}
	}()
	if err = l.safeStop(in.p); err != nil {
		return err
	}
	p, err := instantiate(in.m)
	if err != nil {
		return err
	}
	if err = l.safeStart(ctx, p); err != nil {
		return err
	}
	l.mu.Lock()
	l.running[name] = &instance{m: in.m, p: p}
	l.mu.Unlock()
	return nil
}

// Restart is Reload with the stamp error reported through a named result.
func (l *Loader) Restart(ctx context.Context, name string) (err error) {
	l.mu.Lock()
	in, ok := l.running[name]
	l.mu.Unlock()
	if !ok {
		return fmt.Errorf("plugin: %s is not running", name)
	}
	defer func() {
		if err == nil {
			err = writeStamp(l.stateDir, name, time.Now())
		}
	}()
	if err := l.safeStop(in.p); err != nil {
		return err
	}
	p, err := instantiate(in.m)
	if err != nil {
		return err
	}
	if err := l.safeStart(ctx, p); err != nil {
		return err
	}
	l.mu.Lock()
	l.running[name] = &instance{m: in.m, p: p}
	l.mu.Unlock()
	return nil
}

// callHook runs a user callback without letting it crash the loader.
func (l *Loader) callHook(fn func()) {
	defer recover() // HAZ recover-ineffective
	fn()
}

// fire notifies the hook bus and the optional legacy callback.
func (l *Loader) fire(ev Event) {
	l.hooks.Emit(ev)
	if cb := l.hooks.legacy(); cb != nil {
		l.callHook(func() { cb(ev.Name) })
	}
}

// Running lists running plugin names in start order.
func (l *Loader) Running() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.order))
	for _, n := range l.order {
		if _, ok := l.running[n]; ok {
			out = append(out, n)
		}
	}
	return out
}
