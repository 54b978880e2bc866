// Package watch reloads a KEY=VALUE configuration file when it changes.
package watch

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// Config is a parsed configuration.
type Config map[string]string

// Watcher polls a file and notifies subscribers of new configurations.
type Watcher struct {
	path       string
	interval   time.Duration
	validators []func(Config) error
	logf       func(format string, args ...any)

	mu      sync.RWMutex
	current Config
	modTime time.Time
	subs    map[int]func(Config)
	nextSub int
}

// New returns a watcher for path; validators run on every new config.
func New(path string, interval time.Duration, logf func(string, ...any), validators ...func(Config) error) *Watcher {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Watcher{
		path:       path,
		interval:   interval,
		validators: validators,
		logf:       logf,
		current:    Config{},
		subs:       make(map[int]func(Config)),
	}
}

// Current returns a copy of the active configuration.
func (w *Watcher) Current() Config {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return maps.Clone(w.current)
}

// OnChange registers fn for future configurations; cancel unregisters it.
func (w *Watcher) OnChange(fn func(Config)) (cancel func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	id := w.nextSub
	w.nextSub++
	w.subs[id] = fn
	return sync.OnceFunc(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.subs, id)
	})
}

// OnChangeContext registers fn until ctx ends. The returned stop detaches
// the registration from ctx (fn then stays registered).
func (w *Watcher) OnChangeContext(ctx context.Context, fn func(Config)) (stop func() bool) {
	cancel := w.OnChange(fn)
	return context.AfterFunc(ctx, cancel)
}

// Run reloads the file every interval until ctx ends.
func (w *Watcher) Run(ctx context.Context) error {
	if _, err := w.Reload(); err != nil {
		return err
	}
	ticker := time.NewTicker(w.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			if _, err := w.Reload(); err != nil {
				w.logf("watch: reload %s: %v", w.path, err)
			}
		}
	}
}

// Reload reads the file if it changed, validates it, installs it and
// notifies subscribers after the lock has been released.
func (w *Watcher) Reload() (changed bool, err error) {
	cfg, mod, err := w.load()
	if err != nil || cfg == nil {
		return false, err
	}
	if err := w.Validate(cfg); err != nil {
		return false, err
	}

	w.mu.Lock()
	w.current, w.modTime = cfg, mod
	subs := slices.Collect(maps.Values(w.subs))
	w.mu.Unlock()

	for _, fn := range subs {
		fn(maps.Clone(cfg))
	}
	return true, nil
}

// Validate runs the validators; a panicking validator counts as a failure.
func (w *Watcher) Validate(cfg Config) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("watch: validator panicked: %v", r)
		}
	}()
	for _, v := range w.validators {
		if err = v(cfg); err != nil {
			return err
		}
	}
	return nil
}
