package config

import (
	"context"
	"log"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
)

// Reloader holds the current configuration and swaps it on SIGHUP.
type Reloader struct {
	path string

	mu   sync.RWMutex
	cur  *Config
	subs []func(*Config)
	gen  int
}

// NewReloader returns a reloader for path, starting with cur.
func NewReloader(path string, cur *Config) *Reloader {
	return &Reloader{path: path, cur: cur}
}

// Current returns the active configuration.
func (r *Reloader) Current() *Config {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.cur
}

// Generation counts successful reloads.
func (r *Reloader) Generation() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.gen
}

// Subscribe registers fn to be called with each new configuration.
func (r *Reloader) Subscribe(fn func(*Config)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs = append(r.subs, fn)
}

func (r *Reloader) notify() {
	for _, fn := range r.subs {
		fn(r.Current())
	}
}

// Reload re-reads the file and notifies subscribers. A bad file keeps the
// old configuration.
func (r *Reloader) Reload() error {
	c, err := Load(r.path)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cur = c
	r.gen++
	r.notify() // HAZ lock-reentry-under-defer
	return nil
}

// Set installs c and notifies subscribers outside the lock.
func (r *Reloader) Set(c *Config) {
	r.mu.Lock()
	r.cur = c
	r.gen++
	subs := slices.Clone(r.subs)
	r.mu.Unlock()
	for _, fn := range subs {
		fn(c)
	}
}

// ReloadSafe is Reload built on Set.
func (r *Reloader) ReloadSafe() error {
	c, err := Load(r.path)
	if err != nil {
		return err
	}
	r.Set(c)
	return nil
}

// Watch reloads on SIGHUP until ctx ends.
func (r *Reloader) Watch(ctx context.Context) error {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup) // ok: outside the loop
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-hup:
			if err := r.ReloadSafe(); err != nil {
				log.Printf("config: reload %s: %v (keeping generation %d)", r.path, err, r.Generation())
				continue
			}
			log.Printf("config: reloaded %s (generation %d)", r.path, r.Generation())
		}
	}
}
