// Package config reads the scheduler's INI-like configuration file:
//
//	archive_dir = /var/backups
//	store_url   = http://127.0.0.1:9000
//	concurrency = 2
//	include     = /etc/backupsched/conf.d/db.conf
//
//	[target home]
//	paths    = /home, /root
//	schedule = 30 2 * * *
//	keep_last = 7
package config

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/backupsched/internal/schedule"
)

// Target is one set of paths backed up together on one schedule.
type Target struct {
	Name       string
	Paths      []string
	Schedule   string
	KeepLast   int
	KeepWithin time.Duration
	Exclusive  bool
	Staging    bool
	PreHook    string
	PostHook   string
	PingURL    string
	Quiesce    string
}

// Config is the whole scheduler configuration.
type Config struct {
	ArchiveDir  string
	StoreURL    string
	NotifyURL   string
	Listen      string
	Concurrency int
	Includes    []string
	Targets     []Target
}

// Load reads and validates the configuration at path. Include files are not
// read; call LoadIncludes for that.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads a configuration from r and validates it.
func Parse(r io.Reader) (*Config, error) {
	c, err := parse(r)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func parse(r io.Reader) (*Config, error) {
	c := &Config{Concurrency: 1, Listen: "127.0.0.1:8085"}
	var cur *Target
	sc := bufio.NewScanner(r)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name, ok := strings.CutPrefix(line, "[target "); ok && strings.HasSuffix(name, "]") {
			c.Targets = append(c.Targets, Target{Name: strings.TrimSpace(strings.TrimSuffix(name, "]")), KeepLast: 7})
			cur = &c.Targets[len(c.Targets)-1]
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: expected key = value", lineNo)
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		var err error
		if cur != nil {
			err = cur.set(key, val)
		} else {
			err = c.set(key, val)
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", lineNo, err)
		}
	}
	return c, sc.Err()
}

func (c *Config) set(key, val string) error {
	switch key {
	case "archive_dir":
		c.ArchiveDir = val
	case "store_url":
		c.StoreURL = val
	case "notify_url":
		c.NotifyURL = val
	case "listen":
		c.Listen = val
	case "include":
		c.Includes = append(c.Includes, val)
	case "concurrency":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			return fmt.Errorf("concurrency: want a positive integer, got %q", val)
		}
		c.Concurrency = n
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	return nil
}

func (t *Target) set(key, val string) error {
	var err error
	switch key {
	case "paths":
		for _, p := range strings.Split(val, ",") {
			if p = strings.TrimSpace(p); p != "" {
				t.Paths = append(t.Paths, p)
			}
		}
	case "schedule":
		t.Schedule = val
	case "keep_last":
		t.KeepLast, err = strconv.Atoi(val)
	case "keep_within":
		t.KeepWithin, err = time.ParseDuration(val)
	case "exclusive":
		t.Exclusive, err = strconv.ParseBool(val)
	case "staging":
		t.Staging, err = strconv.ParseBool(val)
	case "pre_hook":
		t.PreHook = val
	case "post_hook":
		t.PostHook = val
	case "ping_url":
		t.PingURL = val
	case "quiesce":
		t.Quiesce = val
	default:
		return fmt.Errorf("target %s: unknown key %q", t.Name, key)
	}
	if err != nil {
		return fmt.Errorf("target %s: %s: %w", t.Name, key, err)
	}
	return nil
}

// Validate checks that every target has paths and a parseable schedule and
// that target names are unique.
func (c *Config) Validate() error {
	if c.ArchiveDir == "" {
		return errors.New("archive_dir is required")
	}
	seen := make(map[string]bool, len(c.Targets))
	var errs []error
	for _, t := range c.Targets {
		if seen[t.Name] {
			errs = append(errs, fmt.Errorf("target %s defined twice", t.Name))
		}
		seen[t.Name] = true
		if len(t.Paths) == 0 {
			errs = append(errs, fmt.Errorf("target %s: no paths", t.Name))
		}
		if _, err := schedule.Parse(t.Schedule); err != nil {
			errs = append(errs, fmt.Errorf("target %s: %w", t.Name, err))
		}
	}
	return errors.Join(errs...)
}

// Target returns the target called name.
func (c *Config) Target(name string) (Target, bool) {
	for _, t := range c.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

// Save writes c to path in the format Parse reads.
func Save(path string, c *Config) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "archive_dir = %s\n", c.ArchiveDir)
	if c.StoreURL != "" {
		fmt.Fprintf(bw, "store_url = %s\n", c.StoreURL)
	}
	fmt.Fprintf(bw, "listen = %s\nconcurrency = %d\n", c.Listen, c.Concurrency)
	for _, inc := range c.Includes {
		fmt.Fprintf(bw, "include = %s\n", inc)
	}
	for _, t := range c.Targets {
		fmt.Fprintf(bw, "\n[target %s]\npaths = %s\nschedule = %s\nkeep_last = %d\n",
			t.Name, strings.Join(t.Paths, ", "), t.Schedule, t.KeepLast)
		if t.KeepWithin > 0 {
			fmt.Fprintf(bw, "keep_within = %s\n", t.KeepWithin)
		}
	}
	return bw.Flush()
}
