// Package config loads the agent configuration and reloads it on SIGHUP.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"
)

// Config is the agent configuration file (JSON).
type Config struct {
	Paths        []string `json:"paths"`
	SpoolDir     string   `json:"spool_dir"`
	SpoolMaxMB   int64    `json:"spool_max_mb"`
	StateFile    string   `json:"state_file"`
	CollectorURL string   `json:"collector_url"`
	BatchSize    int      `json:"batch_size"`
	FlushEvery   Duration `json:"flush_every"`
	Workers      int      `json:"workers"`
	MaxRetries   int      `json:"max_retries"`
	MaxInFlight  int      `json:"max_in_flight"`
	AdminAddr    string   `json:"admin_addr"`
}

// Duration is a time.Duration written as a string ("5s") in JSON.
type Duration struct{ time.Duration }

// UnmarshalJSON accepts "1m30s" style strings.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// Load reads, defaults and validates the configuration at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) applyDefaults() {
	if c.SpoolDir == "" {
		c.SpoolDir = "/var/lib/logship/spool"
	}
	if c.StateFile == "" {
		c.StateFile = "/var/lib/logship/state.json"
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.FlushEvery.Duration <= 0 {
		c.FlushEvery.Duration = 5 * time.Second
	}
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = 5
	}
	if c.AdminAddr == "" {
		c.AdminAddr = "127.0.0.1:9109"
	}
}

// Validate checks the fields that have no safe default.
func (c *Config) Validate() error {
	var errs []error
	if len(c.Paths) == 0 {
		errs = append(errs, errors.New("paths: at least one file is required"))
	}
	if u, err := url.Parse(c.CollectorURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		errs = append(errs, fmt.Errorf("collector_url: %q is not an http(s) URL", c.CollectorURL))
	}
	if c.BatchSize > 100000 {
		errs = append(errs, fmt.Errorf("batch_size: %d is too large", c.BatchSize))
	}
	return errors.Join(errs...)
}
