// Package config holds the hot-reloadable configuration of the daemon.
package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
)

type Config struct {
	ListenAddr string            `json:"listen_addr"`
	Upstreams  []string          `json:"upstreams"`
	Limits     map[string]int    `json:"limits"`
	Labels     map[string]string `json:"labels"`
}

func (c *Config) Equal(o *Config) bool {
	if c == nil || o == nil {
		return c == o
	}
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(o)
	return string(a) == string(b)
}

// Store holds the current config and notifies subscribers on change.
type Store struct {
	mu      sync.Mutex
	path    string
	current *Config
	version int
	subs    []func(*Config)
	log     *slog.Logger
}

func NewStore(path string, log *slog.Logger) *Store { return &Store{path: path, log: log} }

func (s *Store) Subscribe(fn func(*Config)) {
	s.mu.Lock()
	s.subs = append(s.subs, fn)
	s.mu.Unlock()
}

func (s *Store) Current() *Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

func (s *Store) readFile() (*Config, error) {
	raw, err := os.ReadFile(s.path)
	if err != nil {
		return nil, err
	}
	var cfg Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("parse %s: %w", s.path, err)
	}
	return &cfg, nil
}

// Apply installs cfg and runs the subscribers outside the lock.
func (s *Store) Apply(cfg *Config) {
	s.mu.Lock()
	s.current = cfg
	s.version++
	v := s.version
	subs := slices.Clone(s.subs)
	s.mu.Unlock()
	s.log.Info("config applied", "version", v)
	for _, fn := range subs {
		fn(cfg)
	}
}

// Reload re-reads the file and applies it if it changed (SIGHUP).
func (s *Store) Reload() error {
	next, err := func() (*Config, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		cfg, err := s.readFile()
		if err != nil {
			return nil, err
		}
		if cfg.Equal(s.current) {
			return nil, nil
		}
		return cfg, nil
	}()
	if err != nil || next == nil {
		return err
	}
	s.Apply(next) // ok: the closure above already released s.mu
	return nil
}
