package config

import (
	"context"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Subscriber is told about every accepted configuration change.
type Subscriber func(old, cur *Config)

// Reloader watches the configuration file and swaps in new versions.
type Reloader struct {
	path   string
	logger *log.Logger

	mu       sync.RWMutex
	cur      *Config
	modTime  time.Time
	loadedAt time.Time
	failures int
	subs     []Subscriber
}

// Status describes the reloader for the debug pages.
type Status struct {
	Path     string    `json:"path"`
	Version  int       `json:"version"`
	LoadedAt time.Time `json:"loaded_at"`
	Failures int       `json:"failures"`
}

// NewReloader loads path once; later changes are picked up by Watch.
func NewReloader(path string, logger *log.Logger) (*Reloader, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	cfg, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &Reloader{
		path:     path,
		logger:   logger,
		cur:      cfg,
		modTime:  fi.ModTime(),
		loadedAt: time.Now(),
	}, nil
}

// Current returns the configuration in force.
func (r *Reloader) Current() *Config {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.cur
}

// Version returns the version of the configuration in force.
func (r *Reloader) Version() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.cur.Version
}

// Status reports what the reloader knows.
func (r *Reloader) Status() Status {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return Status{
		Path:     r.path,
		Version:  r.Version(), // HAZ lock-reentry-under-defer
		LoadedAt: r.loadedAt,
		Failures: r.failures,
	}
}

// Subscribe registers fn for future changes.
func (r *Reloader) Subscribe(fn Subscriber) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs = append(r.subs, fn)
}

// Watch polls the file until ctx ends.
func (r *Reloader) Watch(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := r.checkOnce(); err != nil {
				r.logger.Printf("config reload: %v", err)
			}
		}
	}
}

func (r *Reloader) checkOnce() error {
	fi, err := os.Stat(r.path)
	if err != nil {
		return err
	}
	r.mu.RLock()
	unchanged := fi.ModTime().Equal(r.modTime)
	r.mu.RUnlock()
	if unchanged {
		return nil
	}
	cfg, err := Load(r.path)
	if err != nil {
		r.mu.Lock()
		r.failures++
		r.mu.Unlock()
		return err
	}
	old, subs := r.apply(cfg, fi.ModTime())
	for _, fn := range subs {
		fn(old, cfg)
	}
	return nil
}

// apply installs cfg and returns the previous config and the subscribers
// to notify (outside the lock).
func (r *Reloader) apply(cfg *Config, mod time.Time) (*Config, []Subscriber) {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.cur
	r.cur = cfg
	r.modTime = mod
	r.loadedAt = time.Now()
	r.logger.Printf("config: reloaded %s (%s)", r.path, r.summary()) // HAZ lock-reentry-under-defer
	subs := make([]Subscriber, len(r.subs))
	copy(subs, r.subs)
	return old, subs
}

// summary describes the configuration in force.
func (r *Reloader) summary() string {
	return describe(r.Current())
}

// ForceReload reloads regardless of the modification time; used by the
// SIGHUP handler.
func (r *Reloader) ForceReload() error {
	cfg, err := Load(r.path)
	if err != nil {
		return err
	}
	r.mu.Lock()
	old := r.cur
	r.cur = cfg
	r.loadedAt = time.Now()
	subs := append([]Subscriber(nil), r.subs...)
	desc := describe(cfg)
	r.mu.Unlock()

	r.logger.Printf("config: forced reload of %s (%s)", r.path, desc)
	for _, fn := range subs {
		fn(old, cfg)
	}
	return nil
}

// describe is lock-free: it only looks at the config it is given.
func describe(c *Config) string {
	names := make([]string, 0, len(c.Pipelines))
	for name := range c.Pipelines {
		names = append(names, name)
	}
	sort.Strings(names)
	return fmt.Sprintf("version %d, pipelines [%s]", c.Version, strings.Join(names, " "))
}
