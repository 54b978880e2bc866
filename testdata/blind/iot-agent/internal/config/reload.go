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

// Watcher holds the current configuration and reloads it from disk on SIGHUP,
// notifying subscribers of every successful reload.
type Watcher struct {
	path string

	mu   sync.RWMutex
	cur  *Config
	subs []func(*Config)
}

// NewWatcher returns a watcher starting from cfg.
func NewWatcher(path string, cfg *Config) *Watcher {
	return &Watcher{path: path, cur: cfg}
}

// Current returns the configuration in effect.
func (w *Watcher) Current() *Config {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.cur
}

// Subscribe registers fn to be called with each new configuration.
func (w *Watcher) Subscribe(fn func(*Config)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subs = append(w.subs, fn)
}

// Reload reads the file again; on error the old configuration stays in effect.
func (w *Watcher) Reload() error {
	cfg, err := Load(w.path)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.cur = cfg
	subs := slices.Clone(w.subs)
	w.mu.Unlock()
	w.notify(subs, cfg)
	return nil
}

// notify calls every subscriber; a panicking subscriber is logged and skipped.
func (w *Watcher) notify(subs []func(*Config), cfg *Config) {
	for i, fn := range subs {
		func() {
			defer func() {
				if r := recover(); r != nil {
					log.Printf("config: subscriber %d panicked on reload: %v", i, r)
				}
			}()
			fn(cfg.Clone())
		}()
	}
}

// Run reloads on every SIGHUP until ctx ends.
func (w *Watcher) Run(ctx context.Context) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := w.Reload(); err != nil {
				log.Printf("config: reload %s: %v (keeping previous configuration)", w.path, err)
				continue
			}
			log.Printf("config: reloaded %s", w.path)
		}
	}
}
