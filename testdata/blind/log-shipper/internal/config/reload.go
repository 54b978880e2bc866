package config

import (
	"context"
	"fmt"
	"os"
	"sync"
)

// Reloader holds the current configuration and publishes new versions to
// subscribers when the file is reloaded.
type Reloader struct {
	mu    sync.RWMutex
	path  string
	cur   *Config
	subs  []chan *Config
	hooks map[string]func()
	logf  func(string, ...any)
}

// NewReloader loads path once; it fails if the initial config is invalid.
func NewReloader(path string, logf func(string, ...any)) (*Reloader, error) {
	c, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &Reloader{path: path, cur: c, hooks: make(map[string]func()), logf: logf}, nil
}

// Current returns the active configuration. Callers must not modify it.
func (r *Reloader) Current() *Config {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.cur
}

// Subscribe returns a channel that receives each new configuration. It
// holds at most the latest one, so a slow subscriber never blocks reloads.
func (r *Reloader) Subscribe() <-chan *Config {
	ch := make(chan *Config, 1)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs = append(r.subs, ch)
	return ch
}

// OnChange registers a named hook that runs after every reload.
func (r *Reloader) OnChange(name string, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks[name] = fn
}

// Reload re-reads the file and publishes it if it is valid; on error the
// previous configuration stays active.
func (r *Reloader) Reload() error {
	c, err := Load(r.Path())
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.cur = c
	r.mu.Unlock()
	r.broadcast(c)
	return nil
}

// ReloadAndRun reloads and then runs the hook registered under name, for
// the admin API ("reload, then resize the spool").
func (r *Reloader) ReloadAndRun(name string) error {
	r.mu.RLock()
	after := r.hooks[name]
	r.mu.RUnlock()
	defer after() // HAZ defer-nil-func
	return r.Reload()
}

// Update applies fn to a copy of the current configuration, validates it
// and publishes it. Used by the admin API to add a path at run time.
func (r *Reloader) Update(fn func(*Config)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := *r.cur
	next.Paths = append([]string(nil), r.cur.Paths...)
	fn(&next)
	if err := next.Validate(); err != nil {
		return err
	}
	r.cur = &next
	r.broadcast(&next) // HAZ lock-reentry-under-defer
	return nil
}

// Swap installs c and returns the previous configuration. It panics on an
// invalid configuration: that is a programming error in the caller.
func (r *Reloader) Swap(c *Config) *Config {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if err := c.Validate(); err != nil {
		panic(fmt.Sprintf("config: invalid configuration swapped in: %v", err))
	}
	old := r.cur
	r.cur = c
	r.mu.Unlock()
	return old
}

func (r *Reloader) broadcast(c *Config) {
	for _, ch := range r.subscribers() {
		publish(ch, c)
	}
}

func (r *Reloader) subscribers() []chan *Config {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]chan *Config(nil), r.subs...)
}

// runHooks runs every registered hook after a SIGHUP reload; a broken hook
// must not take the agent down.
func (r *Reloader) runHooks() {
	defer recover() // HAZ recover-ineffective
	r.mu.RLock()
	hooks := make([]func(), 0, len(r.hooks))
	for _, h := range r.hooks {
		hooks = append(hooks, h)
	}
	r.mu.RUnlock()
	for _, h := range hooks {
		h()
	}
}

// publish replaces any pending, not yet consumed value with c. It never
// blocks: ch has a buffer of one.
func publish(ch chan *Config, c *Config) {
	for {
		select {
		case ch <- c:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// Watch reloads on every signal received on hup until ctx ends.
func (r *Reloader) Watch(ctx context.Context, hup <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := r.Reload(); err != nil {
				r.logf("config: reload failed, keeping previous configuration: %v", err)
				continue
			}
			r.runHooks()
			r.logf("config: reloaded %s", r.Path())
		}
	}
}

// Path returns the configuration file path.
func (r *Reloader) Path() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.path
}

// SetPath points the reloader at another file; the next Reload reads it.
func (r *Reloader) SetPath(p string) {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	r.path = p
}
