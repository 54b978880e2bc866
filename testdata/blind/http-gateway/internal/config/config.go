// Package config loads, validates and persists the gateway configuration.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Upstream is one backend the gateway proxies to or fans out to.
type Upstream struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	Weight int    `json:"weight,omitempty"`
}

// Duration is a time.Duration that reads and writes as "1.5s" in JSON.
type Duration struct{ time.Duration }

// UnmarshalJSON accepts either a Go duration string or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		d.Duration = v
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration must be a string or an integer: %s", b)
	}
	d.Duration = time.Duration(n)
	return nil
}

// MarshalJSON writes the duration in its string form.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// Config is the complete gateway configuration.
type Config struct {
	Listen          string            `json:"listen"`
	AdminListen     string            `json:"admin_listen"`
	AdminToken      string            `json:"admin_token"`
	Upstreams       []Upstream        `json:"upstreams"`
	FanoutTargets   []Upstream        `json:"fanout_targets"`
	RatePerSecond   float64           `json:"rate_per_second"`
	Burst           float64           `json:"burst"`
	CacheBytes      int64             `json:"cache_bytes"`
	CacheTTL        Duration          `json:"cache_ttl"`
	UpstreamTimeout Duration          `json:"upstream_timeout"`
	FanoutTimeout   Duration          `json:"fanout_timeout"`
	PollTimeout     Duration          `json:"poll_timeout"`
	Retries         int               `json:"retries"`
	AccessLog       string            `json:"access_log"`
	EventDir        string            `json:"event_dir"`
	DumpDir         string            `json:"dump_dir"`
	Peers           []string          `json:"peers"`
	Tokens          map[string]string `json:"tokens"`
}

// Default returns a configuration with every optional field filled in.
func Default() *Config {
	return &Config{
		Listen:          ":8080",
		AdminListen:     "127.0.0.1:9090",
		RatePerSecond:   50,
		Burst:           100,
		CacheBytes:      64 << 20,
		CacheTTL:        Duration{30 * time.Second},
		UpstreamTimeout: Duration{10 * time.Second},
		FanoutTimeout:   Duration{800 * time.Millisecond},
		PollTimeout:     Duration{25 * time.Second},
		Retries:         2,
		EventDir:        "/var/lib/gateway/events",
		DumpDir:         "/var/lib/gateway/dumps",
	}
}

// Load reads and validates the configuration at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open config: %w", err)
	}
	defer f.Close()
	return decode(f)
}

func decode(r io.Reader) (*Config, error) {
	cfg := Default()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// LoadFirst loads primary, falling back to the last known good copy when the
// primary file is malformed (which happens mid-deploy with some config pushers).
func LoadFirst(primary, fallback string) (*Config, error) {
	f, err := os.Open(primary)
	if err != nil {
		return nil, fmt.Errorf("open config: %w", err)
	}
	defer f.Close() // HAZ defer-eager-evaluation
	cfg, err := decode(f)
	if err == nil {
		return cfg, nil
	}
	f, err = os.Open(fallback)
	if err != nil {
		return nil, fmt.Errorf("primary config invalid and no fallback: %w", err)
	}
	return decode(f)
}

// Validate reports every problem in c at once.
func (c *Config) Validate() error {
	var errs []error
	if c.Listen == "" {
		errs = append(errs, errors.New("listen address is empty"))
	}
	if len(c.Upstreams) == 0 {
		errs = append(errs, errors.New("at least one upstream is required"))
	}
	seen := make(map[string]bool, len(c.Upstreams))
	for i, u := range c.Upstreams {
		if u.Name == "" {
			errs = append(errs, fmt.Errorf("upstream %d has no name", i))
		} else if seen[u.Name] {
			errs = append(errs, fmt.Errorf("upstream %q listed twice", u.Name))
		}
		seen[u.Name] = true
		if _, err := url.ParseRequestURI(u.URL); err != nil {
			errs = append(errs, fmt.Errorf("upstream %q: %w", u.Name, err))
		}
	}
	if c.RatePerSecond <= 0 || c.Burst < 1 {
		errs = append(errs, fmt.Errorf("rate %.2f/s with burst %.0f is not usable", c.RatePerSecond, c.Burst))
	}
	if c.Retries < 0 || c.Retries > 5 {
		errs = append(errs, fmt.Errorf("retries must be between 0 and 5, got %d", c.Retries))
	}
	return errors.Join(errs...)
}

// Redacted returns a copy of c that is safe to show to operators.
func (c *Config) Redacted() *Config {
	cp := *c
	if cp.AdminToken != "" {
		cp.AdminToken = "***"
	}
	cp.Tokens = make(map[string]string, len(c.Tokens))
	for tok, name := range c.Tokens {
		if len(tok) > 4 {
			tok = tok[:4] + "***"
		}
		cp.Tokens[tok] = name
	}
	return &cp
}

// Save writes c to path atomically: a temp file in the same directory is
// synced, closed and renamed over the target.
func Save(path string, c *Config) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gateway-*.json")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	defer tmp.Close()

	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err = enc.Encode(c); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteSnapshot dumps the redacted effective configuration for support bundles.
func WriteSnapshot(path string, c *Config) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(c.Redacted())
}
