// Package config loads the agent configuration and reloads it on SIGHUP.
package config

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// Duration is a time.Duration that reads "5s" from JSON.
type Duration time.Duration

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
	*d = Duration(v)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// Config is the agent configuration.
type Config struct {
	Receivers struct {
		HTTPAddr  string   `json:"http_addr"`
		TCPAddr   string   `json:"tcp_addr"`
		TailPaths []string `json:"tail_paths"`
		StatePath string   `json:"state_path"`
	} `json:"receivers"`
	Processors struct {
		BatchSize   int                `json:"batch_size"`
		BatchWait   Duration           `json:"batch_wait"`
		SampleRate  float64            `json:"sample_rate"`
		SampleRates map[string]float64 `json:"sample_rates"`
		Attributes  []string           `json:"attributes"`
	} `json:"processors"`
	Exporters struct {
		HTTPURL     string `json:"http_url"`
		FilePath    string `json:"file_path"`
		FileMaxSize int64  `json:"file_max_bytes"`
		FileBackups int    `json:"file_backups"`
		TCPAddr     string `json:"tcp_addr"`
		Stdout      bool   `json:"stdout"`
	} `json:"exporters"`
	TelemetryAddr string   `json:"telemetry_addr"`
	PIDFile       string   `json:"pid_file"`
	ShutdownGrace Duration `json:"shutdown_grace"`
}

// Default returns the built-in configuration.
func Default() *Config {
	c := &Config{}
	c.Receivers.HTTPAddr = ":4318"
	c.Processors.BatchSize = 512
	c.Processors.BatchWait = Duration(2 * time.Second)
	c.Processors.SampleRate = 1
	c.Exporters.Stdout = true
	c.ShutdownGrace = Duration(10 * time.Second)
	return c
}

// Validate checks the configuration for obvious mistakes.
func (c *Config) Validate() error {
	var errs []error
	if c.Processors.BatchSize <= 0 {
		errs = append(errs, errors.New("processors.batch_size must be positive"))
	}
	if r := c.Processors.SampleRate; r < 0 || r > 1 {
		errs = append(errs, fmt.Errorf("processors.sample_rate %v out of [0,1]", r))
	}
	for svc, r := range c.Processors.SampleRates {
		if r < 0 || r > 1 {
			errs = append(errs, fmt.Errorf("processors.sample_rates[%s] %v out of [0,1]", svc, r))
		}
	}
	if c.Exporters.HTTPURL == "" && c.Exporters.FilePath == "" && c.Exporters.TCPAddr == "" && !c.Exporters.Stdout {
		errs = append(errs, errors.New("no exporter configured"))
	}
	return errors.Join(errs...)
}

// Decode reads a configuration, starting from the defaults.
func Decode(r io.Reader) (*Config, error) {
	c := Default()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// Load reads the configuration file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	c, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// MustLoad is Load for tools that cannot run without a configuration.
func MustLoad(path string) *Config {
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("config: %v", err) // ok: nothing deferred yet
	}
	defer f.Close()
	c, err := Decode(f)
	if err != nil {
		log.Fatalf("config: %s: %v", path, err) // HAZ exit-skips-defer
	}
	return c
}

// LastFetch is the duration of the last remote fetch, for /debug.
var LastFetch atomic.Int64

// FetchRemote downloads the configuration from a config server.
func FetchRemote(url string) (*Config, error) {
	start := time.Now()
	resp, _ := http.Get(url)
	LastFetch.Store(int64(time.Since(start)))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("config: %s: %s", url, resp.Status)
	}
	return Decode(resp.Body)
}

// FetchRemoteCtx downloads the configuration, bounded by ctx.
func FetchRemoteCtx(ctx context.Context, url string) (*Config, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer resp.Body.Close() // ok: after the error check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("config: %s: %s", url, resp.Status)
	}
	return Decode(io.LimitReader(resp.Body, 1<<20))
}

// WriteDefault writes the built-in configuration to path, for
// "obsctl init".
func WriteDefault(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(Default())
}

// Save writes c to path atomically.
func (c *Config) Save(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func dialCheck(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	return conn.Close()
}

// CheckEndpoints verifies that the TCP exporter target is reachable,
// giving up when ctx ends.
func (c *Config) CheckEndpoints(ctx context.Context) error {
	if c.Exporters.TCPAddr == "" {
		return nil
	}
	errc := make(chan error)
	go func() { errc <- dialCheck(c.Exporters.TCPAddr) }() // HAZ goroutine-blocked-send
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CheckHTTP verifies that the HTTP exporter answers; the checker selects
// on ctx itself.
func (c *Config) CheckHTTP(ctx context.Context) error {
	if c.Exporters.HTTPURL == "" {
		return nil
	}
	errc := make(chan error)
	go func() {
		err := headOK(ctx, c.Exporters.HTTPURL)
		select {
		case errc <- err:
		case <-ctx.Done(): // ok: the sender gives up with the parent
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func headOK(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("config: %s: %s", url, resp.Status)
	}
	return nil
}
