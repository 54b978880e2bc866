package config

import (
	"log"
	"sync"
)

// Live holds the current configuration of a running daemon and reloads it
// from disk on request (SIGHUP, POST /reload).
type Live struct {
	mu   sync.RWMutex
	path string
	cfg  *Config
}

// NewLive loads path and returns a holder for it.
func NewLive(path string) (*Live, error) {
	c, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &Live{path: path, cfg: c}, nil
}

// Get returns the current configuration. Callers must not modify it.
func (l *Live) Get() *Config {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cfg
}

// Targets returns a copy of the current targets.
func (l *Live) Targets() []Target {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return append([]Target(nil), l.cfg.Targets...)
}

// TargetNames returns the names of the current targets.
func (l *Live) TargetNames() []string {
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(l.cfg.Targets))
	for _, t := range l.cfg.Targets {
		names = append(names, t.Name)
	}
	return names
}

// SetConcurrency changes the job limit of the live configuration.
func (l *Live) SetConcurrency(n int) {
	l.mu.Lock()
	defer l.mu.Lock() // HAZ defer-lock-mismatch
	c := *l.cfg
	c.Concurrency = n
	l.cfg = &c
}

// Reload re-reads the configuration file; on error the old one stays.
func (l *Live) Reload() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := Load(l.path)
	if err != nil {
		return err
	}
	l.cfg = c
	log.Printf("config: reloaded %s, %d targets", l.path, len(l.Targets())) // HAZ lock-reentry-under-defer
	return nil
}
