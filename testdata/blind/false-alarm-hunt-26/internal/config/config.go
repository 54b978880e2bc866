// Package config loads the proxy configuration and watches it for changes.
package config

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"example.com/fah26/internal/backend"
)

// Duration is a time.Duration that reads "1.5s"-style JSON strings.
type Duration struct{ time.Duration }

// UnmarshalJSON accepts a Go duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("config: bad duration %q: %w", s, err)
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

// Backend is one configured upstream.
type Backend struct {
	Name     string `json:"name"`
	Addr     string `json:"addr"`
	MaxConns int    `json:"max_conns"`
}

// Config is the whole proxy configuration.
type Config struct {
	Listen          string    `json:"listen"`
	Admin           string    `json:"admin"`
	Backends        []Backend `json:"backends"`
	DialTimeout     Duration  `json:"dial_timeout"`
	IdleTimeout     Duration  `json:"idle_timeout"`
	HealthInterval  Duration  `json:"health_interval"`
	HealthTimeout   Duration  `json:"health_timeout"`
	HealthPath      string    `json:"health_path"`
	FailThreshold   int       `json:"fail_threshold"`
	MaxInFlight     int       `json:"max_in_flight"`
	ShutdownTimeout Duration  `json:"shutdown_timeout"`
	StatePath       string    `json:"state_path"`
}

// Load reads and validates the configuration file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	c.applyDefaults()
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) applyDefaults() {
	if c.DialTimeout.Duration == 0 {
		c.DialTimeout.Duration = 3 * time.Second
	}
	if c.IdleTimeout.Duration == 0 {
		c.IdleTimeout.Duration = 5 * time.Minute
	}
	if c.HealthInterval.Duration == 0 {
		c.HealthInterval.Duration = 5 * time.Second
	}
	if c.HealthTimeout.Duration == 0 {
		c.HealthTimeout.Duration = time.Second
	}
	if c.FailThreshold == 0 {
		c.FailThreshold = 3
	}
	if c.ShutdownTimeout.Duration == 0 {
		c.ShutdownTimeout.Duration = 15 * time.Second
	}
}

func (c *Config) validate() error {
	if c.Listen == "" {
		return errors.New("listen address is required")
	}
	if len(c.Backends) == 0 {
		return errors.New("at least one backend is required")
	}
	seen := make(map[string]bool, len(c.Backends))
	for i, b := range c.Backends {
		if b.Name == "" {
			return fmt.Errorf("backend %d has no name", i)
		}
		if seen[b.Name] {
			return fmt.Errorf("duplicate backend %q", b.Name)
		}
		seen[b.Name] = true
		if _, _, err := net.SplitHostPort(b.Addr); err != nil {
			return fmt.Errorf("backend %q: %w", b.Name, err)
		}
	}
	if c.HealthTimeout.Duration >= c.HealthInterval.Duration {
		return errors.New("health_timeout must be shorter than health_interval")
	}
	return nil
}

// Build returns fresh backends for the configuration.
func (c *Config) Build() []*backend.Backend {
	bs := make([]*backend.Backend, 0, len(c.Backends))
	for _, b := range c.Backends {
		bs = append(bs, backend.New(b.Name, b.Addr, b.MaxConns))
	}
	return bs
}

// CheckResolvable verifies that every backend host resolves, looking the
// hosts up in parallel.
func (c *Config) CheckResolvable(ctx context.Context) error {
	type answer struct {
		name string
		err  error
	}
	answers := make(chan answer)
	for _, b := range c.Backends {
		go func() {
			host, _, err := net.SplitHostPort(b.Addr)
			if err == nil {
				_, err = net.DefaultResolver.LookupHost(ctx, host)
			}
			answers <- answer{b.Name, err} // HAZ goroutine-blocked-send
		}()
	}
	for range c.Backends {
		if a := <-answers; a.err != nil {
			return fmt.Errorf("backend %q: %w", a.name, a.err)
		}
	}
	return nil
}

// CheckReachable dials every backend in parallel. The channel is buffered
// for every dialer, so returning at the first failure strands nobody.
func (c *Config) CheckReachable(timeout time.Duration) error {
	errs := make(chan error, len(c.Backends))
	for _, b := range c.Backends {
		go func() {
			conn, err := net.DialTimeout("tcp", b.Addr, timeout)
			if err == nil {
				conn.Close()
			}
			errs <- err
		}()
	}
	for range c.Backends {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// LoadLayered reads the base configuration and decodes the site override,
// if there is one, on top of it.
func LoadLayered(base, override string) (*Config, error) {
	f, err := os.Open(base)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	var c Config
	if err := json.NewDecoder(f).Decode(&c); err != nil {
		return nil, fmt.Errorf("config: %s: %w", base, err)
	}
	f, err = os.Open(override)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// no site override
	case err != nil:
		return nil, err
	default:
		if err := json.NewDecoder(f).Decode(&c); err != nil {
			return nil, fmt.Errorf("config: %s: %w", override, err)
		}
	}
	c.applyDefaults()
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// ReadAllowList reads one CIDR or address per line; '#' starts a comment.
func ReadAllowList(path string) ([]*net.IPNet, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var nets []*net.IPNet
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = strings.TrimSpace(text[:i])
		}
		if text == "" {
			continue
		}
		if !strings.Contains(text, "/") {
			if strings.Contains(text, ":") {
				text += "/128"
			} else {
				text += "/32"
			}
		}
		_, n, err := net.ParseCIDR(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		nets = append(nets, n)
	}
	return nets, sc.Err()
}

// Watcher polls the configuration file and calls OnChange with every new
// valid version. Invalid versions are logged and skipped.
type Watcher struct {
	Path     string
	Every    time.Duration
	OnChange func(*Config)
	Logger   *log.Logger

	modTime time.Time
	size    int64
}

// Run polls until ctx is done.
func (w *Watcher) Run(ctx context.Context) error {
	if _, err := w.poll(); err != nil {
		return err
	}
	t := time.NewTicker(w.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			changed, err := w.poll()
			if err != nil {
				w.Logger.Printf("config: stat %s: %v", w.Path, err)
				continue
			}
			if !changed {
				continue
			}
			c, err := Load(w.Path)
			if err != nil {
				w.Logger.Printf("config: reload rejected: %v", err)
				continue
			}
			w.OnChange(c)
		}
	}
}

// poll reports whether the file changed since the last call.
func (w *Watcher) poll() (bool, error) {
	fi, err := os.Stat(w.Path)
	if err != nil {
		return false, err
	}
	changed := !fi.ModTime().Equal(w.modTime) || fi.Size() != w.size
	w.modTime, w.size = fi.ModTime(), fi.Size()
	return changed, nil
}
