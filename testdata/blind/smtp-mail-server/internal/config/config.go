// Package config loads the JSON configuration of mailsrvd.
package config

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Duration is a time.Duration written as "30s" in JSON.
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
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// Config is the server configuration.
type Config struct {
	Hostname        string   `json:"hostname"`
	Listen          string   `json:"listen"`
	AdminListen     string   `json:"admin_listen"`
	SpoolDir        string   `json:"spool_dir"`
	TLSCert         string   `json:"tls_cert,omitempty"`
	TLSKey          string   `json:"tls_key,omitempty"`
	LocalDomains    []string `json:"local_domains"`
	Peers           []string `json:"peers,omitempty"`
	MaxMessageBytes int64    `json:"max_message_bytes"`
	MaxRecipients   int      `json:"max_recipients"`
	MaxConnsPerIP   int      `json:"max_conns_per_ip"`
	QueueWorkers    int      `json:"queue_workers"`
	PerDomainLimit  int      `json:"per_domain_limit"`
	QueueInterval   Duration `json:"queue_interval"`
	MaxQueueAge     Duration `json:"max_queue_age"`
	GreylistDelay   Duration `json:"greylist_delay"`
	GreylistTTL     Duration `json:"greylist_ttl"`
	ShutdownGrace   Duration `json:"shutdown_grace"`
}

// Default returns the built-in defaults.
func Default() *Config {
	host, _ := os.Hostname()
	return &Config{
		Hostname:        host,
		Listen:          ":25",
		AdminListen:     "127.0.0.1:8025",
		SpoolDir:        "/var/spool/mailsrv",
		MaxMessageBytes: 25 << 20,
		MaxRecipients:   100,
		MaxConnsPerIP:   10,
		QueueWorkers:    16,
		PerDomainLimit:  4,
		QueueInterval:   Duration{time.Minute},
		MaxQueueAge:     Duration{5 * 24 * time.Hour},
		GreylistDelay:   Duration{5 * time.Minute},
		GreylistTTL:     Duration{36 * 24 * time.Hour},
		ShutdownGrace:   Duration{30 * time.Second},
	}
}

func decode(r io.Reader) (*Config, error) {
	cfg := Default()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Load reads the configuration at path over the defaults.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, err := decode(f)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// LoadWithBackup reads path and falls back to the copy that Save keeps
// when the live file is corrupt (e.g. half-written by an editor).
func LoadWithBackup(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	cfg, err := decode(f)
	if err == nil {
		return cfg, nil
	}
	f, err = os.Open(path + ".bak")
	if err != nil {
		return nil, fmt.Errorf("config %s unreadable and no backup: %w", path, err)
	}
	return decode(f)
}

// Validate checks the settings that have no safe default.
func (c *Config) Validate() error {
	var errs []error
	if c.Hostname == "" {
		errs = append(errs, errors.New("hostname is required"))
	}
	if len(c.LocalDomains) == 0 {
		errs = append(errs, errors.New("local_domains is empty: nothing would be accepted"))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("tls_cert and tls_key go together"))
	}
	if c.QueueWorkers <= 0 {
		errs = append(errs, fmt.Errorf("queue_workers = %d, must be positive", c.QueueWorkers))
	}
	return errors.Join(errs...)
}

// IsLocal reports whether mail for domain is accepted.
func (c *Config) IsLocal(domain string) bool {
	for _, d := range c.LocalDomains {
		if strings.EqualFold(d, domain) {
			return true
		}
	}
	return false
}

// Save writes the configuration to path, keeping the previous version as
// path.bak.
func (c *Config) Save(path string) error {
	if old, err := os.ReadFile(path); err == nil {
		if err := os.WriteFile(path+".bak", old, 0o640); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
