// Package config loads the backupd configuration file.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Duration is a time.Duration written as a string ("90m") in JSON.
type Duration struct{ time.Duration }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// Job is one scheduled backup.
type Job struct {
	Name     string   `json:"name"`
	Schedule string   `json:"schedule"`
	Roots    []string `json:"roots"`
	Exclude  []string `json:"exclude,omitempty"`
	Timeout  Duration `json:"timeout"`
	Quiesce  bool     `json:"quiesce,omitempty"`
}

// Config is the daemon configuration.
type Config struct {
	Repo       string `json:"repo"`
	KeyFile    string `json:"key_file"`
	Remote     string `json:"remote"`
	Token      string `json:"token,omitempty"`
	Uploaders  int    `json:"uploaders"`
	Retries    int    `json:"retries"`
	StatusAddr string `json:"status_addr"`
	Webhook    string `json:"webhook,omitempty"`
	Jobs       []Job  `json:"jobs"`
}

// Watch polls the configuration file and calls onChange with the new
// configuration whenever its content changes. It never returns; run it in
// its own goroutine.
func Watch(path string, every time.Duration, onChange func(*Config)) {
	var last []byte
	for {
		time.Sleep(every)
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		data, err := io.ReadAll(f)
		if err != nil || bytes.Equal(data, last) {
			continue
		}
		last = data
		if c, err := Load(path); err == nil {
			onChange(c)
		}
	}
}

// Load reads, defaults and validates the configuration at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	var c Config
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return &c, nil
}

// Save writes the configuration back (`backupd config set`).
func Save(path string, c *Config) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

func (c *Config) applyDefaults() {
	if c.Uploaders == 0 {
		c.Uploaders = 4
	}
	if c.Retries == 0 {
		c.Retries = 3
	}
	if c.StatusAddr == "" {
		c.StatusAddr = "127.0.0.1:9471"
	}
	if c.KeyFile == "" && c.Repo != "" {
		c.KeyFile = filepath.Join(c.Repo, "key")
	}
	for i := range c.Jobs {
		if c.Jobs[i].Timeout.Duration == 0 {
			c.Jobs[i].Timeout.Duration = 12 * time.Hour
		}
	}
}

// Validate checks the configuration for obvious mistakes.
func (c *Config) Validate() error {
	var errs []error
	if c.Repo == "" {
		errs = append(errs, errors.New("repo is required"))
	}
	if c.Remote == "" {
		errs = append(errs, errors.New("remote is required"))
	}
	seen := make(map[string]bool)
	for _, j := range c.Jobs {
		if j.Name == "" || seen[j.Name] {
			errs = append(errs, fmt.Errorf("job names must be unique and non-empty (%q)", j.Name))
		}
		seen[j.Name] = true
		if len(j.Roots) == 0 {
			errs = append(errs, fmt.Errorf("job %q has no roots", j.Name))
		}
	}
	return errors.Join(errs...)
}
