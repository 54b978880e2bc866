// Package config loads the agent's JSON configuration and reloads it on SIGHUP.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Duration is a time.Duration written as a string ("30s") in JSON.
type Duration time.Duration

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("config: duration must be a string: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// PortConfig describes one attached sensor.
type PortConfig struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Kind string `json:"kind"` // "temp" or "humidity"
}

// Config is the agent configuration.
type Config struct {
	DeviceID        string       `json:"device_id"`
	Broker          string       `json:"broker"`
	Ports           []PortConfig `json:"ports"`
	HeaterPort      string       `json:"heater_port,omitempty"`
	SelfTestHeater  bool         `json:"self_test_heater,omitempty"`
	PollInterval    Duration     `json:"poll_interval"`
	PublishInterval Duration     `json:"publish_interval"`
	BatchSize       int          `json:"batch_size"`
	DataDir         string       `json:"data_dir"`
	FirmwareURL     string       `json:"firmware_url"`
	SlotsDir        string       `json:"slots_dir"`
	Watchdog        Duration     `json:"watchdog"`
	CertFile        string       `json:"cert_file"`
}

// Default returns a configuration with every optional field set.
func Default() *Config {
	return &Config{
		PollInterval:    Duration(10 * time.Second),
		PublishInterval: Duration(time.Minute),
		BatchSize:       100,
		DataDir:         "/var/lib/iot-agent",
		SlotsDir:        "/boot/slots",
		Watchdog:        Duration(2 * time.Minute),
		CertFile:        "/etc/iot-agent/device.crt",
	}
}

// Load reads and validates the configuration at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return cfg, nil
}

// Parse decodes a configuration over the defaults and validates it.
func Parse(r io.Reader) (*Config, error) {
	cfg := Default()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Validate checks required fields and ranges.
func (c *Config) Validate() error {
	var errs []error
	if c.DeviceID == "" {
		errs = append(errs, errors.New("device_id is required"))
	}
	if c.Broker == "" {
		errs = append(errs, errors.New("broker is required"))
	}
	if time.Duration(c.PollInterval) < time.Second {
		errs = append(errs, fmt.Errorf("poll_interval %v is below 1s", time.Duration(c.PollInterval)))
	}
	if c.BatchSize <= 0 {
		errs = append(errs, fmt.Errorf("batch_size %d must be positive", c.BatchSize))
	}
	seen := make(map[string]bool)
	for _, p := range c.Ports {
		if seen[p.Name] {
			errs = append(errs, fmt.Errorf("port name %q used twice", p.Name))
		}
		seen[p.Name] = true
		if p.Kind != "temp" && p.Kind != "humidity" {
			errs = append(errs, fmt.Errorf("port %q: unknown kind %q", p.Name, p.Kind))
		}
	}
	return errors.Join(errs...)
}

// Clone returns a deep copy of c.
func (c *Config) Clone() *Config {
	cp := *c
	cp.Ports = append([]PortConfig(nil), c.Ports...)
	return &cp
}

// Save writes c to path via a temporary file: the data is fsynced and checked
// before the rename, so the deferred Close only matters on error paths.
func Save(path string, c *Config) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
