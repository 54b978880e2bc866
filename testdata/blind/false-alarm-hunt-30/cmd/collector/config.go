package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// duration reads "5s"-style strings from JSON.
type duration struct{ time.Duration }

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"5s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// config is the collector's configuration file.
type config struct {
	HTTPEndpoint     string   `json:"http_endpoint"`
	TCPEndpoint      string   `json:"tcp_endpoint"`
	HealthEndpoint   string   `json:"health_endpoint"`
	ExporterEndpoint string   `json:"exporter_endpoint"`
	FilePath         string   `json:"file_path"`
	BatchTimeout     duration `json:"batch_timeout"`
	BatchSize        int      `json:"batch_size"`
	MemoryLimitMiB   uint64   `json:"memory_limit_mib"`
	QueueSize        int      `json:"queue_size"`
	ShutdownGrace    duration `json:"shutdown_grace"`
}

// loadConfig reads and validates the configuration file.
func loadConfig(path string) (config, error) {
	cfg := config{
		HTTPEndpoint:   "127.0.0.1:4318",
		HealthEndpoint: "127.0.0.1:13133",
		BatchTimeout:   duration{200 * time.Millisecond},
		BatchSize:      8192,
		MemoryLimitMiB: 512,
		QueueSize:      1000,
		ShutdownGrace:  duration{10 * time.Second},
	}
	f, err := os.Open(path)
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, cfg.validate()
}

func (c config) validate() error {
	switch {
	case c.ExporterEndpoint == "" && c.FilePath == "":
		return errors.New("at least one of exporter_endpoint and file_path must be set")
	case c.HTTPEndpoint == "" && c.TCPEndpoint == "":
		return errors.New("at least one of http_endpoint and tcp_endpoint must be set")
	case c.BatchSize <= 0:
		return fmt.Errorf("batch_size must be positive, got %d", c.BatchSize)
	}
	return nil
}
