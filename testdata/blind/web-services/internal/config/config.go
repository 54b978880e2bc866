// Package config loads the services' JSON configuration.
package config

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"
)

// Config is shared by every command.
type Config struct {
	Addr            string        `json:"addr"`
	AdminKey        string        `json:"admin_key"`
	SnapshotPath    string        `json:"snapshot_path"`
	Upstreams       []string      `json:"upstreams"`
	ShutdownTimeout time.Duration `json:"shutdown_timeout"`
	RateLimit       float64       `json:"rate_limit"`
}

// Default returns the built-in configuration.
func Default() Config {
	return Config{Addr: ":8080", ShutdownTimeout: 10 * time.Second, RateLimit: 20}
}

// Load reads path over the defaults.
func Load(path string) (Config, error) {
	cfg := Default()
	f, err := os.Open(path)
	if err != nil {
		return cfg, err
	}
	defer f.Close() // ok: read-only
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// MustLoad is Load for programs that cannot start without a config.
func MustLoad(path string) Config {
	cfg := Default()
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("config: %v", err) // ok: nothing deferred yet
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		log.Fatalf("config %s: %v", path, err) // HAZ exit-skips-defer
	}
	return cfg
}

// WritePID writes the process id to path and returns the func that removes
// it.
func WritePID(path string) (func(), error) {
	if err := os.WriteFile(path, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}
