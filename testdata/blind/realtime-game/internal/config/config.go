// Package config loads the game server configuration.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Duration is a time.Duration that marshals as a Go duration string.
type Duration struct{ time.Duration }

// UnmarshalJSON accepts "1.5s" style strings.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalJSON renders the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.Duration.String())
}

// Config is the full server configuration.
type Config struct {
	GameAddr          string   `json:"game_addr"`
	AdminAddr         string   `json:"admin_addr"`
	AdminToken        string   `json:"admin_token"`
	ReplayDir         string   `json:"replay_dir"`
	SnapshotDir       string   `json:"snapshot_dir"`
	AuditLog          string   `json:"audit_log"`
	StatsAddr         string   `json:"stats_addr"`
	TickRate          int      `json:"tick_rate"`
	MaxPlayersPerRoom int      `json:"max_players_per_room"`
	MatchTimeout      Duration `json:"match_timeout"`
}

// Default returns a configuration suitable for local development.
func Default() Config {
	return Config{
		GameAddr:          ":7000",
		AdminAddr:         "127.0.0.1:7001",
		ReplayDir:         "replays",
		SnapshotDir:       "snapshots",
		AuditLog:          "admin-audit.log",
		TickRate:          30,
		MaxPlayersPerRoom: 8,
		MatchTimeout:      Duration{20 * time.Second},
	}
}

// Load reads a JSON config file on top of the defaults.
func Load(path string) (Config, error) {
	cfg := Default()
	f, err := os.Open(path)
	if err != nil {
		return cfg, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Validate rejects configurations the server cannot run with.
func (c Config) Validate() error {
	var errs []error
	if c.TickRate < 1 || c.TickRate > 128 {
		errs = append(errs, fmt.Errorf("tick_rate %d out of range 1..128", c.TickRate))
	}
	if c.MaxPlayersPerRoom < 2 {
		errs = append(errs, errors.New("max_players_per_room must be at least 2"))
	}
	if c.GameAddr == "" || c.AdminAddr == "" {
		errs = append(errs, errors.New("game_addr and admin_addr are required"))
	}
	if c.MatchTimeout.Duration <= 0 {
		errs = append(errs, errors.New("match_timeout must be positive"))
	}
	return errors.Join(errs...)
}

// TickInterval is the wall-clock duration of one simulation tick.
func (c Config) TickInterval() time.Duration {
	return time.Second / time.Duration(c.TickRate)
}

// ApplyEnv overrides fields from GAME_* environment variables.
func (c *Config) ApplyEnv(lookup func(string) (string, bool)) {
	if v, ok := lookup("GAME_ADDR"); ok {
		c.GameAddr = v
	}
	if v, ok := lookup("GAME_ADMIN_TOKEN"); ok {
		c.AdminToken = v
	}
	if v, ok := lookup("GAME_TICK_RATE"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			c.TickRate = n
		}
	}
	if v, ok := lookup("GAME_STATS_ADDR"); ok {
		c.StatsAddr = v
	}
}
