// Package config loads the controller manager configuration file.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Duration is a time.Duration that marshals as "1m30s".
type Duration struct {
	time.Duration
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("config: duration must be a string: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	d.Duration = v
	return nil
}

// Config is the manager configuration.
type Config struct {
	APIServer      string   `json:"apiServer"`
	TokenFile      string   `json:"tokenFile,omitempty"`
	Namespace      string   `json:"namespace,omitempty"`
	Workers        int      `json:"workers,omitempty"`
	ResyncPeriod   Duration `json:"resyncPeriod,omitempty"`
	LeaderElection bool     `json:"leaderElection,omitempty"`
	LeaseName      string   `json:"leaseName,omitempty"`
	ProbeAddr      string   `json:"probeAddr,omitempty"`
	// Include names a file, relative to this one, merged over it.
	Include string `json:"include,omitempty"`
}

func decode(r io.Reader) (*Config, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// merge copies the non-zero fields of o over c.
func (c *Config) merge(o *Config) {
	if o.APIServer != "" {
		c.APIServer = o.APIServer
	}
	if o.TokenFile != "" {
		c.TokenFile = o.TokenFile
	}
	if o.Namespace != "" {
		c.Namespace = o.Namespace
	}
	if o.Workers != 0 {
		c.Workers = o.Workers
	}
	if o.ResyncPeriod.Duration != 0 {
		c.ResyncPeriod = o.ResyncPeriod
	}
	if o.LeaderElection {
		c.LeaderElection = true
	}
	if o.LeaseName != "" {
		c.LeaseName = o.LeaseName
	}
}

// ApplyDefaults fills unset fields.
func (c *Config) ApplyDefaults() {
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.ResyncPeriod.Duration == 0 {
		c.ResyncPeriod.Duration = 10 * time.Minute
	}
	if c.LeaseName == "" {
		c.LeaseName = "widget-controller"
	}
	if c.ProbeAddr == "" {
		c.ProbeAddr = ":8081"
	}
}

// Validate checks the configuration for obvious mistakes.
func (c *Config) Validate() error {
	var errs []error
	if c.APIServer == "" {
		errs = append(errs, errors.New("apiServer is required"))
	} else if !strings.HasPrefix(c.APIServer, "http://") && !strings.HasPrefix(c.APIServer, "https://") {
		errs = append(errs, fmt.Errorf("apiServer %q must be an http(s) URL", c.APIServer))
	}
	if c.Workers < 0 {
		errs = append(errs, errors.New("workers must not be negative"))
	}
	if c.ResyncPeriod.Duration < 0 {
		errs = append(errs, errors.New("resyncPeriod must not be negative"))
	}
	return errors.Join(errs...)
}

// Token reads the bearer token file, if any.
func (c *Config) Token() (string, error) {
	if c.TokenFile == "" {
		return "", nil
	}
	b, err := os.ReadFile(c.TokenFile)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// Load reads path and, if it names one, the file it includes.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	cfg, err := decode(f)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if cfg.Include != "" {
		f, err = os.Open(filepath.Join(filepath.Dir(path), cfg.Include))
		if err != nil {
			return nil, err
		}
		overlay, err := decode(f)
		if err != nil {
			return nil, fmt.Errorf("config %s: %w", cfg.Include, err)
		}
		cfg.merge(overlay)
	}
	cfg.ApplyDefaults()
	return cfg, nil
}

// LoadOverlays reads every *.json file of dir, in name order.
func LoadOverlays(dir string) ([]*Config, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := make([]*Config, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		cfg, err := decode(f)
		if err != nil {
			return nil, fmt.Errorf("config %s: %w", p, err)
		}
		out = append(out, cfg)
	}
	return out, nil
}

// ValidateFiles checks that every file parses and validates.
func ValidateFiles(paths []string) error {
	var errs []error
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			cfg, err := decode(f)
			if err != nil {
				return err
			}
			cfg.ApplyDefaults()
			return cfg.Validate()
		}()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

// Save writes cfg to path.
func Save(path string, cfg *Config) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cfg); err != nil {
		return err
	}
	return f.Close()
}

// MustLoad loads and validates path or exits the process.
func MustLoad(path string) *Config {
	cfg, err := Load(path)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		log.Fatalf("config %s: %v", path, err)
	}
	return cfg
}
