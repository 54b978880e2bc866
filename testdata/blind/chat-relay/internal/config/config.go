// Package config loads the relay's JSON configuration file.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Duration is a time.Duration that reads and writes as "30s" in JSON.
type Duration struct {
	time.Duration
}

// UnmarshalJSON accepts a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"30s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// Config is the relay configuration.
type Config struct {
	Listen          string   `json:"listen"`
	AdminListen     string   `json:"admin_listen"`
	AdminToken      string   `json:"admin_token"`
	HistoryDir      string   `json:"history_dir"`
	MaxHistoryBytes int64    `json:"max_history_bytes"`
	RecentLines     int      `json:"recent_lines"`
	IdleTimeout     Duration `json:"idle_timeout"`
	ShutdownGrace   Duration `json:"shutdown_grace"`
	MaxClients      int      `json:"max_clients"`
	MaxPerIP        int      `json:"max_per_ip"`
	MsgRate         float64  `json:"msg_rate"`
	MsgBurst        int      `json:"msg_burst"`
	QueueLen        int      `json:"queue_len"`
	Persisters      int      `json:"persisters"`
	Peers           []string `json:"peers"`
	PeerListen      string   `json:"peer_listen"`
	RelayName       string   `json:"relay_name"`
	MOTDPath        string   `json:"motd_path"`
	ExportDir       string   `json:"export_dir"`
	SessionLog      string   `json:"session_log"`
	AuditLog        string   `json:"audit_log"`
}

// Default returns the built-in configuration.
func Default() Config {
	return Config{
		Listen:          ":6667",
		HistoryDir:      "history",
		MaxHistoryBytes: 64 << 20,
		RecentLines:     50,
		IdleTimeout:     Duration{5 * time.Minute},
		ShutdownGrace:   Duration{10 * time.Second},
		MaxClients:      10000,
		MsgRate:         2,
		MsgBurst:        10,
		QueueLen:        128,
		Persisters:      4,
	}
}

// Load reads path over the defaults. A missing file means defaults.
func Load(path string) (Config, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("config %s: %w", path, err)
		}
	}()
	cfg := Default()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		err = cfg.Validate()
		return cfg, err
	}
	if err != nil {
		return Config{}, err
	}
	if err = json.Unmarshal(b, &cfg); err != nil {
		return Config{}, err
	}
	err = cfg.Validate()
	return cfg, err
}

// Validate checks the configuration for values the relay cannot run with.
func (c Config) Validate() error {
	var errs []error
	if c.Listen == "" {
		errs = append(errs, errors.New("listen is empty"))
	}
	if c.MsgRate <= 0 || c.MsgBurst <= 0 {
		errs = append(errs, errors.New("msg_rate and msg_burst must be positive"))
	}
	if c.IdleTimeout.Duration < 10*time.Second {
		errs = append(errs, fmt.Errorf("idle_timeout %s is too short", c.IdleTimeout))
	}
	if c.AdminListen != "" && c.AdminToken == "" {
		errs = append(errs, errors.New("admin_listen needs admin_token"))
	}
	return errors.Join(errs...)
}

// Save writes c to path as indented JSON.
func Save(path string, c Config) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return err
	}
	return f.Close()
}
