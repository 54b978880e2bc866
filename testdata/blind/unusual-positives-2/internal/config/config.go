// Package config loads the service configuration.
package config

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

// Config is the service configuration.
type Config struct {
	Listen   string        `json:"listen"`
	DataDir  string        `json:"data_dir"`
	Upstream string        `json:"upstream"`
	Workers  int           `json:"workers"`
	Interval time.Duration `json:"interval"`
}

func (c *Config) validate() error {
	switch {
	case c.Listen == "":
		return fmt.Errorf("config: listen is empty")
	case c.Workers <= 0:
		return fmt.Errorf("config: workers must be positive, got %d", c.Workers)
	}
	return nil
}

// Load reads and validates the file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var c Config
	if err := json.NewDecoder(f).Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// MustLoad loads path or exits; it exits before anything is deferred.
func MustLoad(path string) *Config {
	c, err := Load(path)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	return c
}

// MustRender renders the effective config from a template, staging it in a
// temporary file that is removed on return.
func MustRender(tmpl []byte, vars map[string]string) *Config {
	name, err := stage(expand(tmpl, vars))
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	defer os.Remove(name)
	c, err := Load(name)
	if err != nil {
		log.Fatalf("config: rendered config invalid: %v", err) // HAZ exit-skips-defer
	}
	return c
}

func stage(data []byte) (string, error) {
	tmp, err := os.CreateTemp("", "config-*.json")
	if err != nil {
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// Render is MustRender that returns errors, so the temp file is removed.
func Render(tmpl []byte, vars map[string]string) (*Config, error) {
	dir, err := os.MkdirTemp("", "config")
	if err != nil {
		return nil, err
	}
	defer os.Remove(dir)
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, expand(tmpl, vars), 0o600); err != nil {
		return nil, err
	}
	defer os.Remove(path)
	return Load(path)
}

func expand(tmpl []byte, vars map[string]string) []byte {
	return []byte(os.Expand(string(tmpl), func(k string) string { return vars[k] }))
}
