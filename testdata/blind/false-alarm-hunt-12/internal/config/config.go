// Package config finds and loads the tool's configuration.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// ErrNoConfig is returned when no candidate file exists.
var ErrNoConfig = errors.New("config: no configuration file found")

// Config is the tool configuration.
type Config struct {
	DataDir  string `json:"data_dir"`
	Listen   string `json:"listen"`
	ScratchD string `json:"scratch_dir"`
	Verbose  bool   `json:"verbose"`
}

// Candidates returns the search path for the configuration.
func Candidates(name string) []string {
	out := []string{filepath.Join(".", name)}
	if dir, err := os.UserConfigDir(); err == nil {
		out = append(out, filepath.Join(dir, "fah12", name))
	}
	return append(out, filepath.Join("/etc/fah12", name))
}

// Find loads the first existing candidate. The defer sits in the loop, but the
// iteration that registers it always returns: it runs at most once.
func Find(candidates []string) (*Config, string, error) {
	for _, p := range candidates {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		var c Config
		if err := json.NewDecoder(f).Decode(&c); err != nil {
			return nil, p, fmt.Errorf("config: %s: %w", p, err)
		}
		return &c, p, nil
	}
	return nil, "", ErrNoConfig
}

// Scratch prepares a scratch directory when configured and runs fn in it.
func Scratch(c *Config, fn func(dir string) error) error {
	var cleanup func()
	dir := c.DataDir
	if c.ScratchD != "" {
		d, err := os.MkdirTemp(c.ScratchD, "run-*")
		if err != nil {
			return err
		}
		dir = d
		cleanup = func() {
			if err := os.Remove(d); err != nil {
				slog.Warn("scratch cleanup", "dir", d, "err", err)
			}
		}
	}
	defer cleanup() // HAZ defer-nil-func
	return fn(dir)
}

// ScratchSafe starts from a no-op cleanup, so the deferred call is never nil.
func ScratchSafe(c *Config, fn func(dir string) error) error {
	cleanup := func() {}
	dir := c.DataDir
	if c.ScratchD != "" {
		d, err := os.MkdirTemp(c.ScratchD, "run-*")
		if err != nil {
			return err
		}
		dir = d
		cleanup = func() { _ = os.Remove(d) }
	}
	defer cleanup()
	return fn(dir)
}

// Hooks are optional lifecycle callbacks.
type Hooks struct {
	OnStart func()
	OnStop  func()
}

// RunWithHooks defers OnStop only when it is set.
func RunWithHooks(h Hooks, fn func() error) error {
	if h.OnStart != nil {
		h.OnStart()
	}
	if h.OnStop != nil {
		defer h.OnStop()
	}
	return fn()
}

// Logger returns the slog logger configured by c.
func Logger(c *Config) *slog.Logger {
	level := slog.LevelInfo
	if c.Verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}
