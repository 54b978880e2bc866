// Package config loads the gateway's route table and watches it for changes.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"example.com/ratelimitgw/internal/limiter"
)

// Route maps a path prefix to an upstream with its own limits.
type Route struct {
	Name         string         `json:"name"`
	Prefix       string         `json:"prefix"`
	Upstream     string         `json:"upstream"`
	TenantHeader string         `json:"tenant_header"`
	StripPrefix  bool           `json:"strip_prefix"`
	SkipWarm     bool           `json:"skip_warm"`
	Limits       limiter.Policy `json:"limits"`
}

// Config is one version of the route table. A *Config is shared between
// goroutines once loaded and must not be copied.
type Config struct {
	Version int     `json:"version"`
	Routes  []Route `json:"routes"`

	appliedAt atomic.Int64
}

// Parse decodes and validates a route table.
func Parse(data []byte) (*Config, error) {
	cfg := new(Config)
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, fmt.Errorf("parse routes: %w", err)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *Config) validate() error {
	seen := make(map[string]bool, len(c.Routes))
	var errs []error
	for i, r := range c.Routes {
		switch {
		case r.Name == "":
			errs = append(errs, fmt.Errorf("route %d: missing name", i))
		case seen[r.Name]:
			errs = append(errs, fmt.Errorf("route %q: duplicate name", r.Name))
		case !strings.HasPrefix(r.Prefix, "/"):
			errs = append(errs, fmt.Errorf("route %q: prefix must start with /", r.Name))
		case r.Upstream == "":
			errs = append(errs, fmt.Errorf("route %q: missing upstream", r.Name))
		}
		seen[r.Name] = true
	}
	return errors.Join(errs...)
}

// markApplied records when this version went live.
func (c *Config) markApplied() {
	c.appliedAt.Store(time.Now().UnixNano())
}

// AppliedAt reports when this version went live (zero if it never did).
func (c *Config) AppliedAt() time.Time {
	ns := c.appliedAt.Load()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
