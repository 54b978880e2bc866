// Package config loads the collector configuration: a main JSON file plus
// optional fragments in a conf.d directory.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Duration is a time.Duration that unmarshals from "5s"-style strings.
type Duration time.Duration

// UnmarshalJSON parses a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON prints the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// Config is the whole collector configuration.
type Config struct {
	Version    int                       `json:"version"`
	Receivers  map[string]ReceiverConfig `json:"receivers"`
	Processors map[string]ProcConfig     `json:"processors"`
	Exporters  map[string]ExporterConfig `json:"exporters"`
	Pipelines  map[string]PipelineConfig `json:"pipelines"`
	Telemetry  TelemetryConfig           `json:"telemetry"`
}

// ReceiverConfig configures one receiver.
type ReceiverConfig struct {
	Type     string   `json:"type"` // httpjson, tcpline, filetail
	Endpoint string   `json:"endpoint,omitempty"`
	Include  []string `json:"include,omitempty"`
	Poll     Duration `json:"poll,omitempty"`
	MaxBody  int64    `json:"max_body,omitempty"`
	Timeout  Duration `json:"timeout,omitempty"`
}

// ProcConfig configures one processor.
type ProcConfig struct {
	Type      string            `json:"type"` // batch, filter, sampling
	BatchSize int               `json:"batch_size,omitempty"`
	Timeout   Duration          `json:"timeout,omitempty"`
	Rate      float64           `json:"rate,omitempty"`
	Seed      int64             `json:"seed,omitempty"`
	Drop      map[string]string `json:"drop,omitempty"`
}

// ExporterConfig configures one exporter.
type ExporterConfig struct {
	Type       string            `json:"type"` // http, file, stdout
	Endpoint   string            `json:"endpoint,omitempty"`
	Headers    map[string]string `json:"headers,omitempty"`
	Path       string            `json:"path,omitempty"`
	MaxBytes   int64             `json:"max_bytes,omitempty"`
	Compress   bool              `json:"compress,omitempty"`
	QueueSize  int               `json:"queue_size,omitempty"`
	Workers    int               `json:"workers,omitempty"`
	MaxRetries int               `json:"max_retries,omitempty"`
	SpoolDir   string            `json:"spool_dir,omitempty"`
}

// PipelineConfig wires components by name.
type PipelineConfig struct {
	Receivers  []string `json:"receivers"`
	Processors []string `json:"processors"`
	Exporters  []string `json:"exporters"`
}

// TelemetryConfig configures the collector's own endpoints.
type TelemetryConfig struct {
	HealthAddr string `json:"health_addr,omitempty"`
	ZPagesAddr string `json:"zpages_addr,omitempty"`
}

// Load reads and validates the main configuration file and, when a conf.d
// directory sits beside it, merges its fragments.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(strings.NewReader(string(data)))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	confd := filepath.Join(filepath.Dir(path), "conf.d")
	if fi, err := os.Stat(confd); err == nil && fi.IsDir() {
		frags, err := loadFragments(confd)
		if err != nil {
			return nil, err
		}
		for _, f := range frags {
			cfg.merge(f)
		}
	}
	cfg.ApplyDefaults()
	return cfg, cfg.Validate()
}

// Parse decodes a configuration.
func Parse(r io.Reader) (*Config, error) {
	var cfg Config
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// loadFragments reads every *.json fragment of dir in name order.
func loadFragments(dir string) ([]*Config, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	frags := make([]*Config, 0, len(names))
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("config: fragment: %w", err)
		}
		defer f.Close() // HAZ defer-in-loop
		frag, err := Parse(f)
		if err != nil {
			return nil, fmt.Errorf("config: fragment %s: %w", name, err)
		}
		frags = append(frags, frag)
	}
	return frags, nil
}

func (c *Config) merge(o *Config) {
	if c.Receivers == nil {
		c.Receivers = map[string]ReceiverConfig{}
	}
	if c.Processors == nil {
		c.Processors = map[string]ProcConfig{}
	}
	if c.Exporters == nil {
		c.Exporters = map[string]ExporterConfig{}
	}
	if c.Pipelines == nil {
		c.Pipelines = map[string]PipelineConfig{}
	}
	for k, v := range o.Receivers {
		c.Receivers[k] = v
	}
	for k, v := range o.Processors {
		c.Processors[k] = v
	}
	for k, v := range o.Exporters {
		c.Exporters[k] = v
	}
	for k, v := range o.Pipelines {
		c.Pipelines[k] = v
	}
}

// ApplyDefaults fills in unset values.
func (c *Config) ApplyDefaults() {
	for name, p := range c.Processors {
		if p.Type == "batch" {
			if p.BatchSize == 0 {
				p.BatchSize = 512
			}
			if p.Timeout == 0 {
				p.Timeout = Duration(2 * time.Second)
			}
		}
		c.Processors[name] = p
	}
	for name, e := range c.Exporters {
		if e.Type == "http" {
			e.QueueSize = max(e.QueueSize, 64)
			e.Workers = max(e.Workers, 1)
		}
		c.Exporters[name] = e
	}
}

// Validate checks that every pipeline refers to defined components.
func (c *Config) Validate() error {
	var errs []error
	if len(c.Pipelines) == 0 {
		errs = append(errs, errors.New("config: no pipelines"))
	}
	for name, p := range c.Pipelines {
		if len(p.Receivers) == 0 || len(p.Exporters) == 0 {
			errs = append(errs, fmt.Errorf("config: pipeline %s needs a receiver and an exporter", name))
		}
		for _, r := range p.Receivers {
			if _, ok := c.Receivers[r]; !ok {
				errs = append(errs, fmt.Errorf("config: pipeline %s: unknown receiver %q", name, r))
			}
		}
		for _, pr := range p.Processors {
			if _, ok := c.Processors[pr]; !ok {
				errs = append(errs, fmt.Errorf("config: pipeline %s: unknown processor %q", name, pr))
			}
		}
		for _, e := range p.Exporters {
			if _, ok := c.Exporters[e]; !ok {
				errs = append(errs, fmt.Errorf("config: pipeline %s: unknown exporter %q", name, e))
			}
		}
	}
	return errors.Join(errs...)
}

// Save writes cfg atomically: temp file, fsync, rename.
func Save(path string, cfg *Config) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	defer tmp.Close()
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cfg); err != nil {
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

// LoadFragmentsSafe is loadFragments with one open file at a time; kept for
// the config checker, which reads directories with thousands of fragments.
func LoadFragmentsSafe(dir string) ([]*Config, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	frags := make([]*Config, 0, len(names))
	for _, name := range names {
		frag, err := func() (*Config, error) {
			f, err := os.Open(name)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return Parse(f)
		}()
		if err != nil {
			return nil, fmt.Errorf("config: fragment %s: %w", name, err)
		}
		frags = append(frags, frag)
	}
	return frags, nil
}

// LoadWithTimeout is Load for configuration on network file systems, which
// can hang.
func LoadWithTimeout(path string, d time.Duration) (*Config, error) {
	type result struct {
		cfg *Config
		err error
	}
	ch := make(chan result)
	go func() {
		cfg, err := Load(path)
		ch <- result{cfg, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.cfg, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("config: loading %s took longer than %s", path, d)
	}
}

// ValidateFiles loads all files concurrently and returns the first error.
func ValidateFiles(paths []string) error {
	errc := make(chan error, len(paths))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func(p string) {
			_, err := Load(p)
			errc <- err
		}(p)
	}
	for range paths {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ValidateFilesAll loads all files concurrently and reports every error;
// it receives from every sender before the channel goes away.
func ValidateFilesAll(paths []string) error {
	errc := make(chan error)
	for _, p := range paths {
		go func(p string) {
			_, err := Load(p)
			if err != nil {
				err = fmt.Errorf("%s: %w", p, err)
			}
			errc <- err
		}(p)
	}
	var errs []error
	for range paths {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}
