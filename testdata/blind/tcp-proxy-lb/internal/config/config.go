// Package config loads and validates the daemon's JSON configuration.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Duration is a time.Duration that (un)marshals as a string like "5s".
type Duration struct{ time.Duration }

// UnmarshalJSON accepts "1m30s" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		d.Duration = v
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("config: duration must be a string or seconds: %s", b)
	}
	d.Duration = time.Duration(secs * float64(time.Second))
	return nil
}

// MarshalJSON writes the string form.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// Backend is one upstream.
type Backend struct {
	Addr   string `json:"addr"`
	Weight int    `json:"weight"`
}

// Health configures the checker.
type Health struct {
	Kind       string   `json:"kind"`
	Path       string   `json:"path,omitempty"`
	Interval   Duration `json:"interval"`
	Timeout    Duration `json:"timeout"`
	AgentCheck string   `json:"agent_check,omitempty"`
}

// Frontend is one listener and its pool.
type Frontend struct {
	Name          string    `json:"name"`
	Listen        string    `json:"listen"`
	Mode          string    `json:"mode"` // "tcp" or "http"
	ProxyProtocol bool      `json:"proxy_protocol"`
	SendProxy     bool      `json:"send_proxy"`
	Sticky        bool      `json:"sticky"`
	StickyTTL     Duration  `json:"sticky_ttl"`
	MaxConns      int       `json:"max_conns"`
	DialTimeout   Duration  `json:"dial_timeout"`
	IdleTimeout   Duration  `json:"idle_timeout"`
	Mirror        string    `json:"mirror,omitempty"`
	Backends      []Backend `json:"backends"`
	Health        Health    `json:"health"`
}

// TLS configures termination.
type TLS struct {
	CertFile  string   `json:"cert_file"`
	KeyFile   string   `json:"key_file"`
	ClientCAs []string `json:"client_cas,omitempty"`
}

// Config is the whole file.
type Config struct {
	Admin        string     `json:"admin"`
	AdminToken   string     `json:"admin_token"`
	PIDFile      string     `json:"pid_file"`
	AccessLog    string     `json:"access_log"`
	StickyState  string     `json:"sticky_state"`
	DrainTimeout Duration   `json:"drain_timeout"`
	TLS          *TLS       `json:"tls,omitempty"`
	Peers        []string   `json:"peers,omitempty"`
	Frontends    []Frontend `json:"frontends"`
}

// Load reads and validates a config file. The file is opened read-only.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config: %s: %w", filepath.Base(path), err)
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Config) applyDefaults() {
	if c.DrainTimeout.Duration == 0 {
		c.DrainTimeout.Duration = 30 * time.Second
	}
	for i := range c.Frontends {
		fe := &c.Frontends[i]
		if fe.Mode == "" {
			fe.Mode = "tcp"
		}
		if fe.DialTimeout.Duration == 0 {
			fe.DialTimeout.Duration = 3 * time.Second
		}
		if fe.IdleTimeout.Duration == 0 {
			fe.IdleTimeout.Duration = 5 * time.Minute
		}
		if fe.StickyTTL.Duration == 0 {
			fe.StickyTTL.Duration = 30 * time.Minute
		}
		if fe.Health.Interval.Duration == 0 {
			fe.Health.Interval.Duration = 5 * time.Second
		}
		if fe.Health.Timeout.Duration == 0 {
			fe.Health.Timeout.Duration = 2 * time.Second
		}
		for j := range fe.Backends {
			if fe.Backends[j].Weight == 0 {
				fe.Backends[j].Weight = 1
			}
		}
	}
}

// Validate reports every problem at once.
func (c *Config) Validate() error {
	var errs []error
	names := make(map[string]bool)
	for _, fe := range c.Frontends {
		if fe.Name == "" || names[fe.Name] {
			errs = append(errs, fmt.Errorf("frontend %q: missing or duplicate name", fe.Name))
		}
		names[fe.Name] = true
		if _, _, err := net.SplitHostPort(fe.Listen); err != nil {
			errs = append(errs, fmt.Errorf("frontend %s: listen: %w", fe.Name, err))
		}
		if fe.Mode != "tcp" && fe.Mode != "http" {
			errs = append(errs, fmt.Errorf("frontend %s: mode %q", fe.Name, fe.Mode))
		}
		if len(fe.Backends) == 0 {
			errs = append(errs, fmt.Errorf("frontend %s: no backends", fe.Name))
		}
		for _, b := range fe.Backends {
			if _, _, err := net.SplitHostPort(b.Addr); err != nil {
				errs = append(errs, fmt.Errorf("frontend %s: backend %q: %w", fe.Name, b.Addr, err))
			}
		}
	}
	if c.TLS != nil && (c.TLS.CertFile == "" || c.TLS.KeyFile == "") {
		errs = append(errs, errors.New("tls: cert_file and key_file are required"))
	}
	return errors.Join(errs...)
}

// Save writes the config atomically. The close error is joined into the
// named result, and the rename only happens when everything succeeded.
func Save(path string, c *Config) (err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
		if err == nil {
			err = os.Rename(tmp, path)
		} else {
			os.Remove(tmp)
		}
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// Weights returns the backend weights of a frontend as a map.
func (fe Frontend) Weights() map[string]int {
	out := make(map[string]int, len(fe.Backends))
	for _, b := range fe.Backends {
		out[b.Addr] = b.Weight
	}
	return out
}

// Find returns the frontend with the given name.
func (c *Config) Find(name string) (*Frontend, bool) {
	for i := range c.Frontends {
		if strings.EqualFold(c.Frontends[i].Name, name) {
			return &c.Frontends[i], true
		}
	}
	return nil, false
}
