// Package config reads the proxy's key = value configuration file.
package config

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the complete proxy configuration.
type Config struct {
	UDPListen     string
	TCPListen     string
	DoHListen     string
	MetricsListen string
	ControlListen string

	Upstreams       []string
	UpstreamNet     string
	UpstreamTimeout time.Duration
	HealthInterval  time.Duration

	CacheSize     int
	CacheMinTTL   time.Duration
	CacheMaxTTL   time.Duration
	CacheSnapshot string

	BlockLists []string
	BlockLock  string

	QueryLogDir      string
	QueryLogMaxBytes int64
	QueryLogKeep     int

	StatsInterval time.Duration
}

// Default returns the built-in defaults.
func Default() Config {
	return Config{
		UDPListen:        ":53",
		TCPListen:        ":53",
		DoHListen:        ":8053",
		MetricsListen:    "127.0.0.1:9153",
		ControlListen:    "127.0.0.1:5380",
		Upstreams:        []string{"9.9.9.9:53", "1.1.1.1:53"},
		UpstreamNet:      "udp",
		UpstreamTimeout:  2 * time.Second,
		HealthInterval:   15 * time.Second,
		CacheSize:        50000,
		CacheMinTTL:      5 * time.Second,
		CacheMaxTTL:      6 * time.Hour,
		BlockLock:        "/run/dnsproxy/blocklist.lock",
		QueryLogDir:      "/var/log/dnsproxy",
		QueryLogMaxBytes: 64 << 20,
		QueryLogKeep:     10,
		StatsInterval:    time.Minute,
	}
}

// Load reads path on top of the defaults.
func Load(path string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return Config{}, err
	}
	defer f.Close()
	cfg, err := Parse(f)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse reads "key = value" lines; '#' starts a comment.
func Parse(r io.Reader) (Config, error) {
	cfg := Default()
	sc := bufio.NewScanner(r)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return Config{}, fmt.Errorf("line %d: missing '='", lineNo)
		}
		if err := cfg.set(strings.TrimSpace(key), strings.TrimSpace(value)); err != nil {
			return Config{}, fmt.Errorf("line %d: %w", lineNo, err)
		}
	}
	if err := sc.Err(); err != nil {
		return Config{}, err
	}
	return cfg, cfg.Validate()
}

func (c *Config) set(key, value string) error {
	var err error
	switch key {
	case "udp_listen":
		c.UDPListen = value
	case "tcp_listen":
		c.TCPListen = value
	case "doh_listen":
		c.DoHListen = value
	case "metrics_listen":
		c.MetricsListen = value
	case "control_listen":
		c.ControlListen = value
	case "upstreams":
		c.Upstreams = splitList(value)
	case "upstream_net":
		c.UpstreamNet = value
	case "upstream_timeout":
		c.UpstreamTimeout, err = time.ParseDuration(value)
	case "health_interval":
		c.HealthInterval, err = time.ParseDuration(value)
	case "cache_size":
		c.CacheSize, err = strconv.Atoi(value)
	case "cache_min_ttl":
		c.CacheMinTTL, err = time.ParseDuration(value)
	case "cache_max_ttl":
		c.CacheMaxTTL, err = time.ParseDuration(value)
	case "cache_snapshot":
		c.CacheSnapshot = value
	case "blocklists":
		c.BlockLists = splitList(value)
	case "blocklist_lock":
		c.BlockLock = value
	case "querylog_dir":
		c.QueryLogDir = value
	case "querylog_max_bytes":
		c.QueryLogMaxBytes, err = strconv.ParseInt(value, 10, 64)
	case "querylog_keep":
		c.QueryLogKeep, err = strconv.Atoi(value)
	case "stats_interval":
		c.StatsInterval, err = time.ParseDuration(value)
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, f)
	}
	return out
}

// Validate reports configuration errors.
func (c Config) Validate() error {
	var errs []error
	if len(c.Upstreams) == 0 {
		errs = append(errs, errors.New("no upstreams"))
	}
	if c.UpstreamNet != "udp" && c.UpstreamNet != "tcp" {
		errs = append(errs, fmt.Errorf("upstream_net %q: want udp or tcp", c.UpstreamNet))
	}
	if c.CacheMaxTTL > 0 && c.CacheMinTTL > c.CacheMaxTTL {
		errs = append(errs, errors.New("cache_min_ttl exceeds cache_max_ttl"))
	}
	if c.QueryLogMaxBytes < 4096 {
		errs = append(errs, errors.New("querylog_max_bytes below 4096"))
	}
	return errors.Join(errs...)
}

// Save writes the configuration in the format Parse reads.
func (c Config) Save(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "udp_listen = %s\ntcp_listen = %s\ndoh_listen = %s\n", c.UDPListen, c.TCPListen, c.DoHListen)
	fmt.Fprintf(w, "metrics_listen = %s\ncontrol_listen = %s\n", c.MetricsListen, c.ControlListen)
	fmt.Fprintf(w, "upstreams = %s\nupstream_net = %s\n", strings.Join(c.Upstreams, ","), c.UpstreamNet)
	fmt.Fprintf(w, "upstream_timeout = %s\nhealth_interval = %s\n", c.UpstreamTimeout, c.HealthInterval)
	fmt.Fprintf(w, "cache_size = %d\ncache_min_ttl = %s\ncache_max_ttl = %s\n", c.CacheSize, c.CacheMinTTL, c.CacheMaxTTL)
	if c.CacheSnapshot != "" {
		fmt.Fprintf(w, "cache_snapshot = %s\n", c.CacheSnapshot)
	}
	fmt.Fprintf(w, "blocklists = %s\nblocklist_lock = %s\n", strings.Join(c.BlockLists, ","), c.BlockLock)
	fmt.Fprintf(w, "querylog_dir = %s\nquerylog_max_bytes = %d\nquerylog_keep = %d\n", c.QueryLogDir, c.QueryLogMaxBytes, c.QueryLogKeep)
	fmt.Fprintf(w, "stats_interval = %s\n", c.StatsInterval)
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
